import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { inject } from "vitest";
import { type Database, openDatabase, PGLITE_PARSERS } from "../../src/db/connection.js";
import { adminQuery, withDatabaseName } from "./postgres.js";

/**
 * The integration suites run on every available backend: embedded PGlite always, and a real
 * PostgreSQL server when DATABASE_URL is set (as `.ci/run` does). Each call gives a fresh database
 * copied from the migrated snapshot of test/support/global-setup.ts, so no test sees another's data.
 */
export type Backend = "pglite" | "postgres";

export const backends: Backend[] = process.env.DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];

export interface TestDatabase extends Database {
  /** The connection URL (postgres) or null (PGlite, in this process only). */
  url: string | null;
}

let snapshot: Blob | null = null;

export async function freshDatabase(backend: Backend): Promise<TestDatabase> {
  if (backend === "pglite") {
    snapshot ??= new Blob([readFileSync(inject("pgliteSnapshot"))]);
    const pglite = await PGlite.create({ loadDataDir: snapshot, parsers: PGLITE_PARSERS });
    return { ...(await openDatabase({ pglite })), url: null };
  }
  const serverUrl = process.env.DATABASE_URL as string;
  const template = inject("postgresTemplate");
  if (!template) throw new Error("DATABASE_URL is set but global setup made no template database");
  const name = `pantau_test_${randomBytes(6).toString("hex")}`;
  await adminQuery(serverUrl, `create database ${name} template ${template}`);
  const url = withDatabaseName(serverUrl, name);
  const database = await openDatabase({ url });
  return {
    ...database,
    url,
    close: async () => {
      await database.close();
      await dropWhenIdle(serverUrl, name);
    },
  };
}

/**
 * Drop a test database once its last connection has gone. `WITH (FORCE)` would kill a backend that a
 * just-closed pool is still saying goodbye to, and the dying client reports that as an unhandled error.
 */
async function dropWhenIdle(serverUrl: string, name: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await adminQuery(serverUrl, `drop database if exists ${name}`);
      return;
    } catch (e) {
      if ((e as { code?: string }).code !== "55006" || attempt >= 50) throw e; // 55006: still in use
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
