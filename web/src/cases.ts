/** The case answers' types, taken from the service that produces them (type-only), and the board's order. */
import type { CaseSummary, caseDetail } from "../../src/services/cases.js";

export type { CaseSummary };
export type CaseDetail = Awaited<ReturnType<typeof caseDetail>>;

/** The escalation ladder's columns, in order (DESIGN.md §2: warnings → sanction → prosecutor). */
export const BOARD_STEPS = ["open", "warning_1", "warning_2", "sanction_recommended", "referred"] as const;

/** Overdue first, then the earliest deadline, then the oldest case. */
export function boardOrder(a: CaseSummary, b: CaseSummary): number {
  if (a.overdue !== b.overdue) return a.overdue ? -1 : 1;
  const da = a.deadline ?? "9999-12-31";
  const db = b.deadline ?? "9999-12-31";
  return da < db
    ? -1
    : da > db
      ? 1
      : a.openedOn < b.openedOn
        ? -1
        : a.openedOn > b.openedOn
          ? 1
          : a.id - b.id;
}
