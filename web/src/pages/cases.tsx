import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import type { RuleId } from "../../../src/domain/compliance.js";
import type { RunSummary } from "../../../src/services/compliance.js";
import { useAddressChoice } from "../address-choice.js";
import { api, fieldErrors, qs } from "../api.js";
import { BOARD_STEPS, boardOrder, type CaseSummary } from "../cases.js";
import { BusyButton } from "../components/busy-button.js";
import { type Column, DataTable } from "../components/data-table.js";
import { Field } from "../components/field.js";
import { ErrorBox, QueryView } from "../components/states.js";
import { RequireRole } from "../guard.js";
import { addPageStrings, useFormat } from "../i18n.js";
import type { Me } from "../session.js";

addPageStrings("run", {
  id: {
    title: "Pemeriksaan kepatuhan",
    intro:
      "Menjalankan aturan kepatuhan 1–6 untuk satu kabupaten pada tanggal hari ini: temuan baru dicatat, yang sudah beres ditutup, dan kasus dibuka untuk penyedia jasa dengan temuan yang memerlukan teguran.",
    regency: "Kode kabupaten",
    regencyHint: "Mis. 61.03 (Sanggau)",
    regencyInvalid: "Tulis kode kabupaten Kemendagri, mis. 61.03.",
    full: "Periksa ulang semua proyek (tanpa centang: hanya proyek yang berubah sejak pemeriksaan terakhir)",
    start: "Jalankan pemeriksaan",
    running: "Memeriksa…",
    done: "Pemeriksaan {{date}} selesai: {{projects}} proyek diperiksa. Temuan baru {{opened}}, diperbarui {{updated}}, selesai {{resolved}}. Kasus dibuka {{casesOpened}}, diselesaikan {{casesResolved}}.",
    open: "Temuan terbuka sesudah pemeriksaan",
    rule: "Aturan",
    high: "Tinggi",
    medium: "Sedang",
    low: "Rendah",
    rules: {
      UNREGISTERED: "1. Bekerja tanpa terdaftar di BPJS",
      LATE_REGISTRATION: "2. Terdaftar sesudah mulai bekerja",
      ARREARS: "3. Iuran menunggak",
      UNDER_REPORTING: "4. Pekerja dilaporkan kurang",
      UNPROTECTED_WORKERS: "5. Pekerja lama tidak terlindungi",
      REPEAT_OFFENDER: "6. Temuan berulang",
    },
  },
  en: {
    title: "Compliance check",
    intro:
      "Runs compliance rules 1–6 for one regency as of today: new findings are recorded, those put right are closed, and cases are opened for contractors whose findings call for a warning.",
    regency: "Regency code",
    regencyHint: "E.g. 61.03 (Sanggau)",
    regencyInvalid: "Write a Kemendagri regency code, e.g. 61.03.",
    full: "Check every project again (unticked: only projects changed since the last check)",
    start: "Run the check",
    running: "Checking…",
    done: "Check of {{date}} done: {{projects}} projects checked. Findings new {{opened}}, updated {{updated}}, resolved {{resolved}}. Cases opened {{casesOpened}}, resolved {{casesResolved}}.",
    open: "Open findings after the check",
    rule: "Rule",
    high: "High",
    medium: "Medium",
    low: "Low",
    rules: {
      UNREGISTERED: "1. Working without BPJS registration",
      LATE_REGISTRATION: "2. Registered after work started",
      ARREARS: "3. Contribution in arrears",
      UNDER_REPORTING: "4. Workers under-reported",
      UNPROTECTED_WORKERS: "5. Workers long unprotected",
      REPEAT_OFFENDER: "6. Repeated findings",
    },
  },
});

export default function CasesPage() {
  return <RequireRole page="cases">{(me) => <Board me={me} />}</RequireRole>;
}

/** A regency's Kemendagri code (61.03): a run covers one regency. */
const REGENCY = /^\d{2}\.\d{2}$/;

/** A rule's open findings by severity, as the run counts them. */
type Severities = RunSummary["byRule"][RuleId];

/**
 * Run the compliance rules for a regency (DESIGN §2) and say what changed. A run can take a while on a
 * large regency, so the page shows that it is working; a second run of the same regency waits its turn.
 */
