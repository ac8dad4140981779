/**
 * `npm run bench:monev`: the Monev report (figures, then XLSX and PDF) on PostgreSQL. The baseline, in
 * the same run, is the same report for the Sanggau demo (16 thousand assignments); then the synthetic
 * national data set (`pantau demo national`; BENCH_NATIONAL_WORKERS, default 10 million assignments),
 * for its largest regency and for Sanggau's place in it. Each report is made twice, first and again
 * (caches warmed by the first), and the rebuild of the largest regency's kept coverage is timed.
 */

import type { Db } from "../src/db/connection.js";
import { loadSanggauDemo } from "../src/demo/load.js";
import { SANGGAU } from "../src/demo/sanggau.js";
import { renderMonevPdf } from "../src/reports/monev-pdf.js";
import { renderMonevXlsx } from "../src/reports/monev-xlsx.js";
import { systemActor } from "../src/services/actor.js";
import { rebuildCoverage } from "../src/services/coverage-aggregates.js";
import { monevReport } from "../src/services/monev.js";
import { benchDatabase, countRows, nationalDatabase, time } from "./database.js";

const actor = systemActor("bench");
const PERIOD = "2025-07";
const TODAY = SANGGAU.snapshotDate;

/** One report end to end: the figures, then both files. */
async function report(db: Db, regionCode: string) {
  const [ms, bytes] = await time(async () => {
    const r = await monevReport(db, { regionCode, period: PERIOD }, actor, TODAY);
    return (await renderMonevXlsx(r)).byteLength + (await renderMonevPdf(r)).byteLength;
  });
  return { ms, bytes };
}

async function twice(db: Db, label: string, regionCode: string) {
  const first = await report(db, regionCode);
  const again = await report(db, regionCode);
  console.log(
    `${label}: first ${first.ms.toFixed(0)} ms, again ${again.ms.toFixed(0)} ms (${(first.bytes / 1024).toFixed(0)} KiB XLSX + PDF)`,
  );
  return { first: first.ms, again: again.ms };
}

const demo = await benchDatabase("bench:monev");
await loadSanggauDemo(demo.db, { seed: 2025, today: "2026-01-15", actor });
const demoAssignments = await countRows(demo, "assignment");
await report(demo.db, SANGGAU.regencyCode); // warms the code paths and fonts once
const base = await twice(
  demo.db,
  `baseline — Sanggau demo (${demoAssignments} assignments)`,
  SANGGAU.regencyCode,
);
await demo.drop();

const nat = await nationalDatabase("bench:monev");
if (nat) {
  const largest = await nat.db
    .selectFrom("assignment")
    .select(["regency_code", nat.db.fn.countAll<number>().as("n")])
    .groupBy("regency_code")
    .orderBy("n", "desc")
    .limit(1)
    .executeTakeFirstOrThrow();
  const big = await twice(
    nat.db,
    `national, largest regency ${largest.regency_code} (${largest.n} assignments)`,
    largest.regency_code,
  );
  const sanggau = await twice(nat.db, `national, ${SANGGAU.regencyCode}`, SANGGAU.regencyCode);
  const [rebuildMs, rebuilt] = await time(() => rebuildCoverage(nat.db, largest.regency_code));
  console.log(
    `rebuild of the kept coverage of ${largest.regency_code}: ${rebuilt.changes} rows in ${(rebuildMs / 1000).toFixed(1)} s`,
  );
  console.log(
    `ratio national largest/demo: first ${(big.first / base.first).toFixed(2)}, again ${(big.again / base.again).toFixed(2)}; ` +
      `again/first: largest ${(big.again / big.first).toFixed(2)}, ${SANGGAU.regencyCode} ${(sanggau.again / sanggau.first).toFixed(2)}`,
  );
  await nat.drop();
}
