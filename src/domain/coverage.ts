import { daysBetween, type IsoDate } from "./dates.js";
import { DomainError } from "./errors.js";

/**
 * Coverage: protected workers / workers known to be working, at a scope and a date (DESIGN.md §2).
 * A worker is protected on day D when they are on a project that is registered with BPJS, D lies in
 * the registration's coverage period, and the contribution is paid in full by D or D is still inside
 * the payment grace period (on or before the due date).
 */
export interface RegistrationFacts {
  coverageStart: IsoDate;
  coverageEnd: IsoDate;
  dueDate: IsoDate;
  amount: number;
}

export interface PaymentFacts {
  paidOn: IsoDate;
  amount: number;
}

export interface AssignmentFacts {
  joinedOn: IsoDate;
  leftOn: IsoDate | null;
}

export type ProjectStatus = "unregistered" | "outside_period" | "grace" | "paid" | "arrears";

/** Why a registered or unregistered project does or does not protect its workers on `date`. */
export function projectStatusOn(
  registration: RegistrationFacts | null,
  payments: readonly PaymentFacts[],
  date: IsoDate,
): ProjectStatus {
  if (!registration) return "unregistered";
  if (date < registration.coverageStart || date > registration.coverageEnd) return "outside_period";
  const paid = payments.filter((p) => p.paidOn <= date).reduce((sum, p) => sum + p.amount, 0);
  if (paid >= registration.amount) return "paid";
  return date <= registration.dueDate ? "grace" : "arrears";
}

export const protects = (status: ProjectStatus): boolean => status === "paid" || status === "grace";

/** Join and leave dates are both days of work: a worker who leaves on D still works on D. */
export function isWorkingOn(assignment: AssignmentFacts, date: IsoDate): boolean {
  return assignment.joinedOn <= date && (assignment.leftOn === null || date <= assignment.leftOn);
}

/** Target ratios are kept in basis points (58.65 % = 5865) so that gap arithmetic is exact. */
export type BasisPoints = number;

export function percentToBasisPoints(percent: number): BasisPoints {
  const bp = Math.round(percent * 100);
  if (!Number.isFinite(percent) || bp < 0 || bp > 10_000) {
    throw new DomainError("TARGET_INVALID", `Target harus antara 0 dan 100 %: ${percent}`, { percent });
  }
  return bp;
}

export interface CoverageFigures {
  known: number;
  protected: number;
  /** protected / known, null when nobody is known. */
  ratio: number | null;
}

export function coverageFigures(known: number, protectedWorkers: number): CoverageFigures {
  if (protectedWorkers > known) {
    throw new DomainError("COVERAGE_INCONSISTENT", "Pekerja terlindungi melebihi pekerja yang diketahui", {
      known,
      protected: protectedWorkers,
    });
  }
  return { known, protected: protectedWorkers, ratio: known === 0 ? null : protectedWorkers / known };
}

/**
 * Workers still to protect to reach the target: ceil(target × known) − protected, never negative.
 * Integer arithmetic: 58.65 % of 12,320 = 7,225.68 → 7,226 workers, so the gap from 4,519 is 2,707.
 */
export function gapToTarget(target: BasisPoints, known: number, protectedWorkers: number): number {
  const needed = Math.floor((target * known + 9_999) / 10_000);
  return Math.max(0, needed - protectedWorkers);
}

/** Round a ratio to a percentage with two decimals (36.68 for 4,519 / 12,320). */
export function ratioToPercent(ratio: number | null): number | null {
  return ratio === null ? null : Math.round(ratio * 10_000) / 100;
}

/**
 * Estimated workforce of a project that has not reported its workers, shown beside (never mixed
 * into) the reported figures. Average headcount = contract value × labour share ÷ (daily wage ×
 * working days). The labour shares are planning assumptions for Indonesian public works (labour is
 * typically a fifth to a third of a unit-price analysis, AHSP, lower for equipment-heavy road work);
 * the daily wage is an assumption near BPS's published average daily wage of construction labourers
 * (upah buruh bangunan). Both are settings, not regulation: change them, not this code.
 */
export type WorkType = "building" | "road" | "water" | "other";
export const WORK_TYPES: readonly WorkType[] = ["building", "road", "water", "other"];

export interface WorkforceEstimateSettings {
  labourShare: Record<WorkType, number>;
  dailyWage: number;
  workingDaysPerWeek: number;
}

export const DEFAULT_WORKFORCE_ESTIMATE: WorkforceEstimateSettings = {
  labourShare: { building: 0.3, road: 0.2, water: 0.3, other: 0.25 },
  dailyWage: 120_000,
  workingDaysPerWeek: 6,
};

export function estimateWorkforce(
  project: { contractValue: number; workType: WorkType; startDate: IsoDate; endDate: IsoDate },
  settings: WorkforceEstimateSettings = DEFAULT_WORKFORCE_ESTIMATE,
): number {
  const calendarDays = daysBetween(project.startDate, project.endDate) + 1;
  if (calendarDays <= 0) return 0;
  const workingDays = Math.max(1, Math.round((calendarDays * settings.workingDaysPerWeek) / 7));
  const labourBudget = project.contractValue * settings.labourShare[project.workType];
  return Math.max(1, Math.round(labourBudget / (settings.dailyWage * workingDays)));
}
