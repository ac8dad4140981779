import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { maskNik, parseNik } from "../../../src/domain/nik.js";
import { type RawWorkerRow, validateWorkerRow } from "../../../src/domain/worker-report.js";
import { ApiError, api, qs, upload } from "../api.js";
import { BusyButton } from "../components/busy-button.js";
import { DataTable } from "../components/data-table.js";
import { Field } from "../components/field.js";
import { NikInput } from "../components/nik-input.js";
import { Pager } from "../components/pager.js";
import { SearchForm } from "../components/search-form.js";
import { ErrorBox, QueryView } from "../components/states.js";
import { RequireRole } from "../guard.js";
import { addPageStrings, useFormat } from "../i18n.js";
import type { ProjectPage, ProjectSummary, ReportResult, RowError } from "../projects.js";
import type { Me } from "../session.js";

addPageStrings("reportLeave", {
  id: { notTheirs: "NIK ini bukan NIK {{name}} ({{nik}}). Periksa kembali angkanya." },
  en: { notTheirs: "This is not {{name}}'s NIK ({{nik}}). Check the digits again." },
});

addPageStrings("reportUpload", {
  id: { refused: "Berkas ditolak", noFile: "Pilih berkas CSV atau XLSX dahulu." },
  en: { refused: "File refused", noFile: "Choose a CSV or XLSX file first." },
});

const PAGE_SIZE = 20;

export default function ReportPage() {
  const { id } = useParams();
  return (
    <RequireRole page="report">
      {(me) => (id ? <ReportForProject id={id} me={me} /> : <ChooseProject />)}
    </RequireRole>
  );
}

/** Field staff first pick the project they are on; the search keeps the list short on a phone. */
function ChooseProject() {
  const { t, date, num } = useFormat();
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const page = Math.max(1, Number(params.get("page")) || 1);
  const list = useQuery({
    queryKey: ["projects", "report", q, page],
    queryFn: () =>
      api<ProjectPage>(
        `/api/v1/projects${qs({ q, page, pageSize: PAGE_SIZE, sort: "end_date", order: "desc" })}`,
      ),
    placeholderData: keepPreviousData,
  });
  return (
    <section>
      <h1>{t("report.title")}</h1>
      <SearchForm
        label={t("report.searchProject")}
        value={q}
        onSearch={(v) => setParams({ q: v }, { replace: true })}
      />
      <h2>{t("report.chooseProject")}</h2>
      <QueryView query={list} isEmpty={(d) => d.items.length === 0}>
        {(d) => (
          <>
            {/* A branch officer or an admin sees every project of the region: say how many, page through. */}
            <p className="muted">{t("common.total", { count: d.total, formatted: num(d.total) })}</p>
            <ul className="cards">
              {d.items.map((p) => (
                <li key={p.id}>
                  <Link to={`/lapor/${p.id}`}>{p.name}</Link>
                  <div className="muted">
                    {p.code} · {date(p.spmkDate)} – {date(p.endDate)}
                  </div>
                </li>
              ))}
            </ul>
            <Pager
              page={page}
              pages={Math.ceil(d.total / d.pageSize)}
              onPage={(n) => {
                const next = new URLSearchParams(params);
                n > 1 ? next.set("page", String(n)) : next.delete("page");
                setParams(next, { replace: true });
              }}
            />
          </>
        )}
      </QueryView>
    </section>
  );
}

interface Worker {
  assignmentId: number;
  nikMasked: string;
  name: string;
  leftOn: string | null;
}

function ReportForProject({ id, me }: { id: string; me: Me }) {
  const { t } = useFormat();
  const project = useQuery({
    queryKey: ["project", id],
    queryFn: () => api<ProjectSummary>(`/api/v1/projects/${id}`),
  });
  const [leaving, setLeaving] = useState<Worker | null>(null);
  return (
    <QueryView query={project}>
      {(p) => (
        <section>
          <p>
            <Link to="/lapor">← {t("report.chooseProject")}</Link>
          </p>
          <h1>
            {t("report.title")}: {p.name}
          </h1>
          <div className="grid two">
            <EventForm projectId={p.id} today={me.today} leaving={leaving} onDone={() => setLeaving(null)} />
            <UploadForm projectId={p.id} />
          </div>
          <CurrentWorkers projectId={p.id} today={me.today} onLeave={setLeaving} />
        </section>
      )}
    </QueryView>
  );
}

