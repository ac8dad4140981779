import fc from "fast-check";
import { sql } from "kysely";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/connection.js";
import { nikVault } from "../../src/db/nik-vault.js";
import { coverageAt, coverageBreakdown, coverageTrend } from "../../src/services/coverage.js";
import {
  type CoverageCount,
  countCoverage,
  rebuildCoverage,
  regencyCoverage,
} from "../../src/services/coverage-aggregates.js";
import { recordPayment } from "../../src/services/payments.js";
import { registerWithBpjs } from "../../src/services/registrations.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";
import { actor, createProject, joinRow, leaveRow, reportRows } from "../support/fixtures.js";

const REGENCY = "61.03";
const DAYS = ["2025-03-31", "2025-04-15", "2025-04-30", "2025-05-31", "2025-06-15", "2025-06-30"];
const ALL_KINDS = ["regency", "district", "work_unit", "funding_source", "contractor", "project"] as const;

const sorted = (xs: CoverageCount[]) =>
  [...xs].sort((a, b) => `${a.day}${a.kind}${a.key}`.localeCompare(`${b.day}${b.kind}${b.key}`));

/** Everything kept, in a stable order: the changes and the projects' protected days. */
async function kept(db: Db) {
  const changes = await db
    .selectFrom("coverage_change")
    .selectAll()
    .orderBy("regency_code")
    .orderBy("kind")
    .orderBy("key")
    .orderBy("day")
    .execute();
  const protection = await sql`select regency_code, project_id, days::text from project_protection
    order by regency_code, project_id`.execute(db);
  return { changes, protection: protection.rows };
}

/** Three projects in two sub-districts, with different work units, contractors and funding. */
async function threeProjects(db: Db): Promise<number[]> {
  const a = await createProject(db, { code: "S1" });
  const b = await createProject(db, {
    code: "S2",
    districtCode: "61.03.20",
    workUnitCode: "PERKIM",
    fundingSource: "DAK",
    contractorNib: "9120000000002",
    contractorName: "CV Dua",
  });
  const c = await createProject(db, { code: "S3", contractValue: 300_000_000, fundingSource: "APBN" });
  return [a.id, b.id, c.id];
}

