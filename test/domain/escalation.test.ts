import { describe, expect, it } from "vitest";
import { DomainError } from "../../src/domain/errors.js";
import {
  AUTOMATIC_NOTES,
  assertOutcome,
  automaticNote,
  availableActions,
  CASE_ACTIONS,
  CASE_STEPS,
  type CaseAction,
  type CaseStep,
  isOverdue,
  transition,
} from "../../src/domain/escalation.js";

const D = "2025-08-01";
/** The day of the cases' last step. */
const S = "2025-07-01";

/** The only legal moves, written out by hand from DESIGN.md §2's ladder. */
const LEGAL: Record<CaseStep, Partial<Record<CaseAction, CaseStep>>> = {
  open: { issue_warning_1: "warning_1", resolve: "resolved", close: "closed" },
  warning_1: { issue_warning_2: "warning_2", resolve: "resolved", close: "closed" },
  warning_2: { recommend_sanction: "sanction_recommended", resolve: "resolved", close: "closed" },
  sanction_recommended: { refer_to_prosecutor: "referred", resolve: "resolved", close: "closed" },
  referred: { resolve: "resolved", close: "closed" },
  resolved: {},
  closed: {},
};

describe("escalation ladder", () => {
  it.each(CASE_STEPS.flatMap((step) => CASE_ACTIONS.map((action) => [step, action] as const)))(
    "from %s, %s is allowed exactly when the ladder says so",
    (step, action) => {
      const state = { step, deadline: null, hasArrears: true, since: S };
      const expected = LEGAL[step][action];
      if (expected) {
        expect(transition(state, action, D).to).toBe(expected);
      } else {
        let error: unknown;
        try {
          transition(state, action, D);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(DomainError);
        expect((error as DomainError).code).toMatch(/^CASE_(FINISHED|STEP_ORDER)$/);
        expect((error as DomainError).message.length).toBeGreaterThan(10);
      }
    },
  );

  it("gives written warnings ten days and a sanction recommendation thirty", () => {
    expect(
      transition({ step: "open", deadline: null, hasArrears: false, since: S }, "issue_warning_1", D),
    ).toEqual({
      to: "warning_1",
      deadline: "2025-08-11",
    });
    expect(
      transition(
        { step: "warning_1", deadline: "2025-08-11", hasArrears: false, since: S },
        "issue_warning_2",
        "2025-08-12",
      ),
    ).toEqual({
      to: "warning_2",
      deadline: "2025-08-22",
    });
    expect(
      transition(
        { step: "warning_2", deadline: "2025-08-22", hasArrears: false, since: S },
        "recommend_sanction",
        "2025-08-23",
      ).deadline,
    ).toBe("2025-09-22");
    expect(
      transition({ step: "warning_1", deadline: "2025-08-11", hasArrears: false, since: S }, "resolve", D),
    ).toEqual({ to: "resolved", deadline: null });
  });

  it("does not escalate before the contractor's deadline has passed", () => {
    const state = { step: "warning_1" as const, deadline: "2025-08-11", hasArrears: false, since: S };
    expect(() => transition(state, "issue_warning_2", "2025-08-11")).toThrow(
      expect.objectContaining({ code: "CASE_DEADLINE_NOT_PASSED" }),
    );
    expect(transition(state, "issue_warning_2", "2025-08-12").to).toBe("warning_2");
    // Resolving is always possible: the contractor may fix things before the deadline.
    expect(transition(state, "resolve", "2025-08-05").to).toBe("resolved");
  });

  it("never dates a step before the case's last step, which would skip a warning's ten days", () => {
    const opened = { step: "open" as const, deadline: null, hasArrears: true, since: "2025-05-31" };
    expect(() => transition(opened, "issue_warning_1", "2001-01-01")).toThrow(
      expect.objectContaining({
        code: "CASE_DATE_BEFORE_LAST_STEP",
        details: expect.objectContaining({ field: "date" }),
      }),
    );
    expect(transition(opened, "issue_warning_1", "2025-05-31").deadline).toBe("2025-06-10");
    const warned = {
      step: "warning_1" as const,
      deadline: "2025-06-10",
      hasArrears: true,
      since: "2025-05-31",
    };
    expect(() => transition(warned, "resolve", "2025-05-30")).toThrow(
      expect.objectContaining({ code: "CASE_DATE_BEFORE_LAST_STEP" }),
    );
    expect(availableActions(warned, "2025-05-30")).toEqual([]);
  });

  it("refers only arrears to the prosecutor", () => {
    const state = { step: "sanction_recommended" as const, deadline: null, hasArrears: false, since: S };
    expect(() => transition(state, "refer_to_prosecutor", D)).toThrow(
      expect.objectContaining({ code: "CASE_NOT_ARREARS" }),
    );
    expect(transition({ ...state, hasArrears: true, since: S }, "refer_to_prosecutor", D).to).toBe(
      "referred",
    );
  });

  it("lists the available actions and flags overdue steps", () => {
    expect(availableActions({ step: "open", deadline: null, hasArrears: false, since: S }, D)).toEqual([
      "issue_warning_1",
      "resolve",
      "close",
    ]);
    expect(
      availableActions({ step: "warning_1", deadline: "2025-08-11", hasArrears: false, since: S }, D),
    ).toEqual(["resolve", "close"]);
    expect(availableActions({ step: "closed", deadline: null, hasArrears: false, since: S }, D)).toEqual([]);
    expect(isOverdue({ step: "warning_1", deadline: "2025-08-11" }, "2025-08-12")).toBe(true);
    expect(isOverdue({ step: "warning_1", deadline: "2025-08-11" }, "2025-08-11")).toBe(false);
    expect(isOverdue({ step: "resolved", deadline: "2025-08-11" }, "2025-09-01")).toBe(false);
  });
});

describe("a finished case's outcome", () => {
  it("is required to resolve or close a case, and not to escalate it", () => {
    for (const action of ["resolve", "close"] as const) {
      expect(() => assertOutcome(action, undefined)).toThrow(
        expect.objectContaining({ code: "CASE_OUTCOME_REQUIRED" }),
      );
      expect(() => assertOutcome(action, " \n ")).toThrow(
        expect.objectContaining({ code: "CASE_OUTCOME_REQUIRED" }),
      );
      expect(() => assertOutcome(action, "Tunggakan dibayar lunas")).not.toThrow();
    }
    expect(() => assertOutcome("issue_warning_1", undefined)).not.toThrow();
  });
});

describe("the notes of the steps a compliance run takes", () => {
  it("are recognised, so that the dashboard can say them in its language, and an officer's are not", () => {
    expect(automaticNote(AUTOMATIC_NOTES.opened(7))).toEqual({ kind: "opened", findings: 7 });
    expect(automaticNote(AUTOMATIC_NOTES.opened(1))).toEqual({ kind: "opened", findings: 1 });
    expect(automaticNote(AUTOMATIC_NOTES.resolved)).toEqual({ kind: "resolved" });
    for (const officer of ["Tunggakan dibayar lunas", "3 temuan diperbaiki sebagian", "temuan", ""])
      expect(automaticNote(officer), officer).toBeNull();
  });
});
