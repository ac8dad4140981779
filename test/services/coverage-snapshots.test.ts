import fc from "fast-check";
import { sql } from "kysely";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/connection.js";
import { coverageAt, coverageBreakdown, coverageTrend } from "../../src/services/coverage.js";
import {
  backfillSnapshots,
  computeSnapshots,
  regencySnapshots,
  type SnapshotRow,
} from "../../src/services/coverage-snapshots.js";
import { recordPayment } from "../../src/services/payments.js";
import { registerWithBpjs } from "../../src/services/projects.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";
import { actor, createProject, joinRow, leaveRow, reportRows } from "../support/fixtures.js";

const REGENCY = "61.03";
const DAYS = ["2025-03-31", "2025-04-15", "2025-04-30", "2025-05-31", "2025-06-15", "2025-06-30"];
const ALL_KINDS = ["regency", "district", "work_unit", "funding_source", "contractor", "project"] as const;

const sorted = (xs: SnapshotRow[]) =>
  [...xs].sort((a, b) => `${a.day}${a.kind}${a.key}`.localeCompare(`${b.day}${b.kind}${b.key}`));

const stored = async (db: Db) =>
  (
    await db.selectFrom("coverage_snapshot").select(["day", "kind"]).where("kind", "=", "regency").execute()
  ).map((r) => r.day);

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

describe.each(backends)("coverage snapshots [%s]", (backend) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await freshDatabase(backend);
  });
  afterEach(async () => {
    await t.close();
  });

  it("are stored on first read, read back after, and forgotten from the day a change reaches", async () => {
    const [p1, p2] = (await threeProjects(t.db)) as [number, number];
    await registerWithBpjs(t.db, p1, { basis: "contract_value", registeredOn: "2025-03-05" }, actor);
    await reportRows(t.db, p1, [joinRow(1, "2025-04-01"), joinRow(2, "2025-04-01")]);
    await reportRows(t.db, p2, [joinRow(3, "2025-04-01")]);

    const q = { scope: "region" as const, id: REGENCY, date: "2025-06-30" };
    const trend = await coverageTrend(t.db, q, actor);
    expect(trend.map((p) => p.known)).toEqual([0, 0, 0, 3, 3, 3]);
    expect((await stored(t.db)).sort()).toEqual([
      "2025-01-31",
      "2025-02-28",
      "2025-03-31",
      "2025-04-30",
      "2025-05-31",
      "2025-06-30",
    ]);
    // What is stored is what is read: a (deliberately) altered row shows through.
    await sql`update coverage_snapshot set known = 99 where day = '2025-05-31' and kind = 'regency'`.execute(
      t.db,
    );
    expect((await coverageAt(t.db, { ...q, date: "2025-05-31" }, actor)).known).toBe(99);

    // A worker reported as joining on 10 May forgets 31 May on, and keeps the days before.
    await reportRows(t.db, p2, [joinRow(4, "2025-05-10")]);
    expect((await stored(t.db)).sort()).toEqual(["2025-01-31", "2025-02-28", "2025-03-31", "2025-04-30"]);
    expect((await coverageAt(t.db, { ...q, date: "2025-05-31" }, actor)).known).toBe(4);

    // A payment, a registration and a project moved to another sub-district forget too.
    await coverageTrend(t.db, q, actor);
    const registration = await registerWithBpjs(
      t.db,
      p2,
      { basis: "contract_value", registeredOn: "2025-06-02" },
      actor,
    );
    expect(await stored(t.db)).not.toContain("2025-06-30");
    expect(await stored(t.db)).toContain("2025-05-31");
    await coverageTrend(t.db, q, actor);
    await recordPayment(
      t.db,
      p2,
      { paidOn: "2025-06-20", amount: registration.contribution_amount, reference: "B1" },
      actor,
    );
    expect(await stored(t.db)).not.toContain("2025-06-30");
    await coverageTrend(t.db, q, actor);
    await sql`update project set district_code = '61.03.01' where id = ${p2}`.execute(t.db);
    expect(await stored(t.db)).toEqual([]);
    const byDistrict = await coverageBreakdown(t.db, q, "district", actor);
    expect(byDistrict.map((r) => [r.key, r.known])).toEqual([["61.03.01", 4]]);
  });

  it("give the same figures as counting afresh, after any sequence of reads and changes", async () => {
    const day = fc.constantFrom(...DAYS, "2025-04-01", "2025-05-10", "2025-06-02");
    // Reads and joins weigh most: a change can only be missed where something was stored before it.
    const op = fc.oneof(
      { weight: 4, arbitrary: fc.record({ t: fc.constant("read" as const), day: fc.constantFrom(...DAYS) }) },
      {
        weight: 4,
        arbitrary: fc.record({
          t: fc.constant("join" as const),
          p: fc.nat(2),
          n: fc.integer({ min: 1, max: 6 }),
          day,
        }),
      },
      fc.record({ t: fc.constant("leave" as const), p: fc.nat(2), n: fc.integer({ min: 1, max: 6 }), day }),
      fc.record({ t: fc.constant("register" as const), p: fc.nat(2), day }),
      fc.record({ t: fc.constant("pay" as const), p: fc.nat(2), day }),
      fc.record({ t: fc.constant("move" as const), p: fc.nat(2) }),
      fc.record({ t: fc.constant("drop" as const), n: fc.integer({ min: 1, max: 6 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 6, maxLength: 20 }), async (ops) => {
        const db = await freshDatabase(backend);
        try {
          const projects = await threeProjects(db.db);
          let payments = 0;
          for (const o of ops) {
            const project = "p" in o ? (projects[o.p] as number) : 0;
            switch (o.t) {
              case "read":
                await coverageTrend(db.db, { scope: "region", id: REGENCY, date: o.day }, actor);
                await coverageBreakdown(
                  db.db,
                  { scope: "region", id: REGENCY, date: o.day },
                  "contractor",
                  actor,
                );
                break;
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
                  { paidOn: o.day, amount: 2_000_000, reference: `P${++payments}` },
                  actor,
                );
                break;
              case "move":
                await sql`update project set district_code = case district_code when '61.03.01' then '61.03.20' else '61.03.01' end
                  where id = ${project}`.execute(db.db);
                break;
              case "drop":
                await sql`delete from assignment where person_id in (select id from person where nik = ${joinRow(o.n, "").nik})`.execute(
                  db.db,
                );
                break;
            }
          }
          const cached = await regencySnapshots(db.db, REGENCY, DAYS, ALL_KINDS);
          expect(sorted(cached)).toEqual(sorted(await computeSnapshots(db.db, REGENCY, DAYS)));
          // The province is counted live over the assignments; here all of it is this one regency.
          for (const date of DAYS) {
            const live = await coverageAt(db.db, { scope: "region", id: "61", date }, actor);
            const snap = await coverageAt(db.db, { scope: "region", id: REGENCY, date }, actor);
            expect([snap.known, snap.protected]).toEqual([live.known, live.protected]);
            const strip = (rs: { key: string; known: number; protected: number }[]) =>
              rs.map((r) => [r.key, r.known, r.protected]);
            expect(
              strip(
                await coverageBreakdown(db.db, { scope: "region", id: REGENCY, date }, "work_unit", actor),
              ),
            ).toEqual(
              strip(await coverageBreakdown(db.db, { scope: "region", id: "61", date }, "work_unit", actor)),
            );
          }
        } finally {
          await db.close();
        }
      }),
      { numRuns: 15 },
    );
  }, 300_000);

  it("backfills every day of a range, replacing what was stored", async () => {
    const [p1] = (await threeProjects(t.db)) as [number];
    await reportRows(t.db, p1, [joinRow(1, "2025-04-01"), joinRow(2, "2025-04-20")]);
    await coverageAt(t.db, { scope: "region", id: REGENCY, date: "2025-04-10" }, actor);
    await sql`update coverage_snapshot set known = 99`.execute(t.db);
    const progress: number[] = [];
    const result = await backfillSnapshots(
      t.db,
      { regencyCode: REGENCY, from: "2025-04-01", to: "2025-04-30" },
      (d) => progress.push(d),
    );
    expect(result.days).toBe(30);
    expect(progress.at(-1)).toBe(30);
    expect((await stored(t.db)).length).toBe(30);
    const days = ["2025-04-01", "2025-04-10", "2025-04-19", "2025-04-20", "2025-04-30"];
    expect(sorted(await regencySnapshots(t.db, REGENCY, days, ALL_KINDS))).toEqual(
      sorted(await computeSnapshots(t.db, REGENCY, days)),
    );
    expect((await coverageAt(t.db, { scope: "region", id: REGENCY, date: "2025-04-10" }, actor)).known).toBe(
      1,
    );
  });
});

