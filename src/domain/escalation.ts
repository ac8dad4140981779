import { addDays, type IsoDate } from "./dates.js";
import { DomainError } from "./errors.js";
import { formatDate } from "./format.js";

/**
 * The escalation ladder of DESIGN.md §2 as an explicit state machine:
 * open → written warning I (10 days) → written warning II (10 days) → sanction recommendation to the
 * district (PP 86/2013: fines, withholding public services such as the next contract instalment) →
 * referral to the state prosecutor (Jaksa Pengacara Negara, for arrears) → resolved / closed.
 * Every step has a date, an actor, a document and, where the contractor must act, a deadline.
 */
export type CaseStep =
  | "open"
  | "warning_1"
  | "warning_2"
  | "sanction_recommended"
  | "referred"
  | "resolved"
  | "closed";
export const CASE_STEPS: readonly CaseStep[] = [
  "open",
  "warning_1",
  "warning_2",
  "sanction_recommended",
  "referred",
  "resolved",
  "closed",
];

export type CaseAction =
  | "issue_warning_1"
  | "issue_warning_2"
  | "recommend_sanction"
  | "refer_to_prosecutor"
  | "resolve"
  | "close";
export const CASE_ACTIONS: readonly CaseAction[] = [
  "issue_warning_1",
  "issue_warning_2",
  "recommend_sanction",
  "refer_to_prosecutor",
  "resolve",
  "close",
];

/** Days the contractor has to comply after each letter (PP 86/2013 ps. 6: teguran tertulis, 10 hari). */
export const STEP_DEADLINE_DAYS: Partial<Record<CaseStep, number>> = {
  warning_1: 10,
  warning_2: 10,
  sanction_recommended: 30,
};

const TRANSITIONS: Record<CaseAction, { from: readonly CaseStep[]; to: CaseStep }> = {
  issue_warning_1: { from: ["open"], to: "warning_1" },
  issue_warning_2: { from: ["warning_1"], to: "warning_2" },
  recommend_sanction: { from: ["warning_2"], to: "sanction_recommended" },
  refer_to_prosecutor: { from: ["sanction_recommended"], to: "referred" },
  resolve: { from: ["open", "warning_1", "warning_2", "sanction_recommended", "referred"], to: "resolved" },
  close: { from: ["open", "warning_1", "warning_2", "sanction_recommended", "referred"], to: "closed" },
};

export interface CaseState {
  step: CaseStep;
  /** The deadline of the current step, if it has one. */
  deadline: IsoDate | null;
  /** Whether the case concerns unpaid contributions (only those go to the prosecutor). */
  hasArrears: boolean;
  /**
   * The day of the case's last step, or of its opening: no step is dated before it, or a warning's ten
   * days could be skipped by dating the steps in the past.
   */
  since: IsoDate;
}

export interface Transition {
  to: CaseStep;
  deadline: IsoDate | null;
}

const reject = (code: string, message: string, details: Record<string, unknown>) =>
  new DomainError(code, message, details);

/** Apply `action` on `date`, or explain why it is not allowed. */
export function transition(state: CaseState, action: CaseAction, date: IsoDate): Transition {
  const rule = TRANSITIONS[action];
  if (state.step === "resolved" || state.step === "closed") {
    throw reject("CASE_FINISHED", `Kasus sudah ${state.step === "resolved" ? "selesai" : "ditutup"}`, {
      step: state.step,
      action,
    });
  }
  if (!rule.from.includes(state.step)) {
    throw reject("CASE_STEP_ORDER", `Langkah "${action}" tidak dapat dilakukan dari tahap "${state.step}"`, {
      step: state.step,
      action,
      allowedFrom: rule.from,
    });
  }
  if (date < state.since) {
    throw reject(
      "CASE_DATE_BEFORE_LAST_STEP",
      `Tanggal langkah sebelum langkah terakhir kasus (${formatDate(state.since)}) / the step is dated before the case's last step (${formatDate(state.since, "en")})`,
      { step: state.step, action, since: state.since, field: "date" },
    );
  }
  const escalating =
    action === "issue_warning_2" || action === "recommend_sanction" || action === "refer_to_prosecutor";
  if (escalating && state.deadline !== null && date <= state.deadline) {
    throw reject(
      "CASE_DEADLINE_NOT_PASSED",
      `Batas waktu tahap ini (${formatDate(state.deadline)}) belum lewat`,
      {
        step: state.step,
        action,
        deadline: state.deadline,
      },
    );
  }
  if (action === "refer_to_prosecutor" && !state.hasArrears) {
    throw reject(
      "CASE_NOT_ARREARS",
      "Hanya tunggakan iuran yang dirujuk ke Kejaksaan (Jaksa Pengacara Negara)",
      {
        step: state.step,
        action,
      },
    );
  }
  const days = STEP_DEADLINE_DAYS[rule.to];
  return { to: rule.to, deadline: days === undefined ? null : addDays(date, days) };
}

/** The actions that finish a case, recording its outcome (DESIGN §2: "resolved / closed with outcome"). */
export const FINISHING_ACTIONS: readonly CaseAction[] = ["resolve", "close"];

export function assertOutcome(action: CaseAction, note: string | undefined): void {
  if (FINISHING_ACTIONS.includes(action) && !note?.trim())
    throw reject(
      "CASE_OUTCOME_REQUIRED",
      "Tulis hasil akhir kasus di catatan / write the case's outcome in the note",
      { action, field: "note" },
    );
}

/** Actions allowed now (for the dashboard's buttons; the server still checks with `transition`). */
export function availableActions(state: CaseState, date: IsoDate): CaseAction[] {
  return CASE_ACTIONS.filter((a) => {
    try {
      transition(state, a, date);
      return true;
    } catch {
      return false;
    }
  });
}

/** A step whose deadline has passed without the case moving on is a task for a BPJS officer. */
export function isOverdue(state: Pick<CaseState, "step" | "deadline">, date: IsoDate): boolean {
  return (
    state.deadline !== null && date > state.deadline && state.step !== "resolved" && state.step !== "closed"
  );
}

/**
 * The notes a compliance run writes on the steps it takes itself. They are stored in Indonesian, as the
 * case file is; `automaticNote` recognises them so that the dashboard can say them in its own language.
 */
export const AUTOMATIC_NOTES = {
  opened: (findings: number) => `${findings} temuan`,
  resolved: "Semua temuan telah diperbaiki",
} as const;

export function automaticNote(
  note: string,
): { kind: "opened"; findings: number } | { kind: "resolved" } | null {
  const opened = /^(\d+) temuan$/.exec(note);
  if (opened) return { kind: "opened", findings: Number(opened[1]) };
  return note === AUTOMATIC_NOTES.resolved ? { kind: "resolved" } : null;
}
