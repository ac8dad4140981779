import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  coverageFigures,
  DEFAULT_WORKFORCE_ESTIMATE,
  estimateWorkforce,
  gapToTarget,
  isWorkingOn,
  type PaymentFacts,
  type ProjectStatus,
  percentToBasisPoints,
  projectStatusOn,
  protects,
  type RegistrationFacts,
  ratioToPercent,
  WORK_TYPES,
} from "../../src/domain/coverage.js";
import { addDays, daysBetween } from "../../src/domain/dates.js";
import { domainErrorOf } from "../support/domain-error.js";

const isoDate = fc
  .date({ min: new Date("2015-01-01T00:00:00Z"), max: new Date("2030-12-31T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

describe("projectStatusOn", () => {
  const registration: RegistrationFacts = {
    coverageStart: "2025-03-01",
    coverageEnd: "2025-10-31",
    dueDate: "2025-03-15",
    amount: 1_750_000,
  };
  const full: PaymentFacts[] = [{ paidOn: "2025-03-10", amount: 1_750_000 }];

  it("an unregistered project protects nobody, whatever was paid", () => {
    expect(projectStatusOn(null, [], "2025-07-30")).toBe("unregistered");
    expect(projectStatusOn(null, full, "2025-07-30")).toBe("unregistered");
    expect(protects("unregistered")).toBe(false);
  });

  it.each([
    ["2025-02-28", "the day before coverage starts"],
    ["2025-11-01", "the day after coverage ends"],
  ])("is outside_period on %s (%s), even when paid", (date) => {
    expect(projectStatusOn(registration, full, date)).toBe("outside_period");
    expect(projectStatusOn(registration, [], date)).toBe("outside_period");
  });

  it.each([
    ["2025-03-01", "grace", "coverage starts: unpaid but before the due date"],
    ["2025-03-15", "grace", "the due date itself is still grace"],
    ["2025-03-16", "arrears", "the day after the due date"],
    ["2025-10-31", "arrears", "last day of coverage, never paid"],
  ] as [string, ProjectStatus, string][])("without payment, %s is %s (%s)", (date, status) => {
    expect(projectStatusOn(registration, [], date)).toBe(status);
  });

  it("a payment counts from the day it is made", () => {
    expect(projectStatusOn(registration, full, "2025-03-09")).toBe("grace");
    expect(projectStatusOn(registration, full, "2025-03-10")).toBe("paid");
    expect(projectStatusOn(registration, full, "2025-10-31")).toBe("paid");
  });

  it("a late payment turns arrears into paid on the day it is made", () => {
    const late: PaymentFacts[] = [{ paidOn: "2025-03-20", amount: 1_750_000 }];
    expect(projectStatusOn(registration, late, "2025-03-19")).toBe("arrears");
    expect(projectStatusOn(registration, late, "2025-03-20")).toBe("paid");
  });

  it("instalments count once they add up to the amount", () => {
    const instalments: PaymentFacts[] = [
      { paidOn: "2025-03-25", amount: 750_000 },
      { paidOn: "2025-03-05", amount: 1_000_000 },
    ];
    expect(projectStatusOn(registration, instalments, "2025-03-10")).toBe("grace");
    expect(projectStatusOn(registration, instalments, "2025-03-24")).toBe("arrears");
    expect(projectStatusOn(registration, instalments, "2025-03-25")).toBe("paid");
    expect(projectStatusOn(registration, [{ paidOn: "2025-03-01", amount: 2_000_000 }], "2025-04-01")).toBe(
      "paid",
    );
  });

  it("only paid and grace protect", () => {
    expect(protects("paid")).toBe(true);
    expect(protects("grace")).toBe(true);
    expect(protects("arrears")).toBe(false);
    expect(protects("outside_period")).toBe(false);
  });
});

describe("projectStatusOn properties", () => {
  const scenario = fc
    .record({
      start: isoDate,
      length: fc.integer({ min: 0, max: 400 }),
      dueAfter: fc.integer({ min: 0, max: 60 }),
      amount: fc.integer({ min: 1, max: 100_000_000 }),
      payments: fc.array(
        fc.record({
          offset: fc.integer({ min: -30, max: 450 }),
          amount: fc.integer({ min: 0, max: 60_000_000 }),
        }),
        { maxLength: 5 },
      ),
      dayOffset: fc.integer({ min: -30, max: 450 }),
    })
    .map((s) => ({
      registration: {
        coverageStart: s.start,
        coverageEnd: addDays(s.start, s.length),
        dueDate: addDays(s.start, s.dueAfter),
        amount: s.amount,
      },
      payments: s.payments.map((p) => ({ paidOn: addDays(s.start, p.offset), amount: p.amount })),
      date: addDays(s.start, s.dayOffset),
    }));

  it("matches its definition: period, then paid by the day, then the due date", () => {
    fc.assert(
      fc.property(scenario, ({ registration: r, payments, date }) => {
        const status = projectStatusOn(r, payments, date);
        const inPeriod = r.coverageStart <= date && date <= r.coverageEnd;
        const paidByThen = payments.filter((p) => p.paidOn <= date).reduce((s, p) => s + p.amount, 0);
        if (!inPeriod) expect(status).toBe("outside_period");
        else if (paidByThen >= r.amount) expect(status).toBe("paid");
        else expect(status).toBe(date <= r.dueDate ? "grace" : "arrears");
      }),
    );
  });

  it("once paid, stays paid for the rest of the period", () => {
    fc.assert(
      fc.property(
        scenario,
        fc.integer({ min: 0, max: 400 }),
        ({ registration: r, payments, date }, later) => {
          const after = addDays(date, later);
          fc.pre(after <= r.coverageEnd);
          if (projectStatusOn(r, payments, date) === "paid") {
            expect(projectStatusOn(r, payments, after)).toBe("paid");
          }
        },
      ),
    );
  });
});

describe("isWorkingOn", () => {
  const stint = { joinedOn: "2025-03-01", leftOn: "2025-03-31" };

  it("counts both the join day and the leave day as days of work", () => {
    expect(isWorkingOn(stint, "2025-02-28")).toBe(false);
    expect(isWorkingOn(stint, "2025-03-01")).toBe(true);
    expect(isWorkingOn(stint, "2025-03-15")).toBe(true);
    expect(isWorkingOn(stint, "2025-03-31")).toBe(true);
    expect(isWorkingOn(stint, "2025-04-01")).toBe(false);
  });

  it("an open stint runs on from its join date", () => {
    const open = { joinedOn: "2025-03-01", leftOn: null };
    expect(isWorkingOn(open, "2025-02-28")).toBe(false);
    expect(isWorkingOn(open, "2025-03-01")).toBe(true);
    expect(isWorkingOn(open, "2030-01-01")).toBe(true);
  });

  it("agrees with day arithmetic for any stint and day", () => {
    fc.assert(
      fc.property(isoDate, fc.option(fc.integer({ min: 0, max: 500 })), isoDate, (joinedOn, length, day) => {
        const leftOn = length === null ? null : addDays(joinedOn, length);
        const expected =
          daysBetween(joinedOn, day) >= 0 && (leftOn === null || daysBetween(day, leftOn) >= 0);
        expect(isWorkingOn({ joinedOn, leftOn }, day)).toBe(expected);
      }),
    );
  });
});

describe("targets and figures (DESIGN.md §5: Sanggau, 30 July 2025)", () => {
  it("58.65 % is 5,865 basis points", () => {
    expect(percentToBasisPoints(58.65)).toBe(5865);
    expect(percentToBasisPoints(36.68)).toBe(3668);
    expect(percentToBasisPoints(0)).toBe(0);
    expect(percentToBasisPoints(0.01)).toBe(1);
    expect(percentToBasisPoints(100)).toBe(10_000);
  });

  it.each([-1, -0.01, 100.01, 150, Number.NaN, Number.POSITIVE_INFINITY])(
    "percentToBasisPoints rejects %d with TARGET_INVALID",
    (percent) => {
      const e = domainErrorOf(() => percentToBasisPoints(percent));
      expect(e.code).toBe("TARGET_INVALID");
      expect(e.details).toEqual({ percent });
    },
  );

  it("12,320 known and 4,519 protected is 36.68 %", () => {
    const figures = coverageFigures(12_320, 4_519);
    expect(figures).toEqual({ known: 12_320, protected: 4_519, ratio: 4_519 / 12_320 });
    expect(ratioToPercent(figures.ratio)).toBe(36.68);
    expect(ratioToPercent(4519 / 12320)).toBe(36.68);
  });

  it("the gap to 58.65 % is 2,707 workers", () => {
    // ceil(0.5865 × 12,320) = ceil(7,225.68) = 7,226; 7,226 − 4,519 = 2,707.
    expect(gapToTarget(5865, 12_320, 4_519)).toBe(2_707);
    expect(gapToTarget(percentToBasisPoints(58.65), 12_320, 4_519)).toBe(2_707);
  });

  it.each([
    [5865, 12_320, 7_226, 0],
    [5865, 12_320, 7_225, 1],
    [5865, 12_320, 9_000, 0],
    [10_000, 10, 3, 7],
    [5_000, 3, 0, 2],
    [5_000, 4, 0, 2],
    [0, 100, 0, 0],
    [5865, 0, 0, 0],
  ])("gapToTarget(%i bp, %i known, %i protected) = %i", (target, known, prot, gap) => {
    expect(gapToTarget(target, known, prot)).toBe(gap);
  });

  it("ratioToPercent rounds to two decimals and passes null through", () => {
    expect(ratioToPercent(null)).toBeNull();
    expect(ratioToPercent(0)).toBe(0);
    expect(ratioToPercent(1)).toBe(100);
    expect(ratioToPercent(2 / 3)).toBe(66.67);
  });

  it("coverageFigures has no ratio when nobody is known", () => {
    expect(coverageFigures(0, 0)).toEqual({ known: 0, protected: 0, ratio: null });
  });

  it("coverageFigures refuses more protected than known", () => {
    const e = domainErrorOf(() => coverageFigures(10, 11));
    expect(e.code).toBe("COVERAGE_INCONSISTENT");
    expect(e.details).toEqual({ known: 10, protected: 11 });
    expect(domainErrorOf(() => coverageFigures(0, 1)).code).toBe("COVERAGE_INCONSISTENT");
  });
});

describe("gap properties", () => {
  const figures = fc
    .record({
      target: fc.integer({ min: 0, max: 10_000 }),
      known: fc.integer({ min: 0, max: 10_000_000 }),
      share: fc.double({ min: 0, max: 1, noNaN: true }),
    })
    .map(({ target, known, share }) => ({ target, known, protectedWorkers: Math.floor(known * share) }));

  it("is zero exactly when protected reaches ceil(target × known)", () => {
    fc.assert(
      fc.property(figures, ({ target, known, protectedWorkers }) => {
        const needed = Math.ceil((target * known) / 10_000);
        expect(gapToTarget(target, known, protectedWorkers) === 0).toBe(protectedWorkers >= needed);
      }),
    );
  });

  it("closing the gap reaches the target, and one worker fewer would not", () => {
    fc.assert(
      fc.property(figures, ({ target, known, protectedWorkers }) => {
        const gap = gapToTarget(target, known, protectedWorkers);
        expect(gap).toBeGreaterThanOrEqual(0);
        expect((gap + protectedWorkers) * 10_000).toBeGreaterThanOrEqual(target * known);
        if (gap > 0) expect((gap - 1 + protectedWorkers) * 10_000).toBeLessThan(target * known);
      }),
    );
  });

  it("percentToBasisPoints reads back every two-decimal percentage exactly", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (bp) => {
        expect(percentToBasisPoints(bp / 100)).toBe(bp);
      }),
    );
  });

  it("coverage ratio lies in [0, 1] and rounds to a percentage in [0, 100]", () => {
    fc.assert(
      fc.property(figures, ({ known, protectedWorkers }) => {
        const { ratio } = coverageFigures(known, protectedWorkers);
        if (known === 0) expect(ratio).toBeNull();
        else {
          expect(ratio).toBeGreaterThanOrEqual(0);
          expect(ratio).toBeLessThanOrEqual(1);
          const percent = ratioToPercent(ratio) as number;
          expect(percent).toBeGreaterThanOrEqual(0);
          expect(percent).toBeLessThanOrEqual(100);
          expect(Math.round(percent * 100)).toBeCloseTo(percent * 100, 6);
        }
      }),
    );
  });
});

