import { type Kysely, sql } from "kysely";

/**
 * Coverage kept incrementally, in the writer's own transaction (replaces the forget-and-recount
 * snapshots of 2025_10_01_0000_coverage_snapshot). docs/architecture.md explains the model:
 *
 * - For a person and a group (the regency, a sub-district, work unit, funding source, contractor or
 *   project) the days they are known are the union of their stints on the group's projects, and the days
 *   they are protected the union of each stint cut to its project's protected days. Both are
 *   `datemultirange`s, so a person on two projects at once counts once.
 * - `coverage_change` stores, per (regency, group, day), how many such unions begin minus how many end
 *   that day. The figure of any day is the sum of the changes up to it: a read never touches assignments.
 * - `project_protection` holds each registered project's protected days: from the coverage start to the
 *   due date, and from the day payments reach the contribution to the coverage end (the SQL twin of
 *   `protects` in src/domain/coverage.ts).
 *
 * Statement triggers on assignment, project and project_protection recompute the unions of the people a
 * statement touches, before and after it, and add the difference; triggers on registration and payment
 * refresh project_protection, whose trigger carries the change on. Writers of a regency serialise on an
 * advisory lock held to commit, taken before the "before" state is read, so two transactions changing
 * the same person never both count from the state neither has seen. `coverage_rebuild(regency)` counts
 * everything afresh; a property test holds the incremental rows equal to the rebuilt ones.
 *
 * A bulk loader may `set local pantau.coverage = 'deferred'` and call `coverage_rebuild` for each regency
 * it wrote before commit.
 */
export type Event = "insert" | "update" | "delete";
export const EVENTS: Event[] = ["insert", "update", "delete"];

/** The projects the touched people work on: all that their unions can involve. */
const PERSONS_PROJECTS = `select a.regency_code, a.project_id from assignment a
  join persons s on s.regency_code = a.regency_code and s.person_id = a.person_id`;

/** The people on the projects whose protected days a statement changed. */
export function protectionPersons(event: Event): string {
  return `select distinct a.regency_code, a.person_id from assignment a
    join (${changed(event, "regency_code, project_id")}) c on c.regency_code = a.regency_code and c.project_id = a.project_id`;
}

/** The protected days before the statement, of the touched people's projects. */
export function protectionsBefore(event: Event): string {
  return before(
    "project_protection",
    "project_id",
    event,
    `(x.regency_code, x.project_id) in (${PERSONS_PROJECTS})`,
  );
}

/** The people on projects moved to another group: only such a move changes anything. */
export const MOVED_PERSONS = `select distinct a.regency_code, a.person_id from assignment a
  join new_rows n on n.regency_code = a.regency_code and n.id = a.project_id
  join old_rows o on o.regency_code = n.regency_code and o.id = n.id
  where (o.district_code, o.work_unit_id, o.funding_source, o.contractor_id)
    is distinct from (n.district_code, n.work_unit_id, n.funding_source, n.contractor_id)`;

/** The touched people's projects as they were before a project update. */
export const PROJECTS_BEFORE_MOVE = before(
  "project",
  "id",
  "update",
  `(x.regency_code, x.id) in (${PERSONS_PROJECTS})`,
);

/** Adds the "delta" CTE's rows to coverage_change, deleting the rows that come to zero. */
export const MERGE_DELTA = `merge into coverage_change c
    using delta d on c.regency_code = d.regency_code and c.kind = d.kind and c.key = d.key and c.day = d.day
    when matched and c.known + d.known = 0 and c.protected + d.protected = 0 then delete
    when matched then update set known = c.known + d.known, protected = c.protected + d.protected
    when not matched then insert values (d.regency_code, d.kind, d.key, d.day, d.known, d.protected)`;

/** How `coverage_rebuild(regency)` begins: its turn taken, the protected days recounted, its changes cleared. */
export const REBUILD_START = `perform coverage_lock(array[regency]);
     delete from project_protection where regency_code = regency;
     insert into project_protection (regency_code, project_id, days)
       select r.regency_code, r.project_id, coverage_protected_days(r.regency_code, r.project_id)
       from project_registration r where r.regency_code = regency;
     delete from coverage_change where regency_code = regency;`;

