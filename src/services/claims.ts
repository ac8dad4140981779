import { type RawBuilder, sql, type Transaction } from "kysely";
import type { Db } from "../db/connection.js";
import type { DB, PaymentClaim, Project, RegistrationClaim } from "../db/schema.js";
import { assertCan, oversees } from "../domain/access.js";
import { DomainError, notFound } from "../domain/errors.js";
import { isWithin } from "../domain/regions.js";
import { assertVisible, projectVisibility, regencyWithin } from "./access.js";
import type { Actor } from "./actor.js";
import { appendAudit } from "./audit.js";
import { findProject, whoIs } from "./lookups.js";

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
    decides: {
      id: "mengonfirmasi pembayaran (petugas BPJS cabang)",
      en: "to confirm payments (BPJS branch officer)",
    },
    audit: { accept: "payment.confirm", reject: "payment.reject" },
  },
  registration: {
    table: "registration_claim",
    code: "REGISTRATION_CLAIM",
    name: { id: "Pendaftaran", en: "registration claim" },
    accepted: { id: "diverifikasi", en: "verified" },
    decides: {
      id: "memverifikasi pendaftaran (petugas BPJS cabang)",
      en: "to verify registrations (BPJS branch officer)",
    },
    audit: { accept: "registration.verify", reject: "registration.reject" },
  },
} as const;

type Kind = keyof typeof KINDS;
type Rows = { payment: PaymentClaim; registration: RegistrationClaim };
/** What deciding a claim writes: accepted (with the payment it wrote, for a payment), or rejected saying why. */
type Decisions = {
  payment: { status: "confirmed"; payment_id: number } | { status: "rejected"; reason: string };
  registration: { status: "verified" } | { status: "rejected"; reason: string };
};

/**
 * A claim still waiting, on a project the officer oversees, with that project locked. A claim of a
 * project the actor cannot see is not found (its existence does not leak); one already decided is a
 * conflict that says how it was decided.
 */
export async function pendingClaim<K extends Kind>(
  trx: Transaction<DB>,
  kind: K,
  claimId: number,
  actor: Actor,
): Promise<{ project: Project; claim: Rows[K] }> {
  const k = KINDS[kind];
  // Both tables have these columns; the row is typed by its kind below.
  const table = k.table as "payment_claim";
  const missing = () => notFound(`${k.code}_NOT_FOUND`, k.name, claimId, { claimId });
  const located = await trx
    .selectFrom(table)
    .select("project_id")
    .where("id", "=", claimId)
    .executeTakeFirst();
  if (!located) throw missing();
  const project = await findProject(trx, located.project_id, { lock: true });
  try {
    assertVisible(actor, project);
  } catch {
    throw missing();
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

/** The branch's decision on a claim, by whom and when, in the audit chain with the claim before it. */
export async function decideClaim<K extends Kind>(
  trx: Transaction<DB>,
  kind: K,
  claim: Rows[K],
  decision: Decisions[K],
  actor: Actor,
): Promise<void> {
  const k = KINDS[kind];
  const after = await trx
    .updateTable(k.table as "payment_claim")
    .set({ ...(decision as Decisions["payment"]), decided_by: actor.label, decided_at: sql`now()` })
    .where("regency_code", "=", claim.regency_code)
    .where("id", "=", claim.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await appendAudit(trx, actor, {
    action: decision.status === "rejected" ? k.audit.reject : k.audit.accept,
    entity: k.table,
    entityId: claim.id,
    before: claim,
    after,
  });
}

/** What every claim in a queue says, whatever it claims. */
export interface ClaimView {
  id: number;
  projectId: number;
  projectCode: string;
  projectName: string;
  contractor: string;
  regencyCode: string;
  /** The user's name (or "API: <token name>") of who filed it; `decidedBy` likewise. */
  claimedBy: string;
  claimedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
}

/**
 * Claims of a kind the actor may see, by status: the pending ones oldest first (a queue), the decided
 * newest first. `own` adds the kind's columns over the claim `c`, its project `p` and its registration `r`.
 */
export async function listClaims<V extends ClaimView>(
  db: Db,
  actor: Actor,
  kind: Kind,
  opts: { status: string; regionCode?: string; limit: number },
  own: RawBuilder<unknown>,
): Promise<V[]> {
  // A branch officer asking for a region that neither holds nor lies in its own is told so, not shown an
  // empty queue as if nothing waited there.
  const asked = opts.regionCode;
  if (actor.role === "bpjs" && asked)
    assertCan(
      actor.regionCode !== null && (isWithin(asked, actor.regionCode) || isWithin(actor.regionCode, asked)),
      {
        id: `membaca antrean wilayah ${asked}, di luar wilayah kerja Anda`,
        en: `to read the queue of region ${asked}, outside your region`,
      },
    );
  const rows = await sql<V>`
    select c.id, c.project_id as "projectId", p.code as "projectCode", p.name as "projectName",
      o.name as contractor, c.regency_code as "regencyCode", c.status,
      ${whoIs(sql`c.claimed_by`)} as "claimedBy", c.created_at as "claimedAt",
      ${whoIs(sql`c.decided_by`)} as "decidedBy", c.decided_at as "decidedAt", c.reason, ${own}
    from ${sql.table(KINDS[kind].table)} c
    join project p on p.regency_code = c.regency_code and p.id = c.project_id
    join organisation o on o.id = p.contractor_id
    left join project_registration r on r.regency_code = c.regency_code and r.project_id = c.project_id
    where ${projectVisibility(actor)} and c.status = ${opts.status}
      ${opts.regionCode ? sql`and ${regencyWithin(sql`p.district_code`, opts.regionCode)}` : sql``}
    order by ${opts.status === "pending" ? sql`c.created_at, c.id` : sql`c.decided_at desc, c.id desc`}
    limit ${opts.limit}`.execute(db);
  return rows.rows.map((r) => ({
    ...r,
    claimedAt: isoInstant(r.claimedAt),
    decidedAt: r.decidedAt === null ? null : isoInstant(r.decidedAt),
  }));
}

/** A timestamp from either driver (a Date from pg, a Date or string from PGlite) as ISO 8601. */
export const isoInstant = (at: Date | string) => new Date(at).toISOString();
