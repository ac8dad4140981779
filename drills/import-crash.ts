import { closeSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { type RawBuilder, sql } from "kysely";
import { benchDatabase, time } from "../bench/database.js";
import type { Db } from "../src/db/connection.js";
import { loadNational } from "../src/demo/load-national.js";
import { addDays, type IsoDate, minDate } from "../src/domain/dates.js";
import { composeNik } from "../src/domain/nik.js";
import { type DrillContext, type DrillRow, knob, rangeKnob, sleep, withTarget } from "./drill.js";
import {
  changed,
  eventKey,
  extraCopies,
  fingerprint,
  horizon,
  problems,
  storedBatchKeys,
  storedEvents,
  tally,
  unacknowledged,
} from "./ledger.js";
import { Command, pantau, Server, type Target } from "./processes.js";
import { Reporters } from "./reporters.js";
import { registerSites } from "./sites.js";

const ROWS = knob("DRILL_IMPORT_ROWS", 1_000_000);
const PER_PROJECT = 50;
const API_CLIENTS = 4;
const EVENTS = knob("DRILL_BATCH_EVENTS", 20);
/** Kill the import once it reports this share of its rows applied: at random in the range. */
const KILL_AT = rangeKnob("DRILL_IMPORT_KILL_AT", [0.25, 0.6]);

interface ImportFile {
  path: string;
  /** The client event id of each row, with its project: the product's event keys follow from them. */
  keys: Set<string>;
  projectIds: number[];
  joins: number;
  leaves: number;
}

/**
 * A valid worker file over the national generator's projects: each project `PER_PROJECT` rows, every
 * fifth row the leave of the worker who joined just before (the import applies a file in date order,
 * so a leave and its join may sit in one file), every row with an event id. NIKs are issued in the
 * project's sub-district, (birth date, serial) one-to-one with the worker's number.
 */
async function writeWorkerFile(db: Db, path: string, today: IsoDate): Promise<ImportFile> {
  const projects = await db
    .selectFrom("project")
    .select(["id", "code", "district_code", "spmk_date", "end_date"])
    .where("code", "like", "%/N/%")
    .orderBy("id")
    .execute();
  const file: ImportFile = { path, keys: new Set(), projectIds: [], joins: 0, leaves: 0 };
  const fd = openSync(path, "w");
  let lines = ["kode_proyek,nik,nama,tanggal_lahir,jenis_kelamin,peristiwa,tanggal,event_id"];
  let row = 0;
  let worker = 0;
  for (const p of projects) {
    if (row >= ROWS) break;
    file.projectIds.push(p.id);
    let last: { nik: string; joined: IsoDate } | null = null;
    for (let k = 0; k < PER_PROJECT && row < ROWS; k++, row++) {
      const eventId = `imp-${row}`;
      file.keys.add(eventKey(p.id, eventId));
      if (k % 5 === 4 && last) {
        const left = minDate(minDate(addDays(last.joined, 30), p.end_date), today);
        lines.push(`${p.code},${last.nik},,,,keluar,${left},${eventId}`);
        file.leaves += 1;
        last = null;
      } else {
        const birthDate = addDays("1962-01-01", (Math.floor(worker / 9999) * 7919) % 16000);
        const nik = composeNik({
          regionCode: p.district_code,
          birthDate,
          sex: "M",
          serial: (worker % 9999) + 1,
        });
        const joined = minDate(minDate(addDays(p.spmk_date, k % 7), p.end_date), today);
        lines.push(`${p.code},${nik},Pekerja ${worker},${birthDate},L,masuk,${joined},${eventId}`);
        last = { nik, joined };
        worker += 1;
        file.joins += 1;
      }
      if (lines.length >= 10_000) {
        writeSync(fd, `${lines.join("\n")}\n`);
        lines = [];
      }
    }
  }
  writeSync(fd, `${lines.join("\n")}\n`);
  closeSync(fd);
  if (row < ROWS) throw new Error(`only ${row} rows: too few projects`);
  return file;
}

/** What the database holds of the import: its events by key, stints, batch rows, audit rows. */
async function importState(db: Db, file: ImportFile) {
  const stored = await storedEvents(db, file.projectIds);
  let present = 0;
  let copies = 0;
  let unjoined = 0;
  for (const [key, e] of stored) {
    if (!file.keys.has(key)) continue;
    present += 1;
    copies += e.count - 1;
    unjoined += e.count - e.stints;
  }
  const ids = sql.val(file.projectIds);
  const one = async <T>(q: RawBuilder<T>) => (await q.execute(db)).rows[0] as T;
  const stints = await one<{ n: string; closed: string }>(sql`
    select count(*) as n, count(left_on) as closed from assignment where project_id = any(${ids}::bigint[])`);
  const batches = await one<{ n: string; keys: string }>(sql`
    select count(*) as n, count(distinct idempotency_key) as keys from report_batch
    where project_id = any(${ids}::bigint[])`);
  const audit = await one<{ n: string }>(sql`
    select count(*) as n from audit_log where action = 'workers.report' and entity = 'import'`);
  return {
    present,
    strays: stored.size - present,
    duplicated: copies + (await extraCopies(db, file.projectIds)),
    unjoined,
    stints: Number(stints.n),
    closed: Number(stints.closed),
    batchRows: Number(batches.n),
    batchKeys: Number(batches.keys),
    auditRows: Number(audit.n),
  };
}

/**
 * Drill 1: `pantau import workers` of a million rows is killed with SIGKILL part-way, together with the
 * server (which 4 contractors' systems are reporting to meanwhile) and PostgreSQL. An import is one
 * transaction (src/services/imports.ts, README "Importing files"), so after the restart none of its
 * rows may be present, and everything committed before it must be unchanged (fingerprints of the rows
 * up to the last ids before the import); the audit chain must verify. Then the same file is imported
 * to the end and every row must be present once.
 */
export async function importCrashDrill(ctx: DrillContext): Promise<DrillRow[]> {
  if (ROWS < 100_000)
    throw new Error(
      "DRILL_IMPORT_ROWS must be at least 100000: the import reports its progress per slice of about " +
        "50,000 rows, and the drill kills it between two of them",
    );
  const database = await benchDatabase("drill", ctx.cluster.url);
  const target: Target = { databaseUrl: database.url, dataDir: join(ctx.dir, "import-crash") };
  // The national generator gives every regency at least one project.
  const regencies = await database.db
    .selectFrom("region")
    .select(database.db.fn.countAll<string>().as("n"))
    .where("level", "=", "regency")
    .executeTakeFirstOrThrow();
  const projects = Math.max(Number(regencies.n), Math.ceil(ROWS / PER_PROJECT));
  const [loadMs] = await time(() =>
    loadNational(database.db, database.url, { workers: 0, projects, seed: 2025 }),
  );
  const today = new Date().toISOString().slice(0, 10) as IsoDate;
  const file = await writeWorkerFile(database.db, join(ctx.dir, "workers.csv"), today);
  const sites = await registerSites(database.db, {
    count: API_CLIENTS,
    regencies: API_CLIENTS,
    tag: "import",
  });
  await database.close();
  ctx.say(
    `import: ${projects} projects (national generator, ${(loadMs / 1000).toFixed(0)} s), ` +
      `file of ${ROWS} rows (${file.joins} joins, ${file.leaves} leaves)`,
  );

  const server = await Server.start(target, ctx.dir);
  // A trickle beside the import, as sites report through the day: a batch each quarter second or so.
  const reporters = new Reporters(server.url, sites, {
    eventsPerBatch: EVENTS,
    tag: "import-api",
    pauseMs: 250,
  });
  reporters.start();
  await sleep(3000);
  await reporters.stop();
  const [upTo, before] = await withTarget(target, async ({ db }) => {
    const h = await horizon(db);
    return [h, await fingerprint(db, h)] as const;
  });

  // The import, with the contractors reporting beside it, killed once it has applied `killAt` rows.
  // At least one slice must remain when the progress says the kill is due.
  const killAt = Math.min(
    ROWS - 50_000,
    Math.round(ROWS * (KILL_AT[0] + ctx.rnd.float() * (KILL_AT[1] - KILL_AT[0]))),
  );
  reporters.start();
  const importing = new Command(["import", "workers", file.path], target, ctx.dir, "import-killed");
  const t0 = performance.now();
  let applied = 0;
  while (applied < killAt) {
    if (importing.child.exitCode !== null) break;
    applied = Math.max(0, ...[...importing.output.matchAll(/(\d+)\/(\d+)/g)].map((m) => Number(m[1])));
    await sleep(200);
  }
  const failures: string[] = [];
  if (importing.child.exitCode !== null)
    failures.push(`the import ended (exit ${importing.child.exitCode}) before it could be killed`);
  const killedAfter = (performance.now() - t0) / 1000;
  await importing.kill9();
  await server.kill9();
  ctx.cluster.crash();
  await reporters.stop();
  ctx.say(`import: killed after ${killedAfter.toFixed(0)} s at ${applied} of ${ROWS} rows applied`);
  ctx.cluster.start();

  const crashed = await withTarget(target, async ({ db }) => ({
    imported: await importState(db, file),
    api: await tally(db, reporters.sent),
    stored: await storedBatchKeys(
      db,
      sites.map((s) => s.projectId),
    ),
    kept: changed(before, await fingerprint(db, upTo)),
  }));
  const verified = await pantau(["audit", "verify"], target, ctx.dir, "audit-verify-1");
  const clientFailures = [...reporters.failures];
  const { imported, api, kept } = crashed;
  const afterCrash: DrillRow = {
    scenario: "1 import crash, PostgreSQL: after crash",
    load: `import ${ROWS.toLocaleString("en-US")} rows + ${API_CLIENTS} API clients`,
    faults: `kill -9 import at ${applied.toLocaleString("en-US")} rows (${killedAfter.toFixed(0)} s), server, PostgreSQL`,
    tally: {
      sent: ROWS + api.sent,
      acknowledged: api.acknowledged,
      present: imported.present + api.present,
      lost: api.lost,
      duplicated: api.duplicated + imported.duplicated,
    },
    failures: [
      ...failures,
      ...(imported.present + imported.stints + imported.batchRows + imported.auditRows > 0
        ? [
            `the killed import left ${imported.present} events, ${imported.stints} stints, ` +
              `${imported.batchRows} batches, ${imported.auditRows} audit rows`,
          ]
        : []),
      ...kept.map((k) => `rows from before the import changed: ${k}`),
      ...problems(api),
      ...clientFailures,
      ...(verified.code === 0
        ? []
        : [`pantau audit verify exited ${verified.code}: ${verified.output.slice(-300)}`]),
    ],
    notes: [
      `import, after crash: ${imported.present} of its rows present; rows committed before it unchanged ` +
        `(${before.reportEvent.rows} events, ${before.assignment.rows} stints, ${before.auditLog.rows} audit rows); ` +
        `API: ${api.present} of ${api.sent} events present, ${api.acknowledged} acknowledged, ${unacknowledged(api)}; ` +
        `audit verify exit ${verified.code}`,
    ],
  };

  // Restart, let the clients send again what was not acknowledged, and import the file to the end.
  await server.restart();
  const retried = await reporters.retry(server.url, crashed.stored);
  const [importMs, rerun] = await time(() =>
    pantau(["import", "workers", file.path], target, ctx.dir, "import-rerun"),
  );
  await server.stop();
  const done = await withTarget(target, async ({ db }) => ({
    imported: await importState(db, file),
    api: await tally(db, reporters.sent),
    kept: changed(before, await fingerprint(db, upTo)),
  }));
  const verifiedAgain = await pantau(["audit", "verify"], target, ctx.dir, "audit-verify-2");
  await database.drop();
  const i = done.imported;
  const accepted = /(\d[\d.,]*)\s*(?:diterima|accepted)/i.exec(rerun.output)?.[1];
  ctx.say(`import: rerun took ${(importMs / 1000).toFixed(0)} s (exit ${rerun.code})`);
  return [
    afterCrash,
    {
      scenario: "1 import crash, PostgreSQL: after rerun",
      load: `same file again + ${retried.resent} API batches resent`,
      faults: "restart",
      tally: {
        sent: ROWS + done.api.sent,
        acknowledged: (rerun.code === 0 ? ROWS : 0) + done.api.acknowledged,
        present: i.present + done.api.present,
        lost: (rerun.code === 0 ? ROWS - i.present : 0) + done.api.lost,
        duplicated: i.duplicated + done.api.duplicated,
      },
      failures: [
        ...(rerun.code === 0 ? [] : [`the rerun exited ${rerun.code}: ${rerun.output.slice(-300)}`]),
        ...(i.present === ROWS ? [] : [`${ROWS - i.present} rows of the file absent`]),
        ...(i.strays === 0
          ? []
          : [`${i.strays} events on the import's projects that the file does not hold`]),
        ...(i.unjoined === 0 ? [] : [`${i.unjoined} events without their stint`]),
        ...(i.stints === file.joins && i.closed === file.leaves
          ? []
          : [`${i.stints} stints (${i.closed} closed), expected ${file.joins} (${file.leaves} closed)`]),
        ...(i.batchKeys === 1 && i.batchRows === file.projectIds.length && i.auditRows === 1
          ? []
          : [
              `${i.batchRows} batch rows under ${i.batchKeys} keys, ${i.auditRows} audit rows; expected one import`,
            ]),
        ...done.kept.map((k) => `rows from before the import changed: ${k}`),
        ...problems(done.api),
        ...reporters.failures.slice(clientFailures.length),
        ...(done.api.present === done.api.sent
          ? []
          : [`${done.api.sent - done.api.present} API events absent`]),
        ...(verifiedAgain.code === 0 ? [] : [`pantau audit verify exited ${verifiedAgain.code}`]),
      ],
      notes: [
        `import rerun: ${(importMs / 1000).toFixed(0)} s, the command said ${accepted ?? "?"} accepted; ` +
          `${i.present} rows present, ${i.stints} stints (${i.closed} closed); audit verify exit ${verifiedAgain.code}`,
      ],
    },
  ];
}
