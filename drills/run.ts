/**
 * `npm run drill` (issue 9): crash, load and race drills against the real server processes
 * (`node bin/pantau.js serve`, `pantau import`, `pantau audit verify`), each judged from the database
 * afterwards. Prints one table; exits non-zero when an event is lost or duplicated or a check fails.
 * What each drill does and its knobs: docs/reliability.md.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Random } from "../src/demo/random.js";
import { backupDrill } from "./backup.js";
import { startCluster } from "./cluster.js";
import { type DrillContext, type DrillRow, knob } from "./drill.js";
import { importCrashDrill } from "./import-crash.js";
import { loadDrill } from "./load.js";
import { raceDrill } from "./races.js";
import { reportCrashDrill } from "./report-crash.js";
import { checkTheLedger } from "./self-check.js";
import { suitesDrill } from "./suites.js";

const started = performance.now();
const seed = knob("DRILL_SEED", Math.floor(Math.random() * 2 ** 31));
const only = new Set((process.env.DRILL_ONLY ?? "1,2,3,4,5,6").split(",").map((s) => s.trim()));
const dir = mkdtempSync(join(tmpdir(), "pantau-drill-"));
// The drill's own process seals no NIK, but the NIK vault reads its key file under the data directory
// on first use: keep that in the drill's directory, not in the repository's ./data.
process.env.PANTAU_DATA_DIR = join(dir, "drill-process");
delete process.env.DATABASE_URL;
// One NIK key for this process and every pantau process it starts (they inherit the environment), so a
// database written by one is readable by the others, as in a deployment.
process.env.PANTAU_NIK_KEY ??= randomBytes(32).toString("hex");

const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
const say = (message: string) => console.log(`[${elapsed()}] ${message}`);

const cluster = await startCluster();
say(`PostgreSQL (throw-away, ${cluster.durability()}), seed ${seed}, files in ${dir}`);
const ctx: DrillContext = { cluster, dir, rnd: new Random(seed), say };
const missed = await checkTheLedger();
say(
  missed.length === 0
    ? "ledger self-check: the planted faults (a lost event, a second stint, torn batches, a stray event) were all caught"
    : `ledger self-check FAILED: ${missed.join("; ")}`,
);

const drills: [string, string, () => Promise<DrillRow[]>][] = [
  ["1", "crash during a 1 M-row import", () => importCrashDrill(ctx)],
  ["2", "crash during report batches, PostgreSQL", () => reportCrashDrill(ctx, "postgres")],
  ["2", "crash during report batches, PGlite", () => reportCrashDrill(ctx, "pglite")],
  ["3", "load: contractors and dashboard readers", () => loadDrill(ctx)],
  ["4", "replays and races", () => raceDrill(ctx)],
  ["5", "backup, restore across engines, tampered audit row", () => backupDrill(ctx)],
  ["6", "bad input, security, backup and audit test suites", () => suitesDrill(ctx)],
];
const rows: DrillRow[] = [];
try {
  for (const [id, title, drill] of drills) {
    if (!only.has(id)) continue;
    say(`drill ${id}: ${title}`);
    try {
      rows.push(...(await drill()));
    } catch (e) {
      rows.push({
        scenario: `${id} ${title}`,
        load: "",
        faults: "",
        tally: { sent: 0, acknowledged: 0, present: 0, lost: 0, duplicated: 0 },
        failures: [`the drill stopped: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`],
      });
    }
  }
} finally {
  cluster.remove();
  if (!process.env.DRILL_KEEP) rmSync(dir, { recursive: true, force: true });
}

printTable(rows);
const failed = rows.filter(
  (r) => r.failures.length > 0 || (r.tally?.lost ?? 0) > 0 || (r.tally?.duplicated ?? 0) > 0,
);
const passed = failed.length === 0 && missed.length === 0;
console.log(
  `\n${passed ? "All drills passed" : `${failed.length} of ${rows.length} lines FAILED${missed.length > 0 ? ", and the ledger self-check" : ""}`} ` +
    `in ${elapsed()} (seed ${seed}; DRILL_SEED=${seed} repeats the crash moments).`,
);
process.exit(passed ? 0 : 1);

function printTable(lines: DrillRow[]): void {
  const n = (x: number | undefined) => (x === undefined ? "–" : x.toLocaleString("en-US"));
  const table = [
    ["scenario", "load", "faults injected", "sent", "acked", "present", "lost", "dup", "checks"],
    ...lines.map((r) => [
      r.scenario,
      r.load,
      r.faults,
      n(r.tally?.sent),
      n(r.tally?.acknowledged),
      n(r.tally?.present),
      n(r.tally?.lost),
      n(r.tally?.duplicated),
      r.failures.length === 0 ? "ok" : `FAILED (${r.failures.length})`,
    ]),
  ];
  const widths = (table[0] as string[]).map((_, c) =>
    Math.max(...table.map((row) => (row[c] as string).length)),
  );
  const numeric = new Set([3, 4, 5, 6, 7]);
  const line = (row: string[]) =>
    `| ${row.map((cell, c) => (numeric.has(c) ? cell.padStart(widths[c] as number) : cell.padEnd(widths[c] as number))).join(" | ")} |`;
  console.log("");
  console.log(line(table[0] as string[]));
  console.log(
    `|${widths.map((w, c) => (numeric.has(c) ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2))).join("|")}|`,
  );
  for (const row of table.slice(1)) console.log(line(row));
  for (const r of lines) {
    for (const note of r.notes ?? []) console.log(`  ${note}`);
    for (const failure of r.failures) console.log(`  FAILED ${r.scenario}: ${failure}`);
  }
}