describe.each(backends)("kept coverage [%s]", (backend) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await freshDatabase(backend);
  });
  afterEach(async () => {
    await t.close();
  });

  it("changes in the writer's transaction, from the day a report, registration, payment or move reaches", async () => {
    const [p1, p2] = (await threeProjects(t.db)) as [number, number];
    await reportRows(t.db, p1, [joinRow(1, "2025-04-01"), joinRow(2, "2025-04-01")]);
    await reportRows(t.db, p2, [joinRow(3, "2025-04-01"), joinRow(1, "2025-04-10")]);
    // Worker 1 is on two projects from 10 April: counted once in the regency, once in each project.
    const regency = await t.db
      .selectFrom("coverage_change")
      .select(["day", "known", "protected"])
      .where("kind", "=", "regency")
      .execute();
    expect(regency).toEqual([{ day: "2025-04-01", known: 3, protected: 0 }]);

    const q = { scope: "region" as const, id: REGENCY, date: "2025-06-30" };
    expect((await coverageTrend(t.db, q, actor)).map((p) => p.known)).toEqual([0, 0, 0, 3, 3, 3]);
    const byProject = await coverageBreakdown(t.db, q, "project", actor);
    expect(byProject.map((r) => [r.key, r.known])).toEqual([
      [String(p1), 2],
      [String(p2), 2],
    ]);
    // What is kept is what is read: a (deliberately) altered row shows through.
    await sql`update coverage_change set known = 9 where kind = 'regency'`.execute(t.db);
    expect((await coverageAt(t.db, q, actor)).known).toBe(9);
    await rebuildCoverage(t.db, REGENCY);
    expect((await coverageAt(t.db, q, actor)).known).toBe(3);

    // Worker 2 leaves on 20 May: known up to and including that day.
    await reportRows(t.db, p1, [leaveRow(2, "2025-05-20")]);
    expect((await coverageAt(t.db, { ...q, date: "2025-05-20" }, actor)).known).toBe(3);
    expect((await coverageAt(t.db, { ...q, date: "2025-05-21" }, actor)).known).toBe(2);

    // Registered on 5 March: protected from then until the due date, then again once paid in full.
    const registration = await registerWithBpjs(
      t.db,
      p1,
      { basis: "contract_value", registeredOn: "2025-03-05" },
      actor,
    );
    const dueDate = registration.due_date;
    expect((await coverageAt(t.db, { ...q, date: dueDate }, actor)).protected).toBeGreaterThan(0);
    expect((await coverageAt(t.db, { ...q, date: "2025-06-30" }, actor)).protected).toBe(0);
    await recordPayment(
      t.db,
      p1,
      { paidOn: "2025-06-20", amount: registration.contribution_amount, reference: "B1" },
      actor,
    );
    // Worker 1 (still on p1) is protected again from the payment; worker 2 has left.
    expect((await coverageAt(t.db, { ...q, date: "2025-06-19" }, actor)).protected).toBe(0);
    expect((await coverageAt(t.db, { ...q, date: "2025-06-20" }, actor)).protected).toBe(1);

    // Moving a project to another sub-district moves its people in every day's breakdown.
    await sql`update project set district_code = '61.03.20' where id = ${p1}`.execute(t.db);
    const byDistrict = await coverageBreakdown(t.db, q, "district", actor);
    expect(byDistrict.map((r) => [r.key, r.known])).toEqual([["61.03.20", 2]]);

    const incremental = await kept(t.db);
    await rebuildCoverage(t.db, REGENCY);
    expect(await kept(t.db)).toEqual(incremental);
  });

  it("recounts a project once when one statement removes or adds several of its payments", async () => {
    const [p1] = (await threeProjects(t.db)) as [number];
    await reportRows(t.db, p1, [joinRow(1, "2025-04-01")]);
    const registration = await registerWithBpjs(
      t.db,
      p1,
      { basis: "contract_value", registeredOn: "2025-03-05" },
      actor,
    );
    const half = Math.ceil(registration.contribution_amount / 2);
    for (const [i, paidOn] of ["2025-06-10", "2025-06-20"].entries())
      await recordPayment(t.db, p1, { paidOn, amount: half, reference: `B${i}` }, actor);
    const q = { scope: "region" as const, id: REGENCY, date: "2025-06-20" };
    expect((await coverageAt(t.db, q, actor)).protected).toBe(1);
    const payments = await sql<
      Record<string, unknown>
    >`select * from payment where project_id = ${p1}`.execute(t.db);
    expect(payments.rows).toHaveLength(2);

    await sql`delete from payment where project_id = ${p1}`.execute(t.db);
    expect((await coverageAt(t.db, q, actor)).protected).toBe(0);
    const afterDelete = await kept(t.db);
    await rebuildCoverage(t.db, REGENCY);
    expect(await kept(t.db)).toEqual(afterDelete);

    await sql`insert into payment select * from json_populate_recordset(null::payment, ${JSON.stringify(payments.rows)})`.execute(
      t.db,
    );
    expect((await coverageAt(t.db, q, actor)).protected).toBe(1);
    const afterInsert = await kept(t.db);
    await rebuildCoverage(t.db, REGENCY);
    expect(await kept(t.db)).toEqual(afterInsert);
  });

  it("equal a rebuild from scratch and a naive count, after any sequence of changes", async () => {
    const day = fc.constantFrom(...DAYS, "2025-04-01", "2025-05-10", "2025-06-02");
    const op = fc.oneof(
      {
        weight: 4,
        arbitrary: fc.record({
          t: fc.constant("join" as const),
          p: fc.nat(2),
          n: fc.integer({ min: 1, max: 6 }),
          day,
        }),
      },
      {
        weight: 2,
        arbitrary: fc.record({
          t: fc.constant("leave" as const),
          p: fc.nat(2),
          n: fc.integer({ min: 1, max: 6 }),
          day,
        }),
      },
      fc.record({ t: fc.constant("register" as const), p: fc.nat(2), day }),
      fc.record({ t: fc.constant("pay" as const), p: fc.nat(2), day, part: fc.boolean() }),
      fc.record({ t: fc.constant("unpay" as const), p: fc.nat(2) }),
      fc.record({ t: fc.constant("move" as const), p: fc.nat(2) }),
      fc.record({ t: fc.constant("drop" as const), n: fc.integer({ min: 1, max: 6 }) }),
      fc.record({ t: fc.constant("reopen" as const), n: fc.integer({ min: 1, max: 6 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 6, maxLength: 24 }), async (ops) => {
        const db = await freshDatabase(backend);
        try {
          const projects = await threeProjects(db.db);
          let payments = 0;
          for (const o of ops) {
            const project = "p" in o ? (projects[o.p] as number) : 0;
            const nik = "n" in o ? joinRow(o.n, "").nik : "";
            switch (o.t) {
              case "join":
                await reportRows(db.db, project, [joinRow(o.n, o.day)]);
                break;
              case "leave":
                await reportRows(db.db, project, [leaveRow(o.n, o.day)]);
                break;
              case "register":
                await registerWithBpjs(
                  db.db,
                  project,
                  { basis: "contract_value", registeredOn: o.day },
                  actor,
                ).catch(() => {}); // already registered: a rejected change, nothing written
                break;
              case "pay":
                await recordPayment(
                  db.db,
                  project,
                  { paidOn: o.day, amount: o.part ? 1_000 : 2_000_000, reference: `P${++payments}` },
                  actor,
                ).catch(() => {}); // not registered: rejected
                break;
              // The changes below bypass the use cases, as a correction by hand in SQL would.
              case "unpay":
                await sql`delete from payment where project_id = ${project}`.execute(db.db);
                break;
              case "move":
                await sql`update project set district_code = case district_code when '61.03.01' then '61.03.20' else '61.03.01' end
                  where id = ${project}`.execute(db.db);
                break;
              case "drop":
                await sql`delete from assignment where person_id in (select id from person where nik_hash = ${nikVault().hash(nik)})`.execute(
                  db.db,
                );
                break;
              case "reopen":
                await sql`update assignment set left_on = null where person_id in (select id from person where nik_hash = ${nikVault().hash(nik)})
                  and not exists (select from assignment b where b.project_id = assignment.project_id
                    and b.person_id = assignment.person_id and b.joined_on > assignment.joined_on)`.execute(
                  db.db,
                );
                break;
            }
          }
          const figures = await regencyCoverage(db.db, REGENCY, DAYS, ALL_KINDS);
          expect(sorted(figures)).toEqual(sorted(await countCoverage(db.db, REGENCY, DAYS)));
          const incremental = await kept(db.db);
          await rebuildCoverage(db.db, REGENCY);
          expect(await kept(db.db)).toEqual(incremental);
          // The province is counted live over the assignments; here all of it is this one regency.
          for (const date of DAYS) {
            const live = await coverageAt(db.db, { scope: "region", id: "61", date }, actor);
            const fromKept = await coverageAt(db.db, { scope: "region", id: REGENCY, date }, actor);
            expect([fromKept.known, fromKept.protected]).toEqual([live.known, live.protected]);
          }
        } finally {
          await db.close();
        }
      }),
      { numRuns: 15 },
    );
  }, 300_000);
});

