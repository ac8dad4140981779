import { sql } from "kysely";
import type { Db } from "../db/connection.js";
import { applicationName } from "../db/connection.js";
import type { NikVault } from "../db/nik-vault.js";
import { DomainError } from "../domain/errors.js";
import type { Actor } from "./actor.js";
import { appendAudit } from "./audit.js";
import { nikEventKey } from "./worker-reports.js";

export interface RotationResult {
  persons: number;
  eventKeys: number;
  /** Batches whose keyed request hash was dropped: it hashed rows that are not kept, so it cannot be redone. */
  requestHashes: number;
}

const PAGE = 10_000;

/**
 * Put every NIK-derived value under a new key (docs/security.md, "Key rotation"), in one transaction,
 * so a failure leaves the database under the old key and nothing half-rotated:
 * - `person.nik_hash` and `person.nik_sealed`, opened with the old key and hashed and sealed anew;
 * - the `nk:` event keys of reports without an event id of their own, recomputed from the same fields,
 *   so a report sent again after the rotation is still recognised as a duplicate;
 * - `report_batch.request_hash`, a keyed hash of rows the database does not keep, becomes null (as for
 *   batches stored before it existed): a batch sent again under its old key is then answered as a
 *   replay without the check that its rows are the same.
 * A server still running with the old key would look NIKs up under it and register known workers as new
 * people, so the rotation refuses while another `pantau` process is connected to the database, and holds
 * the three tables locked against writers until it commits.
 */
export async function rotateNikKey(
  db: Db,
  keys: { from: NikVault; to: NikVault },
  actor: Actor,
  opts: {
    onProgress?: (done: number, total: number) => void;
    /** Rows read and written per statement (default PAGE; tests use a few, to cross pages). */
    pageRows?: number;
  } = {},
): Promise<RotationResult> {
  const { onProgress, pageRows = PAGE } = opts;
  return db.transaction().execute(async (trx) => {
    await sql`lock table person, report_event, report_batch in exclusive mode`.execute(trx);
    const others = await sql<{ n: number }>`
      select count(*)::int as n from pg_stat_activity
      where datname = current_database() and application_name like 'pantau/%'
        and application_name <> ${applicationName()}`.execute(trx);
    const running = others.rows[0]?.n ?? 0;
    if (running > 0)
      throw new DomainError(
        "NIK_ROTATION_SERVERS_RUNNING",
        `${running} koneksi dari proses pantau lain masih terbuka; hentikan server dulu / ` +
          `${running} connections from other pantau processes are open; stop the servers first`,
        { connections: running },
      );
    const counts = await sql<{ persons: number; events: number }>`
      select (select count(*)::int from person) as persons,
             (select count(*)::int from report_event where event_key like 'nk:%') as events`.execute(trx);
    const total = (counts.rows[0]?.persons ?? 0) + (counts.rows[0]?.events ?? 0);
    const open = (sealed: string, personId: number) => {
      try {
        return keys.from.open(sealed);
      } catch {
        throw new DomainError(
          "NIK_KEY_MISMATCH",
          `NIK orang #${personId} tidak terbuka dengan kunci lama / person #${personId}'s NIK does not open with the old key`,
          { personId },
        );
      }
    };

    // Event keys first, while every person's NIK is still sealed under the old key. Paged along the
    // primary key (regency, id), so each page is an index range, not a scan of the table.
    let eventKeys = 0;
    for (let after = { regency: "", id: 0 }; ; ) {
      const page = await sql<{
        regency_code: string;
        id: number;
        project_id: number;
        person_id: number;
        kind: "join" | "leave";
        nik_sealed: string;
        event_date: string;
      }>`
        select e.regency_code, e.id, e.project_id, e.person_id, e.kind, p.nik_sealed, e.event_date::text
        from report_event e join person p on p.id = e.person_id
        where (e.regency_code, e.id) > (${after.regency}, ${after.id}) and e.event_key like 'nk:%'
        order by e.regency_code, e.id limit ${pageRows}`.execute(trx);
      const last = page.rows.at(-1);
      if (!last) break;
      const rekeyed = page.rows.map((r) =>
        nikEventKey(
          r.project_id,
          { kind: r.kind, nik: open(r.nik_sealed, r.person_id), date: r.event_date },
          keys.to,
        ),
      );
      await sql`
        update report_event e set event_key = x.event_key
        from unnest(${page.rows.map((r) => r.regency_code)}::text[], ${page.rows.map((r) => r.id)}::bigint[],
                    ${rekeyed}::text[]) as x(regency_code, id, event_key)
        where e.regency_code = x.regency_code and e.id = x.id`.execute(trx);
      eventKeys += page.rows.length;
      onProgress?.(eventKeys, total);
      after = { regency: last.regency_code, id: Number(last.id) };
    }

    let persons = 0;
    for (let after = 0; ; ) {
      const page = await sql<{ id: number; nik_sealed: string }>`
        select id, nik_sealed from person where id > ${after} order by id limit ${pageRows}`.execute(trx);
      if (page.rows.length === 0) break;
      const niks = page.rows.map((r) => open(r.nik_sealed, r.id));
      await sql`
        update person p set nik_hash = x.nik_hash, nik_sealed = x.nik_sealed
        from unnest(${page.rows.map((r) => r.id)}::bigint[], ${niks.map((n) => keys.to.hash(n))}::text[],
                    ${niks.map((n) => keys.to.seal(n))}::text[]) as x(id, nik_hash, nik_sealed)
        where p.id = x.id`.execute(trx);
      persons += page.rows.length;
      onProgress?.(eventKeys + persons, total);
      after = Number(page.rows.at(-1)?.id);
    }

    const cleared =
      await sql`update report_batch set request_hash = null where request_hash is not null`.execute(trx);
    const result = { persons, eventKeys, requestHashes: Number(cleared.numAffectedRows ?? 0) };
    await appendAudit(trx, actor, {
      action: "nik.rotate_key",
      entity: "nik_key",
      entityId: "-",
      after: result,
    });
    return result;
  });
}
