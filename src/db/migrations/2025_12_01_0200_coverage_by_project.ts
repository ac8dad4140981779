import { type Kysely, sql } from "kysely";
import {
  changed,
  EVENTS,
  type Event,
  MERGE_DELTA,
  MOVED_PERSONS,
  PROJECTS_BEFORE_MOVE,
  protectionPersons,
  protectionsBefore,
  REBUILD_START,
} from "./2025_11_01_0000_coverage_change.js";

/**
 * Kept coverage counted project by project (same model and tables as 2025_11_01_0000_coverage_change,
 * whose change statements this replaces; docs/architecture.md):
 *
 * - Most people work on one project at a time. Their days in each of the six groups of that project are
 *   their days on the project, so their union is taken once rather than once per group, and their
 *   day-changes are summed per project before being spread to the groups. Only people on several projects
 *   take unions per group. Bulk writes spent most of their time in the per-group unions (issue 8).
 * - The statements run without JIT: PostgreSQL's estimate for them passes the JIT threshold, and compiling
 *   cost about a second per statement, more than running it.
 * - The "before" state of assignments is reached from the touched people through their index, rather
 *   than filtered from the table by them (the planner joined projects to people by regency alone).
 */

/** The six groups of a project `p`, as (kind, key). */
const GROUPS = `(values ('regency', ''), ('district', p.district_code),
  ('work_unit', coalesce(p.work_unit_id::text, '-')), ('funding_source', p.funding_source),
  ('contractor', p.contractor_id::text), ('project', p.id::text))`;

/** The days a union of known and protected days begins (+sign) and ends (−sign). */
function edges(known: string, protectedDays: string, sign: 1 | -1): string {
  return `(select lower(r) as day, ${sign} as known, 0 as protected from unnest(${known}) r
    union all select upper(r), ${-sign}, 0 from unnest(${known}) r where not upper_inf(r)
    union all select lower(r), 0, ${sign} from unnest(${protectedDays}) r
    union all select upper(r), 0, ${-sign} from unnest(${protectedDays}) r where not upper_inf(r))`;
}

/**
 * The signed day-changes (regency, kind, key, day, known, protected) of the known and protected days of
 * the people whose assignments are given (all of each person's), per group, over the given project and
 * protection relations (the state after a statement with sign 1, before it with −1).
 */
export function assignmentChanges(
  assignments: string,
  projects: string,
  protections: string,
  sign: 1 | -1,
): string {
  return `(with per_project as (
      select a.regency_code, a.person_id, a.project_id,
        range_agg(daterange(a.joined_on, a.left_on, '[]')) as known,
        range_agg(datemultirange(daterange(a.joined_on, a.left_on, '[]')) * coalesce(pr.days, '{}'::datemultirange)) as protected,
        count(*) over (partition by a.regency_code, a.person_id) as projects
      from ${assignments} a
      left join ${protections} pr on pr.regency_code = a.regency_code and pr.project_id = a.project_id
      group by a.regency_code, a.person_id, a.project_id),
    one_project as (
      select x.regency_code, x.project_id, e.day, sum(e.known) as known, sum(e.protected) as protected
      from per_project x cross join lateral ${edges("x.known", "x.protected", sign)} e
      where x.projects = 1
      group by x.regency_code, x.project_id, e.day),
    several_projects as (
      select x.regency_code, g.kind, g.key, range_agg(x.known) as known, range_agg(x.protected) as protected
      from per_project x join ${projects} p on p.regency_code = x.regency_code and p.id = x.project_id
      cross join lateral ${GROUPS} g(kind, key)
      where x.projects > 1
      group by x.regency_code, x.person_id, g.kind, g.key)
    select x.regency_code, g.kind, g.key, x.day, x.known, x.protected
    from one_project x join ${projects} p on p.regency_code = x.regency_code and p.id = x.project_id
    cross join lateral ${GROUPS} g(kind, key)
    union all
    select m.regency_code, m.kind, m.key, e.day, e.known, e.protected
    from several_projects m cross join lateral ${edges("m.known", "m.protected", sign)} e)`;
}

