import { createReadStream, createWriteStream, existsSync, renameSync, rmSync, statSync } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";
import type { Transaction as PGliteTransaction } from "@electric-sql/pglite";
import type pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { z } from "zod";
import type { Database } from "../db/connection.js";
import { type NikVault, nikVault } from "../db/nik-vault.js";
import { DomainError } from "../domain/errors.js";

/**
 * A logical backup that PGlite and PostgreSQL both read and write (docs/operations.md): one gzip stream
 * holding a JSON header line, then each table's rows in COPY text format, each table ended by `\.`.
 * COPY text is what PostgreSQL itself prints and parses, so every type round-trips exactly, whatever
 * the engine or its version.
 */
export const BACKUP_FORMAT = "pantau-backup";
const BACKUP_VERSION = 1;

/** Tables the migrations fill (2025_07_01_0100_reference_data): a restore replaces them, not refuses. */
export const REFERENCE_TABLES: ReadonlySet<string> = new Set([
  "region",
  "contribution_rate_table",
  "contribution_rate_tier",
]);

/** Kysely's own bookkeeping: the header carries the applied migrations instead. */
const MIGRATION_TABLES = ["kysely_migration", "kysely_migration_lock"];

/** PGlite's COPY goes through an in-memory blob: move a table through it in pieces of about this size. */
const CHUNK_BYTES = 4 * 1024 * 1024;
const HEADER_LIMIT = 1024 * 1024;
const NEWLINE = 0x0a;
const END_OF_TABLE = Buffer.from("\\.\n");

const headerSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(BACKUP_VERSION),
  createdAt: z.string(),
  source: z.object({ engine: z.enum(["pglite", "postgres"]), serverVersion: z.string() }),
  migrations: z.array(z.string()),
  /** In load order: each table after those it references. */
  tables: z.array(
    z.object({ name: z.string(), columns: z.array(z.string()).min(1), rows: z.number().int().min(0) }),
  ),
  /** Each serial column's sequence as it stood, null when never used. */
  sequences: z.array(
    z.object({ table: z.string(), column: z.string(), lastValue: z.number().int().nullable() }),
  ),
});
export type BackupHeader = z.infer<typeof headerSchema>;

export interface BackupSummary {
  tables: number;
  rows: number;
  bytes: number;
}

type Progress = (done: number, total: number) => void;

/**
 * Write a backup of every table to `path`, from one consistent snapshot. Rows stream from COPY through
 * gzip to the file, so memory stays flat whatever the size; the file appears only once complete.
 */
export async function backupDatabase(
  database: Database,
  path: string,
  opts: { onProgress?: Progress } = {},
): Promise<BackupSummary> {
  const partial = `${path}.partial`;
  try {
    const header = await inTransaction(database, "read", async (session) => {
      const header = await describeSource(session, database.kind);
      const total = header.tables.reduce((sum, t) => sum + t.rows, 0);
      let done = 0;
      async function* content() {
        yield Buffer.from(`${JSON.stringify(header)}\n`);
        for (const table of header.tables) {
          let rows = 0;
          for await (const chunk of session.copyOut(table.name, table.columns)) {
            const n = countLines(chunk);
            rows += n;
            done += n;
            opts.onProgress?.(done, total);
            yield chunk;
          }
          // The count and the copy share the snapshot: a difference is a bug, not a concurrent write.
          if (rows !== table.rows)
            throw new Error(`${table.name}: copied ${rows} rows, counted ${table.rows}`);
          yield END_OF_TABLE;
        }
      }
      await pipeline(Readable.from(content()), createGzip(), createWriteStream(partial));
      return header;
    });
    renameSync(partial, path);
    return {
      tables: header.tables.length,
      rows: header.tables.reduce((sum, t) => sum + t.rows, 0),
      bytes: statSync(path).size,
    };
  } catch (e) {
    rmSync(partial, { force: true });
    throw e;
  }
}