const statements = [
  `drop trigger assignment_insert_forgets_coverage on assignment`,
  `drop trigger assignment_update_forgets_coverage on assignment`,
  `drop trigger assignment_delete_forgets_coverage on assignment`,
  `drop trigger project_registration_insert_forgets_coverage on project_registration`,
  `drop trigger project_registration_update_forgets_coverage on project_registration`,
  `drop trigger project_registration_delete_forgets_coverage on project_registration`,
  `drop trigger payment_insert_forgets_coverage on payment`,
  `drop trigger payment_update_forgets_coverage on payment`,
  `drop trigger payment_delete_forgets_coverage on payment`,
  `drop trigger project_update_forgets_coverage on project`,
  `drop function coverage_snapshot_forget()`,
  `drop table coverage_snapshot`,

  `create table coverage_change (
     regency_code text not null,
     kind text not null check (kind in ('regency','district','work_unit','funding_source','contractor','project')),
     key text not null,
     day date not null,
     known integer not null,
     protected integer not null,
     primary key (regency_code, kind, key, day))`,

  `create table project_protection (
     regency_code text not null,
     project_id bigint not null,
     days datemultirange not null,
     primary key (regency_code, project_id),
     foreign key (regency_code, project_id) references project(regency_code, id))`,

  // The days from a to b, both included; none when either is missing or a is after b.
  `create function coverage_days(a date, b date) returns datemultirange language sql immutable as $$
     select case when a is null or b is null or a > b then '{}'::datemultirange
                 else datemultirange(daterange(a, b, '[]')) end $$`,

  // A project's protected days: registered, within the coverage period, and before the due date or
  // from the day the payments made so far first reach the contribution.
  `create function coverage_protected_days(regency text, project bigint) returns datemultirange
   language sql stable as $$
     select coalesce((
       select coverage_days(r.coverage_start, least(r.coverage_end, r.due_date))
         + case when f.paid_in_full_on is null then '{}'::datemultirange
                else coverage_days(greatest(r.coverage_start, f.paid_in_full_on), r.coverage_end) end
       from project_registration r
       cross join lateral (
         select case when r.contribution_amount = 0 then r.coverage_start else min(x.paid_on) end as paid_in_full_on
         from (select pay.paid_on, sum(pay.amount) over (order by pay.paid_on) as paid
               from payment pay where pay.regency_code = r.regency_code and pay.project_id = r.project_id) x
         where x.paid >= r.contribution_amount) f
       where r.regency_code = regency and r.project_id = project), '{}'::datemultirange) $$`,

  // Writers of a regency take turns, in regency order so that two of them never wait on each other.
  `create function coverage_lock(regencies text[]) returns void language sql as $$
     select pg_advisory_xact_lock(hashtext('coverage'), hashtext(r))
     from (select distinct unnest(regencies) as r order by 1) x $$`,

  ...EVENTS.map((event) =>
    maintainer("assignment", event, {
      persons: changed(event, "regency_code, person_id"),
      before: personDays(
        before(
          "assignment",
          "id",
          event,
          "(x.regency_code, x.person_id) in (select regency_code, person_id from persons)",
        ),
        "project",
        "project_protection",
      ),
    }),
  ),
  ...EVENTS.map((event) =>
    maintainer("project_protection", event, {
      persons: protectionPersons(event),
      before: personDays("assignment", "project", protectionsBefore(event)),
    }),
  ),
  maintainer("project", "update", {
    persons: MOVED_PERSONS,
    before: personDays("assignment", PROJECTS_BEFORE_MOVE, "project_protection"),
  }),
  ...EVENTS.map((event) => `create ${protectionFunction(event, changed(event, "regency_code, project_id"))}`),

  // Everything of a regency counted afresh: the protected days of its projects and all its changes.
  // Each relation is narrowed to the regency, so that its indexes are used, not a scan of the country.
  `create function coverage_rebuild(regency text) returns void language plpgsql
   set pantau.coverage = 'deferred' as $$
   begin
     ${REBUILD_START}
     ${delta(
       "select distinct regency_code, person_id from assignment where regency_code = regency",
       personDays("(select * from assignment where false)", "project", "project_protection"),
       personDays(
         "(select * from assignment where regency_code = regency)",
         "(select * from project where regency_code = regency)",
         "(select * from project_protection where regency_code = regency)",
       ),
     )};
   end $$`,

  ...EVENTS.map((event) => trigger("assignment", event, `coverage_on_assignment_${event}`)),
  ...EVENTS.map((event) => trigger("project_protection", event, `coverage_on_project_protection_${event}`)),
  trigger("project", "update", "coverage_on_project_update"),
  ...EVENTS.map((event) => trigger("project_registration", event, `coverage_protection_on_${event}`)),
  ...EVENTS.map((event) => trigger("payment", event, `coverage_protection_on_${event}`)),
];

/*
 * The trigger functions are written out per table and event as static SQL, so that PL/pgSQL plans each
 * once per connection rather than on every statement (the plan of the change query costs more than
 * running it for a report batch). The helpers below compose that SQL.
 */

/**
 * Per person and group: the known and protected days, over the given assignment, project and
 * protection relations (the state before or after a statement), for the people of the "persons" CTE.
 */
