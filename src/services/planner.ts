import { sql } from "kysely";
import type { Db } from "../db/connection.js";
import { percentToBasisPoints } from "../domain/coverage.js";
import type { IsoDate } from "../domain/dates.js";
import { type PlanCandidate, type PlannedAction, type PlanStep, planToTarget } from "../domain/planner.js";
import type { Actor } from "./actor.js";
import { type CoverageQuery, type CoverageReport, type GapProject, gapProjects } from "./coverage.js";
import { protectsOn } from "./coverage-sql.js";
import { OUTSTANDING, PENDING } from "./payments.js";
import { REGISTRATION_WAITS } from "./registrations.js";

export interface CoveragePlan {
  date: IsoDate;
  known: number;
  protected: number;
  target: { percent: number; source: string } | null;
  gap: number | null;
  /** The fewest actions that close the gap, most effective first; empty without a target. */
  actions: (PlannedAction & Omit<GapProject, "action" | "workers" | "cumulative">)[];
  reached: boolean;
  /** Coverage once every proposed action is done. */
  after: { known: number; protected: number; percent: number | null };
  /** Projects with unprotected or unreported workers that no action can fix on the date (e.g. ended). */
  unplannable: number;
}

interface ProjectFacts {
  id: number;
  active: boolean;
  registered: boolean;
  /** Registered, with the date inside the coverage period (so paying protects). */
  inPeriod: boolean;
  protects: boolean;
  /** The contractor's payments waiting for the branch cover what is still owed: confirming them pays. */
  claimsCover: boolean;
  /** The contractor's registration waits for the branch: verifying it registers. */
  registrationWaits: boolean;
}

/**
 * What each candidate project needs so that its workers are protected on the date, or null when nothing
 * done on that date can: registration is never back-dated, and a project that has ended cannot register.
 */
function stepsFor(kind: GapProject["action"], f: ProjectFacts): PlanStep[] | null {
  if (!f.active) return null;
  const pay = f.claimsCover ? "confirm" : "pay";
  const register = f.registrationWaits ? "verify" : "register";
  if (kind === "register") return f.registered ? null : [register];
  if (kind === "pay") return f.inPeriod ? [pay] : null;
  if (f.protects) return ["report"];
  if (!f.registered) return [register, "report"];
  return f.inPeriod ? [pay, "report"] : null;
}

/** The gap-to-target plan for one scope and date (Monev planner); the forecast comes with the trend. */
export async function planCoverage(db: Db, q: CoverageQuery, actor: Actor): Promise<CoveragePlan> {
  return (await planWithCoverage(db, q, actor)).plan;
}

/** The plan and the coverage report it was computed against, for a caller that shows both (Monev). */
export async function planWithCoverage(
  db: Db,
  q: CoverageQuery,
  actor: Actor,
): Promise<{ plan: CoveragePlan; coverage: CoverageReport }> {
  // The candidates come with the coverage they were computed against: one pass over the assignments.
  const { items, coverage: report } = await gapProjects(db, { ...q, limit: Number.MAX_SAFE_INTEGER }, actor);
  return { plan: await planFrom(db, q, report, items), coverage: report };
}

async function planFrom(
  db: Db,
  q: CoverageQuery,
  report: CoverageReport,
  items: GapProject[],
): Promise<CoveragePlan> {
  const base = {
    date: q.date,
    known: report.known,
    protected: report.protected,
    target: report.target,
    gap: report.gap,
  };
  if (!report.target) {
    const after = { known: report.known, protected: report.protected, percent: report.percent };
    return { ...base, actions: [], reached: false, after, unplannable: 0 };
  }
  const facts = new Map<number, ProjectFacts>();
  if (items.length > 0) {
    const rows = await sql<ProjectFacts>`
      select p.id,
        (p.spk_date <= ${q.date}::date and p.end_date >= ${q.date}::date) as active,
        (r.project_id is not null) as registered,
        coalesce(${q.date}::date between r.coverage_start and r.coverage_end, false) as "inPeriod",
        ${protectsOn(q.date)} as protects,
        coalesce(${PENDING} > 0 and ${PENDING} >= ${OUTSTANDING}, false) as "claimsCover",
        ${REGISTRATION_WAITS} as "registrationWaits"
      from project p
      left join project_registration r on r.regency_code = p.regency_code and r.project_id = p.id
      where p.id = any(${sql.val(items.map((i) => i.projectId))}::bigint[])`.execute(db);
    for (const r of rows.rows) facts.set(r.id, r);
  }
  const candidates: PlanCandidate[] = [];
  let unplannable = 0;
  for (const item of items) {
    const f = facts.get(item.projectId);
    const steps = f ? stepsFor(item.action, f) : null;
    if (!steps) {
      unplannable += 1;
      continue;
    }
    const reports = item.action === "report";
    candidates.push({
      projectId: item.projectId,
      steps,
      gained: item.workers,
      newlyKnown: reports ? item.workers : 0,
    });
  }
  const plan = planToTarget(
    percentToBasisPoints(report.target.percent),
    report.known,
    report.protected,
    candidates,
  );
  const labels = new Map(items.map((i) => [i.projectId, i]));
  return {
    ...base,
    actions: plan.actions.map((a) => {
      const { action: _, workers: __, cumulative: ___, ...label } = labels.get(a.projectId) as GapProject;
      return { ...label, ...a };
    }),
    reached: plan.reached,
    after: { known: plan.known, protected: plan.protected, percent: plan.percent },
    unplannable,
  };
}
