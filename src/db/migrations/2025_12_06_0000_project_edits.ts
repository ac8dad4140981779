import { type Kysely, sql } from "kysely";

/**
 * A project's procurement data can be corrected until it is registered with BPJS (a registration the
 * branch rejected for a wrong contract value must be fixable). `edited_at` says when it last was: the
 * incremental compliance run re-judges projects edited since its last run. Null for a project never
 * edited, so adding the column rewrites no rows (and fires no coverage trigger on a national data set).
 * A registration claim keeps the contract value and SPMK it was filed with, so that a rejected one still
 * shows what the branch judged after the project is corrected (null for claims filed before: the
 * project's own values, which could not change then).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table project add column edited_at timestamptz`.execute(db);
  await sql`alter table registration_claim add column contract_value bigint, add column spmk_date date`.execute(
    db,
  );
}
