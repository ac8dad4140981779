import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addDays,
  daysBetween,
  daysInMonth,
  isCalendarDate,
  isIsoDate,
  maxDate,
  minDate,
  monthsTouched,
  toIsoDate,
  yearsOld,
} from "../../src/domain/dates.js";

/** Calendar dates 1900–2100, the range NIKs, contracts and reports live in. */
const isoDate = fc
  .date({ min: new Date("1900-01-01T00:00:00Z"), max: new Date("2100-12-31T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

describe("isIsoDate", () => {
  it.each(["2025-07-30", "2024-02-29", "2000-02-29", "1985-03-12", "2025-12-31", "0001-01-01"])(
    "accepts the real date %s",
    (value) => {
      expect(isIsoDate(value)).toBe(true);
    },
  );

  it.each([
    ["2025-02-29", "29 Feb in a common year"],
    ["1900-02-29", "1900 is not a leap year (divisible by 100, not by 400)"],
    ["2025-04-31", "April has 30 days"],
    ["2025-13-01", "month 13"],
    ["2025-00-10", "month 0"],
    ["2025-07-00", "day 0"],
    ["2025-07-32", "day 32"],
    ["2025-7-30", "month not zero-padded"],
    ["30/07/2025", "Indonesian spreadsheet format is not ISO"],
    [" 2025-07-30", "leading space"],
    ["2025-07-30T00:00:00Z", "a timestamp, not a date"],
    ["", "empty"],
  ])("rejects %s (%s)", (value) => {
    expect(isIsoDate(value)).toBe(false);
  });
});

describe("calendar helpers", () => {
  it("knows month lengths including the Gregorian leap-year rule", () => {
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2025, 2)).toBe(28);
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(2025, 4)).toBe(30);
    expect(daysInMonth(2025, 12)).toBe(31);
  });

  it("isCalendarDate rejects out-of-range parts", () => {
    expect(isCalendarDate(2025, 2, 28)).toBe(true);
    expect(isCalendarDate(2025, 2, 29)).toBe(false);
    expect(isCalendarDate(2025, 0, 1)).toBe(false);
    expect(isCalendarDate(2025, 13, 1)).toBe(false);
    expect(isCalendarDate(2025, 1, 0)).toBe(false);
  });

  it("toIsoDate pads every part", () => {
    expect(toIsoDate(2025, 7, 3)).toBe("2025-07-03");
    expect(toIsoDate(5, 1, 2)).toBe("0005-01-02");
  });

  it("minDate and maxDate compare ISO strings chronologically", () => {
    expect(minDate("2025-07-30", "2024-12-31")).toBe("2024-12-31");
    expect(maxDate("2025-07-30", "2024-12-31")).toBe("2025-07-30");
    expect(minDate("2025-07-30", "2025-07-30")).toBe("2025-07-30");
  });
});

describe("addDays", () => {
  it.each([
    ["2025-07-30", 1, "2025-07-31"],
    ["2025-07-31", 1, "2025-08-01"],
    ["2024-02-28", 1, "2024-02-29"],
    ["2025-02-28", 1, "2025-03-01"],
    ["2025-01-01", -1, "2024-12-31"],
    ["2025-03-30", 0, "2025-03-30"],
    ["2024-01-01", 366, "2025-01-01"],
    ["2025-07-30", -30, "2025-06-30"],
  ])("%s + %i days = %s", (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });
});

describe("yearsOld", () => {
  it.each([
    ["1985-03-12", "2025-03-11", 39],
    ["1985-03-12", "2025-03-12", 40],
    ["2010-07-02", "2025-07-01", 14],
    ["2008-02-29", "2023-02-28", 14],
    ["2008-02-29", "2023-03-01", 15],
    ["2008-02-29", "2024-02-29", 16],
  ])("born %s, on %s: %i", (born, on, age) => {
    expect(yearsOld(born, on)).toBe(age);
  });
});

describe("daysBetween", () => {
  it.each([
    ["2025-01-01", "2025-12-31", 364],
    ["2024-01-01", "2025-01-01", 366],
    ["2025-01-01", "2026-01-01", 365],
    ["2025-07-30", "2025-07-30", 0],
    ["2025-07-31", "2025-07-30", -1],
    ["2024-02-28", "2024-03-01", 2],
    ["2025-02-28", "2025-03-01", 1],
  ])("from %s to %s is %i days", (from, to, expected) => {
    expect(daysBetween(from, to)).toBe(expected);
  });
});

describe("monthsTouched", () => {
  it.each([
    ["2025-07-01", "2025-07-01", 1],
    ["2025-07-01", "2025-07-31", 1],
    ["2025-01-31", "2025-02-01", 2],
    ["2025-01-01", "2025-12-31", 12],
    ["2024-11-15", "2025-02-10", 4],
    ["2025-03-01", "2025-02-28", 0],
  ])("from %s to %s touches %i month(s)", (from, to, expected) => {
    expect(monthsTouched(from, to)).toBe(expected);
  });
});

describe("date properties", () => {
  it("every generated calendar date is an ISO date", () => {
    fc.assert(fc.property(isoDate, (d) => isIsoDate(d)));
  });

  it("addDays and daysBetween are inverses", () => {
    fc.assert(
      fc.property(isoDate, fc.integer({ min: -40_000, max: 40_000 }), (d, n) => {
        const moved = addDays(d, n);
        expect(isIsoDate(moved)).toBe(true);
        expect(daysBetween(d, moved)).toBe(n);
        expect(addDays(moved, -n)).toBe(d);
      }),
    );
    fc.assert(
      fc.property(isoDate, isoDate, (a, b) => {
        expect(addDays(a, daysBetween(a, b))).toBe(b);
      }),
    );
  });

  it("daysBetween is antisymmetric and its sign follows the string order", () => {
    fc.assert(
      fc.property(isoDate, isoDate, (a, b) => {
        const n = daysBetween(a, b);
        expect(daysBetween(b, a) + n).toBe(0);
        expect(Math.sign(n)).toBe(a < b ? 1 : a > b ? -1 : 0);
      }),
    );
  });

  it("monthsTouched of consecutive periods sharing a day counts that month once", () => {
    fc.assert(
      fc.property(fc.uniqueArray(isoDate, { minLength: 3, maxLength: 3 }), (dates) => {
        const [a, b, c] = [...dates].sort() as [string, string, string];
        expect(monthsTouched(a, c)).toBe(monthsTouched(a, b) + monthsTouched(b, c) - 1);
        expect(monthsTouched(a, b)).toBeGreaterThanOrEqual(1);
        // A period of n days touches at most ceil(n / 28) + 1 months.
        expect(monthsTouched(a, b)).toBeLessThanOrEqual(Math.ceil((daysBetween(a, b) + 1) / 28) + 1);
      }),
    );
  });

  it("isIsoDate never throws on arbitrary strings and only accepts the YYYY-MM-DD shape", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^\d{4}-\d{2}-\d{2}$/)), (s) => {
        const ok = isIsoDate(s);
        if (ok) {
          expect(s).toMatch(/^\d{4}-\d{2}-\d{2}$/);
          expect(addDays(s, 0)).toBe(s);
        }
      }),
    );
  });
});
