import { type CompiledQuery, Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/connection.js";
import { nikVault } from "../../src/db/nik-vault.js";
import type { DB } from "../../src/db/schema.js";
import { loadNational } from "../../src/demo/load-national.js";
import { composeNik } from "../../src/domain/nik.js";
import type { Actor } from "../../src/services/actor.js";
import { systemActor } from "../../src/services/actor.js";
import { listContractors } from "../../src/services/contractor-views.js";
import { coverageAt, coverageBreakdown, coverageTrend, gapProjects } from "../../src/services/coverage.js";
import { monevReport } from "../../src/services/monev.js";
import { publicCheck } from "../../src/services/public-check.js";
import { applyReportBatch } from "../../src/services/worker-reports.js";
import { freshDatabase, type TestDatabase } from "../support/databases.js";

const DATE = "2025-07-30";

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  Plans?: PlanNode[];
}
class Rollback {
  constructor(readonly value: Record<string, number[]>) {}
}

const seqScansOn = (node: PlanNode, table: string): number =>
  (node["Node Type"] === "Seq Scan" && node["Relation Name"] === table ? 1 : 0) +
  (node.Plans ?? []).reduce((n, child) => n + seqScansOn(child, table), 0);

/**
 * Every statement the dashboard's coverage, breakdown, trend, gap, contractor, public-check and Monev
 * paths send, captured on their way to a PostgreSQL server holding a synthetic country of 200 thousand
 * assignments over 514 regencies, must be planned without reading the whole assignment table.
 */
