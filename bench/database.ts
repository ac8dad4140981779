import { randomBytes } from "node:crypto";
import { type Database, openDatabase } from "../src/db/connection.js";
import { migrateToLatest } from "../src/db/migrate.js";
import { loadNational } from "../src/demo/load-national.js";
import { adminQuery, withDatabaseName } from "../test/support/postgres.js";

/**
 * A fresh, migrated database of its own on the PostgreSQL server of `serverUrl` (default DATABASE_URL;
 * bench/with-postgres.sh starts a throw-away server when it is unset), dropped again by `drop()`.
 * `close()` may come before `drop()`, and the server may have been restarted in between (the drills do).
 */
export async function benchDatabase(
  bench: string,
  serverUrl = process.env.DATABASE_URL,
): Promise<Database & { url: string; drop(): Promise<void> }> {
  if (!serverUrl)
    throw new Error(`${bench} needs DATABASE_URL (bench/with-postgres.sh starts a server when unset)`);
  const name = `pantau_bench_${randomBytes(4).toString("hex")}`;
  await adminQuery(serverUrl, `create database ${name}`);
  const url = withDatabaseName(serverUrl, name);
  const database = await openDatabase({ url });
  await migrateToLatest(database.db);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await database.close();
  };
  return {
    ...database,
    close,
    url,
    drop: async () => {
      await close();
      await adminQuery(serverUrl, `drop database ${name}`);
    },
  };
}

/** Rows in a table, for the figures a benchmark prints. */
export async function countRows(
  database: Database,
  table: "assignment" | "project" | "finding",
): Promise<number> {
  return Number(
    (await database.db.selectFrom(table).select(database.db.fn.countAll().as("n")).executeTakeFirstOrThrow())
      .n,
  );
}

/**
 * A bench database holding the synthetic national data set (`pantau demo national`), sized by
 * BENCH_NATIONAL_WORKERS (default 10 million assignments; 0 skips: null) and BENCH_NATIONAL_PROJECTS
 * (default one per 20 workers), its load time and memory printed.
 */
export async function nationalDatabase(
  bench: string,
): Promise<Awaited<ReturnType<typeof benchDatabase>> | null> {
  const workers = Number(process.env.BENCH_NATIONAL_WORKERS ?? 10_000_000);
  const projects = Number(process.env.BENCH_NATIONAL_PROJECTS ?? workers / 20);
  if (workers <= 0) return null;
  const nat = await benchDatabase(bench);
  const loaded = await loadNational(nat.db, nat.url, { workers, projects, seed: 2025 });
  console.log(
    `national data set: ${loaded.regencies} regencies, ${loaded.projects} projects, ${loaded.workers} assignments, ` +
      `loaded with COPY in ${loaded.seconds} s (peak RSS ${loaded.peakRssMb} MB)`,
  );
  return nat;
}

/**
 * Run `fn` and give its wall-clock time in milliseconds with its value, and the process's peak resident
 * memory in MB while it ran (sampled every 50 ms).
 */
export async function time<T>(fn: () => Promise<T>): Promise<[number, T, number]> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const t0 = performance.now();
  try {
    const value = await fn();
    return [performance.now() - t0, value, Math.round(Math.max(peak, process.memoryUsage().rss) / 2 ** 20)];
  } finally {
    clearInterval(sampler);
  }
}
