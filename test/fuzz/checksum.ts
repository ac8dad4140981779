import { sql } from "kysely";
import type { Db } from "../../src/db/connection.js";

/**
 * A fingerprint of every row of every table in the schema: row count and an md5 over the rows' text,
 * per table. Two equal fingerprints mean no row was added, removed or changed anywhere. The tables
 * are listed from the catalogue, so a table added by a later migration is covered without a change here.
 */
export type Checksum = Record<string, string>;

export async function tableNames(db: Db): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'
    order by table_name`.execute(db);
  return rows.map((r) => r.name);
}

/** Columns left out of a table's fingerprint, by table. */
export type Ignored = Readonly<Record<string, readonly string[]>>;

/**
 * Authentication's own bookkeeping, which any signed-in request may touch whatever its answer: a session's
 * expiry pushed forward, a token's last use. It is not data the request changed.
 */
export const AUTH_BOOKKEEPING: Ignored = { user_session: ["expires_at"], api_token: ["last_used_at"] };

export async function checksum(db: Db, ignored: Ignored = {}): Promise<Checksum> {
  const names = await tableNames(db);
  const parts = names.map((name) => {
    const skip = ignored[name] ?? [];
    const row = skip.length > 0 ? sql`(to_jsonb(t) - ${sql.val([...skip])}::text[])::text` : sql`t::text`;
    return sql`select ${name}::text as name, count(*)::text || ':' || coalesce(md5(string_agg(${row}, E'\n' order by ${row})), '') as sum
          from ${sql.table(name)} t`;
  });
  if (parts.length === 0) return {};
  const { rows } = await sql<{ name: string; sum: string }>`${sql.join(parts, sql` union all `)}`.execute(db);
  return Object.fromEntries(rows.map((r) => [r.name, r.sum]));
}

/** The tables whose fingerprint differs. */
export function changedTables(before: Checksum, after: Checksum): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((n) => before[n] !== after[n]).sort();
}

/** The next transaction id PostgreSQL will hand out: it moves only when some transaction writes. */
async function nextXid(db: Db): Promise<string> {
  const { rows } = await sql<{
    xid: string;
  }>`select pg_snapshot_xmax(pg_current_snapshot())::text as xid`.execute(db);
  return rows[0]?.xid as string;
}

/**
 * Which tables changed since the last look. Every insert, update or delete takes a transaction id, so
 * while the next id has not moved nothing can have changed and the fingerprint is not recomputed; once
 * it has moved (a write, committed or rolled back, or a row lock), every table is compared.
 */
export class TableWatch {
  private constructor(
    private readonly db: Db,
    private readonly ignored: Ignored,
    private xid: string,
    private sums: Checksum,
  ) {}

  static async start(db: Db, ignored: Ignored = {}): Promise<TableWatch> {
    const xid = await nextXid(db);
    return new TableWatch(db, ignored, xid, await checksum(db, ignored));
  }

  /** The tables whose rows differ from the last look; the current state becomes the next baseline. */
  async changes(): Promise<string[]> {
    const xid = await nextXid(this.db);
    if (xid === this.xid) return [];
    const sums = await checksum(this.db, this.ignored);
    const changed = changedTables(this.sums, sums);
    this.xid = xid;
    this.sums = sums;
    return changed;
  }

  /** Take the current state as the baseline, whatever the test itself changed before. */
  async settle(): Promise<void> {
    await this.changes();
  }
}
