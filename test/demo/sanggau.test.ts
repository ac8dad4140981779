import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoLoadResult, loadSanggauDemo } from "../../src/demo/load.js";
import { planSanggauDemo, SANGGAU } from "../../src/demo/sanggau.js";
import { RULES } from "../../src/domain/compliance.js";
import { systemActor } from "../../src/services/actor.js";
import { listCases } from "../../src/services/cases.js";
import { runCompliance } from "../../src/services/compliance.js";
import { coverageAt, coverageBreakdown, coverageTrend } from "../../src/services/coverage.js";
import { listPaymentClaims } from "../../src/services/payments.js";
import { certificate } from "../../src/services/project-views.js";
import { listRegistrationClaims } from "../../src/services/registrations.js";
import { loadSettings } from "../../src/services/settings.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";

const regions = {
  sanggauDistricts: [
    "01",
    "02",
    "03",
    "04",
    "05",
    "06",
    "07",
    "08",
    "09",
    "10",
    "11",
    "12",
    "13",
    "20",
    "21",
  ].map((c) => ({
    code: `61.03.${c}`,
    name: `Kecamatan ${c}`,
  })),
  otherDistricts: ["61.01.01", "61.05.02", "33.01.01"],
};

describe("Sanggau demo plan", () => {
  it("is deterministic for a seed and different for another", () => {
    const a = planSanggauDemo(2025, regions);
    expect(planSanggauDemo(2025, regions)).toEqual(a);
    expect(planSanggauDemo(7, regions).projects.map((p) => p.input.contractValue)).not.toEqual(
      a.projects.map((p) => p.input.contractValue),
    );
  });

  it("has the shape of DESIGN.md §5: 300 projects in 2025, ~60 contractors, Rp 50 juta to Rp 25 miliar", () => {
    const plan = planSanggauDemo(2025, regions);
    expect(plan.projects).toHaveLength(300);
    expect(plan.contractors).toHaveLength(60);
    const values = plan.projects.map((p) => p.input.contractValue);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(50_000_000);
    expect(Math.max(...values)).toBeLessThanOrEqual(25_000_000_000);
    expect(new Set(plan.projects.map((p) => p.input.fundingSource))).toEqual(
      new Set(["APBD", "APBN", "DAK", "private"]),
    );
    expect(new Set(plan.projects.map((p) => p.input.districtCode)).size).toBe(15);
    expect(plan.projects.every((p) => p.input.spkDate.startsWith("2025-"))).toBe(true);
    const categories = new Set(plan.projects.map((p) => p.category));
    for (const c of [
      "paid",
      "late_paid",
      "grace",
      "arrears",
      "unregistered",
      "unreported",
      "finished",
      "upcoming",
    ]) {
      expect(categories).toContain(c);
    }
  });
});

