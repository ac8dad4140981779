import { join } from "node:path";
import { sql } from "kysely";
import { benchDatabase } from "../bench/database.js";
import type { Db } from "../src/db/connection.js";
import { loadNational } from "../src/demo/load-national.js";
import { type DrillContext, type DrillRow, knob, withTarget } from "./drill.js";
import { pantau, type Target } from "./processes.js";

const WORKERS = knob("DRILL_BACKUP_WORKERS", 200_000);
const PROJECTS = knob("DRILL_BACKUP_PROJECTS", 5_000);

/** Row count and md5 of every table's rows, as text in one time zone so both engines print them alike. */
async function fingerprints(db: Db): Promise<Map<string, { rows: number; md5: string }>> {
  await sql`set timezone = 'UTC'`.execute(db);
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name not like 'kysely_%'
    order by 1`.execute(db);
  const prints = new Map<string, { rows: number; md5: string }>();
  for (const { name } of tables.rows) {
    const r = await sql<{ n: string; md5: string | null }>`
      select count(*) as n, md5(string_agg(t::text, ',' order by t::text)) as md5 from ${sql.table(name)} t`.execute(
      db,
    );
    prints.set(name, { rows: Number(r.rows[0]?.n ?? 0), md5: r.rows[0]?.md5 ?? "-" });
  }
  return prints;
}

/**
 * Drill 5: `pantau backup` of a PostgreSQL database holding a synthetic country and an operator's audit
 * row, `pantau restore` of that file into an empty embedded PGlite, every table compared by count and
 * md5 of its rows; `pantau audit verify` must pass on the copy, and fail, naming the row, once one audit
 * row's content is changed behind the application's back.
 */
export async function backupDrill(ctx: DrillContext): Promise<DrillRow[]> {
  const database = await benchDatabase("drill", ctx.cluster.url);
  await loadNational(database.db, database.url, { workers: WORKERS, projects: PROJECTS, seed: 2025 });
  await database.close();
  const source: Target = { databaseUrl: database.url, dataDir: join(ctx.dir, "backup-source") };
  const copy: Target = { dataDir: join(ctx.dir, "backup-copy") };
  const failures: string[] = [];
  const run = async (args: string[], target: Target, name: string, expected: number) => {
    const r = await pantau(args, target, ctx.dir, name);
    if (r.code !== expected)
      failures.push(`pantau ${args[0]} exited ${r.code}, not ${expected}: ${r.output.slice(-300)}`);
    return r;
  };
  await run(
    [
      "user",
      "add",
      "--email",
      "drill@pantau.test",
      "--name",
      "Drill",
      "--role",
      "admin",
      "--password",
      "drill-pass-123",
    ],
    source,
    "backup-user",
    0,
  );
  const file = join(ctx.dir, "drill.backup.gz");
  const started = performance.now();
  await run(["backup", file], source, "backup", 0);
  const backupS = (performance.now() - started) / 1000;
  await run(["restore", file], copy, "restore", 0);
  const restoreS = (performance.now() - started) / 1000 - backupS;

  const before = await withTarget(source, (d) => fingerprints(d.db));
  const after = await withTarget(copy, (d) => fingerprints(d.db));
  let sent = 0;
  let present = 0;
  let lost = 0;
  let duplicated = 0;
  for (const [table, print] of before) {
    const restored = after.get(table) ?? { rows: 0, md5: "-" };
    sent += print.rows;
    lost += Math.max(0, print.rows - restored.rows);
    duplicated += Math.max(0, restored.rows - print.rows);
    if (restored.md5 === print.md5) present += restored.rows;
    else
      failures.push(
        `table ${table}: ${print.rows} rows (md5 ${print.md5}) became ${restored.rows} (md5 ${restored.md5})`,
      );
  }
  if (before.size < 15 || sent < WORKERS)
    failures.push(`only ${before.size} tables and ${sent} rows were compared`);

  const intact = await run(["audit", "verify"], copy, "backup-audit-intact", 0);
  const tampered = await withTarget(copy, async (d) => {
    const row = await sql<{ id: number }>`
      update audit_log set after = jsonb_set(coalesce(after, '{}'::jsonb), '{tampered}', 'true')
      where id = (select min(id) from audit_log) returning id`.execute(d.db);
    return row.rows[0]?.id;
  });
  const verify = await run(["audit", "verify"], copy, "backup-audit-tampered", 3);
  if (tampered === undefined) failures.push("the restored copy has no audit row to tamper with");
  else if (!verify.output.includes(`#${tampered}`))
    failures.push(`audit verify did not name the tampered row #${tampered}: ${verify.output.slice(-200)}`);

  return [
    {
      scenario: "5 backup PostgreSQL → restore PGlite",
      load: `${WORKERS.toLocaleString("en-US")} workers, ${PROJECTS.toLocaleString("en-US")} projects, ${before.size} tables`,
      faults: "one audit row altered in the copy",
      tally: { sent, acknowledged: sent, present, lost, duplicated },
      failures,
      notes: [
        `5: backup ${backupS.toFixed(1)} s, restore into PGlite ${restoreS.toFixed(1)} s; ` +
          `audit verify on the copy: "${intact.output.trim().split("\n").pop()}", after tampering: ` +
          `"${verify.output.trim().split("\n").pop()}"`,
      ],
    },
  ];
}
