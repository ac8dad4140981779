import { describe, expect, it } from "vitest";
import { casesByStep, isPeriod, monevFileName, periodEndDate } from "../../src/domain/monev.js";

describe("Monev period", () => {
  it.each([
    ["2025-07", "2025-07-30", "2025-07-30"],
    ["2025-06", "2025-07-30", "2025-06-30"],
    ["2024-02", "2025-07-30", "2024-02-29"],
    ["2025-02", "2026-01-15", "2025-02-28"],
    ["2025-12", "2025-12-01", "2025-12-01"],
  ])("%s read on %s is %s", (period, today, expected) => {
    expect(periodEndDate(period, today)).toBe(expected);
  });

  it("refuses a malformed period and a month that has not begun", () => {
    for (const bad of ["2025-7", "2025-13", "2025-00", "25-07", "2025-07-01"]) {
      expect(isPeriod(bad), bad).toBe(false);
      expect(() => periodEndDate(bad, "2025-07-30")).toThrow(
        expect.objectContaining({ code: "PERIOD_INVALID" }),
      );
    }
    expect(() => periodEndDate("2025-08", "2025-07-31")).toThrow(
      expect.objectContaining({ code: "PERIOD_IN_FUTURE" }),
    );
  });

  it("names the file after region, period and format", () => {
    expect(monevFileName("61.03", "2025-07", "xlsx")).toBe("monev-61.03-2025-07.xlsx");
  });
});

describe("open cases by escalation step", () => {
  it("lists every open rung in ladder order with counts and overdue counts", () => {
    const rows = casesByStep([
      { step: "warning_2", overdue: true },
      { step: "open", overdue: false },
      { step: "warning_2", overdue: false },
      { step: "referred", overdue: false },
    ]);
    expect(rows.map((r) => [r.step, r.open, r.overdue])).toEqual([
      ["open", 1, 0],
      ["warning_1", 0, 0],
      ["warning_2", 2, 1],
      ["sanction_recommended", 0, 0],
      ["referred", 1, 0],
    ]);
    expect(rows[2]?.label).toBe("Teguran tertulis II");
  });
});
