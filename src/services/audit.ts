import { createHash } from "node:crypto";
import { sql, type Transaction } from "kysely";
import type { DB } from "../db/schema.js";
import type { Actor } from "./actor.js";

export const GENESIS_HASH = "0".repeat(64);

export interface AuditEntry {
  action: string;
  entity: string;
  entityId: string | number;
  before?: unknown;
  after?: unknown;
}

/** JSON with object keys sorted, so a value hashes the same before and after a jsonb round trip. */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value ?? null;
}

/** The value as it will read back from jsonb (dates become strings), so the hash survives the round trip. */
const asJson = (value: unknown): unknown => (value === undefined ? null : JSON.parse(JSON.stringify(value)));

/** The hash that chains a row to its predecessor; `pantau audit verify` recomputes it. */
export function auditHash(
  prevHash: string,
  row: { actor: string; action: string; entity: string; entityId: string; before: unknown; after: unknown },
): string {
  const body = JSON.stringify(
    canonical([prevHash, row.actor, row.action, row.entity, row.entityId, row.before, row.after]),
  );
  return createHash("sha256").update(body).digest("hex");
}

/**
 * Append one row to the hash-chained audit log inside the caller's transaction. An advisory lock
 * serialises writers so two transactions never chain onto the same predecessor.
 */
export async function appendAudit(trx: Transaction<DB>, actor: Actor, entry: AuditEntry): Promise<void> {
  await sql`select pg_advisory_xact_lock(7270001)`.execute(trx);
  const last = await trx
    .selectFrom("audit_log")
    .select("hash")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  const prevHash = last?.hash ?? GENESIS_HASH;
  const row = {
    actor: actor.label,
    action: entry.action,
    entity: entry.entity,
    entityId: String(entry.entityId),
    before: asJson(entry.before),
    after: asJson(entry.after),
  };
  await trx
    .insertInto("audit_log")
    .values({
      actor: row.actor,
      action: row.action,
      entity: row.entity,
      entity_id: row.entityId,
      before: row.before === null ? null : JSON.stringify(row.before),
      after: row.after === null ? null : JSON.stringify(row.after),
      prev_hash: prevHash,
      hash: auditHash(prevHash, row),
    })
    .execute();
}