export interface RestoreSummary {
  tables: number;
  rows: number;
  createdAt: string;
  source: BackupHeader["source"];
}

/**
 * Load a backup into an empty database migrated to the same migrations, in one transaction: a damaged
 * file, a refused target or any failed row leaves the database as it was.
 *
 * The coverage triggers are told to stand aside (`pantau.coverage = 'deferred'`): the backup carries
 * `coverage_change` and `project_protection` as they were. A superuser (always, on PGlite) also skips
 * the foreign-key checks and triggers altogether (`session_replication_role = replica`), which spares
 * a large table millions of row checks; `checkReferences` keeps the checks, as any other role gets them.
 */
export async function restoreDatabase(
  database: Database,
  path: string,
  opts: { onProgress?: Progress; checkReferences?: boolean; vault?: NikVault } = {},
): Promise<RestoreSummary> {
  if (!existsSync(path))
    throw new DomainError("BACKUP_NOT_FOUND", `Berkas ${path} tidak ada / file ${path} does not exist`);
  const file = createReadStream(path);
  const gunzip = createGunzip();
  file.on("error", (e) => gunzip.destroy(e));
  const reader = new BackupReader(file.pipe(gunzip));
  try {
    const header = parseHeader(await reader.header(path), path);
    const total = header.tables.reduce((sum, t) => sum + t.rows, 0);
    await inTransaction(database, "write", async (session) => {
      await checkTarget(session, header);
      const [role] = await session.rows<{ superuser: string }>(
        "select current_setting('is_superuser') as superuser",
      );
      await session.rows("set local pantau.coverage = 'deferred'");
      if (role?.superuser === "on" && !opts.checkReferences)
        await session.rows("set local session_replication_role = replica");
      // Children first, so that a delete checked for references finds none left.
      for (const table of [...header.tables].reverse())
        if (REFERENCE_TABLES.has(table.name)) await session.rows(`delete from ${quoteIdent(table.name)}`);

      let done = 0;
      for (const table of header.tables) {
        const rows = await loadTable(session, table, reader, (n) => {
          done += n;
          opts.onProgress?.(done, total);
        });
        if (rows !== table.rows) throw damaged(`${table.name}: ${rows} rows, the header says ${table.rows}`);
        if (table.name === "person") await checkNikKey(session, opts.vault ?? nikVault());
      }
      await reader.end();
      await resetSequences(session, header.sequences);
    });
    return { tables: header.tables.length, rows: total, createdAt: header.createdAt, source: header.source };
  } finally {
    gunzip.destroy();
    file.destroy();
  }
}

/** One table's rows from the file into COPY; how many there were. */
async function loadTable(
  session: Session,
  table: BackupHeader["tables"][number],
  reader: BackupReader,
  progress: (rows: number) => void,
): Promise<number> {
  let rows = 0;
  const count = (n: number) => {
    rows += n;
    progress(n);
  };
  try {
    await session.copyIn(table.name, table.columns, reader.rows(count));
  } catch (e) {
    if (e instanceof DomainError) throw e;
    throw new DomainError(
      "RESTORE_FAILED",
      `Tabel ${table.name} tidak dapat dipulihkan; tidak ada yang dipulihkan / ` +
        `table ${table.name} could not be restored, nothing was restored: ${(e as Error).message}`,
      { table: table.name },
    );
  }
  return rows;
}

