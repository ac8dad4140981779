import { daysInMonth, type IsoDate, minDate, toIsoDate } from "./dates.js";
import { DomainError } from "./errors.js";
import { CASE_STEPS, type CaseStep } from "./escalation.js";
import { formatDate, formatMonth } from "./format.js";

/**
 * Pure shaping rules of the monitoring-and-evaluation (Monev) report: which day a monthly period is
 * read on, and how open cases are counted along the escalation ladder.
 */
export type Period = string; // YYYY-MM

export function isPeriod(value: string): value is Period {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(value);
}

/**
 * The day a period's figures are taken on: its last day, or the business date when the month is still
 * running (a July report issued on 30 July shows 30 July, not a day that has not happened).
 */
export function periodEndDate(period: string, today: IsoDate): IsoDate {
  if (!isPeriod(period))
    throw new DomainError(
      "PERIOD_INVALID",
      `Periode ${period} harus YYYY-MM / the period ${period} must be YYYY-MM`,
      { field: "period" },
    );
  const year = Number(period.slice(0, 4));
  const month = Number(period.slice(5, 7));
  if (`${period}-01` > today)
    throw new DomainError(
      "PERIOD_IN_FUTURE",
      `Periode ${formatMonth(period)} belum dimulai pada ${formatDate(today)} / ${formatMonth(period, "en")} has not begun on ${formatDate(today, "en")}`,
      { field: "period" },
    );
  return minDate(toIsoDate(year, month, daysInMonth(year, month)), today);
}

export interface CaseStepCount {
  step: CaseStep;
  label: string;
  open: number;
  overdue: number;
}

/** Officers' names for the rungs of the ladder (DESIGN.md §2). */
export const CASE_STEP_LABELS: Record<CaseStep, string> = {
  open: "Temuan (belum ditegur)",
  warning_1: "Teguran tertulis I",
  warning_2: "Teguran tertulis II",
  sanction_recommended: "Rekomendasi sanksi",
  referred: "Diserahkan ke Kejaksaan (JPN)",
  resolved: "Selesai",
  closed: "Ditutup",
};

/** Open cases per rung, in ladder order, every open rung listed even when empty. */
export function casesByStep(cases: readonly { step: CaseStep; overdue: boolean }[]): CaseStepCount[] {
  return CASE_STEPS.filter((s) => s !== "resolved" && s !== "closed").map((step) => {
    const here = cases.filter((c) => c.step === step);
    return {
      step,
      label: CASE_STEP_LABELS[step],
      open: here.length,
      overdue: here.filter((c) => c.overdue).length,
    };
  });
}

/** Funding sources as officers write them; `private` is the only code that is not already Indonesian. */
export const FUNDING_SOURCE_LABELS: Record<string, string> = {
  APBD: "APBD",
  APBN: "APBN",
  DAK: "DAK",
  private: "Swasta",
};

/**
 * A breakdown's code as the report prints it: the group of projects without a work unit, keyed "-", has
 * none (its name, "(tanpa OPD)", says so; a "-" cell would also read as a formula and be escaped).
 */
export const shownCode = (code: string): string => (code === "-" ? "" : code);

/** The report's file name, the same from the CLI and the API: `monev-61.03-2025-07.xlsx`. */
export function monevFileName(regionCode: string, period: string, format: "xlsx" | "pdf"): string {
  return `monev-${regionCode}-${period}.${format}`;
}
