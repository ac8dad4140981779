import type { Db } from "../db/connection.js";
import { auditHash, GENESIS_HASH } from "./audit.js";

export interface AuditVerification {
  rows: number;
  ok: boolean;
  /** The first row whose link or content does not match, with the reason. */
  firstBroken: { id: number; reason: "prev_hash" | "hash" } | null;
}

/** Recompute the hash chain of the audit log from its first row. */
export async function verifyAuditChain(
  db: Db,
  onProgress?: (done: number, total: number) => void,
): Promise<AuditVerification> {
  const total = Number(
    (await db.selectFrom("audit_log").select(db.fn.countAll().as("n")).executeTakeFirstOrThrow()).n,
  );
  let prev = GENESIS_HASH;
  let rows = 0;
  let lastId = 0;
  for (;;) {
    const page = await db
      .selectFrom("audit_log")
      .selectAll()
      .where("id", ">", lastId)
      .orderBy("id")
      .limit(5000)
      .execute();
    if (page.length === 0) break;
    for (const r of page) {
      rows += 1;
      if (r.prev_hash !== prev) return { rows, ok: false, firstBroken: { id: r.id, reason: "prev_hash" } };
      const expected = auditHash(prev, {
        actor: r.actor,
        action: r.action,
        entity: r.entity,
        entityId: r.entity_id,
        before: r.before,
        after: r.after,
      });
      if (expected !== r.hash) return { rows, ok: false, firstBroken: { id: r.id, reason: "hash" } };
      prev = r.hash;
      lastId = r.id;
    }
    onProgress?.(rows, total);
  }
  return { rows, ok: true, firstBroken: null };
}
