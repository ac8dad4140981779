import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { api, qs } from "../api.js";
import { type Column, DataTable } from "../components/data-table.js";
import { ErrorBox, QueryView } from "../components/states.js";
import { RequireRole } from "../guard.js";
import { useFormat } from "../i18n.js";
import { type PaymentClaim, type PaymentStatus, refreshPayments } from "../payments.js";
import { type Me, mayDecidePayment } from "../session.js";

/**
 * Contractors' payment claims (DESIGN §1: contractors record payments, the BPJS branch confirms them).
 * The branch works the queue of pending claims, oldest first: it confirms a transfer it finds in the
 * account, or rejects it saying why. A contractor sees its own claims and what became of them.
 */
export default function PaymentsPage() {
  return <RequireRole page="payments">{(me) => <Claims me={me} />}</RequireRole>;
}

/** Claims shown at once: the queue's oldest (the API's default); the page says when there are more. */
const LIMIT = 200;

const STATUSES = ["pending", "confirmed", "rejected"] as const satisfies readonly PaymentStatus[];

/** What an officer's action did, said in the live region (or the refusal, as an alert). */
type Outcome = { ok: true; text: string } | { ok: false; error: unknown };

function Claims({ me }: { me: Me }) {
  const { t, rp, date, day, lang } = useFormat();
  const [params, setParams] = useSearchParams();
  const inUrl = STATUSES.find((s) => s === params.get("status")) ?? "pending";
  // The choice shows at once; the router updates the address in a transition, which a controlled radio
  // would otherwise wait for, unchecked. Back and forward in the history still set it.
  const [status, setStatus] = useState(inUrl);
  useEffect(() => setStatus(inUrl), [inUrl]);
  const decides = mayDecidePayment(me.role) && status === "pending";
  const claims = useQuery({
    queryKey: ["payment-claims", status],
    queryFn: () => api<PaymentClaim[]>(`/api/v1/payment-claims${qs({ status, limit: LIMIT })}`),
  });
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const statusRef = useRef<HTMLDivElement>(null);
  const announce = (o: Outcome) => {
    setOutcome(o);
    // The row acted on leaves the queue: focus goes to what happened rather than to the page's top.
    statusRef.current?.focus();
  };
  /** A moment on the browser's clock: its day as every date is written, the time under it ("07.51"). */
  const when = (iso: string | null) => {
    if (!iso) return "–";
    const time = new Date(iso).toLocaleTimeString(lang === "id" ? "id-ID" : "en-GB", {
      hour: "2-digit",
      minute: "2-digit",
    });
    return (
      <>
        {day(iso)}
        <div className="muted">{time}</div>
      </>
    );
  };

  const columns: Column<PaymentClaim>[] = [
    {
      header: t("payments.project"),
      cell: (c) => (
        <>
          <Link to={`/proyek/${c.projectId}`}>{c.projectName}</Link>
          <div className="muted mono">{c.projectCode}</div>
        </>
      ),
    },
    { header: t("projects.contractor"), cell: (c) => c.contractor },
    { header: t("payments.paidOn"), cell: (c) => date(c.paidOn) },
    { header: t("payments.amount"), numeric: true, cell: (c) => rp(c.amount) },
    { header: t("payments.reference"), cell: (c) => <span className="mono">{c.reference}</span> },
    { header: t("payments.filedAt"), cell: (c) => when(c.claimedAt) },
    ...(status === "pending"
      ? [
          {
            header: t("payments.outstanding"),
            numeric: true,
            cell: (c: PaymentClaim) => (c.outstanding === null ? "–" : rp(c.outstanding)),
          },
        ]
      : [
          {
            header: t("payments.decided"),
            cell: (c: PaymentClaim) => (
              <>
                {when(c.decidedAt)}
                {c.decidedBy ? <div className="muted">{c.decidedBy}</div> : null}
              </>
            ),
          },
        ]),
    ...(status === "rejected"
      ? [{ header: t("payments.reason"), cell: (c: PaymentClaim) => c.reason ?? "–" }]
      : []),
    ...(decides
      ? [
          {
            header: t("payments.actions"),
            cell: (c: PaymentClaim) => <Decide claim={c} onDone={announce} />,
          },
        ]
      : []),
  ];

  return (
    <section>
      <h1>{t("payments.title")}</h1>
      <p className="muted">
        {mayDecidePayment(me.role) ? t("payments.introBranch") : t("payments.introContractor")}
      </p>
      <fieldset className="choice">
        <legend>{t("payments.filter")}</legend>
        {STATUSES.map((s) => (
          <label key={s}>
            <input
              type="radio"
              name="status"
              value={s}
              checked={status === s}
              onChange={() => {
                setStatus(s);
                setOutcome(null);
                setParams(s === "pending" ? {} : { status: s }, { replace: true });
              }}
            />{" "}
            {t(`payments.filters.${s}`)}
          </label>
        ))}
      </fieldset>
      <div role="status" ref={statusRef} tabIndex={-1}>
        {outcome?.ok ? <p className="success">{outcome.text}</p> : null}
      </div>
      {outcome && !outcome.ok ? <ErrorBox error={outcome.error} /> : null}
      <QueryView query={claims} isEmpty={(rows) => rows.length === 0}>
        {(rows) => (
          <>
            <DataTable
              label={t(`payments.filters.${status}`)}
              testId="payment-claims"
              rows={rows}
              rowKey={(c) => c.id}
              columns={columns}
            />
            {rows.length >= LIMIT ? <p className="muted">{t("payments.limited", { n: LIMIT })}</p> : null}
          </>
        )}
      </QueryView>
    </section>
  );
}