/** Every assignment, in the given relation, of the people of the "persons" CTE. */
export function personsAssignments(assignments: string): string {
  return `select a.* from (select distinct regency_code, person_id from persons) s
      join ${assignments} a on a.regency_code = s.regency_code and a.person_id = s.person_id`;
}

/** The same, of the people of the "persons" CTE, over the given assignment relation. */
function personChanges(assignments: string, projects: string, protections: string, sign: 1 | -1): string {
  return assignmentChanges(`(${personsAssignments(assignments)})`, projects, protections, sign);
}

/**
 * The statement that adds the changes (after − before) to coverage_change, dropping rows that come to
 * nothing; `touched`, if given, is a further CTE the changes read.
 */
function delta(persons: string, changes: string[], touched?: string): string {
  return `with persons as (${persons}),${touched ? ` touched as (${touched}),` : ""}
    delta as (
      select d.regency_code, d.kind, d.key, d.day, sum(d.known)::int as known, sum(d.protected)::int as protected
      from (${changes.map((c) => `select * from ${c} x`).join(" union all ")}) d
      group by d.regency_code, d.kind, d.key, d.day
      having sum(d.known) <> 0 or sum(d.protected) <> 0)
    ${MERGE_DELTA}`;
}

const AFTER = personChanges("assignment", "project", "project_protection", 1);

/**
 * The trigger function of a table and event: take the regencies' turn, then add the change (the state
 * after, `q.after` or AFTER, less the state before).
 */
export function maintainer(
  table: string,
  event: Event,
  q: { persons: string; before: string; after?: string; touched?: string },
): string {
  return `create or replace function coverage_on_${table}_${event}() returns trigger language plpgsql
   set jit = off as $$
   begin
     if current_setting('pantau.coverage', true) = 'deferred' then return null; end if;
     perform coverage_lock((select array_agg(regency_code) from (${q.persons}) x));
     ${delta(q.persons, [q.after ?? AFTER, q.before], q.touched)};
     return null;
   end $$`;
}

/** Assignments as they were before the statement, of the touched people, found through their index. */
function assignmentsBefore(event: Event): string {
  const kept = `select x.* from (select distinct regency_code, person_id from persons) s
    join assignment x on x.regency_code = s.regency_code and x.person_id = s.person_id`;
  const notNew = `not exists (select from new_rows n where n.regency_code = x.regency_code and n.id = x.id)`;
  if (event === "insert") return `(${kept} where ${notNew})`;
  if (event === "delete") return `(${kept} union all select * from old_rows)`;
  return `(${kept} where ${notNew} union all select * from old_rows)`;
}

const statements = [
  ...EVENTS.map((event) =>
    maintainer("assignment", event, {
      persons: changed(event, "regency_code, person_id"),
      before: personChanges(assignmentsBefore(event), "project", "project_protection", -1),
    }),
  ),
  ...EVENTS.map((event) =>
    maintainer("project_protection", event, {
      persons: protectionPersons(event),
      before: personChanges("assignment", "project", protectionsBefore(event), -1),
    }),
  ),
  maintainer("project", "update", {
    persons: MOVED_PERSONS,
    before: personChanges("assignment", PROJECTS_BEFORE_MOVE, "project_protection", -1),
  }),
  ...EVENTS.map((event) => `alter function coverage_protection_on_${event}() set jit = off`),

  // Everything of a regency counted afresh; each relation narrowed to the regency, so that its indexes serve.
  `create or replace function coverage_rebuild(regency text) returns void language plpgsql
   set pantau.coverage = 'deferred' set jit = off as $$
   begin
     ${REBUILD_START}
     ${delta("select distinct regency_code, person_id from assignment where regency_code = regency", [
       personChanges(
         "(select * from assignment where regency_code = regency)",
         "(select * from project where regency_code = regency)",
         "(select * from project_protection where regency_code = regency)",
         1,
       ),
     ])};
   end $$`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
