import type { Finding } from "./projects.js";

/** Shapes of GET /api/v1/cases and /cases/:id. */
export interface CaseSummary {
  id: number;
  regencyCode: string;
  contractorId: number;
  contractor: string;
  step: string;
  status: "open" | "closed";
  openedOn: string;
  deadline: string | null;
  overdue: boolean;
  hasArrears: boolean;
  findings: number;
  actions: string[];
}

export interface CaseDetail extends Omit<CaseSummary, "findings"> {
  steps: {
    step: string;
    actor: string;
    takenOn: string;
    deadline: string | null;
    documentNo: string | null;
    note: string | null;
  }[];
  findings: Finding[];
  letters: { id: number; step: string; number: string; issuedOn: string }[];
}

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
