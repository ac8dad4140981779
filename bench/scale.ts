/**
 * `npm run bench:scale` (issue 8), on PostgreSQL, each figure beside a baseline from the same run:
 * 1. ingest: BENCH_INGEST_ROWS (default 1 M) worker rows of a CSV file through the product's bulk
 *    import (parse, validate, set-based checks, merge, coverage kept) vs raw `COPY` of the same file
 *    into an unindexed table of text columns;
 * 2. coverage at the national scale (BENCH_NATIONAL_WORKERS, default 10 M assignments): p50/p99 of the
 *    dashboard's overview, by-sub-district and by-contractor queries over sampled regencies, vs the
 *    naive `GROUP BY` over the assignments for the same regencies and day;
 * 3. POST /api/v1/projects/:id/reports requests/s with the national data present vs an empty database,
 *    the reporting projects placed in the regency with the most assignments.
 */
import { appendFileSync, createReadStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { Db } from "../src/db/connection.js";
import { loadNational } from "../src/demo/load-national.js";
import { Random } from "../src/demo/random.js";
import { addDays, type IsoDate, minDate } from "../src/domain/dates.js";
import { composeNik } from "../src/domain/nik.js";
import { systemActor } from "../src/services/actor.js";
import { coverageAt, coverageBreakdown } from "../src/services/coverage.js";
import { countCoverage } from "../src/services/coverage-aggregates.js";
import { importWorkers, WORKER_COLUMNS, WORKER_REQUIRED } from "../src/services/imports.js";
import { readTable } from "../src/services/tabular.js";
import { benchDatabase, nationalDatabase, time } from "./database.js";
import { reportLoad } from "./report-load.js";

const actor = systemActor("bench");
const TODAY: IsoDate = "2026-12-31";
const DATE: IsoDate = "2025-07-30";
const INGEST_ROWS = Number(process.env.BENCH_INGEST_ROWS ?? 1_000_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 100);
const LOAD = { connections: 16, seconds: Number(process.env.BENCH_SECONDS ?? 10) };

const percentile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(q * s.length) - 1)] as number;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

// 1. Ingest ---------------------------------------------------------------------------------------
{
  const db = await benchDatabase("bench:scale");
  const perProject = 50;
  await loadNational(db.db, db.url, {
    workers: 0,
    projects: Math.ceil(INGEST_ROWS / perProject),
    seed: 2025,
  });
  const projects = await db.db
    .selectFrom("project")
    .select(["code", "district_code", "spmk_date", "end_date"])
    .orderBy("id")
    .execute();
  const dir = mkdtempSync(join(tmpdir(), "bench-scale-"));
  const path = join(dir, "workers.csv");
  // Written in parts, so that the bench holds no copy of the file while the import runs.
  writeFileSync(path, "kode_proyek,nik,nama,tanggal_lahir,jenis_kelamin,peristiwa,tanggal\n");
  let lines: string[] = [];
  let i = 0;
  for (const p of projects) {
    for (let k = 0; k < perProject && i < INGEST_ROWS; k++, i++) {
      // One NIK per row: (birth date, serial) derived one-to-one from the row's number.
      const birthDate = addDays("1962-01-01", (Math.floor(i / 9999) * 7919) % 16000);
      const nik = composeNik({ regionCode: p.district_code, birthDate, sex: "M", serial: (i % 9999) + 1 });
      const joined = minDate(addDays(p.spmk_date, k % 7), p.end_date);
      lines.push(`${p.code},${nik},Pekerja ${i},${birthDate},L,masuk,${joined}\n`);
    }
    if (lines.length >= 10_000) {
      appendFileSync(path, lines.join(""));
      lines = [];
    }
  }
  appendFileSync(path, lines.join(""));

  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query(`create table ingest_copy (kode_proyek text, nik text, nama text, tanggal_lahir text,
    jenis_kelamin text, peristiwa text, tanggal text)`);
  const [copyMs] = await time(() =>
    pipeline(
      createReadStream(path),
      client.query(copyFrom("copy ingest_copy from stdin with (format csv, header true)")),
    ),
  );
  const read = () => readTable(path, WORKER_COLUMNS, WORKER_REQUIRED);
  const rssBefore = Math.round(process.memoryUsage().rss / 2 ** 20);
  const [bulkMs, result, bulkPeak] = await time(() =>
    importWorkers(db.db, read(), { today: TODAY, actor, source: "csv" }),
  );
  const [replayMs, replay] = await time(() =>
    importWorkers(db.db, read(), { today: TODAY, actor, source: "csv" }),
  );
  console.log(`ingest — ${i} worker rows over ${projects.length} projects, as one CSV file`);
  console.log(`  raw COPY into an unindexed table (baseline): ${ms(copyMs)}`);
  console.log(
    `  bulk import: ${ms(bulkMs)} — accepted ${result.accepted}, rejected ${result.rejected}, duplicates ${result.duplicates}`,
  );
  console.log(
    `  the bench's resident memory: ${rssBefore} MB before the import, at most ${bulkPeak} MB during it`,
  );
  console.log(
    `  the same file again: ${ms(replayMs)} — accepted ${replay.accepted}, duplicates ${replay.duplicates}`,
  );
  console.log(`  ratio COPY/bulk: ${(copyMs / bulkMs).toFixed(3)} (goal ≥ 0.5)`);
  const [floorMs] = await time(() => writeUnchecked(client));
  console.log(
    `  the same rows written unchecked into copies of the tables an import fills (their keys and indexes, ` +
      `no triggers): ${ms(floorMs)}, ratio COPY/that ${(copyMs / floorMs).toFixed(3)} — the most any merge could reach`,
  );
  await client.end();
  if (result.accepted !== i || replay.accepted !== 0) process.exitCode = 1;
  rmSync(dir, { recursive: true, force: true });
  await db.drop();
}