function RunCompliance({ me }: { me: Me }) {
  const { t, num, date } = useFormat();
  const client = useQueryClient();
  const ownRegency = me.regionCode && REGENCY.test(me.regionCode) ? me.regionCode : "";
  const [regency, setRegency] = useState(ownRegency);
  const [full, setFull] = useState(false);
  const [regencyError, setRegencyError] = useState("");
  const run = useMutation({
    mutationFn: () =>
      api<RunSummary>("/api/v1/compliance/runs", { json: { regencyCode: regency.trim(), full } }),
    onSuccess: () => {
      // What a run changes: findings, cases, and the contractor and project pages that show them.
      for (const key of [
        "cases",
        "case",
        "contractors",
        "contractor",
        "clearance",
        "findings",
        "project",
        "projects",
      ]) {
        void client.invalidateQueries({ queryKey: [key] });
      }
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const ok = REGENCY.test(regency.trim());
    setRegencyError(ok ? "" : "run.regencyInvalid"); // a key, said in the language shown
    // The server's answer was about the code sent before, not this one.
    if (!ok && run.error) run.reset();
    if (ok) run.mutate();
  };
  const serverError = fieldErrors(run.error).regencyCode ?? "";
  const columns: Column<[string, Severities]>[] = [
    { header: t("run.rule"), cell: ([rule]) => t(`run.rules.${rule}`, { defaultValue: rule }) },
    ...(["high", "medium", "low"] as const).map((s) => ({
      header: t(`run.${s}`),
      numeric: true,
      cell: ([, counts]: [string, Severities]) => num(counts[s]),
    })),
  ];
  const summary = run.data;
  return (
    <section className="card" aria-labelledby="run-title">
      <h2 id="run-title">{t("run.title")}</h2>
      <p className="muted">{t("run.intro")}</p>
      <form className="stack narrow" noValidate onSubmit={submit}>
        <Field
          name="regencyCode"
          label={t("run.regency")}
          value={regency}
          onChange={(e) => {
            setRegency(e.target.value);
            // A refusal of the code sent before is not about the one being typed.
            if (run.error) run.reset();
          }}
          hint={t("run.regencyHint")}
          error={regencyError ? t(regencyError) : serverError}
        />
        <label className="check">
          <input type="checkbox" checked={full} onChange={(e) => setFull(e.target.checked)} /> {t("run.full")}
        </label>
        <BusyButton type="submit" busy={run.isPending}>
          {t("run.start")}
        </BusyButton>
      </form>
      <div role="status">
        {run.isPending ? <progress aria-label={t("run.running")}>{t("run.running")}</progress> : null}
        {summary ? (
          <p className="success">
            {t("run.done", {
              date: date(summary.date),
              projects: num(summary.projects),
              opened: num(summary.opened),
              updated: num(summary.updated),
              resolved: num(summary.resolved),
              casesOpened: num(summary.casesOpened),
              casesResolved: num(summary.casesResolved),
            })}
          </p>
        ) : null}
      </div>
      {run.error && !serverError ? <ErrorBox error={run.error} action /> : null}
      {summary ? (
        <DataTable
          label={t("run.open")}
          testId="run-by-rule"
          rows={Object.entries(summary.byRule)}
          rowKey={([rule]) => rule}
          columns={columns}
        />
      ) : null}
    </section>
  );
}

function Board({ me }: { me: Me }) {
  const { t } = useFormat();
  const [status, setStatus] = useAddressChoice("status", (raw) => (raw === "closed" ? raw : "open"), "open");
  const withClosed = status === "closed";
  const open = useQuery({
    queryKey: ["cases", false],
    queryFn: () => api<CaseSummary[]>(`/api/v1/cases${qs({ status: "open" })}`),
  });
  // Closed cases come under the board, which stays as it is: the work in hand is not hidden to look back.
  const closed = useQuery({
    queryKey: ["cases", true],
    queryFn: () => api<CaseSummary[]>(`/api/v1/cases${qs({ status: "closed" })}`),
    enabled: withClosed,
  });
  return (
    <section>
      <h1>{t("cases.title")}</h1>
      {me.role === "bpjs" || me.role === "admin" ? <RunCompliance me={me} /> : null}
      <label className="check">
        <input
          type="checkbox"
          checked={withClosed}
          onChange={(e) => setStatus(e.target.checked ? "closed" : "open")}
        />{" "}
        {t("cases.showClosed")}
      </label>
      <QueryView query={open} isEmpty={(d) => d.length === 0}>
        {(rows) => <Columns steps={BOARD_STEPS} rows={rows} heading="h2" />}
      </QueryView>
      {withClosed ? (
        <section aria-labelledby="closed-cases">
          <h2 id="closed-cases">{t("cases.closedTitle")}</h2>
          <QueryView query={closed} isEmpty={(d) => d.length === 0}>
            {(rows) => <Columns steps={["resolved", "closed"]} rows={rows} heading="h3" />}
          </QueryView>
        </section>
      ) : null}
    </section>
  );
}

/** Cases as cards in one column per step, overdue first; a column's name is a heading of the given level. */
function Columns({
  steps,
  rows,
  heading: Heading,
}: {
  steps: readonly CaseSummary["step"][];
  rows: readonly CaseSummary[];
  heading: "h2" | "h3";
}) {
  const { t, num, date } = useFormat();
  return (
    <div className={steps.length === BOARD_STEPS.length ? "board" : "board closed"}>
      {steps.map((step) => {
        const inStep = rows.filter((c) => c.step === step).sort(boardOrder);
        return (
          <section key={step} className="column" aria-labelledby={`col-${step}`}>
            <Heading id={`col-${step}`}>
              {t(`cases.stepNames.${step}`)} <span className="count">{num(inStep.length)}</span>
            </Heading>
            <ul>
              {inStep.map((c) => (
                <li key={c.id} className={c.overdue ? "case overdue" : "case"}>
                  <Link to={`/kasus/${c.id}`}>{c.contractor}</Link>
                  <div className="muted">
                    {t("cases.opened")} {date(c.openedOn)}
                    {c.deadline ? ` · ${t("cases.deadline")} ${date(c.deadline)}` : ""}
                  </div>
                  <div>
                    {c.overdue ? <span className="badge bad">{t("cases.overdue")}</span> : null}{" "}
                    {c.hasArrears ? <span className="badge warn">{t("cases.arrears")}</span> : null}{" "}
                    <span className="muted">{t("cases.findings", { count: c.findings })}</span>
                  </div>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
