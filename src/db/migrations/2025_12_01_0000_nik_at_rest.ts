import { type Kysely, sql } from "kysely";
import { nikVault } from "../nik-vault.js";

/**
 * The NIK leaves the database in clear (UU 27/2022): `person.nik` becomes `nik_hash` (keyed, for
 * lookups) and `nik_sealed` (encrypted), see src/db/nik-vault.ts. Unlike the other migrations this one
 * uses app code, the vault, because the rows it converts must be sealed under the deployment's key.
 *
 * Event keys built from a NIK (`nk:` keys, when a report carries no event id of its own) were a plain
 * SHA-256 of a text holding the NIK, which anyone can recompute for every NIK of a region and birth
 * date; they are re-keyed with the vault's HMAC so a replayed report still finds its event.
 */
const BATCH = 10_000;

export async function up(db: Kysely<any>): Promise<void> {
  const vault = nikVault();
  await sql`alter table person add column nik_hash text, add column nik_sealed text`.execute(db);

  for (let after = 0; ; ) {
    const rows = await sql<{ id: number; nik: string }>`
      select id, nik from person where id > ${after} order by id limit ${BATCH}`.execute(db);
    if (rows.rows.length === 0) break;
    await sql`
      update person p set nik_hash = x.nik_hash, nik_sealed = x.nik_sealed
      from unnest(${rows.rows.map((r) => r.id)}::bigint[], ${rows.rows.map((r) => vault.hash(r.nik))}::text[],
                  ${rows.rows.map((r) => vault.seal(r.nik))}::text[]) as x(id, nik_hash, nik_sealed)
      where p.id = x.id`.execute(db);
    after = Number(rows.rows[rows.rows.length - 1]?.id);
  }

  // The same fields the old key hashed, now under the vault's key.
  for (let after = 0; ; ) {
    const rows = await sql<{
      regency_code: string;
      id: number;
      project_id: number;
      kind: string;
      nik: string;
      event_date: string;
    }>`
      select e.regency_code, e.id, e.project_id, e.kind, p.nik, e.event_date::text
      from report_event e join person p on p.id = e.person_id
      where e.event_key like 'nk:%' and e.id > ${after} order by e.id limit ${BATCH}`.execute(db);
    if (rows.rows.length === 0) break;
    await sql`
      update report_event e set event_key = x.event_key
      from unnest(${rows.rows.map((r) => r.regency_code)}::text[], ${rows.rows.map((r) => r.id)}::bigint[],
                  ${rows.rows.map((r) => `nk:${vault.hash(`${r.project_id}|${r.kind}|${r.nik}|${r.event_date}`)}`)}::text[])
        as x(regency_code, id, event_key)
      where e.regency_code = x.regency_code and e.id = x.id`.execute(db);
    after = Number(rows.rows[rows.rows.length - 1]?.id);
  }

  for (const statement of [
    `alter table person alter column nik_hash set not null, alter column nik_sealed set not null`,
    `alter table person drop column nik`,
    `alter table person add constraint person_home_regency_code_nik_hash_key unique (home_regency_code, nik_hash)`,
  ])
    await sql.raw(statement).execute(db);
}
