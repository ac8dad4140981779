import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Contribution,
  contractValueContribution,
  formatPpmAsPercent,
  type RateTable,
  RISK_CLASSES,
  rateTableFor,
  type TierLine,
  wageContribution,
} from "../../src/domain/contribution.js";
import { loadRateTables, rateTable } from "../fixtures/rate-tables.js";
import { domainErrorOf } from "../support/domain-error.js";

const TABLES = loadRateTables();
const PP44 = rateTable("PP44-2015");
const RELIEF = rateTable("PP49-2020-relief");

const JT = 1_000_000; // juta
const M = 1_000_000_000; // miliar

const tierLines = (c: Contribution): TierLine[] => c.lines as TierLine[];
const total = (v: number, table: RateTable = PP44): number => contractValueContribution(v, table).total;

/**
 * The exact marginal amount of JKK + JKM in ppm·rupiah, computed independently of the module:
 * the JKK + JKM column of DESIGN.md §8 applied slice by slice.
 */
function exactCombinedScaled(v: number, table: RateTable): bigint {
  let from = 0n;
  let sum = 0n;
  const value = BigInt(v);
  for (const t of table.tiers) {
    const top = t.upTo === null ? value : BigInt(t.upTo);
    if (value > from) sum += ((value < top ? value : top) - from) * BigInt(t.jkkPpm + t.jkmPpm);
    if (t.upTo === null) break;
    from = top;
  }
  return sum;
}
/** Rounded once to whole rupiah, halves up (DESIGN.md §2: "Round to whole rupiah"). */
const roundedOnce = (scaled: bigint): number => Number((scaled + 500_000n) / 1_000_000n);

describe("the shipped rate tables (DESIGN.md §8)", () => {
  it("PP44-2015 holds the five marginal tiers, marked verified: partial", () => {
    expect(PP44).toMatchObject({ validFrom: "2015-07-01", validTo: null, verified: "partial" });
    expect(PP44.tiers.map((t) => [t.tier, t.upTo, t.jkkPpm, t.jkmPpm])).toEqual([
      ["a", 100 * JT, 2100, 300],
      ["b", 500 * JT, 1700, 200],
      ["c", 1 * M, 1300, 200],
      ["d", 5 * M, 1100, 100],
      ["e", null, 900, 100],
    ]);
    expect(PP44.wageJkkPpm).toEqual({
      very_low: 2400,
      low: 5400,
      medium: 8900,
      high: 12700,
      very_high: 17400,
    });
    expect(PP44.wageJkmPpm).toBe(3000);
  });

  it("PP49-2020-relief is 1 % of every PP44-2015 rate, August 2020 – January 2021", () => {
    expect(RELIEF).toMatchObject({ validFrom: "2020-08-01", validTo: "2021-01-31" });
    RELIEF.tiers.forEach((t, i) => {
      expect(t.jkkPpm * 100).toBe(PP44.tiers[i]?.jkkPpm);
      expect(t.jkmPpm * 100).toBe(PP44.tiers[i]?.jkmPpm);
      expect(t.upTo).toBe(PP44.tiers[i]?.upTo);
    });
    for (const rc of RISK_CLASSES) expect(RELIEF.wageJkkPpm[rc] * 100).toBe(PP44.wageJkkPpm[rc]);
    expect(RELIEF.wageJkmPpm * 100).toBe(PP44.wageJkmPpm);
  });
});

describe("rateTableFor", () => {
  it.each([
    ["2020-09-15", "PP49-2020-relief"],
    ["2020-08-01", "PP49-2020-relief"],
    ["2021-01-31", "PP49-2020-relief"],
    ["2020-07-31", "PP44-2015"],
    ["2021-02-01", "PP44-2015"],
    ["2019-01-01", "PP44-2015"],
    ["2015-07-01", "PP44-2015"],
    ["2025-07-30", "PP44-2015"],
  ])("on %s the table in force is %s", (date, version) => {
    expect(rateTableFor(TABLES, date).version).toBe(version);
    expect(rateTableFor([...TABLES].reverse(), date).version).toBe(version);
  });

  it.each(["2015-06-30", "2000-01-01"])("throws RATE_TABLE_MISSING on %s, before PP 44/2015", (date) => {
    const e = domainErrorOf(() => rateTableFor(TABLES, date));
    expect(e.code).toBe("RATE_TABLE_MISSING");
    expect(e.details).toEqual({ date });
  });

  it("throws RATE_TABLE_MISSING when no table is loaded", () => {
    expect(domainErrorOf(() => rateTableFor([], "2025-07-30")).code).toBe("RATE_TABLE_MISSING");
  });
});