/** The tables in load order with their stored columns and counts, the sequences and migrations. */
async function describeSource(session: Session, engine: Database["kind"]): Promise<BackupHeader> {
  const tables = await storedColumns(session);
  const references = await session.rows<{ child: string; parent: string }>(
    `select ch.relname::text as child, pa.relname::text as parent
     from pg_constraint k join pg_class ch on ch.oid = k.conrelid join pg_class pa on pa.oid = k.confrelid
     where k.contype = 'f' and ch.relnamespace = current_schema()::regnamespace`,
  );
  const columns = new Map(tables.map((t) => [t.name, t.columns]));
  const ordered = [];
  for (const name of loadOrder([...columns.keys()], references)) {
    const [counted] = await session.rows<{ n: string }>(
      `select count(*)::text as n from ${quoteIdent(name)}`,
    );
    ordered.push({ name, columns: columns.get(name) ?? [], rows: Number(counted?.n) });
  }
  const sequences = [];
  for (const s of await serialColumns(session)) {
    const [state] = await session.rows<{ v: string | null }>(
      `select case when is_called then last_value::text end as v from ${s.sequence}`,
    );
    sequences.push({
      table: s.table,
      column: s.column,
      lastValue: state?.v == null ? null : Number(state.v),
    });
  }
  const [server] = await session.rows<{ version: string }>(
    "select current_setting('server_version') as version",
  );
  return {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    createdAt: new Date().toISOString(),
    source: { engine, serverVersion: server?.version ?? "" },
    migrations: await appliedMigrations(session),
    tables: ordered,
    sequences,
  };
}

/** The ordinary tables of the app's schema, as a condition on `pg_class c`. */
const APP_TABLES = `c.relnamespace = current_schema()::regnamespace and c.relkind = 'r'
  and c.relname not in (${MIGRATION_TABLES.map((t) => `'${t}'`).join(", ")})`;

/**
 * Tables in an order where each follows the tables it references (ties by name, so the order is
 * stable), which a restore that checks foreign keys needs. A table referencing itself loads in one COPY
 * statement on PostgreSQL, whose checks run at the statement's end.
 */
export function loadOrder(
  tables: readonly string[],
  references: readonly { child: string; parent: string }[],
) {
  const parents = new Map(tables.map((t) => [t, new Set<string>()]));
  for (const { child, parent } of references) if (child !== parent) parents.get(child)?.add(parent);
  const order: string[] = [];
  const placed = new Set<string>();
  while (order.length < tables.length) {
    const ready = tables
      .filter((t) => !placed.has(t) && [...(parents.get(t) ?? [])].every((p) => placed.has(p)))
      .sort();
    if (ready.length === 0)
      throw new Error(`Foreign keys form a cycle among ${tables.filter((t) => !placed.has(t)).join(", ")}`);
    for (const t of ready) {
      order.push(t);
      placed.add(t);
    }
  }
  return order;
}

/** Each table's stored columns in their order; generated ones are computed, not stored. */
async function storedColumns(session: Session) {
  return session.rows<{ name: string; columns: string[] }>(
    `select c.relname::text as name, array_agg(a.attname::text order by a.attnum) as columns
     from pg_class c join pg_attribute a on a.attrelid = c.oid
     where ${APP_TABLES} and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
     group by c.relname`,
  );
}

async function serialColumns(session: Session) {
  return session.rows<{ table: string; column: string; sequence: string }>(
    `select c.relname::text as "table", a.attname::text as "column",
            pg_get_serial_sequence(quote_ident(c.relname), a.attname) as sequence
     from pg_class c join pg_attribute a on a.attrelid = c.oid
     where ${APP_TABLES} and a.attnum > 0 and not a.attisdropped
       and pg_get_serial_sequence(quote_ident(c.relname), a.attname) is not null
     order by 1, 2`,
  );
}

async function appliedMigrations(session: Session): Promise<string[]> {
  return (await session.rows<{ name: string }>("select name from kysely_migration order by name")).map(
    (r) => r.name,
  );
}

