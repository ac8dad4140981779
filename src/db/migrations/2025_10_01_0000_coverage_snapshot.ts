import { type Kysely, sql } from "kysely";

/**
 * Coverage snapshots: known and protected workers of a regency on a day, in total and per sub-district,
 * work unit, funding source, contractor and project, kept so that trends and breakdowns need not rescan
 * assignments (src/services/coverage-snapshots.ts). A day's rows are written together or not at all.
 *
 * Triggers keep them honest: any change to an assignment, registration, payment or project forgets the
 * regency's snapshots from the earliest day the change can affect, in the writer's own transaction,
 * whatever path wrote it (use case, import, COPY). Writers hold a shared advisory lock on the regency
 * for the rest of their transaction and a snapshot is only stored under the exclusive one, so a
 * snapshot computed beside an uncommitted change is either never stored or forgotten by it.
 */
const statements = [
  `create table coverage_snapshot (
     regency_code text not null,
     day date not null,
     kind text not null check (kind in ('regency','district','work_unit','funding_source','contractor','project')),
     key text not null,
     known integer not null check (known >= 0),
     protected integer not null check (protected between 0 and known),
     primary key (regency_code, day, kind, key))`,
  // TG_ARGV[0]: the SQL expression, over the changed rows, of the first day the change can affect.
  `create function coverage_snapshot_forget() returns trigger language plpgsql as $$
   declare
     changed text := case TG_OP
       when 'INSERT' then 'select regency_code, %1$s as day from new_rows'
       when 'DELETE' then 'select regency_code, %1$s as day from old_rows'
       else 'select regency_code, %1$s as day from old_rows union all select regency_code, %1$s from new_rows'
     end;
     c record;
   begin
     for c in execute format('select regency_code, min(day) as day from (' || changed || ') x group by regency_code order by regency_code', TG_ARGV[0]) loop
       perform pg_advisory_xact_lock_shared(hashtext('coverage_snapshot'), hashtext(c.regency_code));
       delete from coverage_snapshot s where s.regency_code = c.regency_code and s.day >= c.day;
     end loop;
     return null;
   end $$`,
  ...forgetOn("assignment", "joined_on", ["insert", "update", "delete"]),
  ...forgetOn("project_registration", "coverage_start", ["insert", "update", "delete"]),
  ...forgetOn("payment", "paid_on", ["insert", "update", "delete"]),
  // A project moved to another sub-district, work unit or contractor changes every day's breakdown.
  ...forgetOn("project", "date '-infinity'", ["update"]),
];

/** Statement triggers (a transition table may serve one event only) that forget from `firstDay` on. */
function forgetOn(table: string, firstDay: string, events: ("insert" | "update" | "delete")[]): string[] {
  const transition = {
    insert: "new table as new_rows",
    update: "old table as old_rows new table as new_rows",
    delete: "old table as old_rows",
  };
  return events.map(
    (event) =>
      `create trigger ${table}_${event}_forgets_coverage after ${event} on ${table}
       referencing ${transition[event]} for each statement
       execute function coverage_snapshot_forget('${firstDay.replaceAll("'", "''")}')`,
  );
}

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