function personDays(assignments: string, projects: string, protections: string): string {
  return `select a.regency_code, g.kind, g.key,
      range_agg(daterange(a.joined_on, a.left_on, '[]')) as known,
      range_agg(datemultirange(daterange(a.joined_on, a.left_on, '[]')) * coalesce(pr.days, '{}'::datemultirange)) as protected
    from ${assignments} a
    join persons s on s.regency_code = a.regency_code and s.person_id = a.person_id
    join ${projects} p on p.regency_code = a.regency_code and p.id = a.project_id
    left join ${protections} pr on pr.regency_code = a.regency_code and pr.project_id = a.project_id
    cross join lateral (values ('regency', ''), ('district', p.district_code),
      ('work_unit', coalesce(p.work_unit_id::text, '-')), ('funding_source', p.funding_source),
      ('contractor', p.contractor_id::text), ('project', p.id::text)) g(kind, key)
    group by a.regency_code, a.person_id, g.kind, g.key`;
}

/** The statement that adds (after − before) to coverage_change, dropping rows that come to nothing. */
function delta(persons: string, beforeDays: string, afterDays: string): string {
  return `with persons as (${persons}),
    delta as (
      select d.regency_code, d.kind, d.key, e.day, sum(e.known)::int as known, sum(e.protected)::int as protected
      from (select 1 as sign, * from (${afterDays}) n union all select -1, * from (${beforeDays}) o) d
      cross join lateral (
        select lower(r) as day, d.sign as known, 0 as protected from unnest(d.known) r
        union all select upper(r), -d.sign, 0 from unnest(d.known) r where not upper_inf(r)
        union all select lower(r), 0, d.sign from unnest(d.protected) r
        union all select upper(r), 0, -d.sign from unnest(d.protected) r where not upper_inf(r)) e
      group by d.regency_code, d.kind, d.key, e.day
      having sum(e.known) <> 0 or sum(e.protected) <> 0)
    ${MERGE_DELTA}`;
}

/**
 * A relation as it was before the statement: the table without the new rows, with the old ones. The
 * table is narrowed by the restriction (over x) first, so that its indexes serve the union.
 */
export function before(table: string, key: string, event: Event, restriction: string): string {
  const kept = `select * from ${table} x where ${restriction}`;
  const notNew = `and not exists (select from new_rows n where n.regency_code = x.regency_code and n.${key} = x.${key})`;
  if (event === "insert") return `(${kept} ${notNew})`;
  if (event === "delete") return `(${kept} union all select * from old_rows)`;
  return `(${kept} ${notNew} union all select * from old_rows)`;
}

/**
 * The trigger function of registration and payment statements: recount the protected days of the
 * projects `projects` names (regency_code, project_id). `attributes` go before its body (e.g. a SET).
 */
export function protectionFunction(event: Event, projects: string, attributes = ""): string {
  return `function coverage_protection_on_${event}() returns trigger language plpgsql ${attributes} as $$
     begin
       if current_setting('pantau.coverage', true) = 'deferred' then return null; end if;
       perform coverage_lock((select array_agg(regency_code) from (${projects}) c));
       delete from project_protection pp using (${projects}) c
         where pp.regency_code = c.regency_code and pp.project_id = c.project_id
           and not exists (select from project_registration r where r.regency_code = c.regency_code and r.project_id = c.project_id);
       insert into project_protection (regency_code, project_id, days)
         select r.regency_code, r.project_id, coverage_protected_days(r.regency_code, r.project_id)
         from project_registration r join (${projects}) c on c.regency_code = r.regency_code and c.project_id = r.project_id
         on conflict (regency_code, project_id) do update set days = excluded.days
         where project_protection.days is distinct from excluded.days;
       return null;
     end $$`;
}

/** The rows a statement touched, from whichever transition tables it has. */
export function changed(event: Event, columns: string): string {
  if (event === "insert") return `select ${columns} from new_rows`;
  if (event === "delete") return `select ${columns} from old_rows`;
  return `select ${columns} from old_rows union select ${columns} from new_rows`;
}

/** The trigger function of a table and event: take the regencies' turn, then add the change. */
function maintainer(table: string, event: Event, q: { persons: string; before: string }): string {
  return `create function coverage_on_${table}_${event}() returns trigger language plpgsql as $$
   begin
     if current_setting('pantau.coverage', true) = 'deferred' then return null; end if;
     perform coverage_lock((select array_agg(regency_code) from (${q.persons}) x));
     ${delta(q.persons, q.before, personDays("assignment", "project", "project_protection"))};
     return null;
   end $$`;
}

/** A statement trigger with transition tables (a trigger with them may serve one event only). */
function trigger(table: string, event: Event, fn: string): string {
  const transition = {
    insert: "new table as new_rows",
    update: "old table as old_rows new table as new_rows",
    delete: "old table as old_rows",
  };
  return `create trigger ${table}_${event}_coverage after ${event} on ${table}
    referencing ${transition[event]} for each statement execute function ${fn}()`;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
  const regencies = await sql<{ regency_code: string }>`
    select distinct regency_code from project order by 1`.execute(db);
  for (const r of regencies.rows) await sql`select coverage_rebuild(${r.regency_code})`.execute(db);
}