// Two connections at once: PostgreSQL only (PGlite has one).
describe.runIf(process.env.DATABASE_URL)("kept coverage beside a concurrent writer [postgres]", () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await freshDatabase("postgres");
  });
  afterEach(async () => {
    await t.close();
  });

  it("counts a person joined on two projects by two transactions at once once", async () => {
    const [p1, p2] = (await threeProjects(t.db)) as [number, number];
    await reportRows(t.db, p1, [joinRow(1, "2025-04-01")]);
    await reportRows(t.db, p1, [leaveRow(1, "2025-04-02")]);
    const person = await t.db.selectFrom("person").select("id").executeTakeFirstOrThrow();
    const url = t.url as string;
    const [a, b] = [new pg.Client({ connectionString: url }), new pg.Client({ connectionString: url })];
    await a.connect();
    await b.connect();
    try {
      const join = (c: pg.Client, project: number) =>
        c.query(
          `insert into assignment (regency_code, project_id, person_id, joined_on) values ($1, $2, $3, '2025-04-10')`,
          [REGENCY, project, person.id],
        );
      await a.query("begin");
      await b.query("begin");
      await join(a, p1);
      // b's statement waits on the regency's turn until a commits, then counts from a's state.
      const second = join(b, p2);
      await new Promise((r) => setTimeout(r, 200));
      await a.query("commit");
      await second;
      await b.query("commit");
      const q = { scope: "region" as const, id: REGENCY, date: "2025-04-15" };
      expect((await coverageAt(t.db, q, actor)).known).toBe(1);
      const incremental = await kept(t.db);
      await rebuildCoverage(t.db, REGENCY);
      expect(await kept(t.db)).toEqual(incremental);
    } finally {
      await a.end();
      await b.end();
    }
  });
});