function EventForm({
  projectId,
  today,
  leaving,
  onDone,
}: {
  projectId: number;
  today: string;
  leaving: Worker | null;
  onDone: () => void;
}) {
  const { t, date, pick, lang } = useFormat();
  const client = useQueryClient();
  const [kind, setKind] = useState<"join" | "leave">("join");
  const [nik, setNik] = useState("");
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [checked, setChecked] = useState<RowError[] | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const nikRef = useRef<HTMLInputElement>(null);
  const event = leaving ? "leave" : kind;
  // Another worker picked to leave (or the choice cancelled): nothing of the previous one stays.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the worker to leave changes
  useEffect(() => {
    setNik("");
    setChecked(null);
    setTouched(new Set());
  }, [leaving]);

  /** To the first field at fault, where its reason is said. */
  const focusFirstFault = (errors: readonly RowError[]) => {
    const first = ["nik", "name", "birthDate", "sex", "date"].find((k) => errors.some((x) => x.field === k));
    if (first) (formRef.current?.elements.namedItem(first) as HTMLElement | null)?.focus();
  };
  const send = useMutation({
    mutationFn: (raw: RawWorkerRow) =>
      api<ReportResult>(`/api/v1/projects/${projectId}/reports`, {
        json: { events: [raw] },
        headers: { "idempotency-key": crypto.randomUUID() },
      }),
    onSuccess: (result) => {
      setChecked(result.errors);
      // The server's refusal takes focus to its field as the browser's own does.
      focusFirstFault(result.errors);
      if (result.rejected === 0) {
        formRef.current?.reset();
        setNik("");
        setTouched(new Set());
        onDone();
      }
      void client.invalidateQueries({ queryKey: ["workers", String(projectId)] });
      void client.invalidateQueries({ queryKey: ["coverage"] });
    },
  });

  // The server's own rule, run in the browser: the same messages before and after sending.
  const nikCheck = nik ? parseNik(nik, today) : null;
  const nikMessage = !nikCheck
    ? null
    : nikCheck.ok
      ? t("report.nikOk", {
          birth: date(nikCheck.value.birthDate),
          sex: nikCheck.value.sex === "F" ? t("report.female") : t("report.male"),
        })
      : pick(nikCheck.message);
  // Leaving a worker picked from the list: only their NIK may be sent, or another worker would be
  // recorded as gone. The list shows it masked, so the digits it shows are what can be compared.
  const notTheirs =
    leaving && nik.length === 16 && maskNik(nik) !== leaving.nikMasked
      ? t("reportLeave.notTheirs", { name: leaving.name, nik: leaving.nikMasked })
      : "";
  const errors = checked ?? [];
  const fieldError = (field: string) =>
    errors
      .filter((e) => e.field === field)
      .map((e) => e.message[lang])
      .join("; ");

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    // Blank optional fields are left out: birth date and sex then come from the NIK.
    const fields = event === "join" ? ["nik", "date", "name", "birthDate", "sex"] : ["nik", "date"];
    const raw: RawWorkerRow = { event };
    for (const key of fields) {
      const value = String(f.get(key) ?? "").trim();
      if (value) Object.assign(raw, { [key]: value });
    }
    const local = validateWorkerRow(raw, 1, today);
    // Refused here, nothing is sent: the answer to the report sent before is not this one's.
    if (!local.ok || notTheirs) send.reset();
    if (!local.ok) {
      setChecked(local.errors);
      setTouched(new Set(["nik", "name", "date", "birthDate", "sex"]));
      focusFirstFault(local.errors);
      return;
    }
    if (notTheirs) {
      nikRef.current?.focus();
      return;
    }
    setChecked(null);
    send.mutate(raw);
  };

  return (
    <form
      ref={formRef}
      className="card stack"
      onSubmit={submit}
      noValidate
      aria-labelledby="event-form-title"
    >
      <h2 id="event-form-title">{leaving ? t("report.remove") : t("report.formTitle")}</h2>
      {leaving ? (
        <p className="notice">
          {t("report.removeHint", { nik: leaving.nikMasked, name: leaving.name })}{" "}
          <button type="button" onClick={onDone}>
            {t("report.cancel")}
          </button>
        </p>
      ) : (
        <fieldset className="choice">
          <legend>{t("report.event")}</legend>
          {(["join", "leave"] as const).map((k) => (
            <label key={k}>
              <input type="radio" name="event" value={k} checked={kind === k} onChange={() => setKind(k)} />{" "}
              {t(`report.${k}`)}
            </label>
          ))}
        </fieldset>
      )}
      <NikInput
        ref={nikRef}
        value={nik}
        onChange={(value) => {
          setNik(value);
          // An answer about the NIK sent before is not about the one being typed.
          setChecked((c) => c?.filter((e) => e.field !== "nik") ?? null);
        }}
        onBlur={() => setTouched((s) => new Set(s).add("nik"))}
        invalid={notTheirs || fieldError("nik") ? true : nikCheck ? !nikCheck.ok : undefined}
        messageId="nik-message"
      />
      {/* The answer's reason for the NIK (e.g. not on this project) outranks "a valid NIK". */}
      <p
        id="nik-message"
        className={nikCheck?.ok && !fieldError("nik") && !notTheirs ? "hint ok" : "hint bad"}
        aria-live="polite"
      >
        {fieldError("nik") ||
          notTheirs ||
          (nik.length > 0 && (nik.length >= 16 || touched.has("nik") || !nikCheck?.ok) ? nikMessage : "")}
      </p>
      {event === "join" ? (
        <>
          <Field name="name" label={t("report.name")} error={fieldError("name")} autoComplete="name" />
          <Field name="birthDate" label={t("report.birthDate")} type="date" error={fieldError("birthDate")} />
          <label>
            {t("report.sex")}
            <select
              name="sex"
              defaultValue=""
              aria-invalid={fieldError("sex") ? true : undefined}
              aria-describedby="sex-error"
            >
              <option value="">–</option>
              <option value="L">{t("report.male")}</option>
              <option value="P">{t("report.female")}</option>
            </select>
          </label>
          <p id="sex-error" className="hint bad">
            {fieldError("sex")}
          </p>
        </>
      ) : null}
      <Field
        name="date"
        label={t("report.date")}
        type="date"
        defaultValue={today}
        error={fieldError("date")}
      />
      <BusyButton type="submit" busy={send.isPending}>
        {t("report.submit")}
      </BusyButton>
      {send.error ? <ErrorBox error={send.error} action /> : null}
      {send.data ? (
        <p className={send.data.rejected ? "error" : "success"} role="status">
          {t("report.sent", { ...send.data, count: send.data.duplicates })}
        </p>
      ) : null}
    </form>
  );
}