/** Confirm a pending claim, or reject it with a reason typed in place. The server checks both again. */
function Decide({ claim, onDone }: { claim: PaymentClaim; onDone: (o: Outcome) => void }) {
  const { t, rp } = useFormat();
  const client = useQueryClient();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState("");
  const reasonRef = useRef<HTMLInputElement>(null);
  const rejectRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (rejecting) reasonRef.current?.focus();
  }, [rejecting]);

  const said = { reference: claim.reference, amount: rp(claim.amount), project: claim.projectName };
  // Whatever the answer (also "already decided" by a colleague), the queue and the project are refreshed.
  const refresh = () => refreshPayments(client, claim.projectId);
  const decide = useMutation({
    mutationFn: (action: { kind: "confirm" } | { kind: "reject"; reason: string }) =>
      api(
        `/api/v1/payment-claims/${claim.id}/${action.kind}`,
        action.kind === "reject" ? { json: { reason: action.reason } } : { method: "POST" },
      ),
    onSuccess: (_, action) => {
      onDone({
        ok: true,
        text: t(action.kind === "confirm" ? "payments.confirmedDone" : "payments.rejectedDone", said),
      });
      refresh();
    },
    onError: (error) => {
      onDone({ ok: false, error });
      refresh();
    },
  });

  const submitReject = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const text = reason.trim();
    if (text.length < 3) {
      setReasonError(t("payments.reasonTooShort"));
      reasonRef.current?.focus();
      return;
    }
    decide.mutate({ kind: "reject", reason: text });
  };
  const about: ReactNode = <span className="visually-hidden"> {claim.reference}</span>;

  if (!rejecting)
    return (
      <div className="buttons">
        <button type="button" disabled={decide.isPending} onClick={() => decide.mutate({ kind: "confirm" })}>
          {t("payments.confirm")}
          {about}
        </button>
        <button type="button" ref={rejectRef} disabled={decide.isPending} onClick={() => setRejecting(true)}>
          {t("payments.reject")}
          {about}
        </button>
      </div>
    );
  const errorId = `reject-reason-${claim.id}-error`;
  return (
    <form className="stack" onSubmit={submitReject} noValidate>
      <label>
        {t("payments.rejectReason")}
        <span className="visually-hidden"> {claim.reference}</span>
        <input
          ref={reasonRef}
          name="reason"
          value={reason}
          maxLength={500}
          aria-invalid={reasonError ? true : undefined}
          aria-describedby={errorId}
          onChange={(e) => {
            setReason(e.target.value);
            setReasonError("");
          }}
        />
      </label>
      <p id={errorId} className="hint bad" aria-live="polite">
        {reasonError}
      </p>
      <div className="buttons">
        <button type="submit" disabled={decide.isPending}>
          {t("payments.sendReject")}
          {about}
        </button>
        <button
          type="button"
          onClick={() => {
            setRejecting(false);
            setReason("");
            setReasonError("");
            // Back to the button that opened the reason, which is drawn again on the next render.
            requestAnimationFrame(() => rejectRef.current?.focus());
          }}
        >
          {t("payments.cancel")}
        </button>
      </div>
    </form>
  );
}