describe("contract-value basis: worked example of DESIGN.md §8", () => {
  const c = contractValueContribution(2 * M, PP44);

  it("V = Rp 2,000,000,000 owes Rp 2,950,000", () => {
    expect(c.total).toBe(2_950_000);
    expect(c.basis).toBe("contract_value");
    expect(c.tableVersion).toBe("PP44-2015");
  });

  it("splits into JKK 2,640,000 and JKM 310,000", () => {
    // JKK: 100 jt × 0.21 % + 400 jt × 0.17 % + 500 jt × 0.13 % + 1 M × 0.11 %
    expect(c.jkk).toBe(210_000 + 680_000 + 650_000 + 1_100_000);
    expect(c.jkk).toBe(2_640_000);
    // JKM: 100 jt × 0.03 % + 400 jt × 0.02 % + 500 jt × 0.02 % + 1 M × 0.01 %
    expect(c.jkm).toBe(30_000 + 80_000 + 100_000 + 100_000);
    expect(c.jkm).toBe(310_000);
  });

  it("shows one step line per tier", () => {
    expect(c.lines).toEqual([
      {
        tier: "a",
        from: 0,
        to: 100 * JT,
        slice: 100 * JT,
        jkkPpm: 2100,
        jkmPpm: 300,
        jkk: 210_000,
        jkm: 30_000,
      },
      {
        tier: "b",
        from: 100 * JT,
        to: 500 * JT,
        slice: 400 * JT,
        jkkPpm: 1700,
        jkmPpm: 200,
        jkk: 680_000,
        jkm: 80_000,
      },
      {
        tier: "c",
        from: 500 * JT,
        to: 1 * M,
        slice: 500 * JT,
        jkkPpm: 1300,
        jkmPpm: 200,
        jkk: 650_000,
        jkm: 100_000,
      },
      {
        tier: "d",
        from: 1 * M,
        to: 5 * M,
        slice: 1 * M,
        jkkPpm: 1100,
        jkmPpm: 100,
        jkk: 1_100_000,
        jkm: 100_000,
      },
      { tier: "e", from: 5 * M, to: null, slice: 0, jkkPpm: 900, jkmPpm: 100, jkk: 0, jkm: 0 },
    ]);
  });
});

