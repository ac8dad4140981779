import { type BasisPoints, gapToTarget, ratioToPercent } from "./coverage.js";

/**
 * The gap-to-target planner (Monev): which actions close the gap between protected workers and the
 * target share of known workers with the fewest actions, and where the trend leads by year end.
 */
export type PlanStep = "register" | "pay" | "report";

/** The steps as the Monev report writes them. */
export const PLAN_STEP_LABELS: Record<PlanStep, string> = {
  register: "daftarkan proyek ke BPJS",
  pay: "tagih iuran",
  report: "minta laporan pekerja",
};

/** One project's way to more protected workers: the steps it needs and what they change. */
export interface PlanCandidate {
  projectId: number;
  /** e.g. ["register"], ["pay"], ["report"] or ["register", "report"] for a silent unregistered project. */
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
  /** Coverage expected at the end of December at the current pace (least-squares line over the months). */
  yearEndPercent: number | null;
  /** First month (YYYY-MM) at or after the last observed one where the line meets the target; null: not this year. */
  targetMonth: string | null;
}

/** Extrapolate the monthly coverage of one year along a straight line fitted by least squares. */
export function forecastYearEnd(
  points: readonly { month: string; percent: number | null }[],
  targetPercent: number | null,
): Forecast {
  const observed = points
    .filter((p): p is { month: string; percent: number } => p.percent !== null)
    .map((p) => ({ m: Number(p.month.slice(5, 7)), percent: p.percent, year: p.month.slice(0, 4) }));
  const last = observed.at(-1);
  if (!last) return { yearEndPercent: null, targetMonth: null };
  const n = observed.length;
  const meanM = observed.reduce((s, p) => s + p.m, 0) / n;
  const meanP = observed.reduce((s, p) => s + p.percent, 0) / n;
  const sxx = observed.reduce((s, p) => s + (p.m - meanM) ** 2, 0);
  const slope = sxx === 0 ? 0 : observed.reduce((s, p) => s + (p.m - meanM) * (p.percent - meanP), 0) / sxx;
  const at = (m: number) => Math.min(100, Math.max(0, meanP + slope * (m - meanM)));
  let targetMonth: string | null = null;
  if (targetPercent !== null) {
    for (let m = last.m; m <= 12; m++) {
      // The month already observed counts by its real figure, later ones by the line.
      const value = m === last.m ? last.percent : at(m);
      if (value >= targetPercent) {
        targetMonth = `${last.year}-${String(m).padStart(2, "0")}`;
        break;
      }
    }
  }
  return { yearEndPercent: Math.round(at(12) * 100) / 100, targetMonth };
}
