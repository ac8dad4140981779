import { mkdirSync } from "node:fs";
import { PGlite, types as pgliteTypes } from "@electric-sql/pglite";
import { Kysely, PGliteDialect, PostgresDialect } from "kysely";
import pg from "pg";
import type { DB } from "./schema.js";

export type Db = Kysely<DB>;

export interface Database {
  db: Db;
  kind: "pglite" | "postgres";
  close(): Promise<void>;
}

/** Where the data lives: a PostgreSQL server URL, a PGlite directory, or PGlite in memory (tests). */
export type DatabaseTarget = { url: string } | { dataDir: string } | { memory: true } | { pglite: PGlite };

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
    const pool = new pg.Pool({
      connectionString: target.url,
      max: 10,
      types: {
        getTypeParser: ((oid: number, format?: "text" | "binary") => {
          if (oid === DATE_OID) return identity;
          if (oid === INT8_OID) return parseInt8;
          return pg.types.getTypeParser(oid, format);
        }) as typeof pg.types.getTypeParser,
      },
    });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: "postgres", close: () => db.destroy() };
  }
  if ("dataDir" in target) mkdirSync(target.dataDir, { recursive: true });
  const pglite =
    "pglite" in target
      ? target.pglite
      : await PGlite.create("dataDir" in target ? target.dataDir : undefined, { parsers: PGLITE_PARSERS });
  const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) });
  return { db, kind: "pglite", close: () => db.destroy() };
}