describe("contract-value basis: tier boundaries", () => {
  it.each([
    // V, JKK, JKM, total — each computed by hand from the table.
    [0, 0, 0, 0],
    [50 * JT, 105_000, 15_000, 120_000],
    [100 * JT, 210_000, 30_000, 240_000],
    [500 * JT, 890_000, 110_000, 1_000_000],
    [1 * M, 1_540_000, 210_000, 1_750_000],
    [5 * M, 5_940_000, 610_000, 6_550_000],
    [25 * M, 23_940_000, 2_610_000, 26_550_000],
  ])("V = %i → JKK %i + JKM %i = %i", (v, jkk, jkm, sum) => {
    const c = contractValueContribution(v, PP44);
    expect([c.jkk, c.jkm, c.total]).toEqual([jkk, jkm, sum]);
  });

  it("fills each tier's slice exactly up to its bound", () => {
    expect(tierLines(contractValueContribution(100 * JT, PP44)).map((l) => l.slice)).toEqual([
      100 * JT,
      0,
      0,
      0,
      0,
    ]);
    expect(tierLines(contractValueContribution(500 * JT, PP44)).map((l) => l.slice)).toEqual([
      100 * JT,
      400 * JT,
      0,
      0,
      0,
    ]);
    expect(tierLines(contractValueContribution(25 * M, PP44)).map((l) => l.slice)).toEqual([
      100 * JT,
      400 * JT,
      500 * JT,
      4 * M,
      20 * M,
    ]);
  });

  it("V = 0 owes nothing and still shows every tier with a zero slice", () => {
    const c = contractValueContribution(0, PP44);
    expect(tierLines(c).map((l) => [l.tier, l.slice, l.jkk, l.jkm])).toEqual([
      ["a", 0, 0, 0],
      ["b", 0, 0, 0],
      ["c", 0, 0, 0],
      ["d", 0, 0, 0],
      ["e", 0, 0, 0],
    ]);
  });

  it.each([100 * JT, 500 * JT, 1 * M, 5 * M, 25 * M])("is continuous across %i", (v) => {
    expect(total(v + 1) - total(v)).toBeGreaterThanOrEqual(0);
    expect(total(v + 1) - total(v)).toBeLessThanOrEqual(1);
    expect(total(v) - total(v - 1)).toBeLessThanOrEqual(1);
  });

  it.each([
    [-1, "negative"],
    [1.5, "not whole rupiah"],
    [Number.NaN, "NaN"],
    [Number.POSITIVE_INFINITY, "infinite"],
    [2 ** 53, "beyond safe integers"],
  ])("rejects V = %d (%s) with AMOUNT_INVALID", (v) => {
    const e = domainErrorOf(() => contractValueContribution(v, PP44));
    expect(e.code).toBe("AMOUNT_INVALID");
    expect(e.details).toMatchObject({ field: "nilai kontrak" });
  });
});

describe("contract-value basis: rounding the JKK + JKM total once", () => {
  // 0.24 % of Rp 5,000 is exactly Rp 12. Rounding JKK (10.5 → 11) and JKM (1.5 → 2) separately
  // gives 13, one rupiah more than the table's JKK + JKM rate.
  // Regression: src before 2d425c6 rounded JKK and JKM separately.
  it("V = 5,000 owes exactly 0.24 % = Rp 12", () => {
    const c = contractValueContribution(5_000, PP44);
    expect(c.total).toBe(12);
    expect(c.jkk + c.jkm).toBe(c.total);
  });

  // 0.24 % of 1,666 = 3.9984 and of 1,667 = 4.0008: both Rp 4. Separate rounding gives 3 then 5,
  // a jump of Rp 2 for one rupiah of contract value.
  // Regression: src before 2d425c6 rounded JKK and JKM separately.
  it("V = 1,666 and 1,667 both owe Rp 4", () => {
    expect(total(1_666)).toBe(4);
    expect(total(1_667)).toBe(4);
  });
});

describe("relief table PP49-2020-relief", () => {
  it("owes 1 % of normal for the worked example: Rp 29,500", () => {
    const c = contractValueContribution(2 * M, RELIEF);
    expect(c.tableVersion).toBe("PP49-2020-relief");
    expect([c.jkk, c.jkm, c.total]).toEqual([26_400, 3_100, 29_500]);
  });

  it("a project dated in the relief period picks the relief table", () => {
    const c = contractValueContribution(1 * M, rateTableFor(TABLES, "2020-09-15"));
    expect(c.total).toBe(17_500);
    expect(contractValueContribution(1 * M, rateTableFor(TABLES, "2021-02-01")).total).toBe(1_750_000);
  });
});

