import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { Link, useLocation, useNavigate, useParams } from "react-router";
import type { Contribution, TierLine } from "../../../src/domain/contribution.js";
import { parseRupiah } from "../../../src/domain/rupiah.js";
import { api, fieldErrors, fieldSayings } from "../api.js";
import { BusyButton } from "../components/busy-button.js";
import { DataTable } from "../components/data-table.js";
import type { Outcome } from "../components/decide.js";
import { Field } from "../components/field.js";
import { type Finding, FindingsTable } from "../components/findings.js";
import { ErrorBox, QueryView } from "../components/states.js";
import { type Saying, saying, useFieldErrors } from "../field-errors.js";
import { RequireRole } from "../guard.js";
import { addPageStrings, useFormat } from "../i18n.js";
import { type PaymentRow, type RecordedPayment, refreshPayments } from "../payments.js";
import type { ProjectDetail } from "../projects.js";
import { refreshRegistration } from "../registrations.js";
import { type Me, mayDecideClaim, mayOpen, mayOperateProject, mayRegisterProject } from "../session.js";
import { DecideRegistration } from "./registrations.js";

addPageStrings("projectAdded", {
  id: {
    done: "Proyek {{code}} tercatat.",
    register:
      "Langkah berikutnya: daftarkan ke BPJS Ketenagakerjaan (Pendaftaran dan iuran), sebelum pekerjaan dimulai.",
    contractorRegisters:
      "Penyedia jasanya kini melihat proyek ini dan mendaftarkannya ke BPJS Ketenagakerjaan.",
    edited: "Data proyek {{code}} diperbaiki.",
    registerCorrected: "Langkah berikutnya: daftarkan ke BPJS Ketenagakerjaan (Pendaftaran dan iuran).",
    edit: "Perbaiki data proyek",
  },
  en: {
    done: "Project {{code}} recorded.",
    register:
      "Next: register it with BPJS Ketenagakerjaan (Registration and contribution), before work starts.",
    contractorRegisters: "Its contractor now sees this project and registers it with BPJS Ketenagakerjaan.",
    edited: "The data of project {{code}} has been corrected.",
    registerCorrected: "Next: register it with BPJS Ketenagakerjaan (Registration and contribution).",
    edit: "Correct the project's data",
  },
});

addPageStrings("projectState", {
  id: {
    registered: "Proyek didaftarkan ke BPJS Ketenagakerjaan: {{registrationNo}}.",
    filed: "Pendaftaran dikirim ke BPJS Ketenagakerjaan untuk diverifikasi.",
    pendingCovers:
      "Pembayaran {{amount}} yang menunggu konfirmasi BPJS cabang sudah menutup seluruh sisa iuran: tidak ada lagi yang perlu dibayar sekarang.",
    confirmThem: "Konfirmasi atau tolak di halaman",
    // Of a registration not yet made: "Didaftarkan" is said only of one the branch has verified.
    registrationDate: "Tanggal pendaftaran",
    tiersUsed: "{{count}} lapisan",
  },
  en: {
    registered: "Project registered with BPJS Ketenagakerjaan: {{registrationNo}}.",
    filed: "Registration sent to BPJS Ketenagakerjaan for verification.",
    pendingCovers:
      "Payments of {{amount}} awaiting the BPJS branch's confirmation already cover all that is owed: nothing more is to be paid now.",
    confirmThem: "Confirm or reject them on the page",
    registrationDate: "Registration date",
    tiersUsed_one: "{{count}} tier",
    tiersUsed: "{{count}} tiers",
  },
});

interface Worker {
  assignmentId: number;
  nikMasked: string;
  name: string;
  sex: string;
  joinedOn: string;
  leftOn: string | null;
}

export default function ProjectPage() {
  return <RequireRole page="projects">{(me) => <Project me={me} />}</RequireRole>;
}