describe("estimateWorkforce (DEFAULT_WORKFORCE_ESTIMATE: Rp 120,000 a day, 6 days a week)", () => {
  const halfYear = { startDate: "2025-01-01", endDate: "2025-06-30" };

  it("uses the default settings shown", () => {
    expect(DEFAULT_WORKFORCE_ESTIMATE).toEqual({
      labourShare: { building: 0.3, road: 0.2, water: 0.3, other: 0.25 },
      dailyWage: 120_000,
      workingDaysPerWeek: 6,
    });
  });

  it.each([
    // 181 calendar days → round(181 × 6 / 7) = 155 working days; 120,000 × 155 = 18,600,000 a worker.
    ["building", 1_000_000_000, 16], // 300,000,000 / 18,600,000 = 16.13
    ["road", 1_000_000_000, 11], // 200,000,000 / 18,600,000 = 10.75
    ["water", 1_000_000_000, 16],
    ["other", 1_000_000_000, 13], // 250,000,000 / 18,600,000 = 13.44
    ["building", 10_000_000_000, 161], // 3,000,000,000 / 18,600,000 = 161.29
  ] as const)(
    "a Rp %s … %s project over Jan–Jun 2025 needs about %i workers",
    (workType, contractValue, n) => {
      expect(estimateWorkforce({ ...halfYear, workType, contractValue })).toBe(n);
    },
  );

  it("never estimates fewer than one worker for a real period", () => {
    // 365 days → 313 working days; 15,000,000 / (120,000 × 313) = 0.40 → at least 1.
    const year = { startDate: "2025-01-01", endDate: "2025-12-31" };
    expect(estimateWorkforce({ ...year, workType: "building", contractValue: 50_000_000 })).toBe(1);
    // A one-day project: round(6 / 7) = 1 working day; 30,000,000 / 120,000 = 250 workers.
    expect(
      estimateWorkforce({
        startDate: "2025-07-30",
        endDate: "2025-07-30",
        workType: "building",
        contractValue: 100_000_000,
      }),
    ).toBe(250);
  });

  it("is zero when the period ends before it starts", () => {
    expect(
      estimateWorkforce({
        startDate: "2025-07-30",
        endDate: "2025-07-29",
        workType: "road",
        contractValue: 5_000_000_000,
      }),
    ).toBe(0);
  });

  it("follows custom settings", () => {
    const settings = {
      labourShare: { building: 0.5, road: 0.5, water: 0.5, other: 0.5 },
      dailyWage: 100_000,
      workingDaysPerWeek: 7,
    };
    // 181 working days × 100,000 = 18,100,000; 500,000,000 / 18,100,000 = 27.6 → 28.
    expect(estimateWorkforce({ ...halfYear, workType: "road", contractValue: 1_000_000_000 }, settings)).toBe(
      28,
    );
  });

  it("is monotone in the contract value", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30_000_000_000 }),
        fc.integer({ min: 0, max: 30_000_000_000 }),
        fc.constantFrom(...WORK_TYPES),
        isoDate,
        fc.integer({ min: 0, max: 730 }),
        (a, b, workType, startDate, length) => {
          const endDate = addDays(startDate, length);
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const low = estimateWorkforce({ contractValue: lo, workType, startDate, endDate });
          const high = estimateWorkforce({ contractValue: hi, workType, startDate, endDate });
          expect(low).toBeGreaterThanOrEqual(1);
          expect(low).toBeLessThanOrEqual(high);
        },
      ),
    );
  });
});