describe("wage basis", () => {
  const workers = [
    { monthlyWage: 3_000_000, months: 6 },
    { monthlyWage: 3_500_000, months: 6 },
    { monthlyWage: 2_800_000, months: 4 },
  ];

  it("three workers, high risk class: JKK 1.27 % + JKM 0.30 % of wage × months", () => {
    const c = wageContribution(workers, "high", PP44);
    expect(c.basis).toBe("wage");
    expect(c.tableVersion).toBe("PP44-2015");
    expect(c.lines).toEqual([
      { monthlyWage: 3_000_000, months: 6, jkk: 228_600, jkm: 54_000 },
      { monthlyWage: 3_500_000, months: 6, jkk: 266_700, jkm: 63_000 },
      { monthlyWage: 2_800_000, months: 4, jkk: 142_240, jkm: 33_600 },
    ]);
    expect(c.jkk).toBe(637_540);
    expect(c.jkm).toBe(150_600);
    expect(c.total).toBe(788_140);
  });

  it("very high risk class: 1.74 %", () => {
    const c = wageContribution([{ monthlyWage: 4_000_000, months: 3 }], "very_high", PP44);
    expect([c.jkk, c.jkm, c.total]).toEqual([208_800, 36_000, 244_800]);
  });

  it("relief table: 1 % of normal", () => {
    const c = wageContribution(workers, "high", RELIEF);
    expect([c.jkk, c.jkm]).toEqual([6_375, 1_506]);
  });

  it("no workers or zero months owe nothing", () => {
    expect(wageContribution([], "high", PP44).total).toBe(0);
    expect(wageContribution([{ monthlyWage: 3_000_000, months: 0 }], "high", PP44).total).toBe(0);
  });

  it("rejects a bad wage with AMOUNT_INVALID and bad months with MONTHS_INVALID", () => {
    expect(domainErrorOf(() => wageContribution([{ monthlyWage: -1, months: 1 }], "high", PP44)).code).toBe(
      "AMOUNT_INVALID",
    );
    expect(domainErrorOf(() => wageContribution([{ monthlyWage: 1.5, months: 1 }], "high", PP44)).code).toBe(
      "AMOUNT_INVALID",
    );
    expect(domainErrorOf(() => wageContribution([{ monthlyWage: 1, months: 1.5 }], "high", PP44)).code).toBe(
      "MONTHS_INVALID",
    );
    expect(domainErrorOf(() => wageContribution([{ monthlyWage: 1, months: -1 }], "high", PP44)).code).toBe(
      "MONTHS_INVALID",
    );
  });
});

describe("formatPpmAsPercent", () => {
  it("writes ppm as an Indonesian percentage", () => {
    expect(formatPpmAsPercent(2400)).toBe("0,24 %");
    expect(formatPpmAsPercent(12_700)).toBe("1,27 %");
    expect(formatPpmAsPercent(21)).toBe("0,0021 %");
    expect(formatPpmAsPercent(0)).toBe("0 %");
  });
});

