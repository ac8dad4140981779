import { type Kysely, sql } from "kysely";
import {
  changed,
  EVENTS,
  type Event,
  MOVED_PERSONS,
  PROJECTS_BEFORE_MOVE,
  protectionPersons,
  protectionsBefore,
} from "./2025_11_01_0000_coverage_change.js";
import { assignmentChanges, maintainer } from "./2025_12_01_0200_coverage_by_project.js";

/**
 * The touched people's assignments read once per statement (same model and tables as
 * 2025_12_01_0200_coverage_by_project, whose trigger functions this replaces): the state after and the
 * state before both come from one "touched" CTE, instead of each probing the assignment index for every
 * touched person. In a 50,000-stint import slice the second probe cost about 0.4 s, to find, for new
 * people, nothing (issue 8).
 */
const TOUCHED = `select a.* from (select distinct regency_code, person_id from persons) s
  join assignment a on a.regency_code = s.regency_code and a.person_id = s.person_id`;

const AFTER = assignmentChanges("touched", "project", "project_protection", 1);

/** The touched people's assignments as they were before the statement. */
function touchedBefore(event: Event): string {
  const kept = `select * from touched x where not exists
    (select from new_rows n where n.regency_code = x.regency_code and n.id = x.id)`;
  if (event === "insert") return `(${kept})`;
  if (event === "delete") return `(select * from touched union all select * from old_rows)`;
  return `(${kept} union all select * from old_rows)`;
}

const statements = [
  ...EVENTS.map((event) =>
    maintainer("assignment", event, {
      persons: changed(event, "regency_code, person_id"),
      touched: TOUCHED,
      after: AFTER,
      before: assignmentChanges(touchedBefore(event), "project", "project_protection", -1),
    }),
  ),
  ...EVENTS.map((event) =>
    maintainer("project_protection", event, {
      persons: protectionPersons(event),
      touched: TOUCHED,
      after: AFTER,
      before: assignmentChanges("touched", "project", protectionsBefore(event), -1),
    }),
  ),
  maintainer("project", "update", {
    persons: MOVED_PERSONS,
    touched: TOUCHED,
    after: AFTER,
    before: assignmentChanges("touched", PROJECTS_BEFORE_MOVE, "project_protection", -1),
  }),
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
