import { type Kysely, sql } from "kysely";
import { changed, EVENTS, protectionFunction } from "./2025_11_01_0000_coverage_change.js";

/**
 * A registration or payment statement that touches one project in several rows (two payments of one
 * project deleted together) recounts that project's protected days once. The trigger functions of
 * 2025_11_01_0000_coverage_change proposed the project once per row, which PostgreSQL refuses in one
 * `INSERT … ON CONFLICT DO UPDATE` ("cannot affect row a second time"), so such a statement failed.
 * Found by the kept-coverage property test. The functions keep `jit = off` (2025_12_01_0200).
 */
const statements = EVENTS.map(
  (event) =>
    `create or replace ${protectionFunction(
      event,
      `select distinct regency_code, project_id from (${changed(event, "regency_code, project_id")}) t`,
      "set jit = off",
    )}`,
);

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
