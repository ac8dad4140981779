import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { TestProject } from "vitest/node";
import { openDatabase, PGLITE_PARSERS } from "../../src/db/connection.js";
import { migrateToLatest } from "../../src/db/migrate.js";
import { adminQuery, withDatabaseName } from "./postgres.js";

/**
 * Migrate once per test run: a PGlite data-dir snapshot on disk, and (with DATABASE_URL) a PostgreSQL
 * template database. Each test then copies one of them, which takes milliseconds, not seconds.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), "pantau-test-"));
  const pglite = await PGlite.create({ parsers: PGLITE_PARSERS });
  const database = await openDatabase({ pglite });
  await migrateToLatest(database.db);
  const snapshot = await pglite.dumpDataDir("none");
  const snapshotPath = join(dir, "pglite-migrated.tar");
  writeFileSync(snapshotPath, Buffer.from(await snapshot.arrayBuffer()));
  await database.close();
  project.provide("pgliteSnapshot", snapshotPath);

  const serverUrl = process.env.DATABASE_URL;
  let template: string | null = null;
  if (serverUrl) {
    template = `pantau_tmpl_${randomBytes(6).toString("hex")}`;
    await adminQuery(serverUrl, `create database ${template}`);
    const pgDatabase = await openDatabase({ url: withDatabaseName(serverUrl, template) });
    await migrateToLatest(pgDatabase.db);
    await pgDatabase.close();
  }
  project.provide("postgresTemplate", template);

  return async () => {
    rmSync(dir, { recursive: true, force: true });
    if (serverUrl && template)
      await adminQuery(serverUrl, `drop database if exists ${template} with (force)`);
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    pgliteSnapshot: string;
    postgresTemplate: string | null;
  }
}
