import { type RawBuilder, type SqlBool, sql } from "kysely";
import type { IsoDate } from "../domain/dates.js";

/**
 * The SQL twin of `projectStatusOn`/`protects` in src/domain/coverage.ts over a project `p` and its
 * registration `r` (left-joined): registered, date inside the coverage period, and paid in full by the
 * date or not yet past the due date. A test checks the two agree on random data.
 */
export function protectsOn(date: IsoDate | RawBuilder<unknown>): RawBuilder<SqlBool> {
  const day = asDate(date);
  return sql<SqlBool>`(r.project_id is not null
    and ${day} between r.coverage_start and r.coverage_end
    and (${day} <= r.due_date or (
      select coalesce(sum(pay.amount), 0) from payment pay
      where pay.regency_code = p.regency_code and pay.project_id = p.id and pay.paid_on <= ${day}
    ) >= r.contribution_amount))`;
}

/** The SQL twin of `isWorkingOn` over an assignment `a`: join and leave days are both working days. */
export function workingOnDate(date: IsoDate | RawBuilder<unknown>): RawBuilder<SqlBool> {
  const day = asDate(date);
  return sql<SqlBool>`(a.joined_on <= ${day} and (a.left_on is null or a.left_on >= ${day}))`;
}

/** A date parameter, or a date-valued SQL expression such as a column of a list of days. */
const asDate = (date: IsoDate | RawBuilder<unknown>) =>
  typeof date === "string" ? sql`${date}::date` : date;

/** A list of days as a table `d(day)` to join on, so that many days are read in one statement. */
export const daysTable = (days: readonly IsoDate[]) =>
  sql`(values ${sql.join(days.map((day) => sql`(${day}::date)`))}) as d(day)`;

/**
 * Who works, on the day, on the projects matching `projects` (a condition over `p`), with each project's
 * groups and whether it protects them then: the rows every coverage figure counts.
 */
export function workersOn(day: IsoDate | RawBuilder<unknown>, projects: RawBuilder<SqlBool>) {
  return sql`
    select a.person_id, p.regency_code, p.id as project_id, p.district_code, p.work_unit_id, p.contractor_id,
      p.funding_source,
      ${protectsOn(day)} as protects
    from project p
    join assignment a on a.regency_code = p.regency_code and a.project_id = p.id
    left join project_registration r on r.regency_code = p.regency_code and r.project_id = p.id
    where ${projects} and ${workingOnDate(day)}`;
}

/** The group of a row `w` of `workersOn` in each breakdown, as text (a work unit's absence is "-"). */
export const GROUP_KEY = {
  district: sql<string>`w.district_code`,
  work_unit: sql<string>`coalesce(w.work_unit_id::text, '-')`,
  funding_source: sql<string>`w.funding_source`,
  contractor: sql<string>`w.contractor_id::text`,
  project: sql<string>`w.project_id::text`,
} as const;