// Two connections at once: PostgreSQL only (PGlite has one).
describe.runIf(process.env.DATABASE_URL)("coverage snapshots beside a concurrent writer [postgres]", () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await freshDatabase("postgres");
  });
  afterEach(async () => {
    await t.close();
  });

  it("are not stored while a writer of the regency is mid-transaction, and the answer is still right", async () => {
    const [p1] = (await threeProjects(t.db)) as [number];
    await reportRows(t.db, p1, [joinRow(1, "2025-04-01")]);
    const person = await t.db.selectFrom("person").select("id").executeTakeFirstOrThrow();
    const writer = new pg.Client({ connectionString: t.url as string });
    await writer.connect();
    try {
      await writer.query("begin");
      await writer.query(
        `insert into assignment (regency_code, project_id, person_id, joined_on) values ($1, $2, $3, '2025-04-02')
           on conflict do nothing`,
        [REGENCY, p1, person.id],
      );
      await writer.query(
        `update assignment set left_on = '2025-04-05' where project_id = $1 and joined_on = '2025-04-01'`,
        [p1],
      );
      const q = { scope: "region" as const, id: REGENCY, date: "2025-04-10" };
      // The uncommitted change is not seen (worker 1 still at work) and nothing is stored beside it.
      expect((await coverageAt(t.db, q, actor)).known).toBe(1);
      expect(await stored(t.db)).toEqual([]);
      await writer.query("commit");
      // Worker 1 left on 5 April and came back on 2 April: still one person at work on the 10th.
      expect((await coverageAt(t.db, q, actor)).known).toBe(1);
      expect(await stored(t.db)).toEqual(["2025-04-10"]);
      expect((await coverageAt(t.db, { ...q, date: "2025-04-03" }, actor)).known).toBe(1);
    } finally {
      await writer.end();
    }
  });
});
