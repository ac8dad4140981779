import { type Kysely, sql } from "kysely";

/**
 * A batch keeps a keyed hash of its rows, so that another batch sent under a key already used is
 * refused instead of being answered as stored (docs/api.md). Batches from before stay without one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table report_batch add column request_hash text`.execute(db);
}