describe("contribution properties", () => {
  const boundaries = [100 * JT, 500 * JT, 1 * M, 5 * M, 25 * M];
  const value = fc.oneof(
    fc.integer({ min: 0, max: 20_000 }),
    fc.integer({ min: 0, max: 30 * M }),
    fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER - 1 }),
    fc.tuple(fc.constantFrom(...boundaries), fc.integer({ min: -3, max: 3 })).map(([b, d]) => b + d),
    // Procurement values are usually round thousands; look at them and at one rupiah below,
    // both in tier a (where most small works fall) and across all tiers.
    fc
      .tuple(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: -1, max: 0 }))
      .map(([k, d]) => k * 1_000 + d),
    fc
      .tuple(fc.integer({ min: 1, max: 30 * JT }), fc.integer({ min: -1, max: 0 }))
      .map(([k, d]) => k * 1_000 + d),
  );
  const table = fc.constantFrom(PP44, RELIEF);

  it("is monotone in the contract value", () => {
    fc.assert(
      fc.property(value, value, table, (a, b, t) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(total(lo, t)).toBeLessThanOrEqual(total(hi, t));
      }),
    );
  });

  it("is continuous: one more rupiah of contract value adds 0 or 1 rupiah", () => {
    fc.assert(
      fc.property(value, table, (v, t) => {
        const step = total(v + 1, t) - total(v, t);
        expect(step).toBeGreaterThanOrEqual(0);
        expect(step).toBeLessThanOrEqual(1);
      }),
      { numRuns: 2_000 },
    );
  });

  it("total equals JKK + JKM", () => {
    fc.assert(
      fc.property(value, table, (v, t) => {
        const c = contractValueContribution(v, t);
        expect(c.total).toBe(c.jkk + c.jkm);
      }),
    );
  });

  it("the slices of the step lines add up to the contract value, each within its tier", () => {
    fc.assert(
      fc.property(value, table, (v, t) => {
        const lines = tierLines(contractValueContribution(v, t));
        expect(lines.map((l) => l.tier)).toEqual(t.tiers.map((x) => x.tier));
        expect(lines.reduce((s, l) => s + BigInt(l.slice), 0n)).toBe(BigInt(v));
        for (const l of lines) {
          expect(l.slice).toBeGreaterThanOrEqual(0);
          if (l.to !== null) expect(l.slice).toBeLessThanOrEqual(l.to - l.from);
        }
      }),
    );
  });

  it("never exceeds 0.24 % of the contract value rounded up, nor falls below 0.10 % rounded down", () => {
    fc.assert(
      fc.property(value, (v) => {
        const t = BigInt(total(v));
        expect(t).toBeLessThanOrEqual((BigInt(v) * 2400n + 999_999n) / 1_000_000n);
        expect(t).toBeGreaterThanOrEqual((BigInt(v) * 1000n) / 1_000_000n);
      }),
      { numRuns: 2_000 },
    );
  });

  it("total is the marginal JKK + JKM amount rounded once to whole rupiah", () => {
    fc.assert(
      fc.property(value, table, (v, t) => {
        expect(total(v, t)).toBe(roundedOnce(exactCombinedScaled(v, t)));
      }),
      { numRuns: 2_000 },
    );
  });

  it("JKK and JKM each stay within one rupiah of their exact marginal amounts", () => {
    // How the rounded total is split between the two programmes is not fixed by DESIGN.md; either
    // part may carry the rounding, but neither may drift from its exact amount by a rupiah or more.
    fc.assert(
      fc.property(value, table, (v, t) => {
        const c = contractValueContribution(v, t);
        const exactJkk = exactCombinedScaled(v, { ...t, tiers: t.tiers.map((x) => ({ ...x, jkmPpm: 0 })) });
        const exactJkm = exactCombinedScaled(v, { ...t, tiers: t.tiers.map((x) => ({ ...x, jkkPpm: 0 })) });
        const off = (amount: number, scaled: bigint) => {
          const d = BigInt(amount) * 1_000_000n - scaled;
          return d < 0n ? -d : d;
        };
        expect(off(c.jkk, exactJkk)).toBeLessThan(1_000_000n);
        expect(off(c.jkm, exactJkm)).toBeLessThan(1_000_000n);
      }),
    );
  });

  it("the relief table owes 1 % of normal, to the rupiah", () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(Math.abs(total(v, RELIEF) - total(v, PP44) / 100)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it("wage basis: the total is the exact JKK + JKM of all wage-months, rounded once", () => {
    const worker = fc.record({
      monthlyWage: fc.integer({ min: 0, max: 50 * JT }),
      months: fc.integer({ min: 0, max: 36 }),
    });
    fc.assert(
      fc.property(fc.array(worker, { maxLength: 20 }), fc.constantFrom(...RISK_CLASSES), (ws, rc) => {
        const c = wageContribution(ws, rc, PP44);
        const base = ws.reduce((s, w) => s + BigInt(w.monthlyWage) * BigInt(w.months), 0n);
        const exactJkk = base * BigInt(PP44.wageJkkPpm[rc]);
        const exactJkm = base * BigInt(PP44.wageJkmPpm);
        expect(c.total).toBe(roundedOnce(exactJkk + exactJkm));
        expect(c.total).toBe(c.jkk + c.jkm);
        expect(Math.abs(c.jkk - Number(exactJkk) / 1e6)).toBeLessThan(1);
        expect(Math.abs(c.jkm - Number(exactJkm) / 1e6)).toBeLessThan(1);
        expect(c.lines).toHaveLength(ws.length);
      }),
    );
  });
});