function Project({ me }: { me: Me }) {
  const { id } = useParams();
  const { t, rp, date } = useFormat();
  const location = useLocation();
  const navigate = useNavigate();
  // Arriving from the project form (/proyek/baru, /proyek/:id/ubah): what it did is said once, not on a reload.
  const [arrived] = useState(() => (location.state as Arrival | null) ?? null);
  useEffect(() => {
    if (arrived) navigate(".", { replace: true, state: null });
  }, [arrived, navigate]);
  const project = useQuery({
    queryKey: ["project", id],
    queryFn: () => api<ProjectDetail>(`/api/v1/projects/${id}`),
  });
  const workers = useQuery({
    queryKey: ["workers", id],
    queryFn: () => api<Worker[]>(`/api/v1/projects/${id}/workers`),
  });
  const payments = useQuery({
    queryKey: ["payments", id],
    queryFn: () => api<PaymentRow[]>(`/api/v1/projects/${id}/payments`),
  });
  const findings = useQuery({
    queryKey: ["findings", id],
    queryFn: () => api<Finding[]>(`/api/v1/projects/${id}/findings`),
  });

  return (
    <QueryView query={project}>
      {(p) => (
        <article>
          <p>
            <Link to="/proyek">← {t("projects.title")}</Link>
          </p>
          <h1>{p.name}</h1>
          {arrived ? <Arrived arrival={arrived} me={me} /> : null}
          {mayOpen(me.role, "report") ? (
            <p>
              <Link className="button" to={`/lapor/${p.id}`}>
                {t("project.reportWorkers")}
              </Link>
            </p>
          ) : null}
          <div className="grid two">
            <section className="card">
              <h2>{t("project.contract")}</h2>
              <dl className="facts">
                <Fact label={t("projects.code")} value={p.code} />
                <Fact label={t("projects.contractor")} value={p.contractor} />
                <Fact label={t("projects.workUnit")} value={p.workUnit ?? "–"} />
                <Fact label={t("projects.district")} value={p.districtName ?? p.districtCode} />
                <Fact label={t("projects.funding")} value={t(`funding.${p.fundingSource}`)} />
                <Fact label={t("projects.workType")} value={t(`workType.${p.workType}`)} />
                <Fact label={t("projects.value")} value={rp(p.contractValue)} />
                <Fact
                  label={`${t("projects.start")} – ${t("projects.end")}`}
                  value={`${date(p.spmkDate)} – ${date(p.endDate)}`}
                />
              </dl>
              {/* Until it is registered, or a registration waits (src/services/projects.ts editProject). */}
              {mayRegisterProject(me.role) &&
              !p.certificate.registrationNo &&
              p.certificate.registrationClaim?.status !== "pending" ? (
                <p>
                  <Link to={`/proyek/${p.id}/ubah`}>{t("projectAdded.edit")}</Link>
                </p>
              ) : null}
            </section>
            <Registration project={p} me={me} />
          </div>
          {p.certificate.contribution?.computation ? (
            <Computation contribution={p.certificate.contribution.computation as Contribution} />
          ) : null}
          <section className="card">
            <h2>{t("project.workers")}</h2>
            <QueryView query={workers} isEmpty={(w) => w.length === 0}>
              {(w) => (
                <DataTable
                  label={t("project.workers")}
                  rows={w}
                  rowKey={(x) => x.assignmentId}
                  columns={[
                    { header: t("project.nik"), cell: (x) => <span className="mono">{x.nikMasked}</span> },
                    { header: t("report.name"), cell: (x) => x.name },
                    {
                      header: t("project.sex"),
                      cell: (x) => t(`project.sexCodes.${x.sex === "F" ? "F" : "M"}`),
                    },
                    { header: t("project.joined"), cell: (x) => date(x.joinedOn) },
                    { header: t("project.left"), cell: (x) => date(x.leftOn) },
                  ]}
                />
              )}
            </QueryView>
          </section>
          <section className="card">
            <h2>{t("project.payments")}</h2>
            <QueryView query={payments} isEmpty={(x) => x.length === 0}>
              {(rows) => (
                <DataTable
                  label={t("project.payments")}
                  testId="payments"
                  stacked
                  rows={rows}
                  rowKey={(x) => `${x.paymentId}-${x.claimId}`}
                  columns={[
                    { header: t("common.date"), cell: (x) => date(x.paidOn) },
                    { header: t("project.amount"), numeric: true, cell: (x) => rp(x.amount) },
                    { header: t("project.reference"), cell: (x) => x.reference },
                    { header: t("payments.status"), cell: (x) => <PaymentState row={x} /> },
                  ]}
                />
              )}
            </QueryView>
            {mayOperateProject(me.role) ? <RecordPayment project={p} me={me} /> : null}
          </section>
          <section className="card">
            <h2>{t("project.findings")}</h2>
            <QueryView query={findings} isEmpty={(x) => x.length === 0}>
              {(rows) => <FindingsTable findings={rows} label={t("project.findings")} />}
            </QueryView>
          </section>
        </article>
      )}
    </QueryView>
  );
}

