import { type Kysely, sql } from "kysely";
import {
  before,
  changed,
  EVENTS,
  type Event,
  MOVED_PERSONS,
  PROJECTS_BEFORE_MOVE,
  protectionPersons,
  protectionsBefore,
} from "./2025_11_01_0000_coverage_change.js";
import { assignmentChanges, maintainer, personsAssignments } from "./2025_12_01_0200_coverage_by_project.js";

/**
 * The touched people's assignments read once per statement (same model and tables as
 * 2025_12_01_0200_coverage_by_project, whose trigger functions this replaces): the state after and the
 * state before both come from one "touched" CTE, instead of each probing the assignment index for every
 * touched person. In a 50,000-stint import slice the second probe cost about 0.4 s, to find, for new
 * people, nothing (issue 8).
 */
const TOUCHED = personsAssignments("assignment");

const AFTER = assignmentChanges("touched", "project", "project_protection", 1);

/** The trigger function of a table and event, both states read from the touched assignments. */
const touchedOnce = (table: string, event: Event, q: { persons: string; before: string }) =>
  maintainer(table, event, { ...q, touched: TOUCHED, after: AFTER });

const statements = [
  ...EVENTS.map((event) =>
    touchedOnce("assignment", event, {
      persons: changed(event, "regency_code, person_id"),
      // The touched people's assignments as they were before the statement.
      before: assignmentChanges(before("touched", "id", event, "true"), "project", "project_protection", -1),
    }),
  ),
  ...EVENTS.map((event) =>
    touchedOnce("project_protection", event, {
      persons: protectionPersons(event),
      before: assignmentChanges("touched", "project", protectionsBefore(event), -1),
    }),
  ),
  touchedOnce("project", "update", {
    persons: MOVED_PERSONS,
    before: assignmentChanges("touched", PROJECTS_BEFORE_MOVE, "project_protection", -1),
  }),
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
