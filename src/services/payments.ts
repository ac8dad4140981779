import { sql } from "kysely";
import type { Db } from "../db/connection.js";
import { DomainError } from "../domain/errors.js";
import { formatRupiah } from "../domain/format.js";
import { assertVisible } from "./access.js";
import type { Actor } from "./actor.js";
import { appendAudit } from "./audit.js";
import { findProject } from "./lookups.js";
import type { PaymentInput } from "./schemas.js";

/** Record a contribution payment. The same reference twice is one payment: the replay changes nothing. */
export async function recordPayment(
  db: Db,
  projectId: number,
  input: PaymentInput,
  actor: Actor,
): Promise<{ paymentId: number; replayed: boolean }> {
  return db.transaction().execute(async (trx) => {
    const project = await findProject(trx, projectId, { lock: true });
    assertVisible(actor, project, { operate: true });
    const existing = await trx
      .selectFrom("payment")
      .select(["id", "amount", "paid_on"])
      .where("regency_code", "=", project.regency_code)
      .where("project_id", "=", project.id)
      .where("reference", "=", input.reference)
      .executeTakeFirst();
    if (existing) {
      if (existing.amount !== input.amount || existing.paid_on !== input.paidOn) {
        throw new DomainError(
          "PAYMENT_REFERENCE_CONFLICT",
          `Referensi ${input.reference} sudah dipakai untuk pembayaran lain`,
          { field: "reference" },
        );
      }
      return { paymentId: existing.id, replayed: true };
    }
    // Contributions are paid into a registration's account, up to what it owes: an amount above that is
    // a typing error (an extra zero), and the sum of payments stays within the rupiah's safe range.
    const owed = await trx
      .selectFrom("project_registration as r")
      .select([
        "r.contribution_amount",
        sql<number>`(select coalesce(sum(pay.amount), 0)::bigint from payment pay
          where pay.regency_code = r.regency_code and pay.project_id = r.project_id)`.as("paid"),
      ])
      .where("r.regency_code", "=", project.regency_code)
      .where("r.project_id", "=", project.id)
      .executeTakeFirst();
    if (!owed)
      throw new DomainError(
        "PROJECT_NOT_REGISTERED",
        "Proyek belum terdaftar di BPJS: daftarkan dulu / register the project with BPJS first",
      );
    const outstanding = owed.contribution_amount - owed.paid;
    if (input.amount > outstanding)
      throw new DomainError(
        "PAYMENT_EXCEEDS_OUTSTANDING",
        `Pembayaran melebihi sisa iuran ${formatRupiah(outstanding)} / the payment exceeds the ${formatRupiah(outstanding, "en")} still owed`,
        { field: "amount", outstanding },
      );
    const payment = await trx
      .insertInto("payment")
      .values({
        regency_code: project.regency_code,
        project_id: project.id,
        paid_on: input.paidOn,
        amount: input.amount,
        reference: input.reference,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(trx, actor, {
      action: "payment.record",
      entity: "payment",
      entityId: payment.id,
      after: payment,
    });
    return { paymentId: payment.id, replayed: false };
  });
}
