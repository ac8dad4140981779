import { type BasisPoints, gapToTarget, ratioToPercent } from "./coverage.js";

/**
 * The gap-to-target planner (Monev): which actions close the gap between protected workers and the
 * target share of known workers with the fewest actions, and where the trend leads by year end.
 */
export type PlanStep = "register" | "verify" | "pay" | "confirm" | "report";

/** The steps as the Monev report writes them. */
export const PLAN_STEP_LABELS: Record<PlanStep, string> = {
  register: "daftarkan proyek ke BPJS",
  verify: "verifikasi pendaftaran yang menunggu",
  pay: "tagih iuran",
  confirm: "konfirmasi pembayaran yang menunggu",
  report: "minta laporan pekerja",
};

/** One project's way to more protected workers: the steps it needs and what they change. */
export interface PlanCandidate {
  projectId: number;
  /**
   * e.g. ["register"], ["pay"], ["report"] or ["register", "report"] for a silent unregistered project;
   * "confirm" instead of "pay" where the contractor's payments waiting for the branch cover what is owed,
   * "verify" instead of "register" where the contractor's registration waits for the branch.
   */
  steps: PlanStep[];
  /** Workers who become protected. */
  gained: number;
  /** Workers who become known: those a silent project reports (its estimate); 0 otherwise. */
  newlyKnown: number;
}

export interface PlannedAction extends PlanCandidate {
  /** The gap after this action and all before it. */
  gapAfter: number;
}

/**
 * How much an action narrows the gap `ceil(t·known) − protected`: every protected worker narrows it by
 * one, but a newly reported worker also raises the target by `t`, so reporting counts for `1 − t` each.
 */
export function gapReduction(target: BasisPoints, c: PlanCandidate): number {
  return c.gained - (c.newlyKnown * target) / 10_000;
}

/**
 * Take the actions that narrow the gap most first, until it is closed. Each action's effect is its own
 * (a worker is counted by one project only), so this greedy order needs the fewest actions. Candidates
 * that would widen the gap are never proposed. `reached` is false when even all of them fall short.
 */
export function planToTarget(
  target: BasisPoints,
  known: number,
  protectedWorkers: number,
  candidates: readonly PlanCandidate[],
): { actions: PlannedAction[]; reached: boolean; known: number; protected: number; percent: number | null } {
  const ranked = candidates
    .filter((c) => gapReduction(target, c) > 0)
    .sort((a, b) => gapReduction(target, b) - gapReduction(target, a) || a.projectId - b.projectId);
  let k = known;
  let p = protectedWorkers;
  const actions: PlannedAction[] = [];
  for (const c of ranked) {
    if (gapToTarget(target, k, p) === 0) break;
    k += c.newlyKnown;
    p += c.gained;
    actions.push({ ...c, gapAfter: gapToTarget(target, k, p) });
  }
  return {
    actions,
    reached: gapToTarget(target, k, p) === 0,
    known: k,
    protected: p,
    percent: ratioToPercent(k === 0 ? null : p / k),
  };
}

export interface Forecast {
  /** Coverage expected at the end of December at the current pace; null: no month observed, or no workers left by then. */
  yearEndPercent: number | null;
  /** First month (YYYY-MM) at or after the last observed one where the pace meets the target; null: not this year. */
  targetMonth: string | null;
}

/**
 * Extrapolate a year's monthly coverage to December at the current pace. Coverage is a ratio, so the
 * two counts are extended, not the percentage: known and protected workers each grow by their own
 * least-squares slope over the observed months, from the last month's real figures. A line through the
 * percentages would weigh a January of 158 workers like a July of 12,320, and on the Sanggau demo it
 * fell to 0 % by December although registrations keep coming; counts give 37 % there.
 */
export function forecastYearEnd(
  points: readonly { month: string; known: number; protected: number }[],
  targetPercent: number | null,
): Forecast {
  const observed = points
    .filter((p) => p.known > 0)
    .map((p) => ({
      m: Number(p.month.slice(5, 7)),
      known: p.known,
      protected: p.protected,
      year: p.month.slice(0, 4),
    }));
  const last = observed.at(-1);
  if (!last) return { yearEndPercent: null, targetMonth: null };
  const meanM = observed.reduce((s, p) => s + p.m, 0) / observed.length;
  const sxx = observed.reduce((s, p) => s + (p.m - meanM) ** 2, 0);
  const slope = (count: (p: (typeof observed)[number]) => number) => {
    const meanC = observed.reduce((s, p) => s + count(p), 0) / observed.length;
    return sxx === 0 ? 0 : observed.reduce((s, p) => s + (p.m - meanM) * (count(p) - meanC), 0) / sxx;
  };
  const knownPace = slope((p) => p.known);
  const protectedPace = slope((p) => p.protected);
  const at = (m: number): number | null => {
    const known = last.known + knownPace * (m - last.m);
    const covered = Math.max(0, last.protected + protectedPace * (m - last.m));
    return known <= 0 ? null : Math.min(100, (100 * covered) / known);
  };
  let targetMonth: string | null = null;
  if (targetPercent !== null) {
    for (let m = last.m; m <= 12; m++) {
      const value = at(m);
      if (value !== null && value >= targetPercent) {
        targetMonth = `${last.year}-${String(m).padStart(2, "0")}`;
        break;
      }
    }
  }
  const yearEnd = at(12);
  return { yearEndPercent: yearEnd === null ? null : Math.round(yearEnd * 100) / 100, targetMonth };
}
