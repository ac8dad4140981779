import { createHash } from "node:crypto";
import { type RawBuilder, sql } from "kysely";
import type { Db } from "../src/db/connection.js";

/**
 * What the drills sent, and what the database holds of it. Every figure the drills judge by (present,
 * lost, duplicated, torn) is read from the database after the fact; the clients' own bookkeeping says
 * only what was sent and which answers arrived.
 */

/** The product's identity of an event that carries the client's id (src/services/worker-reports.ts). */
export const eventKey = (projectId: number, eventId: string) =>
  `id:${projectId}:${createHash("sha256").update(eventId).digest("hex")}`;

/** One POST /reports batch: new joins, each with its client event id, under one idempotency key. */
export interface SentBatch {
  projectId: number;
  key: string;
  eventIds: readonly string[];
  /** A 2xx answer arrived. */
  acked: boolean;
}

export interface Tally {
  sent: number;
  acknowledged: number;
  present: number;
  /** Events of acknowledged batches missing from the database. */
  lost: number;
  /** Extra copies: an event key, batch key or stint (a drill's worker joins a project once) stored twice. */
  duplicated: number;
  /** Batches only partly stored, or whose batch row and events disagree. */
  torn: number;
  /** Events on the drill's projects that no batch sent. */
  strays: number;
  /** Stored join events without the stint they opened. */
  unjoined: number;
  /** Unacknowledged batches found whole in the database, and found absent. */
  unackedWhole: number;
  unackedAbsent: number;
}

interface StoredEvent {
  count: number;
  stints: number;
}

/** The events stored on these projects, by event key, with how many stints each one's row matches. */
export async function storedEvents(db: Db, projectIds: readonly number[]): Promise<Map<string, StoredEvent>> {
  const rows = await sql<{ event_key: string; n: string; stints: string }>`
    select e.event_key, count(*) as n, sum((select count(*) from assignment a
        where a.regency_code = e.regency_code and a.project_id = e.project_id
          and a.person_id = e.person_id
          and (case e.kind when 'join' then a.joined_on else a.left_on end) = e.event_date)) as stints
    from report_event e where e.project_id = any(${sql.val([...projectIds])}::bigint[])
    group by e.event_key`.execute(db);
  return new Map(rows.rows.map((r) => [r.event_key, { count: Number(r.n), stints: Number(r.stints) }]));
}

/** Stints beyond one per (project, person), and batch keys stored more than once, on these projects. */
export async function extraCopies(db: Db, projectIds: readonly number[]): Promise<number> {
  const ids = sql.val([...projectIds]);
  const stints = await sql<{ extra: string | null }>`
    select sum(n - 1) as extra from (select count(*) as n from assignment
      where project_id = any(${ids}::bigint[]) group by project_id, person_id having count(*) > 1) s`.execute(
    db,
  );
  const batches = await sql<{ extra: string | null }>`
    select sum(n - 1) as extra from (select count(*) as n from report_batch
      where project_id = any(${ids}::bigint[]) group by project_id, idempotency_key having count(*) > 1) b`.execute(
    db,
  );
  return Number(stints.rows[0]?.extra ?? 0) + Number(batches.rows[0]?.extra ?? 0);
}

/** Count what the database holds of `batches`, batch by batch. */
export async function tally(db: Db, batches: readonly SentBatch[]): Promise<Tally> {
  const projectIds = [...new Set(batches.map((b) => b.projectId))];
  const stored = await storedEvents(db, projectIds);
  const batchRows = await sql<{ project_id: string; idempotency_key: string }>`
    select project_id, idempotency_key from report_batch
    where project_id = any(${sql.val(projectIds)}::bigint[])`.execute(db);
  const batchKeys = new Set(batchRows.rows.map((r) => `${r.project_id}|${r.idempotency_key}`));
  const t: Tally = {
    sent: 0,
    acknowledged: 0,
    present: 0,
    lost: 0,
    duplicated: await extraCopies(db, projectIds),
    torn: 0,
    strays: 0,
    unjoined: 0,
    unackedWhole: 0,
    unackedAbsent: 0,
  };
  const sentKeys = new Set<string>();
  for (const b of batches) {
    let found = 0;
    for (const id of b.eventIds) {
      const key = eventKey(b.projectId, id);
      sentKeys.add(key);
      const event = stored.get(key);
      if (!event) continue;
      found += 1;
      t.duplicated += event.count - 1;
      if (event.stints < event.count) t.unjoined += event.count - event.stints;
    }
    t.sent += b.eventIds.length;
    t.present += found;
    if (b.acked) {
      t.acknowledged += b.eventIds.length;
      t.lost += b.eventIds.length - found;
    } else if (found === b.eventIds.length) t.unackedWhole += 1;
    else if (found === 0) t.unackedAbsent += 1;
    const whole = found === 0 || found === b.eventIds.length;
    if (!whole || batchKeys.has(`${b.projectId}|${b.key}`) !== found > 0) t.torn += 1;
  }
  for (const key of stored.keys()) if (!sentKeys.has(key)) t.strays += 1;
  return t;
}