/** What the project form sends along: the code of the project it recorded or corrected. */
type Arrival = { added: string } | { edited: string };

/** What the project form did and what comes next; focus moves here, since the form is gone. */
function Arrived({ arrival, me }: { arrival: Arrival; me: Me }) {
  const { t } = useFormat();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div role="status" ref={ref} tabIndex={-1}>
      <p className="success">
        {"added" in arrival
          ? t("projectAdded.done", { code: arrival.added })
          : t("projectAdded.edited", { code: arrival.edited })}{" "}
        {"added" in arrival
          ? t(mayOperateProject(me.role) ? "projectAdded.register" : "projectAdded.contractorRegisters")
          : mayOperateProject(me.role)
            ? t("projectAdded.registerCorrected")
            : null}
      </p>
    </div>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function Registration({ project, me }: { project: ProjectDetail; me: Me }) {
  const { t, rp, date } = useFormat();
  const c = project.certificate;
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const statusRef = useRef<HTMLDivElement>(null);
  // The buttons decided on are gone once the card redraws: focus goes to what happened.
  const decided = (o: Outcome) => {
    setOutcome(o);
    statusRef.current?.focus();
  };
  return (
    <section className="card">
      <h2>{t("project.registration")}</h2>
      <p>
        <span className={`badge status-${c.status}`}>{t(`project.statuses.${c.status}`)}</span>
      </p>
      {/* What the branch's decision here did, kept when the card redraws as registered. */}
      <div role="status" ref={statusRef} tabIndex={-1}>
        {outcome?.ok ? <p className="success">{outcome.text}</p> : null}
      </div>
      {outcome && !outcome.ok ? <ErrorBox error={outcome.error} action /> : null}
      {c.registrationNo ? null : <Filing project={project} me={me} onDone={decided} />}
      {c.registrationNo ? (
        <dl className="facts">
          <Fact label={t("project.registrationNo")} value={c.registrationNo} />
          <Fact label={t("project.registeredOn")} value={date(c.registeredOn)} />
          <Fact label={t("project.rateTable")} value={c.rateTableVersion ?? "–"} />
          <Fact
            label={t("project.coveragePeriod")}
            value={`${date(c.coverageStart)} – ${date(c.coverageEnd)}`}
          />
          <Fact label={t("project.dueDate")} value={date(c.dueDate)} />
          <Fact label="JKK" value={rp(c.contribution?.jkk ?? 0)} />
          <Fact label="JKM" value={rp(c.contribution?.jkm ?? 0)} />
          <Fact label={t("project.total")} value={rp(c.contribution?.total ?? 0)} />
          <Fact label={t("projects.paid")} value={rp(c.paidAmount)} />
          {c.pendingAmount > 0 ? (
            <Fact label={t("payments.pendingAmount")} value={rp(c.pendingAmount)} />
          ) : null}
          <div>
            <dt>{t("project.certificate")}</dt>
            <dd>
              {c.certificateIssuedOn ? (
                <>
                  {date(c.certificateIssuedOn)} ·{" "}
                  <a href={`/api/v1/projects/${project.id}/certificate.pdf`} download>
                    {t("project.certificateDownload")}
                  </a>
                </>
              ) : (
                t("project.certificateNotYet")
              )}
            </dd>
          </div>
        </dl>
      ) : null}
    </section>
  );
}

/**
 * Before registration: a registration the contractor filed waits for the branch (which verifies it here
 * or in its queue), or was rejected with a reason; either way, who may still register is offered to.
 */
function Filing({ project, me, onDone }: { project: ProjectDetail; me: Me; onDone: (o: Outcome) => void }) {
  const { t, rp, date } = useFormat();
  const claim = project.certificate.registrationClaim;
  if (claim?.status === "pending")
    return (
      <>
        <p className="notice">
          {t("filing.pending", { date: date(claim.registeredOn), amount: rp(claim.contributionAmount) })}
        </p>
        {mayDecideClaim(me.role) ? (
          <DecideRegistration
            claim={{ id: claim.id, projectId: project.id, projectName: project.name }}
            onDone={onDone}
          />
        ) : null}
      </>
    );
  return (
    <>
      {claim?.status === "rejected" ? (
        <p className="notice">
          {/* The sentence ends the reason, which may end with its own full stop. */}
          {t("filing.rejected", {
            date: date(claim.registeredOn),
            reason: claim.reason?.replace(/[.!\s]+$/, "") ?? "–",
          })}
          {me.role === "contractor" ? ` ${t("filing.fileAgain")}` : null}
        </p>
      ) : null}
      {mayOperateProject(me.role) ? <Register project={project} me={me} onDone={onDone} /> : null}
    </>
  );
}

/**
 * Register the project with BPJS on the contract-value basis (the wage basis is for the API). A
 * contractor registers on the day it does so; the branch may enter a registration made earlier.
 */
function Register({ project, me, onDone }: { project: ProjectDetail; me: Me; onDone: (o: Outcome) => void }) {
  const { t, rp, date } = useFormat();
  const client = useQueryClient();
  const backdates = me.role !== "contractor";
  const [registeredOn, setRegisteredOn] = useState(me.today);
  const register = useMutation({
    mutationFn: () =>
      api<ProjectDetail["certificate"]>(`/api/v1/projects/${project.id}/registration`, {
        json: { basis: "contract_value", registeredOn },
      }),
    onSuccess: (done) => {
      // Registered or filed, the card redraws without this form: what happened is said, with focus.
      onDone({
        ok: true,
        text: done.registrationNo
          ? t("projectState.registered", { registrationNo: done.registrationNo })
          : t("projectState.filed"),
      });
      refreshRegistration(client, project.id);
    },
  });
  const dateError = fieldErrors(register.error).registeredOn ?? "";
  return (
    <form
      className="stack"
      noValidate
      aria-labelledby="register-title"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        register.mutate();
      }}
    >
      <h3 id="register-title">{t("project.register")}</h3>
      <p className="muted">
        {t("project.registerHint", { value: rp(project.contractValue) })}
        {backdates ? null : ` ${t("filing.waits")}`}
      </p>
      {backdates ? (
        <Field
          name="registeredOn"
          label={t("projectState.registrationDate")}
          type="date"
          value={registeredOn}
          max={me.today}
          onChange={(e) => setRegisteredOn(e.target.value)}
          error={dateError}
        />
      ) : (
        <p>
          {t("projectState.registrationDate")}: {date(me.today)}
        </p>
      )}
      <BusyButton type="submit" busy={register.isPending}>
        {t("project.register")}
      </BusyButton>
      {register.error && !dateError ? <ErrorBox error={register.error} action /> : null}
    </form>
  );
}

