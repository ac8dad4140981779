import { type RawBuilder, sql, type Transaction } from "kysely";
import type { DB, PaymentClaim, Project, RegistrationClaim } from "../db/schema.js";
import { assertCan, oversees } from "../domain/access.js";
import { DomainError } from "../domain/errors.js";
import { assertVisible } from "./access.js";
import type { Actor } from "./actor.js";
import { findProject } from "./lookups.js";

/**
 * What the two queues of contractors' claims share (payments the branch confirms, registrations it
 * verifies): finding a claim that still waits, on a project the officer oversees, and who filed and
 * who decided each, as people know them.
 */

/** Each kind of claim: its table, and how refusals name it. */
const KINDS = {
  payment: {
    table: "payment_claim",
    code: "PAYMENT_CLAIM",
    name: { id: "Klaim pembayaran", en: "payment claim" },
    accepted: { id: "dikonfirmasi", en: "confirmed" },
    decides: "mengonfirmasi pembayaran (petugas BPJS cabang)",
  },
  registration: {
    table: "registration_claim",
    code: "REGISTRATION_CLAIM",
    name: { id: "Pendaftaran", en: "registration claim" },
    accepted: { id: "diverifikasi", en: "verified" },
    decides: "memverifikasi pendaftaran (petugas BPJS cabang)",
  },
} as const;

type Rows = { payment: PaymentClaim; registration: RegistrationClaim };

/**
 * A claim still waiting, on a project the officer oversees, with that project locked. A claim of a
 * project the actor cannot see is not found (its existence does not leak); one already decided is a
 * conflict that says how it was decided.
 */
export async function pendingClaim<K extends keyof typeof KINDS>(
  trx: Transaction<DB>,
  kind: K,
  claimId: number,
  actor: Actor,
): Promise<{ project: Project; claim: Rows[K] }> {
  const k = KINDS[kind];
  // Both tables have these columns; the row is typed by its kind below.
  const table = k.table as "payment_claim";
  const notFound = () =>
    new DomainError(
      `${k.code}_NOT_FOUND`,
      `${k.name.id} ${claimId} tidak ditemukan / ${k.name.en} ${claimId} not found`,
      { claimId },
    );
  const located = await trx
    .selectFrom(table)
    .select("project_id")
    .where("id", "=", claimId)
    .executeTakeFirst();
  if (!located) throw notFound();
  const project = await findProject(trx, located.project_id, { lock: true });
  try {
    assertVisible(actor, project);
  } catch {
    throw notFound();
  }
  assertCan(oversees(actor, project.regency_code), k.decides);
  const claim = (await trx
    .selectFrom(table)
    .selectAll()
    .where("regency_code", "=", project.regency_code)
    .where("id", "=", claimId)
    .executeTakeFirstOrThrow()) as unknown as Rows[K];
  if (claim.status !== "pending")
    throw new DomainError(
      `${k.code}_DECIDED`,
      claim.status === "rejected"
        ? `${k.name.id} ${claimId} sudah ditolak / already rejected`
        : `${k.name.id} ${claimId} sudah ${k.accepted.id} / already ${k.accepted.en}`,
      { claimId, status: claim.status },
    );
  return { project, claim };
}

/** Who an actor label (`user:12`, `token:3`) names: the user's name, "API: <token name>", else the label. */
export const whoIs = (label: RawBuilder<unknown>) => sql<string>`coalesce(
  (select u.name from app_user u where ${label} = 'user:' || u.id),
  (select 'API: ' || t.name from api_token t where ${label} = 'token:' || t.id),
  ${label})`;

/** A timestamp from either driver (a Date from pg, a Date or string from PGlite) as ISO 8601. */
export const isoInstant = (at: Date | string) => new Date(at).toISOString();
