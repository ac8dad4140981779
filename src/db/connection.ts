import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { PGlite, types as pgliteTypes } from "@electric-sql/pglite";
import { Kysely, PGliteDialect, PostgresDialect } from "kysely";
import pg from "pg";
import { DomainError } from "../domain/errors.js";
import type { DB } from "./schema.js";

export type Db = Kysely<DB>;

export interface Database {
  db: Db;
  /**
   * Connections for requests that only read (the HTTP server's GET requests and the public check). On
   * PostgreSQL a second, small pool: a writer holds its connection from BEGIN to COMMIT, queueing for
   * the audit chain's and its regency's coverage locks, so with a few hundred writers the pool's queue
   * is long, and a dashboard read would wait its place in it for every query (docs/reliability.md,
   * finding 2). Two, not more: with four, a crowd of dashboards took so much of a two-core server that
   * the writers' rate fell by a third (measured, same finding). On PGlite one connection serves both,
   * and this is `db`.
   */
  reads: Db;
  kind: "pglite" | "postgres";
  /** The driver underneath, for what Kysely cannot say: COPY (src/services/backup.ts). */
  driver: { pglite: PGlite } | { pool: pg.Pool };
  close(): Promise<void>;
}

/** Where the data lives: a PostgreSQL server URL, a PGlite directory, or PGlite in memory (tests). */
export type DatabaseTarget = { url: string } | { dataDir: string } | { memory: true } | { pglite: PGlite };

/** Connections per process to a PostgreSQL server: `db`'s pool and the reads' pool (`Database.reads`). */
export const WRITE_CONNECTIONS = 10;
const READ_CONNECTIONS = 2;

const DATE_OID = 1082;
const INT8_OID = 20;

/** int8 ids and rupiah amounts stay far below 2^53; refuse silently wrong numbers all the same. */
function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`bigint value ${value} exceeds the safe integer range`);
  return n;
}

/** Both drivers return `date` as the ISO string and `bigint` as a number (schema.ts relies on it). */
const identity = (value: string) => value;

/** Pass these when creating a PGlite instance yourself (e.g. a clone in tests). */
export const PGLITE_PARSERS = { [pgliteTypes.DATE]: identity, [pgliteTypes.INT8]: parseInt8 };

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if ("url" in target) {
    const pool = postgresPool(target.url, WRITE_CONNECTIONS);
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    const reads = new Kysely<DB>({
      dialect: new PostgresDialect({ pool: postgresPool(target.url, READ_CONNECTIONS) }),
    });
    return {
      db,
      reads,
      kind: "postgres",
      driver: { pool },
      close: async () => {
        await Promise.all([db.destroy(), reads.destroy()]);
      },
    };
  }
  if ("pglite" in target) return pgliteDatabase(target.pglite, () => {});
  if ("memory" in target) return pgliteDatabase(await PGlite.create({ parsers: PGLITE_PARSERS }), () => {});
  mkdirSync(target.dataDir, { recursive: true });
  const unlock = lockDataDir(target.dataDir);
  try {
    return pgliteDatabase(await PGlite.create(target.dataDir, { parsers: PGLITE_PARSERS }), unlock);
  } catch (e) {
    unlock();
    throw e;
  }
}

/**
 * How this process names its PostgreSQL connections (`application_name`): a task that must run alone,
 * such as the NIK key rotation, finds other pantau processes' connections by it.
 */
export function applicationName(): string {
  return `pantau/${process.pid}`;
}

function postgresPool(url: string, max: number): pg.Pool {
  return new pg.Pool({
    connectionString: url,
    application_name: applicationName(),
    max,
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") => {
        if (oid === DATE_OID) return identity;
        if (oid === INT8_OID) return parseInt8;
        return pg.types.getTypeParser(oid, format);
      }) as typeof pg.types.getTypeParser,
    },
  });
}

function pgliteDatabase(pglite: PGlite, unlock: () => void): Database {
  const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) });
  return {
    db,
    reads: db,
    kind: "pglite",
    driver: { pglite },
    close: async () => {
      try {
        await db.destroy();
      } finally {
        unlock();
      }
    },
  };
}

/**
 * PGlite is a single-user PostgreSQL: a second process opening the same data directory would write
 * over the first one's files. An exclusive lock file holding the pid makes the second one fail fast;
 * a lock whose process is gone (a crash, a kill -9) is taken over. Two processes taking over the same
 * stale lock at the very same moment could both succeed: rare enough for one officer's machine.
 */
function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, ".pantau.lock");
  // Written aside and linked into place, so the lock is never seen empty; link fails if it exists.
  const mine = `${path}.${process.pid}`;
  writeFileSync(mine, `${process.pid}\n`);
  try {
    while (!tryLink(mine, path)) {
      const holder = lockHolder(path);
      if (holder !== null && isAlive(holder)) {
        const dir = resolve(dataDir);
        throw new DomainError(
          "DATA_DIR_LOCKED",
          `Direktori data ${dir} sedang dipakai proses ${holder}; hentikan proses itu dulu / ` +
            `the data directory ${dir} is in use by process ${holder}; stop it first ` +
            `(if no such process runs, delete ${join(dir, ".pantau.lock")})`,
          { dataDir: dir, pid: holder },
        );
      }
      rmSync(path, { force: true }); // stale: its process is gone
    }
  } finally {
    rmSync(mine, { force: true });
  }
  const release = () => {
    process.off("exit", release);
    rmSync(path, { force: true });
  };
  process.on("exit", release); // process.exit() without close; a kill leaves a stale lock, taken over
  return release;
}

function tryLink(from: string, to: string): boolean {
  try {
    linkSync(from, to);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  }
}

/** The pid in a lock file; null when it vanished meanwhile or holds no pid. */
function lockHolder(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, "utf8"), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0 only asks whether the process exists
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM"; // exists, owned by another user
  }
}