describe.each(backends)("Sanggau demo loaded [%s]", (backend) => {
  let t: TestDatabase;
  let result: DemoLoadResult;
  beforeAll(async () => {
    t = await freshDatabase(backend);
    result = await loadSanggauDemo(t.db, {
      seed: 2025,
      today: "2026-01-15",
      actor: systemActor("demo"),
    });
    expect(result.rejectedRows).toBe(0);
  }, 240_000);
  afterAll(async () => {
    await t.close();
  });

  it("reproduces the branch's 30 July 2025 figures from the generated rows", async () => {
    const c = await coverageAt(
      t.db,
      {
        scope: "region",
        id: SANGGAU.regencyCode,
        date: SANGGAU.snapshotDate,
      },
      systemActor("test"),
    );
    expect(c).toMatchObject({
      known: 12_320,
      protected: 4_519,
      percent: 36.68,
      target: { percent: 58.65 },
      gap: 2_707,
    });
    expect(c.unreported.projects).toBeGreaterThan(0);
  });

  it("leaves the grace projects' reported transfers in the branch's queue, counted nowhere", async () => {
    const officer = { ...systemActor("test"), role: "bpjs" as const, regionCode: SANGGAU.regencyCode };
    const queue = await listPaymentClaims(t.db, officer, { status: "pending", limit: 500 });
    expect(queue).toHaveLength(result.paymentClaims);
    expect(result.paymentClaims).toBeGreaterThan(0);
    for (const claim of queue) {
      // Each is the whole contribution, still owed in confirmed payments.
      expect(claim.amount).toBe(claim.outstanding);
      expect(claim.paidOn <= SANGGAU.snapshotDate).toBe(true);
      // Filed on its transfer's day, at 09.00 WIB, not on the day the demo was loaded.
      expect(claim.claimedAt).toBe(`${claim.paidOn}T02:00:00.000Z`);
    }
  });

  it("leaves the registrations filed in the last fortnight in the branch's queue, each project still unregistered", async () => {
    const officer = { ...systemActor("test"), role: "bpjs" as const, regionCode: SANGGAU.regencyCode };
    const queue = await listRegistrationClaims(t.db, officer, { status: "pending", limit: 500 });
    expect(queue).toHaveLength(result.registrationClaims);
    expect(result.registrationClaims).toBeGreaterThan(0);
    for (const claim of queue) {
      expect(claim.registeredOn).toBe(SANGGAU.snapshotDate);
      expect(claim.claimedAt).toBe(`${SANGGAU.snapshotDate}T02:00:00.000Z`);
      const cert = await certificate(t.db, officer, claim.projectId, SANGGAU.snapshotDate);
      expect(cert).toMatchObject({
        registrationNo: null,
        status: "unregistered",
        registrationClaim: { id: claim.id, status: "pending", contributionAmount: claim.contributionAmount },
      });
    }
  });

  it("breaks the figures down by all 15 sub-districts and by work unit, each within the totals", async () => {
    const q = { scope: "region" as const, id: "61.03", date: SANGGAU.snapshotDate };
    const byDistrict = await coverageBreakdown(t.db, q, "district", systemActor("test"));
    expect(byDistrict).toHaveLength(15);
    // A person on projects in two sub-districts counts in both, so the sum is at least the total.
    expect(byDistrict.reduce((s, r) => s + r.known, 0)).toBeGreaterThanOrEqual(12_320);
    const byUnit = await coverageBreakdown(t.db, q, "work_unit", systemActor("test"));
    expect(byUnit.map((r) => r.name)).toContain("Dinas Pekerjaan Umum dan Penataan Ruang");
    expect(byUnit.every((r) => r.protected <= r.known)).toBe(true);
  });

  it("traces the monthly trend to the same figures coverage gives on each month end", async () => {
    const q = { scope: "region" as const, id: "61.03", date: SANGGAU.snapshotDate };
    const trend = await coverageTrend(t.db, q, systemActor("test"));
    expect(trend.map((p) => p.date)).toEqual([
      "2025-01-31",
      "2025-02-28",
      "2025-03-31",
      "2025-04-30",
      "2025-05-31",
      "2025-06-30",
      "2025-07-30",
    ]);
    for (const point of trend) {
      const c = await coverageAt(t.db, { ...q, date: point.date }, systemActor("test"));
      expect(point, point.date).toEqual({
        month: point.date.slice(0, 7),
        date: point.date,
        known: c.known,
        protected: c.protected,
        percent: c.percent,
      });
    }
    expect(trend.at(-1)).toMatchObject({ known: 12_320, protected: 4_519 });
  });

  it("contains true violations of every compliance rule on 30 July 2025", async () => {
    // A full re-run on the scenario date finds what the loader's own run found, rule by rule.
    const run = await runCompliance(
      t.db,
      { regencyCode: "61.03", date: SANGGAU.snapshotDate, full: true },
      systemActor("test"),
    );
    for (const rule of RULES) {
      const counts = run.byRule[rule];
      expect(counts.low + counts.medium + counts.high, rule).toBeGreaterThan(0);
    }
    expect(run.byRule).toEqual(result.compliance.byRule);
  });

  it("stages an escalation history: every rung of the ladder, some overdue, with letters", async () => {
    const cases = await listCases(t.db, systemActor("test"), SANGGAU.snapshotDate, { status: "open" });
    const onBoard = new Set(cases.map((c) => c.step));
    for (const step of ["open", "warning_1", "warning_2", "sanction_recommended", "referred"]) {
      expect(onBoard).toContain(step);
    }
    expect(cases.some((c) => c.overdue)).toBe(true);
    // One letter per escalation step taken, numbered and stored with its case.
    const steps = await t.db
      .selectFrom("case_step")
      .select(t.db.fn.countAll<number>().as("n"))
      .where("step", "in", ["warning_1", "warning_2", "sanction_recommended", "referred"])
      .executeTakeFirstOrThrow();
    const letters = await t.db
      .selectFrom("case_letter")
      .select(t.db.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(letters.n)).toBe(Number(steps.n));
    expect((await loadSettings(t.db)).scenarioDate).toBe(SANGGAU.snapshotDate);
  });

  it("refuses to load twice", async () => {
    await expect(
      loadSanggauDemo(t.db, { seed: 2025, today: "2026-01-15", actor: systemActor("demo") }),
    ).rejects.toMatchObject({ code: "DEMO_NOT_EMPTY" });
  });
});
