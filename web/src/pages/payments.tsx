import { useQueryClient } from "@tanstack/react-query";
import { ClaimsQueue } from "../components/claims-queue.js";
import { Decide, type Outcome } from "../components/decide.js";
import { RequireRole } from "../guard.js";
import { useFormat } from "../i18n.js";
import { PAYMENT_CLAIMS, type PaymentClaim, type PaymentStatus, refreshPayments } from "../payments.js";
import { type Me, mayDecideClaim } from "../session.js";

/**
 * Contractors' payment claims (DESIGN §1: contractors record payments, the BPJS branch confirms them).
 * The branch works the queue of pending claims, oldest first: it confirms a transfer it finds in the
 * account, or rejects it saying why. A contractor sees its own claims and what became of them.
 */
export default function PaymentsPage() {
  return <RequireRole page="payments">{(me) => <Claims me={me} />}</RequireRole>;
}

const STATUSES = ["pending", "confirmed", "rejected"] as const satisfies readonly PaymentStatus[];

function Claims({ me }: { me: Me }) {
  const { t, rp, date } = useFormat();
  return (
    <ClaimsQueue<PaymentClaim, PaymentStatus>
      ns="payments"
      path={PAYMENT_CLAIMS}
      statuses={STATUSES}
      testId="payment-claims"
      decides={mayDecideClaim(me.role)}
      columns={[
        { header: t("payments.paidOn"), cell: (c) => date(c.paidOn) },
        { header: t("payments.amount"), numeric: true, cell: (c) => rp(c.amount) },
        { header: t("payments.reference"), cell: (c) => <span className="mono">{c.reference}</span> },
      ]}
      pendingColumns={[
        {
          header: t("payments.outstanding"),
          numeric: true,
          cell: (c) => (c.outstanding === null ? "–" : rp(c.outstanding)),
        },
      ]}
      decide={(c, announce) => <DecidePayment claim={c} onDone={announce} />}
    />
  );
}

/** Confirm a pending claim (its payment then counts), or reject it saying why. */
function DecidePayment({ claim, onDone }: { claim: PaymentClaim; onDone: (o: Outcome) => void }) {
  const { t, rp } = useFormat();
  const client = useQueryClient();
  const said = { reference: claim.reference, amount: rp(claim.amount), project: claim.projectName };
  return (
    <Decide
      path={`/api/v1/payment-claims/${claim.id}`}
      accept={{ action: "confirm", label: t("payments.confirm") }}
      about={claim.reference}
      done={{ accepted: () => t("payments.confirmedDone", said), rejected: t("payments.rejectedDone", said) }}
      onDone={onDone}
      refresh={() => refreshPayments(client, claim.projectId)}
    />
  );
}
