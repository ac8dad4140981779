import { execFileSync } from "node:child_process";
import { chownSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A throw-away PostgreSQL server for the drills, unlike scripts/temp-postgres.sh (which the benchmarks
 * use) in two ways: it keeps PostgreSQL's durability defaults (fsync, synchronous_commit and
 * full_page_writes on; the benchmarks turn fsync off), because a crash drill on a server that may lose
 * its last commits proves nothing; and it can be crashed and started again, which the drills need.
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` user.
 */
export interface Cluster {
  /** postgres://… of the `postgres` database, for creating the drills' own databases. */
  url: string;
  /** Kill PostgreSQL without a checkpoint (`pg_ctl stop -m immediate`): it replays its WAL at the next start. */
  crash(): void;
  start(): void;
  /** Stop the server and delete its files. */
  remove(): void;
  /** The settings that decide durability, as the server reports them. */
  durability(): string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startCluster(): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), "pantau-drill-pg-"));
  const root = process.getuid?.() === 0;
  if (root) chownSync(dir, Number(execFileSync("id", ["-u", "postgres"]).toString().trim()), 0);
  const asPostgres = (command: string, args: string[]) =>
    root
      ? execFileSync("runuser", ["-u", "postgres", "--", command, ...args], { stdio: "pipe" })
      : execFileSync(command, args, { stdio: "pipe" });
  const port = await freePort();
  const data = join(dir, "data");
  asPostgres("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale"]);
  // DRILL_PG_OPTIONS adds server options, e.g. "-c synchronous_commit=off" to watch the drills catch
  // a server that acknowledges commits before they are in its WAL on disk.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=300 ${process.env.DRILL_PG_OPTIONS ?? ""}`;
  const cluster: Cluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start: () => {
      asPostgres("pg_ctl", ["-D", data, "-l", join(dir, "log"), "-w", "-t", "300", "-o", options, "start"]);
    },
    crash: () => {
      asPostgres("pg_ctl", ["-D", data, "-m", "immediate", "stop"]);
    },
    remove: () => {
      try {
        asPostgres("pg_ctl", ["-D", data, "-m", "immediate", "stop"]);
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
    durability: () =>
      asPostgres("psql", [
        "-h",
        dir,
        "-p",
        String(port),
        "-U",
        "postgres",
        "-At",
        "-c",
        "select string_agg(name || '=' || setting, ', ' order by name) from pg_settings " +
          "where name in ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method')",
      ])
        .toString()
        .trim(),
  };
  cluster.start();
  return cluster;
}
