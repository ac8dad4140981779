import { type SqlBool, sql } from "kysely";
import type { Db } from "../db/connection.js";
import type { CoverageKind } from "../db/schema.js";
import type { IsoDate } from "../domain/dates.js";
import { regencyWithin } from "./access.js";
import { daysTable, GROUP_KEY, workersOn } from "./coverage-sql.js";

export interface CoverageCount {
  day: IsoDate;
  kind: CoverageKind;
  key: string;
  known: number;
  protected: number;
}

/**
 * Known and protected people of a regency on each day, per group of the kinds asked for, read from the
 * incrementally kept `coverage_change` (migration 2025_11_01_0000_coverage_change): a day's figure is
 * the sum of the changes up to it. Groups with nobody known are left out.
 */
export async function regencyCoverage(
  db: Db,
  regencyCode: string,
  days: readonly IsoDate[],
  kinds: readonly CoverageKind[],
): Promise<CoverageCount[]> {
  const rows = await sql<CoverageCount>`
    select d.day::text as day, c.kind, c.key, sum(c.known)::int as known, sum(c.protected)::int as protected
    from ${daysTable([...new Set(days)])}
    join coverage_change c on c.regency_code = ${regencyCode}
      and c.kind in (${sql.join(kinds)}) and c.day <= d.day
    group by d.day, c.kind, c.key
    having sum(c.known) > 0`.execute(db);
  return rows.rows;
}

/** Count a regency's coverage afresh from its assignments, payments and registrations, replacing what is kept. */
export async function rebuildCoverage(db: Db, regencyCode: string): Promise<{ changes: number }> {
  return db.transaction().execute(async (trx) => {
    await sql`select coverage_rebuild(${regencyCode})`.execute(trx);
    const row = await trx
      .selectFrom("coverage_change")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("regency_code", "=", regencyCode)
      .executeTakeFirstOrThrow();
    return { changes: Number(row.n) };
  });
}

// grouping() of (district, work unit, funding source, contractor, project): a 1 bit is a column not grouped by.
const KIND_OF_GROUPING: Record<number, CoverageKind> = {
  31: "regency",
  15: "district",
  23: "work_unit",
  27: "funding_source",
  29: "contractor",
  30: "project",
};

/**
 * The same figures counted the naive way, straight from the assignments with one `GROUP BY GROUPING
 * SETS` over the days: the reference the kept figures are tested and benchmarked against.
 */
export async function countCoverage(
  db: Db,
  regencyCode: string,
  days: readonly IsoDate[],
): Promise<CoverageCount[]> {
  const grouping = sql`grouping(w.district_code, w.work_unit_id, w.funding_source, w.contractor_id, w.project_id)`;
  const keyOf = sql.join(
    Object.entries(KIND_OF_GROUPING).flatMap(([bits, kind]) =>
      kind === "regency" ? [] : [sql`when ${sql.lit(Number(bits))} then ${GROUP_KEY[kind]}`],
    ),
    sql` `,
  );
  const rows = await sql<{ day: IsoDate; grouping: number; key: string; known: number; protected: number }>`
    select d.day::text as day, ${grouping} as grouping, coalesce(case ${grouping} ${keyOf} end, '') as key,
      count(distinct w.person_id)::int as known,
      count(distinct w.person_id) filter (where w.protects)::int as protected
    from ${daysTable(days)}
    join lateral (${workersOn(sql`d.day`, sql<SqlBool>`p.regency_code = ${regencyCode}`)}) w on true
    group by grouping sets ((d.day), (d.day, w.district_code), (d.day, w.work_unit_id),
      (d.day, w.funding_source), (d.day, w.contractor_id), (d.day, w.project_id))`.execute(db);
  return rows.rows.map(({ grouping: g, ...r }) => ({ ...r, kind: KIND_OF_GROUPING[g] as CoverageKind }));
}

/** The regencies, in or equal to a region, that have projects: those a rebuild has anything to count for. */
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
