/**
 * `npm run bench:compliance`: compliance runs over the Sanggau demo on PostgreSQL, beside their
 * baseline measured in the same run — loading the same snapshot of facts with no rule evaluated and
 * nothing written. Prints findings per second and the ratio run/baseline. Then the same over the
 * synthetic national data set (`pantau demo national`; BENCH_NATIONAL_WORKERS, default 10 million
 * assignments, 0 to skip), one full run per regency.
 */

import { loadSanggauDemo } from "../src/demo/load.js";
import { SANGGAU } from "../src/demo/sanggau.js";
import { systemActor } from "../src/services/actor.js";
import { loadSnapshots, runCompliance } from "../src/services/compliance.js";
import { benchDatabase, countRows, nationalDatabase, time } from "./database.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const database = await benchDatabase("bench:compliance");
const actor = systemActor("bench");
await loadSanggauDemo(database.db, { seed: 2025, today: "2026-01-01", actor });
const assignments = await countRows(database, "assignment");

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

// Dates through the year so that every run has real changes to reconcile (findings opened and resolved).
const dates = [
  "2025-04-30",
  "2025-05-31",
  "2025-06-30",
  "2025-07-30",
  "2025-08-31",
  "2025-09-30",
  "2025-10-31",
].slice(0, ROUNDS);
const baseline: number[] = [];
const runs: number[] = [];
let findings = 0;
for (const date of dates) {
  baseline.push((await time(() => loadSnapshots(database.db, SANGGAU.regencyCode, date)))[0]);
  const [ms, s] = await time(() =>
    runCompliance(database.db, { regencyCode: SANGGAU.regencyCode, date }, actor),
  );
  runs.push(ms);
  findings += s.opened + s.updated;
  console.log(
    `  ${date} (${s.mode}): ${s.projects} projects evaluated, ${s.opened} opened, ${s.updated} updated, ${s.resolved} resolved, ${s.casesOpened} cases opened`,
  );
}
const [fullRun] = await time(() =>
  runCompliance(
    database.db,
    { regencyCode: SANGGAU.regencyCode, date: dates.at(-1) as string, full: true },
    actor,
  ),
);
const run = median(runs);
const base = median(baseline);
console.log(
  `bench:compliance — Sanggau demo (${assignments} assignments), PostgreSQL, median of ${dates.length} runs`,
);
console.log(`snapshot load only (baseline): ${base.toFixed(0)} ms`);
console.log(
  `run (evaluate + reconcile + cases): ${run.toFixed(0)} ms — ratio run/baseline ${(run / base).toFixed(2)}`,
);
console.log(`one full run (--full) at ${dates.at(-1)}: ${fullRun.toFixed(0)} ms`);
console.log(
  `findings evaluated and written: ${(findings / (runs.reduce((a, b) => a + b, 0) / 1000)).toFixed(0)} per second`,
);

await database.drop();

// The national data set: every regency, millions of assignments, one full run per regency.
const nat = await nationalDatabase("bench:compliance");
if (nat) {
  const regencies = (
    await nat.db.selectFrom("region").select("code").where("level", "=", "regency").orderBy("code").execute()
  ).map((r) => r.code);
  const date = SANGGAU.snapshotDate;
  const [loadAll] = await time(async () => {
    for (const r of regencies) await loadSnapshots(nat.db, r, date);
  });
  let opened = 0;
  const [runAll] = await time(async () => {
    for (const r of regencies)
      opened += (await runCompliance(nat.db, { regencyCode: r, date, full: true }, actor)).opened;
  });
  console.log(`national snapshot loads only (baseline), all regencies: ${(loadAll / 1000).toFixed(1)} s`);
  console.log(
    `national full compliance run, all regencies on ${date}: ${(runAll / 1000).toFixed(1)} s — ${opened} findings, ` +
      `${(opened / (runAll / 1000)).toFixed(0)} per second, ratio run/baseline ${(runAll / loadAll).toFixed(2)}`,
  );
  await nat.drop();
}