/** The unacknowledged batches, in words. */
export const unacknowledged = (t: Tally) =>
  `unacknowledged batches: ${t.unackedWhole} stored whole, ${t.unackedAbsent} absent, ${t.torn} half`;

/** What a tally says is wrong, in words; empty when nothing is. */
export function problems(t: Tally): string[] {
  return [
    t.lost > 0 ? `${t.lost} acknowledged events lost` : "",
    t.duplicated > 0 ? `${t.duplicated} extra copies` : "",
    t.torn > 0 ? `${t.torn} batches half stored` : "",
    t.strays > 0 ? `${t.strays} events no batch sent` : "",
    t.unjoined > 0 ? `${t.unjoined} events without their stint` : "",
  ].filter((p) => p !== "");
}

/** Whether each batch's row is in the database (after a crash, to know what a retry must answer). */
export async function storedBatchKeys(db: Db, projectIds: readonly number[]): Promise<Set<string>> {
  const rows = await sql<{ project_id: string; idempotency_key: string }>`
    select project_id, idempotency_key from report_batch
    where project_id = any(${sql.val([...projectIds])}::bigint[])`.execute(db);
  return new Set(rows.rows.map((r) => `${r.project_id}|${r.idempotency_key}`));
}

/**
 * Count and md5 of the rows of the tables a crash could damage, up to the given ids: the same figures
 * before and after a crash mean those rows survived it unchanged.
 */
export interface Fingerprint {
  reportEvent: Print;
  reportBatch: Print;
  assignment: Print;
  auditLog: Print;
}
export interface Print {
  rows: number;
  md5: string;
}
export type Horizon = Record<keyof Fingerprint, number>;

export async function horizon(db: Db): Promise<Horizon> {
  const max = async (table: "report_event" | "report_batch" | "assignment" | "audit_log") =>
    Number(
      (await db.selectFrom(table).select(sql<string>`coalesce(max(id), 0)`.as("m")).executeTakeFirstOrThrow())
        .m,
    );
  return {
    reportEvent: await max("report_event"),
    reportBatch: await max("report_batch"),
    assignment: await max("assignment"),
    auditLog: await max("audit_log"),
  };
}

export async function fingerprint(db: Db, upTo: Horizon): Promise<Fingerprint> {
  const one = async (q: RawBuilder<{ n: string; md5: string | null }>): Promise<Print> => {
    const r = (await q.execute(db)).rows[0];
    return { rows: Number(r?.n ?? 0), md5: r?.md5 ?? "-" };
  };
  return {
    reportEvent:
      await one(sql`select count(*) as n, md5(string_agg(concat_ws('|', regency_code, id, project_id,
      batch_id, event_key, kind, person_id, event_date), ',' order by regency_code, id)) as md5
      from report_event where id <= ${upTo.reportEvent}`),
    reportBatch:
      await one(sql`select count(*) as n, md5(string_agg(concat_ws('|', regency_code, id, project_id,
      idempotency_key, accepted, duplicates, rejected, response::text), ',' order by regency_code, id)) as md5
      from report_batch where id <= ${upTo.reportBatch}`),
    assignment:
      await one(sql`select count(*) as n, md5(string_agg(concat_ws('|', regency_code, id, project_id,
      person_id, joined_on, left_on), ',' order by regency_code, id)) as md5
      from assignment where id <= ${upTo.assignment}`),
    auditLog: await one(sql`select count(*) as n, md5(string_agg(hash, ',' order by id)) as md5
      from audit_log where id <= ${upTo.auditLog}`),
  };
}

/** The fingerprints' differences, in words. */
export function changed(before: Fingerprint, after: Fingerprint): string[] {
  return (Object.keys(before) as (keyof Fingerprint)[])
    .filter((k) => before[k].rows !== after[k].rows || before[k].md5 !== after[k].md5)
    .map(
      (k) =>
        `${k}: ${before[k].rows} rows (md5 ${before[k].md5}) before, ${after[k].rows} (${after[k].md5}) after`,
    );
}
