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
  /** Months from January, each with its known and protected workers. */
  const months = (counts: [known: number, covered: number][]) =>
    counts.map(([known, covered], i) => ({
      month: `2025-${String(i + 1).padStart(2, "0")}`,
      known,
      protected: covered,
    }));

  it("extends both counts at their pace to December and names the month the target is met", () => {
    // 1,000 workers all year, 50 more protected each month from 100: 40 % in July, 60 % in November,
    // 65 % in December.
    const f = forecastYearEnd(
      months([
        [1000, 100],
        [1000, 150],
        [1000, 200],
        [1000, 250],
        [1000, 300],
        [1000, 350],
        [1000, 400],
      ]),
      58.65,
    );
    expect(f).toEqual({ yearEndPercent: 65, targetMonth: "2025-11" });
  });

  it("weighs months by their workers: the Sanggau demo's falling percentages still forecast 37 %, not 0 %", () => {
    // The demo's trend (January 97.47 % of 158 workers … July 36.68 % of 12,320): known grows by
    // 1,763.96 a month and protected by 678.14 (least squares), so December has 7,909.7 of 21,139.8.
    // A straight line through the percentages fell below 0 by December.
    const demo = months([
      [158, 154],
      [430, 348],
      [717, 472],
      [1315, 683],
      [2690, 1523],
      [5896, 2769],
      [12320, 4519],
    ]);
    expect(forecastYearEnd(demo, 58.65)).toEqual({ yearEndPercent: 37.42, targetMonth: null });
  });

  it("counts a target already met in the last observed month, and keeps forecasts within 0–100 %", () => {
    expect(
      forecastYearEnd(
        months([
          [100, 50],
          [100, 70],
          [100, 90],
        ]),
        58.65,
      ),
    ).toEqual({ yearEndPercent: 100, targetMonth: "2025-03" });
    // Protected falling faster than known: 0 %, never below.
    expect(
      forecastYearEnd(
        months([
          [1000, 300],
          [1000, 200],
          [1000, 100],
        ]),
        20,
      ),
    ).toEqual({ yearEndPercent: 0, targetMonth: null });
    expect(forecastYearEnd([], 50)).toEqual({ yearEndPercent: null, targetMonth: null });
  });

  it("has no forecast when no worker is left by December, and skips months before the first worker", () => {
    // 100 workers fewer each month from 700 in March: none by October.
    const ending = forecastYearEnd(
      months([
        [0, 0],
        [0, 0],
        [700, 350],
        [600, 300],
        [500, 250],
      ]),
      40,
    );
    expect(ending).toEqual({ yearEndPercent: null, targetMonth: "2025-05" });
    // One observed month: no pace yet, so the year ends where it stands.
    expect(
      forecastYearEnd(
        months([
          [0, 0],
          [400, 100],
        ]),
        58.65,
      ),
    ).toEqual({
      yearEndPercent: 25,
      targetMonth: null,
    });
  });

  it("agrees with the counts it extends, on any trend (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 50_000 }), fc.integer({ min: 0, max: 50_000 })), {
          minLength: 1,
          maxLength: 12,
        }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (raw, target) => {
          const points = months(raw.map(([known, covered]) => [known, Math.min(known, covered)]));
          const f = forecastYearEnd(points, target);
          const observed = points.filter((p) => p.known > 0);
          const last = observed.at(-1);
          if (!last) {
            expect(f).toEqual({ yearEndPercent: null, targetMonth: null });
            return;
          }
          if (f.yearEndPercent !== null) {
            expect(f.yearEndPercent).toBeGreaterThanOrEqual(0);
            expect(f.yearEndPercent).toBeLessThanOrEqual(100);
          }
          // The last observed month is its real figure: the target is met then exactly when it is met.
          const now = (100 * last.protected) / last.known;
          if (now >= target) expect(f.targetMonth).toBe(last.month);
          if (f.targetMonth !== null) expect(f.targetMonth >= last.month).toBe(true);
          // Flat counts stay where they are.
          if (observed.every((p) => p.known === last.known && p.protected === last.protected)) {
            expect(f.yearEndPercent).toBeCloseTo(now, 2);
          }
        },
      ),
    );
  });
});
