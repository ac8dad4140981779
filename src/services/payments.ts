import { sql, type Transaction } from "kysely";
import type { Db } from "../db/connection.js";
import type { DB, PaymentClaim, Project } from "../db/schema.js";
import { oversees } from "../domain/access.js";
import { DomainError } from "../domain/errors.js";
import { formatDate, formatRupiah } from "../domain/format.js";
import { assertVisible } from "./access.js";
import type { Actor } from "./actor.js";
import { appendAudit } from "./audit.js";
import { type ClaimView, decideClaim, listClaims, pendingClaim } from "./claims.js";
import { findProject } from "./lookups.js";
import type { PaymentInput } from "./schemas.js";

/**
 * Contribution payments (DESIGN §1): a contractor records a payment, the BPJS branch confirms it. What
 * a contractor records is a claim that waits in the branch's queue; only a confirmed payment (table
 * `payment`) counts for coverage, arrears and the certificate. The branch's own entry is confirmed as it
 * is recorded. One reference is one payment: recording it again changes nothing.
 */
export interface RecordedPayment {
  status: "pending" | "confirmed";
  /** The confirmed payment, once there is one. */
  paymentId: number | null;
  /** The contractor's claim, where the payment came as one. */
  claimId: number | null;
  replayed: boolean;
}

export async function recordPayment(
  db: Db,
  projectId: number,
  input: PaymentInput,
  actor: Actor,
): Promise<RecordedPayment> {
  return db.transaction().execute(async (trx) => {
    const project = await findProject(trx, projectId, { lock: true });
    assertVisible(actor, project, { operate: true });
    const confirms = oversees(actor, project.regency_code);
    const same = (found: { amount: number; paid_on: string }, claimed = false) => {
      if (found.amount !== input.amount || found.paid_on !== input.paidOn)
        throw new DomainError(
          "PAYMENT_REFERENCE_CONFLICT",
          claimed
            ? `Referensi ${input.reference} dipakai klaim yang menunggu konfirmasi BPJS (${formatRupiah(found.amount)}, ${formatDate(found.paid_on)}) / reference ${input.reference} is held by a claim awaiting BPJS confirmation (${formatRupiah(found.amount, "en")}, ${formatDate(found.paid_on, "en")})`
            : `Referensi ${input.reference} sudah dipakai untuk pembayaran lain / reference ${input.reference} is already used by another payment`,
          { field: "reference" },
        );
    };
    const payment = await trx
      .selectFrom("payment")
      .select(["id", "amount", "paid_on"])
      .where("regency_code", "=", project.regency_code)
      .where("project_id", "=", project.id)
      .where("reference", "=", input.reference)
      .executeTakeFirst();
    const claim = await trx
      .selectFrom("payment_claim")
      .selectAll()
      .where("regency_code", "=", project.regency_code)
      .where("project_id", "=", project.id)
      .where("reference", "=", input.reference)
      .where("status", "<>", "rejected")
      .executeTakeFirst();
    if (payment) {
      same(payment);
      return { status: "confirmed", paymentId: payment.id, claimId: claim?.id ?? null, replayed: true };
    }
    if (claim) {
      same(claim, true);
      // The branch entering a transfer a contractor has already claimed confirms that claim.
      if (!confirms) return { status: "pending", paymentId: null, claimId: claim.id, replayed: true };
      return { ...(await confirmClaim(trx, project, claim, actor)), replayed: false };
    }
    const owed = await amounts(trx, project);
    if (input.paidOn < owed.registeredOn)
      throw new DomainError(
        "PAYMENT_BEFORE_REGISTRATION",
        `Iuran dibayar ke rekening pendaftaran, jadi tidak sebelum ${formatDate(owed.registeredOn)} / contributions are paid into the registration's account, so not before ${formatDate(owed.registeredOn, "en")}`,
        { field: "paidOn" },
      );
    // A contractor's claims wait for the branch, and what waits is already spoken for.
    assertWithin(input.amount, owed.outstanding - (confirms ? 0 : owed.pending), owed.pending);
    if (confirms) {
      const paymentId = await insertPayment(trx, project, input, actor);
      return { status: "confirmed", paymentId, claimId: null, replayed: false };
    }
    const created = await trx
      .insertInto("payment_claim")
      .values({ ...paymentRow(project, input), claimed_by: actor.label })
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(trx, actor, {
      action: "payment.claim",
      entity: "payment_claim",
      entityId: created.id,
      after: created,
    });
    return { status: "pending", paymentId: null, claimId: created.id, replayed: false };
  });
}

/** The branch confirms a contractor's claim: its payment is written and counts from the day it was paid. */
export async function confirmPaymentClaim(db: Db, claimId: number, actor: Actor) {
  return db.transaction().execute(async (trx) => {
    const { project, claim } = await pendingClaim(trx, "payment", claimId, actor);
    return confirmClaim(trx, project, claim, actor);
  });
}