const BADGE = { confirmed: "badge ok", pending: "badge warn", rejected: "badge bad" } as const;

/** Only a confirmed payment counts; a claim waits for the branch, or was rejected with a reason. */
function PaymentState({ row }: { row: PaymentRow }) {
  const { t } = useFormat();
  return (
    <>
      <span className={BADGE[row.status]}>{t(`payments.statuses.${row.status}`)}</span>
      {row.status === "rejected" && row.reason ? `: ${row.reason}` : null}
    </>
  );
}

const PAYMENT_FIELDS = ["paidOn", "amount", "reference"] as const;

/**
 * Record a contribution payment. A contractor's waits for the BPJS branch's confirmation (only a
 * confirmed payment counts); the branch's own entry is confirmed at once. The server says which.
 */
function RecordPayment({ project, me }: { project: ProjectDetail; me: Me }) {
  const today = me.today;
  const { t, rp, lang } = useFormat();
  const client = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [amountText, setAmountText] = useState("");
  const [errors, setErrors] = useFieldErrors<string>();
  const c = project.certificate;

  const focus = (field: string) =>
    (formRef.current?.elements.namedItem(field) as HTMLInputElement | null)?.focus();
  const record = useMutation({
    mutationFn: (input: { paidOn: string; amount: number; reference: string }) =>
      api<RecordedPayment>(`/api/v1/projects/${project.id}/payments`, { json: input }),
    onSuccess: () => {
      formRef.current?.reset();
      setAmountText("");
      setErrors({});
      refreshPayments(client, project.id);
    },
    onError: (error) => {
      const byField = fieldSayings(error);
      setErrors(byField);
      const first = PAYMENT_FIELDS.find((f) => byField[f]);
      if (first) focus(first);
    },
  });

  const done = record.data;
  const doneText = done
    ? t(
        done.replayed
          ? done.status === "pending"
            ? "payments.replayedPending"
            : "payments.replayedConfirmed"
          : done.status === "pending"
            ? "payments.recordedPending"
            : "payments.recordedConfirmed",
      )
    : "";

  if (!c.registrationNo) return <p className="muted">{t("payments.notRegistered")}</p>;
  const outstanding = (project.contributionAmount ?? 0) - c.paidAmount;
  // The payment just recorded may leave nothing to pay, which takes the form away: it is said here then.
  if (outstanding <= 0)
    return (
      <>
        {doneText ? <Recorded text={doneText} /> : null}
        <p className="muted">{t("payments.paidInFull")}</p>
      </>
    );
  // A contractor's claims waiting for the branch already cover the rest: the server would refuse any
  // further claim, and a branch entry now would leave those claims above what is owed.
  if (outstanding - c.pendingAmount <= 0)
    return (
      <>
        {doneText ? <Recorded text={doneText} /> : null}
        <p className="notice" data-testid="payments-pending-cover">
          {t("projectState.pendingCovers", { amount: rp(c.pendingAmount) })}
          {mayDecideClaim(me.role) ? (
            <>
              {" "}
              {t("projectState.confirmThem")} <Link to="/pembayaran">{t("payments.title")}</Link>.
            </>
          ) : null}
        </p>
      </>
    );

  const clear = (field: string) =>
    setErrors((e) => (e[field] ? Object.fromEntries(Object.entries(e).filter(([k]) => k !== field)) : e));
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const paidOn = String(f.get("paidOn") ?? "");
    const amount = parseRupiah(String(f.get("amount") ?? ""), lang);
    const reference = String(f.get("reference") ?? "").trim();
    const local: Record<string, Saying> = {};
    if (!paidOn) local.paidOn = saying("payments.required");
    if (amount === null) local.amount = saying("payments.amountInvalid");
    if (!reference) local.reference = saying("payments.required");
    setErrors(local);
    const first = PAYMENT_FIELDS.find((k) => local[k]);
    if (first) focus(first);
    else if (amount !== null) record.mutate({ paidOn, amount, reference });
  };
  // A refusal about no one field (the project not registered, a role) is said as a whole.
  const placed = Object.keys(fieldErrors(record.error)).some((f) =>
    (PAYMENT_FIELDS as readonly string[]).includes(f),
  );
  const typed = parseRupiah(amountText, lang);

  return (
    <form
      ref={formRef}
      className="stack narrow"
      onSubmit={submit}
      noValidate
      aria-labelledby="record-payment-title"
    >
      <h3 id="record-payment-title">{t("payments.record")}</h3>
      <p className="muted">
        {t("payments.outstandingHint", { amount: rp(outstanding) })}
        {c.pendingAmount > 0 ? ` ${t("payments.pendingHint", { amount: rp(c.pendingAmount) })}` : null}
      </p>
      <Field
        name="paidOn"
        label={t("payments.paidOn")}
        type="date"
        defaultValue={today}
        max={today}
        error={errors.paidOn ?? ""}
        onChange={() => clear("paidOn")}
      />
      <Field
        name="amount"
        label={t("payments.amountLabel")}
        inputMode="numeric"
        autoComplete="off"
        value={amountText}
        onChange={(e) => {
          setAmountText(e.target.value);
          clear("amount");
        }}
        error={errors.amount ?? ""}
        hint={typed === null ? "" : t("payments.amountReadAs", { amount: rp(typed) })}
      />
      <Field
        name="reference"
        label={t("payments.referenceLabel")}
        autoComplete="off"
        maxLength={100}
        error={errors.reference ?? ""}
        onChange={() => clear("reference")}
      />
      <BusyButton type="submit" busy={record.isPending}>
        {t("payments.record")}
      </BusyButton>
      {record.error && !placed ? <ErrorBox error={record.error} action /> : null}
      <div role="status">{doneText ? <p className="success">{doneText}</p> : null}</div>
    </form>
  );
}