function parseHeader(line: string, path: string): BackupHeader {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw notABackup(path);
  }
  const format = (json as { format?: unknown } | null)?.format;
  if (format !== BACKUP_FORMAT) throw notABackup(path);
  const version = (json as { version?: unknown }).version;
  if (version !== BACKUP_VERSION)
    throw new DomainError(
      "BACKUP_VERSION_UNKNOWN",
      `Versi format cadangan ${String(version)} tidak dikenal / unknown backup format version ${String(version)}`,
    );
  const parsed = headerSchema.safeParse(json);
  if (!parsed.success) throw damaged(`header: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  return parsed.data;
}

/** Same migrations, same tables and columns, and nothing in them but what the migrations put there. */
async function checkTarget(session: Session, header: BackupHeader): Promise<void> {
  const applied = await appliedMigrations(session);
  if (applied.join("\n") !== header.migrations.join("\n")) {
    const at = (list: string[]) => list.at(-1) ?? "(none)";
    throw new DomainError(
      "RESTORE_MIGRATIONS_DIFFER",
      `Cadangan dibuat pada migrasi ${at(header.migrations)}, basis data ini pada ${at(applied)}; ` +
        `pakai versi Pantau Jakon yang sama / the backup was taken at migration ${at(header.migrations)}, ` +
        `this database is at ${at(applied)}: restore with the matching version of Pantau Jakon`,
      { backup: header.migrations, database: applied },
    );
  }
  const columnsOf = (tables: { name: string; columns: string[] }[]) =>
    new Map(tables.map((t) => [t.name, [...t.columns].sort().join(",")]));
  const expected = columnsOf(header.tables);
  const actual = columnsOf(await storedColumns(session));
  for (const name of new Set([...expected.keys(), ...actual.keys()])) {
    if (actual.get(name) !== expected.get(name))
      throw new DomainError(
        "RESTORE_SCHEMA_DIFFERS",
        `Tabel ${name} berbeda antara cadangan dan basis data ini / ` +
          `table ${name} differs between the backup and this database`,
        { table: name },
      );
  }
  // No one writes while we look and load; readers may go on.
  await session.rows(
    `lock table ${header.tables.map((t) => quoteIdent(t.name)).join(", ")} in exclusive mode`,
  );
  const filled = [];
  for (const { name } of header.tables) {
    if (REFERENCE_TABLES.has(name)) continue;
    const [row] = await session.rows<{ found: boolean }>(
      `select exists (select from ${quoteIdent(name)}) as found`,
    );
    if (row?.found) filled.push(name);
  }
  if (filled.length > 0)
    throw new DomainError(
      "RESTORE_TARGET_NOT_EMPTY",
      `Basis data tujuan tidak kosong: tabel ${filled.join(", ")} berisi data; pulihkan ke basis data baru / ` +
        `the target database is not empty: table ${filled.join(", ")} holds rows; restore into a new database`,
      { tables: filled },
    );
}

/**
 * The NIKs arrive sealed under the source's key (src/db/nik-vault.ts), which no backup holds: refuse as
 * soon as they are in, rather than commit a database that every later start would refuse.
 */
async function checkNikKey(session: Session, vault: NikVault): Promise<void> {
  const [row] = await session.rows<{ nik_sealed: string }>("select nik_sealed from person limit 1");
  if (!row) return;
  try {
    vault.open(row.nik_sealed);
  } catch {
    throw new DomainError(
      "RESTORE_NIK_KEY_DIFFERS",
      "Kunci NIK (PANTAU_NIK_KEY) bukan kunci data cadangan ini; tidak ada yang dipulihkan / " +
        "the NIK key (PANTAU_NIK_KEY) is not the one this backup's data was sealed with, nothing was restored",
    );
  }
}

/**
 * Each sequence continues after the highest id restored, or where the source's stood if that is
 * further (ids of rows deleted before the backup are not handed out again).
 */
async function resetSequences(session: Session, recorded: BackupHeader["sequences"]): Promise<void> {
  for (const s of await serialColumns(session)) {
    const last = recorded.find((r) => r.table === s.table && r.column === s.column)?.lastValue ?? null;
    await session.rows(
      `select setval($1::regclass, coalesce(v, 1), v is not null)
       from (select greatest((select max(${quoteIdent(s.column)}) from ${quoteIdent(s.table)}), $2::bigint) as v) m`,
      [s.sequence, last === null ? null : String(last)],
    );
  }
}

/**
 * Reads the decompressed file: the header line, then each table's rows as whole lines up to its end
 * marker. A line that spans many chunks (a letter's PDF) is gathered in parts and joined once.
 */
class BackupReader {
  readonly #chunks: AsyncIterator<Buffer>;
  #buffer: Buffer = Buffer.alloc(0);

  constructor(chunks: AsyncIterable<Buffer>) {
    this.#chunks = chunks[Symbol.asyncIterator]();
  }

  async header(path: string): Promise<string> {
    try {
      if (!this.#buffer.includes(NEWLINE) && !(await this.#fill(HEADER_LIMIT))) throw notABackup(path);
    } catch {
      throw notABackup(path); // not gzip, or no line within the limit
    }
    const end = this.#buffer.indexOf(NEWLINE);
    const line = this.#buffer.subarray(0, end).toString("utf8");
    this.#buffer = this.#buffer.subarray(end + 1);
    return line;
  }

  /** One table's rows in chunks of whole lines; its `\.` line is consumed, not yielded. */
  async *rows(count: (rows: number) => void): AsyncGenerator<Buffer> {
    for (;;) {
      const buffer = this.#buffer;
      let start = 0;
      let rows = 0;
      for (let end = buffer.indexOf(NEWLINE); end >= 0; end = buffer.indexOf(NEWLINE, start)) {
        if (end === start + 2 && buffer[start] === 0x5c && buffer[start + 1] === 0x2e) {
          this.#buffer = buffer.subarray(end + 1);
          if (start > 0) {
            count(rows);
            yield buffer.subarray(0, start);
          }
          return;
        }
        rows++;
        start = end + 1;
      }
      this.#buffer = buffer.subarray(start);
      if (start > 0) {
        count(rows);
        yield buffer.subarray(0, start);
      }
      if (!(await this.#fill(Number.POSITIVE_INFINITY))) throw damaged("the file ends inside a table");
    }
  }

  /** After the last table: nothing more, and gzip's own check of the whole stream passes. */
  async end(): Promise<void> {
    if (this.#buffer.length > 0 || (await this.#next()) !== null) throw damaged("data after the last table");
  }

  /** Read on until the buffer holds a line end (true) or the file ends (false). */
  async #fill(limit: number): Promise<boolean> {
    const parts = [this.#buffer];
    let size = this.#buffer.length;
    for (;;) {
      const chunk = await this.#next();
      if (chunk === null) {
        this.#buffer = Buffer.concat(parts, size);
        return false;
      }
      parts.push(chunk);
      size += chunk.length;
      if (chunk.includes(NEWLINE)) {
        this.#buffer = Buffer.concat(parts, size);
        return true;
      }
      if (size > limit) throw new Error("line too long");
    }
  }

  async #next(): Promise<Buffer | null> {
    try {
      const next = await this.#chunks.next();
      return next.done ? null : next.value;
    } catch (e) {
      throw damaged((e as Error).message); // zlib: truncated, or a checksum that does not match
    }
  }
}

function countLines(chunk: Buffer): number {
  let n = 0;
  for (let i = chunk.indexOf(NEWLINE); i >= 0; i = chunk.indexOf(NEWLINE, i + 1)) n++;
  return n;
}

function notABackup(path: string): DomainError {
  return new DomainError(
    "BACKUP_NOT_RECOGNISED",
    `Berkas ${path} bukan cadangan Pantau Jakon / ${path} is not a Pantau Jakon backup`,
  );
}

function damaged(detail: string): DomainError {
  return new DomainError(
    "BACKUP_DAMAGED",
    `Berkas cadangan rusak atau terpotong; tidak ada yang dipulihkan / ` +
      `the backup file is damaged or truncated, nothing was restored (${detail})`,
  );
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** What backup and restore need of either engine, inside one transaction. */
interface Session {
  rows<T>(text: string, params?: unknown[]): Promise<T[]>;
  copyOut(table: string, columns: readonly string[]): AsyncIterable<Buffer>;
  copyIn(table: string, columns: readonly string[], data: AsyncIterable<Buffer>): Promise<void>;
}

/**
 * One transaction on the engine underneath Kysely (which cannot COPY). The settings make COPY text
 * mean the same on both sides whatever the server's defaults: ISO dates, full float precision, UTF-8.
 */
async function inTransaction<T>(
  database: Database,
  mode: "read" | "write",
  body: (session: Session) => Promise<T>,
): Promise<T> {
  const settings = [
    "set local datestyle = 'ISO'",
    "set local intervalstyle = 'postgres'",
    "set local extra_float_digits = 3",
    "set local client_encoding = 'UTF8'",
  ];
  const { driver } = database;
  if ("pglite" in driver) {
    // PGlite is one connection and its transaction holds it: the snapshot cannot move under us.
    return driver.pglite.transaction(async (tx) => {
      for (const s of settings) await tx.query(s);
      return body(pgliteSession(tx));
    });
  }
  const client = await driver.pool.connect();
  let broken = false;
  try {
    await client.query(mode === "read" ? "begin isolation level repeatable read, read only" : "begin");
    for (const s of settings) await client.query(s);
    const result = await body(postgresSession(client));
    await client.query("commit");
    return result;
  } catch (e) {
    await client.query("rollback").catch(() => {
      broken = true; // the connection is gone; the server rolls back when it notices
    });
    throw e;
  } finally {
    client.release(broken);
  }
}

function columnList(columns: readonly string[]): string {
  return columns.map(quoteIdent).join(", ");
}

function postgresSession(client: pg.PoolClient): Session {
  return {
    rows: async <T>(text: string, params: unknown[] = []) => (await client.query(text, params)).rows as T[],
    copyOut: (table, columns) =>
      client.query(copyTo(`copy ${quoteIdent(table)} (${columnList(columns)}) to stdout`)),
    copyIn: (table, columns, data) =>
      pipeline(
        Readable.from(data),
        client.query(copyFrom(`copy ${quoteIdent(table)} (${columnList(columns)}) from stdin`)),
      ),
  };
}

function pgliteSession(tx: PGliteTransaction): Session {
  return {
    rows: async <T>(text: string, params: unknown[] = []) => (await tx.query<T>(text, params)).rows,
    // A COPY TO the blob device gathers the whole result in memory: copy the heap in ranges of pages
    // (tid range scans), each about CHUNK_BYTES of table, toasted values included.
    async *copyOut(table, columns) {
      const [size] = (
        await tx.query<{ pages: string; bytes: string }>(
          `select (pg_relation_size(c.oid) / current_setting('block_size')::int)::text as pages,
                  pg_table_size(c.oid)::text as bytes
           from pg_class c where c.oid = $1::regclass`,
          [quoteIdent(table)],
        )
      ).rows;
      const pages = Number(size?.pages);
      const step = Math.max(1, Math.floor((CHUNK_BYTES * pages) / Math.max(1, Number(size?.bytes))));
      for (let from = 0; from === 0 || from < pages; from += step) {
        // The last range is open-ended: nothing the snapshot sees can lie beyond it.
        const upTo = from + step < pages ? ` and ctid < '(${from + step},0)'::tid` : "";
        const result = await tx.query(
          `copy (select ${columnList(columns)} from ${quoteIdent(table)}
                 where ctid >= '(${from},0)'::tid${upTo}) to '/dev/blob'`,
        );
        if (result.blob) yield Buffer.from(await result.blob.arrayBuffer());
      }
    },
    async copyIn(table, columns, data) {
      const text = `copy ${quoteIdent(table)} (${columnList(columns)}) from '/dev/blob'`;
      let parts: Buffer[] = [];
      let size = 0;
      const flush = async () => {
        if (size > 0) await tx.query(text, [], { blob: new Blob(parts) });
        parts = [];
        size = 0;
      };
      for await (const chunk of data) {
        parts.push(chunk);
        size += chunk.length;
        if (size >= CHUNK_BYTES) await flush();
      }
      await flush();
    },
  };
}
