import { join } from "node:path";
import { type Database, openDatabase } from "../src/db/connection.js";
import type { Random } from "../src/demo/random.js";
import type { Cluster } from "./cluster.js";
import type { Tally } from "./ledger.js";
import type { Target } from "./processes.js";

/** What every drill gets from the runner. */
export interface DrillContext {
  cluster: Cluster;
  /** A temporary directory for the drill's data directories, files and process logs. */
  dir: string;
  rnd: Random;
  say(message: string): void;
}

/** One line of the drills' table. */
export interface DrillRow {
  scenario: string;
  load: string;
  faults: string;
  /** Events (or rows) sent, acknowledged and found; absent for a line that counts tests, not events. */
  tally?: Pick<Tally, "sent" | "acknowledged" | "present" | "lost" | "duplicated">;
  /** Checks that failed, in words: the drill fails when any line has one. */
  failures: string[];
  /** Figures worth printing beside the table (latencies, timings). */
  notes?: string[];
}

/** Read a target's database from the drill's own process (for PGlite: only while no server runs on it). */
export async function withTarget<T>(target: Target, body: (database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase(
    target.databaseUrl ? { url: target.databaseUrl } : { dataDir: target.dataDir },
  );
  try {
    return await body(database);
  } finally {
    await database.close();
  }
}

export const dataDir = (ctx: DrillContext, name: string) => join(ctx.dir, name);

/** A random whole number of milliseconds in [min, max] seconds. */
export const momentMs = (ctx: DrillContext, [min, max]: readonly [number, number]) =>
  Math.round((min + ctx.rnd.float() * (max - min)) * 1000);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A number from the environment, or the default. */
export function knob(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`${name} must be a number, got ${value}`);
  return n;
}

/** A range "min-max" (seconds) from the environment, or the default. */
export function rangeKnob(name: string, fallback: readonly [number, number]): readonly [number, number] {
  const value = process.env[name];
  if (!value) return fallback;
  const m = /^(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?$/.exec(value);
  if (!m) throw new Error(`${name} must be seconds or a range like 3-10, got ${value}`);
  return [Number(m[1]), Number(m[2] ?? m[1])];
}