/** What the last payment did, where the form it was sent from is gone: said, with focus, once. */
function Recorded({ text }: { text: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div role="status" ref={ref} tabIndex={-1}>
      <p className="success">{text}</p>
    </div>
  );
}

/** The contribution tier by tier, as the rate table computes it (JKK and JKM per slice of contract value). */
function Computation({ contribution }: { contribution: Contribution }) {
  const { t, rp, lang } = useFormat();
  if (contribution.basis !== "contract_value") return null;
  // Rates are stored in parts per million of the slice; shown as percentages (0,24 %).
  const rate = (ppm: number) =>
    `${(ppm / 10_000).toLocaleString(lang === "id" ? "id-ID" : "en-GB", { maximumFractionDigits: 4 })} %`;
  const lines = contribution.lines as TierLine[];
  // Every tier of the table is listed; those the contract value reaches are the ones counted.
  const used = lines.filter((l) => l.slice > 0).length;
  return (
    <section className="card">
      <h2>{t("project.computation")}</h2>
      <DataTable
        label={t("project.computation")}
        rows={lines}
        rowKey={(l) => l.tier}
        stacked
        columns={[
          {
            header: t("project.tier"),
            cell: (l) => `${l.tier}: ${rp(l.from)} – ${l.to === null ? "…" : rp(l.to)}`,
          },
          { header: t("project.slice"), numeric: true, cell: (l) => rp(l.slice) },
          { header: t("project.jkkRate"), numeric: true, cell: (l) => rate(l.jkkPpm) },
          { header: "JKK", numeric: true, cell: (l) => rp(l.jkk) },
          { header: t("project.jkmRate"), numeric: true, cell: (l) => rate(l.jkmPpm) },
          { header: "JKM", numeric: true, cell: (l) => rp(l.jkm) },
        ]}
        footer={
          <tfoot>
            <tr>
              <th scope="row">{t("project.total")}</th>
              <td className="num" data-label={t("project.slice")}>
                <div>{rp(lines.reduce((s, l) => s + l.slice, 0))}</div>
              </td>
              <td />
              <td className="num" data-label="JKK">
                <div>{rp(contribution.jkk)}</div>
              </td>
              <td />
              <td className="num" data-label="JKM">
                <div>{rp(contribution.jkm)}</div>
              </td>
            </tr>
            <tr>
              <th scope="row">JKK + JKM</th>
              <td colSpan={5} className="num">
                <strong>{rp(contribution.total)}</strong> ({t("projectState.tiersUsed", { count: used })})
              </td>
            </tr>
          </tfoot>
        }
      />
    </section>
  );
}