/**
 * The floor under any bulk path into this schema: the staged rows become people, stints and events in
 * copies of those tables with the same keys and indexes (a stand-in digest for the NIK hash and seal),
 * in one transaction, without validation, duplicate checks or kept coverage.
 */
async function writeUnchecked(client: pg.Client): Promise<void> {
  await client.query("begin");
  for (const table of ["person", "assignment", "report_event"])
    await client.query(`create table floor_${table} (like ${table} including all)`);
  await client.query(`create temp table floor_rows on commit drop as
    select row_number() over () as n, c.*, p.regency_code, p.id as project_id,
      encode(sha256(convert_to(c.nik, 'UTF8')), 'hex') as nik_hash
    from ingest_copy c join project p on p.code = c.kode_proyek`);
  await client.query(`insert into floor_person (home_regency_code, id, nik_hash, nik_sealed, name, birth_date, sex)
    select left(nik, 2) || '.' || substr(nik, 3, 2), n, nik_hash, encode(sha256(convert_to(nik_hash, 'UTF8')), 'base64'),
      nama, tanggal_lahir::date, 'M' from floor_rows`);
  await client.query(`insert into floor_assignment (regency_code, id, project_id, person_id, joined_on)
    select regency_code, n, project_id, n, tanggal::date from floor_rows`);
  await client.query(`insert into floor_report_event (regency_code, id, project_id, batch_id, event_key, kind, person_id, event_date)
    select regency_code, n, project_id, 0, 'nk:' || nik_hash, 'join', n, tanggal::date from floor_rows`);
  await client.query("commit");
}

// 3a. Reports into an empty database (the baseline of 3) ---------------------------------------------
const nat = await nationalDatabase("bench:scale");
const target = nat
  ? await nat.db
      .selectFrom("assignment")
      .select(["regency_code", nat.db.fn.countAll<number>().as("n")])
      .groupBy("regency_code")
      .orderBy("n", "desc")
      .limit(1)
      .executeTakeFirstOrThrow()
  : { regency_code: "61.03", n: 0 };
const district = `${target.regency_code}.01`;
const empty = await benchDatabase("bench:scale");
const emptyLoad = await reportLoad(empty.db, { ...LOAD, districtCode: district, tag: "empty" });
await empty.drop();

if (nat) {
  // 2. Coverage queries --------------------------------------------------------------------------------
  const rnd = new Random(7);
  const all = (await nat.db.selectFrom("project").select("regency_code").distinct().execute()).map(
    (r) => r.regency_code,
  );
  const regencies = [
    target.regency_code,
    ...Array.from({ length: 19 }, () => all[rnd.int(0, all.length - 1)] as string),
  ];
  const queries: [string, (db: Db, id: string) => Promise<unknown>][] = [
    [
      "overview (coverage of a regency)",
      (db, id) => coverageAt(db, { scope: "region", id, date: DATE }, actor),
    ],
    [
      "by sub-district",
      (db, id) => coverageBreakdown(db, { scope: "region", id, date: DATE }, "district", actor),
    ],
    [
      "by contractor",
      (db, id) => coverageBreakdown(db, { scope: "region", id, date: DATE }, "contractor", actor),
    ],
  ];
  console.log(
    `coverage on ${DATE} — ${SAMPLES} samples each over ${regencies.length} regencies (largest ${target.regency_code}, ${target.n} assignments)`,
  );
  const naive: number[] = [];
  for (const id of regencies) naive.push((await time(() => countCoverage(nat.db, id, [DATE])))[0]);
  for (const [name, query] of queries) {
    for (const id of regencies) await query(nat.db, id); // warm
    const samples: number[] = [];
    for (let s = 0; s < SAMPLES; s++)
      samples.push((await time(() => query(nat.db, regencies[s % regencies.length] as string)))[0]);
    console.log(
      `  ${name.padEnd(34)} p50 ${ms(percentile(samples, 0.5))}, p99 ${ms(percentile(samples, 0.99))} (goal p50 < 50, p99 < 200)`,
    );
  }
  console.log(
    `  naive GROUP BY over assignments (baseline, all groupings, one pass per regency): p50 ${ms(percentile(naive, 0.5))}, p99 ${ms(percentile(naive, 0.99))}`,
  );

  // 3b. Reports with the national data present ----------------------------------------------------------
  const fullLoad = await reportLoad(nat.db, { ...LOAD, districtCode: district, tag: "full" });
  console.log(
    `POST /reports — ${LOAD.connections} connections, ${LOAD.seconds} s, 10 joins per request, in ${target.regency_code}`,
  );
  console.log(
    `  empty database (baseline): ${emptyLoad.rps.toFixed(0)} req/s, p50 ${emptyLoad.p50} ms, p99 ${emptyLoad.p99} ms, failed ${emptyLoad.failed}`,
  );
  console.log(
    `  with the national data:    ${fullLoad.rps.toFixed(0)} req/s, p50 ${fullLoad.p50} ms, p99 ${fullLoad.p99} ms, failed ${fullLoad.failed}`,
  );
  console.log(`  ratio full/empty: ${(fullLoad.rps / emptyLoad.rps).toFixed(3)} (goal ≥ 0.8)`);
  if (emptyLoad.failed + fullLoad.failed > 0) process.exitCode = 1;
  await nat.drop();
} else {
  console.log(
    `POST /reports into an empty database: ${emptyLoad.rps.toFixed(0)} req/s (national part skipped)`,
  );
}
