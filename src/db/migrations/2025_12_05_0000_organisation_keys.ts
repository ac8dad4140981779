import { type Kysely, sql } from "kysely";

/**
 * A work unit's or a prosecutor's office's code is its regency's own: every regency has its "PUPR" and its
 * "KEJARI". Keyed by (kind, code) alone, a second regency's PUPR was the first one's, so a project filed
 * there under "PUPR" went to the other regency's work unit, and to its users. Those two kinds are now keyed
 * within their regency (a missing regency counting as one value); contractors (their NIB) and BPJS
 * branches stay keyed nationally.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table organisation drop constraint organisation_kind_code_key`.execute(db);
  await sql`create unique index organisation_national_key on organisation (kind, code)
     where kind not in ('work_unit', 'enforcer')`.execute(db);
  await sql`create unique index organisation_regional_key on organisation (kind, regency_code, code)
     nulls not distinct where kind in ('work_unit', 'enforcer')`.execute(db);
}
