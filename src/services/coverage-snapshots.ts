import { type SqlBool, sql } from "kysely";
import type { Db } from "../db/connection.js";
import type { CoverageSnapshotTable } from "../db/schema.js";
import { addDays, type IsoDate } from "../domain/dates.js";
import { regencyWithin } from "./access.js";
import { daysTable, GROUP_KEY, workersOn } from "./coverage-sql.js";

export type SnapshotKind = CoverageSnapshotTable["kind"];

export interface SnapshotRow {
  day: IsoDate;
  kind: SnapshotKind;
  key: string;
  known: number;
  protected: number;
}

/**
 * The snapshot rows of the kinds asked for, of a regency on the days: stored ones are read, missing days
 * are computed in one statement over the assignments and stored for the next reader. Storing is skipped
 * (the answer is still right) while a writer of the regency is mid-transaction; see the migration
 * 2025_10_01_0000_coverage_snapshot for why that keeps snapshots true.
 */
export async function regencySnapshots(
  db: Db,
  regencyCode: string,
  days: readonly IsoDate[],
  kinds: readonly SnapshotKind[],
): Promise<SnapshotRow[]> {
  const wanted = new Set<SnapshotKind>(kinds);
  // One statement, so a day's rows are seen whole or (forgotten meanwhile) not at all.
  const stored = await db
    .selectFrom("coverage_snapshot")
    .select(["day", "kind", "key", "known", "protected"])
    .where("regency_code", "=", regencyCode)
    .where("day", "in", [...days])
    .where("kind", "in", [...new Set<SnapshotKind>(["regency", ...kinds])])
    .execute();
  const complete = new Set(stored.filter((r) => r.kind === "regency").map((r) => r.day));
  const missing = [...new Set(days)].filter((d) => !complete.has(d));
  const computed = missing.length === 0 ? [] : await fillSnapshots(db, regencyCode, missing, "if-free");
  return [...stored.filter((r) => complete.has(r.day)), ...computed].filter((r) => wanted.has(r.kind));
}

/**
 * Compute the snapshots of the days and store them under the regency's exclusive lock: `if-free` takes
 * it only if no writer holds it (readers never wait), `wait` queues for it and replaces what is stored
 * (the backfill command).
 */
async function fillSnapshots(
  db: Db,
  regencyCode: string,
  days: readonly IsoDate[],
  lock: "if-free" | "wait",
): Promise<SnapshotRow[]> {
  return db.transaction().execute(async (trx) => {
    const key = sql`hashtext('coverage_snapshot'), hashtext(${regencyCode})`;
    let locked = true;
    if (lock === "wait") await sql`select pg_advisory_xact_lock(${key})`.execute(trx);
    else
      locked = (
        await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(${key}) as locked`.execute(trx)
      ).rows[0]?.locked as boolean;
    // Counted after the lock is taken, so the count sees every writer that finished before it.
    const rows = await computeSnapshots(trx, regencyCode, days);
    if (locked) {
      if (lock === "wait")
        await trx
          .deleteFrom("coverage_snapshot")
          .where("regency_code", "=", regencyCode)
          .where("day", "in", [...days])
          .execute();
      for (let i = 0; i < rows.length; i += 5000) {
        await trx
          .insertInto("coverage_snapshot")
          .values(rows.slice(i, i + 5000).map((r) => ({ regency_code: regencyCode, ...r })))
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
    }
    return rows;
  });
}

// grouping() of (district, work unit, funding source, contractor, project): a 1 bit is a column not grouped by.
const KIND_OF_GROUPING: Record<number, SnapshotKind> = {
  31: "regency",
  15: "district",
  23: "work_unit",
  27: "funding_source",
  29: "contractor",
  30: "project",
};

/** Known and protected people per day, in total and per breakdown, counted from the assignments. */
export async function computeSnapshots(
  db: Db,
  regencyCode: string,
  days: readonly IsoDate[],
): Promise<SnapshotRow[]> {
  const grouping = sql`grouping(w.district_code, w.work_unit_id, w.funding_source, w.contractor_id, w.project_id)`;
  const keyOf = sql.join(
    Object.entries(KIND_OF_GROUPING).flatMap(([bits, kind]) =>
      kind === "regency" ? [] : [sql`when ${sql.lit(Number(bits))} then ${GROUP_KEY[kind]}`],
    ),
    sql` `,
  );
  // The regency's total row exists for every day, even one with nobody at work: it marks the day computed.
  const rows = await sql<{ day: IsoDate; grouping: number; key: string; known: number; protected: number }>`
    select d.day::text as day, ${grouping} as grouping, coalesce(case ${grouping} ${keyOf} end, '') as key,
      count(distinct w.person_id)::int as known,
      count(distinct w.person_id) filter (where w.protects)::int as protected
    from ${daysTable(days)}
    left join lateral (${workersOn(sql`d.day`, sql<SqlBool>`p.regency_code = ${regencyCode}`)}) w on true
    group by grouping sets ((d.day), (d.day, w.district_code), (d.day, w.work_unit_id),
      (d.day, w.funding_source), (d.day, w.contractor_id), (d.day, w.project_id))
    having ${grouping} = 31 or count(w.person_id) > 0`.execute(db);
  return rows.rows.map(({ grouping: g, ...r }) => ({ ...r, kind: KIND_OF_GROUPING[g] as SnapshotKind }));
}

/**
 * Compute and store every day's snapshots of a regency from `from` to `to` (imported history, or a
 * warm start), replacing what is stored, a week per transaction.
 */
export async function backfillSnapshots(
  db: Db,
  input: { regencyCode: string; from: IsoDate; to: IsoDate },
  onProgress: (done: number, total: number) => void = () => {},
): Promise<{ days: number; rows: number }> {
  const days: IsoDate[] = [];
  for (let d = input.from; d <= input.to; d = addDays(d, 1)) days.push(d);
  let rows = 0;
  for (let i = 0; i < days.length; i += 7) {
    rows += (await fillSnapshots(db, input.regencyCode, days.slice(i, i + 7), "wait")).length;
    onProgress(Math.min(i + 7, days.length), days.length);
  }
  return { days: days.length, rows };
}

/** The regencies, in or equal to a region, that have projects: those a backfill has anything to count for. */
export async function regenciesWithProjects(db: Db, regionCode: string): Promise<string[]> {
  const rows = await db
    .selectFrom("project")
    .select("regency_code")
    .distinct()
    .where(regencyWithin(sql`regency_code`, regionCode))
    .orderBy("regency_code")
    .execute();
  return rows.map((r) => r.regency_code);
}
