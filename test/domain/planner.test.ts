import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gapToTarget } from "../../src/domain/coverage.js";
import { forecastYearEnd, gapReduction, type PlanCandidate, planToTarget } from "../../src/domain/planner.js";

const register = (projectId: number, gained: number): PlanCandidate => ({
  projectId,
  steps: ["register"],
  gained,
  newlyKnown: 0,
});
const report = (projectId: number, workers: number): PlanCandidate => ({
  projectId,
  steps: ["register", "report"],
  gained: workers,
  newlyKnown: workers,
});

describe("planToTarget", () => {
  it("closes the Sanggau-sized gap with the biggest actions first and stops once it is closed", () => {
    // 12,320 known, 4,519 protected, target 58.65 %: 2,707 more to protect.
    const plan = planToTarget(5865, 12_320, 4_519, [
      register(1, 500),
      register(2, 2_000),
      register(3, 300),
      register(4, 900),
    ]);
    expect(plan.actions.map((a) => a.projectId)).toEqual([2, 4]);
    expect(plan.actions.map((a) => a.gapAfter)).toEqual([707, 0]);
    expect(plan).toMatchObject({ reached: true, known: 12_320, protected: 7_419 });
  });

  it("counts a newly reported worker for 1 − target only, since it also raises what the target asks", () => {
    expect(gapReduction(5000, report(1, 100))).toBe(50);
    const plan = planToTarget(5000, 100, 40, [report(1, 30), register(2, 12)]);
    // Reporting 30 protected workers: 70 of 130 = 53.8 %; registering 12 alone would reach 52 of 100.
    expect(plan.actions.map((a) => a.projectId)).toEqual([report(1, 30).projectId]);
    expect(plan).toMatchObject({ reached: true, known: 130, protected: 70 });
  });

  it("says when even every action falls short", () => {
    const plan = planToTarget(9000, 1_000, 100, [register(1, 50)]);
    expect(plan.reached).toBe(false);
    expect(plan.actions).toHaveLength(1);
    expect(plan.actions[0]?.gapAfter).toBe(750);
  });

  it("never proposes more actions than needed, and the plan it calls reached really closes the gap", () => {
    const candidate = fc.record({
      gained: fc.integer({ min: 0, max: 500 }),
      reports: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9_999 }),
        fc.integer({ min: 0, max: 20_000 }),
        fc.array(candidate, { maxLength: 30 }),
        (target, known, raw) => {
          const protectedWorkers = Math.floor(known / 3);
          const candidates = raw.map((c, i) => ({
            projectId: i + 1,
            steps: c.reports ? (["report"] as const) : (["register"] as const),
            gained: c.gained,
            newlyKnown: c.reports ? c.gained : 0,
          })) as PlanCandidate[];
          const plan = planToTarget(target, known, protectedWorkers, candidates);
          const k = known + plan.actions.reduce((s, a) => s + a.newlyKnown, 0);
          const p = protectedWorkers + plan.actions.reduce((s, a) => s + a.gained, 0);
          expect(plan.reached).toBe(gapToTarget(target, k, p) === 0);
          // Dropping the last action would leave a gap: the plan is no longer than it must be.
          const last = plan.actions.at(-1);
          if (plan.reached && last) {
            expect(gapToTarget(target, k - last.newlyKnown, p - last.gained)).toBeGreaterThan(0);
          }
        },
      ),
    );
  });
});

describe("forecastYearEnd", () => {
  const months = (percents: number[]) =>
    percents.map((percent, i) => ({ month: `2025-${String(i + 1).padStart(2, "0")}`, percent }));

  it("extends a steady rise to December and names the month the target is met", () => {
    // +5 points a month from 20 %: 50 % in July, 75 % in December.
    const f = forecastYearEnd(months([20, 25, 30, 35, 40, 45, 50]), 58.65);
    expect(f.yearEndPercent).toBe(75);
    expect(f.targetMonth).toBe("2025-09");
  });

  it("answers 'not this year' (null) when coverage is falling", () => {
    const f = forecastYearEnd(months([60, 55, 50, 45, 40]), 58.65);
    expect(f.targetMonth).toBeNull();
    expect(f.yearEndPercent).toBe(5);
  });

  it("counts a target already met in the last observed month, and keeps forecasts within 0–100 %", () => {
    expect(forecastYearEnd(months([50, 70, 90]), 58.65)).toEqual({
      yearEndPercent: 100,
      targetMonth: "2025-03",
    });
    expect(forecastYearEnd([], 50)).toEqual({ yearEndPercent: null, targetMonth: null });
  });
});