/** The branch rejects a claim (no such transfer, another amount): it never counts, and says why. */
export async function rejectPaymentClaim(db: Db, claimId: number, reason: string, actor: Actor) {
  return db.transaction().execute(async (trx) => {
    const { claim } = await pendingClaim(trx, "payment", claimId, actor);
    await decideClaim(trx, "payment", claim, { status: "rejected", reason }, actor);
    return { claimId: claim.id, status: "rejected" as const };
  });
}

export interface PaymentClaimView extends ClaimView {
  paidOn: string;
  amount: number;
  reference: string;
  status: "pending" | "confirmed" | "rejected";
  /** What the project's registration still owes in confirmed payments (null before registration). */
  outstanding: number | null;
}

/** Claims the actor may see, by status: the pending ones oldest first (a queue), the decided newest first. */
export function listPaymentClaims(
  db: Db,
  actor: Actor,
  opts: { status: PaymentClaimView["status"]; regionCode?: string; limit: number },
): Promise<PaymentClaimView[]> {
  return listClaims<PaymentClaimView>(
    db,
    actor,
    "payment",
    opts,
    sql`c.paid_on::text as "paidOn", c.amount, c.reference, ${OUTSTANDING} as outstanding`,
  );
}

/** Confirm a pending claim of a project the caller has locked: its payment is written. */
async function confirmClaim(trx: Transaction<DB>, project: Project, claim: PaymentClaim, actor: Actor) {
  // The branch may have entered other payments since the claim was filed.
  const owed = await amounts(trx, project);
  assertWithin(claim.amount, owed.outstanding, 0);
  const paymentId = await insertPayment(
    trx,
    project,
    { paidOn: claim.paid_on, amount: claim.amount, reference: claim.reference },
    actor,
  );
  await decideClaim(trx, "payment", claim, { status: "confirmed", payment_id: paymentId }, actor);
  return { status: "confirmed" as const, paymentId, claimId: claim.id };
}

/** A payment's columns, the same in a claim and in the payment confirming it. */
const paymentRow = (project: Project, input: PaymentInput) => ({
  regency_code: project.regency_code,
  project_id: project.id,
  paid_on: input.paidOn,
  amount: input.amount,
  reference: input.reference,
});

async function insertPayment(trx: Transaction<DB>, project: Project, input: PaymentInput, actor: Actor) {
  const payment = await trx
    .insertInto("payment")
    .values(paymentRow(project, input))
    .returningAll()
    .executeTakeFirstOrThrow();
  await appendAudit(trx, actor, {
    action: "payment.record",
    entity: "payment",
    entityId: payment.id,
    after: payment,
  });
  return payment.id;
}

/** Over a registration `r`: what it still owes in confirmed payments. */
export const OUTSTANDING = sql<number>`(r.contribution_amount - (select coalesce(sum(pay.amount), 0)
  from payment pay where pay.regency_code = r.regency_code and pay.project_id = r.project_id))::bigint`;

/** Over a registration `r`: what contractors' claims waiting for the branch put forward for it. */
export const PENDING = sql<number>`(select coalesce(sum(c.amount), 0) from payment_claim c
  where c.regency_code = r.regency_code and c.project_id = r.project_id and c.status = 'pending')::bigint`;

/**
 * What the registration still owes in confirmed payments, and what contractors' claims put forward
 * for it. Contributions are paid into a registration's account, so a payment needs one.
 */
async function amounts(trx: Transaction<DB>, project: Project) {
  const owed = await trx
    .selectFrom("project_registration as r")
    .select(["r.registered_on", OUTSTANDING.as("outstanding"), PENDING.as("pending")])
    .where("r.regency_code", "=", project.regency_code)
    .where("r.project_id", "=", project.id)
    .executeTakeFirst();
  if (!owed)
    throw new DomainError(
      "PROJECT_NOT_REGISTERED",
      "Proyek belum terdaftar di BPJS: daftarkan dulu / register the project with BPJS first",
    );
  return {
    registeredOn: owed.registered_on,
    outstanding: owed.outstanding,
    pending: owed.pending,
  };
}

/** An amount above what is owed is a typing error (an extra zero), and keeps sums in the safe range. */
function assertWithin(amount: number, owed: number, pending: number): void {
  if (amount <= owed) return;
  // The branch's own entries may leave claims above what is owed: then nothing is left, not less.
  const room = Math.max(0, owed);
  const waiting =
    pending > 0
      ? [
          ` (${formatRupiah(pending)} lagi menunggu konfirmasi BPJS)`,
          ` (another ${formatRupiah(pending, "en")} awaits BPJS confirmation)`,
        ]
      : ["", ""];
  throw new DomainError(
    "PAYMENT_EXCEEDS_OUTSTANDING",
    `Pembayaran melebihi sisa iuran ${formatRupiah(room)}${waiting[0]} / the payment exceeds the ${formatRupiah(room, "en")} left to pay${waiting[1]}`,
    { field: "amount", outstanding: room, pending },
  );
}
