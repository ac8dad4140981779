/**
 * Findings that hold a contractor's next instalment (termin) and open an enforcement case: every open
 * finding except low-severity ones and late registration, which are recorded but do not stop payment.
 * Kept apart from the rules so the dashboard can apply it without bundling the working-day calendar.
 */
export const isBlocking = (f: { rule: string; severity: string }) =>
  f.severity !== "low" && f.rule !== "LATE_REGISTRATION";