describe.runIf(process.env.DATABASE_URL)("query plans on a large assignment table [postgres]", () => {
  let t: TestDatabase;
  let db: Db;
  let explainer: pg.Client;
  const captured: CompiledQuery[] = [];
  beforeAll(async () => {
    t = await freshDatabase("postgres");
    await loadNational(t.db, t.url as string, { workers: 200_000, projects: 10_000, seed: 7 });
    explainer = new pg.Client({ connectionString: t.url as string });
    await explainer.connect();
    await explainer.query("analyze");
    db = new Kysely<DB>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: t.url as string, max: 2 }) }),
      log: (event) => {
        if (event.level === "query") captured.push(event.query);
      },
    });
  }, 300_000);
  afterAll(async () => {
    await db?.destroy();
    await explainer?.end();
    await t?.close();
  });

  it("reads assignments of one regency, work unit, contractor, project or person through an index", async () => {
    const largest = await t.db
      .selectFrom("project")
      .select(["regency_code", t.db.fn.countAll<number>().as("n")])
      .groupBy("regency_code")
      .orderBy("n", "desc")
      .executeTakeFirstOrThrow();
    const regency = largest.regency_code;
    const project = await t.db
      .selectFrom("project")
      .selectAll()
      .where("regency_code", "=", regency)
      .orderBy("id")
      .executeTakeFirstOrThrow();
    const person = await t.db
      .selectFrom("assignment as a")
      .innerJoin("person as pe", "pe.id", "a.person_id")
      .select(["pe.nik_sealed", "pe.birth_date"])
      .where("a.regency_code", "=", regency)
      .executeTakeFirstOrThrow();
    const system = systemActor("test");
    // A work unit's officer sees the region through its own projects: the live (not the kept) path.
    const opd: Actor = { ...system, kind: "user", role: "opd", organisationId: project.work_unit_id };
    const bpjs: Actor = { ...system, kind: "user", role: "bpjs", regionCode: regency };
    const region = { scope: "region" as const, id: regency, date: DATE };

    captured.length = 0;
    await coverageAt(db, region, system);
    await coverageAt(db, region, opd);
    await coverageAt(db, { ...region, id: project.district_code }, opd);
    await coverageAt(db, { scope: "work_unit", id: String(project.work_unit_id), date: DATE }, system);
    await coverageAt(db, { scope: "contractor", id: String(project.contractor_id), date: DATE }, system);
    await coverageAt(db, { scope: "project", id: String(project.id), date: DATE }, system);
    await coverageBreakdown(db, region, "contractor", opd);
    await coverageBreakdown(db, region, "district", system);
    await coverageTrend(db, region, opd);
    await gapProjects(db, { ...region, limit: 20 }, system);
    await listContractors(db, bpjs, { date: DATE });
    await publicCheck(db, { nik: nikVault().open(person.nik_sealed), birthDate: person.birth_date }, DATE);
    await monevReport(db, { regionCode: regency, period: "2025-07" }, system, DATE);

    const reading = captured.filter((q) => /\bassignment\b/.test(q.sql) && /^\s*(with|select)/i.test(q.sql));
    expect(reading.length).toBeGreaterThan(10);
    const scanning: string[] = [];
    for (const q of reading) {
      const plan = await explainer.query(`explain (format json) ${q.sql}`, [...q.parameters]);
      const root = (plan.rows[0]["QUERY PLAN"] as { Plan: PlanNode }[])[0]?.Plan as PlanNode;
      if (seqScansOn(root, "assignment") > 0) scanning.push(q.sql.replace(/\s+/g, " ").slice(0, 300));
    }
    expect(scanning).toEqual([]);

    // The regency's figures come from the kept coverage, read through its key.
    const kept = captured.filter((q) => /\bcoverage_change\b/.test(q.sql));
    expect(kept.length).toBeGreaterThan(0);
    for (const q of kept) {
      const plan = await explainer.query(`explain (format json) ${q.sql}`, [...q.parameters]);
      const root = (plan.rows[0]["QUERY PLAN"] as { Plan: PlanNode }[])[0]?.Plan as PlanNode;
      expect(seqScansOn(root, "coverage_change")).toBe(0);
    }
  }, 300_000);

  it("keeps coverage on a report, a leave and a payment without scanning assignments or kept coverage", async () => {
    const project = await t.db
      .selectFrom("project")
      .innerJoin("project_registration as r", (j) =>
        j.onRef("r.regency_code", "=", "project.regency_code").onRef("r.project_id", "=", "project.id"),
      )
      .selectAll("project")
      .select("r.contribution_amount")
      .where("project.spmk_date", "<=", "2025-06-01")
      .where("project.end_date", ">=", "2025-07-01")
      .orderBy("project.id")
      .executeTakeFirstOrThrow();
    const system = systemActor("test");
    const scans = await t.db
      .transaction()
      .execute(async (trx) => {
        const joins = Array.from({ length: 10 }, (_, i) => ({
          row: i + 1,
          raw: {
            event: "join",
            nik: composeNik({
              regionCode: project.district_code,
              birthDate: "1990-01-01",
              sex: "M",
              serial: 9000 + i,
            }),
            name: `Uji ${i}`,
            date: "2025-06-01",
          },
        }));
        const input = { source: "api" as const, today: DATE };
        await applyReportBatch(trx, project.id, { ...input, idempotencyKey: "plan-1", rows: joins }, system);
        const leave = { row: 1, raw: { event: "leave", nik: joins[0]?.raw.nik, date: "2025-07-01" } };
        await applyReportBatch(
          trx,
          project.id,
          { ...input, idempotencyKey: "plan-2", rows: [leave] },
          system,
        );
        await sql`insert into payment (regency_code, project_id, paid_on, amount, reference)
        values (${project.regency_code}, ${project.id}, '2025-06-15', ${project.contribution_amount}, 'PLAN-1')`.execute(
          trx,
        );
        // This transaction's own scans of each table so far (PostgreSQL counts them per transaction);
        // then roll it all back, so the data set stays as loaded.
        const rows = await sql<{ relname: string; seq_scan: string; idx_scan: string }>`
        select relname, seq_scan, idx_scan from pg_stat_xact_user_tables
        where relname in ('assignment', 'coverage_change')`.execute(trx);
        throw new Rollback(
          Object.fromEntries(rows.rows.map((r) => [r.relname, [Number(r.seq_scan), Number(r.idx_scan)]])),
        );
      })
      .catch((e) => {
        if (e instanceof Rollback) return e.value;
        throw e;
      });
    // [sequential scans, index scans] of each table by the report batches, the payment and their triggers.
    expect(scans.assignment?.[0]).toBe(0);
    expect(scans.assignment?.[1]).toBeGreaterThan(0);
    expect(scans.coverage_change?.[0]).toBe(0);
    expect(scans.coverage_change?.[1]).toBeGreaterThan(0);
  }, 300_000);
});