function UploadForm({ projectId }: { projectId: number }) {
  const { t } = useFormat();
  const client = useQueryClient();
  const [progress, setProgress] = useState<number | null>(null);
  const [result, setResult] = useState<ReportResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [noFile, setNoFile] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    // An empty file is sent all the same: the server says why it is refused (FILE_EMPTY).
    const file = fileRef.current?.files?.[0];
    setError(null);
    setResult(null);
    setNoFile(!file);
    if (!file) {
      fileRef.current?.focus();
      return;
    }
    setProgress(0);
    try {
      setResult(await upload<ReportResult>(`/api/v1/projects/${projectId}/uploads`, file, setProgress));
      void client.invalidateQueries({ queryKey: ["workers", String(projectId)] });
    } catch (err) {
      setError(err);
    } finally {
      setProgress(null);
    }
  };

  return (
    <form className="card stack" onSubmit={submit} noValidate aria-labelledby="upload-title">
      <h2 id="upload-title">{t("report.uploadTitle")}</h2>
      <p className="muted">{t("report.uploadHint")}</p>
      <label>
        {t("report.file")}
        <input
          ref={fileRef}
          name="file"
          type="file"
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          required
          aria-invalid={noFile ? true : undefined}
          aria-describedby="file-error"
          onChange={() => setNoFile(false)}
        />
      </label>
      <p id="file-error" className="hint bad" aria-live="polite">
        {noFile ? t("reportUpload.noFile") : ""}
      </p>
      <BusyButton type="submit" busy={progress !== null}>
        {progress === null ? t("report.upload") : t("report.uploading")}
      </BusyButton>
      {progress !== null ? (
        <progress max={1} value={progress} aria-label={t("report.uploading")}>
          {Math.round(progress * 100)} %
        </progress>
      ) : null}
      {error ? <UploadRefused error={error} /> : null}
      {result ? (
        <div role="status">
          <p className={result.rejected ? "error" : "success"}>
            {t("report.sent", { ...result, count: result.duplicates })}
          </p>
          {result.errors.length > 0 ? <RowErrors result={result} /> : null}
        </div>
      ) : null}
    </form>
  );
}

/**
 * What the server said of the file, headed as a refused upload, not as data that did not load. A rule's
 * refusal repeats its title as the error of a field (`file`, a missing column): said once, not twice.
 */
function UploadRefused({ error }: { error: unknown }) {
  const { t } = useFormat();
  if (!(error instanceof ApiError)) return <ErrorBox error={error} action />;
  const { problem } = error;
  const refused = problem.status >= 400 && problem.status < 500;
  const errors = problem.errors?.filter((e) => e.message !== problem.title);
  return (
    <ErrorBox
      error={new ApiError({ ...problem, errors })}
      action
      heading={refused ? t("reportUpload.refused") : undefined}
    />
  );
}

function RowErrors({ result }: { result: ReportResult }) {
  const { t, lang } = useFormat();
  return (
    <>
      <h3>{t("report.errorsTitle")}</h3>
      <DataTable
        label={t("report.errorsTitle")}
        testId="row-errors"
        rows={result.errors}
        rowKey={(e) => `${e.row}:${e.field}:${e.code}`}
        columns={[
          { header: t("report.row"), numeric: true, cell: (e) => e.row },
          {
            header: t("report.field"),
            // The file's column as the upload hint names it; a field without one as the server said.
            cell: (e) => t(`report.columns.${e.field}`, { defaultValue: e.field }),
          },
          { header: t("report.message"), cell: (e) => e.message[lang] },
        ]}
      />
      <p className="buttons">
        <a href={`/api/v1/projects/${result.projectId}/reports/${result.batchId}/errors.xlsx`} download>
          {t("report.downloadErrorsXlsx")}
        </a>
        <a href={`/api/v1/projects/${result.projectId}/reports/${result.batchId}/errors.csv`} download>
          {t("report.downloadErrors")}
        </a>
      </p>
    </>
  );
}

function CurrentWorkers({
  projectId,
  today,
  onLeave,
}: {
  projectId: number;
  today: string;
  onLeave: (w: Worker) => void;
}) {
  const { t, date } = useFormat();
  // On the project today: not left, or leaving on a later day (that day is still worked).
  const onSite = (x: Worker) => x.leftOn === null || x.leftOn >= today;
  const workers = useQuery({
    queryKey: ["workers", String(projectId)],
    queryFn: () => api<(Worker & { joinedOn: string })[]>(`/api/v1/projects/${projectId}/workers`),
  });
  return (
    <section className="card">
      <h2>{t("report.current")}</h2>
      <QueryView query={workers} isEmpty={(w) => !w.some(onSite)}>
        {(w) => (
          <DataTable
            label={t("report.current")}
            // On a phone each worker is a card, its "Keluarkan" in view rather than off to the right.
            stacked
            rows={w.filter(onSite)}
            rowKey={(x) => x.assignmentId}
            columns={[
              { header: t("project.nik"), cell: (x) => <span className="mono">{x.nikMasked}</span> },
              { header: t("report.name"), cell: (x) => x.name },
              { header: t("project.joined"), cell: (x) => date(x.joinedOn) },
              { header: t("project.left"), cell: (x) => date(x.leftOn) },
              {
                header: <span className="visually-hidden">{t("report.remove")}</span>,
                cell: (x) =>
                  x.leftOn === null && (
                    <button
                      type="button"
                      onClick={() => {
                        onLeave(x);
                        document.querySelector<HTMLInputElement>("input[name=nik]")?.focus();
                      }}
                    >
                      {t("report.remove")}
                      <span className="visually-hidden"> {x.name}</span>
                    </button>
                  ),
              },
            ]}
          />
        )}
      </QueryView>
    </section>
  );
}
