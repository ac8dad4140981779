import {
  DEFAULT_WORKFORCE_ESTIMATE,
  estimateWorkforce,
  type PaymentFacts,
  projectStatusOn,
  protects,
  type RegistrationFacts,
  type WorkforceEstimateSettings,
  type WorkType,
} from "./coverage.js";
import { addDays, daysBetween, type IsoDate, minDate } from "./dates.js";
import type { Bilingual } from "./errors.js";
import { formatDate, formatRupiah } from "./format.js";
import { LEGAL_BASIS } from "./legal-basis.js";
import { addWorkingDays, workingDaysBetween } from "./working-days.js";

/**
 * Compliance rules of DESIGN.md §2, as pure functions over a snapshot of facts. Each finding carries
 * its evidence (the figures that triggered it), its legal basis, a severity, and a fingerprint that
 * stays the same while the same problem persists, so a rerun updates an open finding instead of
 * adding another.
 */
export type RuleId =
  | "UNREGISTERED"
  | "LATE_REGISTRATION"
  | "ARREARS"
  | "UNDER_REPORTING"
  | "UNPROTECTED_WORKERS"
  | "REPEAT_OFFENDER";

export const RULES: readonly RuleId[] = [
  "UNREGISTERED",
  "LATE_REGISTRATION",
  "ARREARS",
  "UNDER_REPORTING",
  "UNPROTECTED_WORKERS",
  "REPEAT_OFFENDER",
];

export type Severity = "low" | "medium" | "high";

/** Thresholds are settings with documented defaults (docs/compliance.md). */
export interface ComplianceSettings {
  /** Permenaker 44/2015: registration within this many working days of the SPK. */
  registrationWorkingDays: number;
  /** Arrears become high severity after this many days past the due date. */
  arrearsHighAfterDays: number;
  /** Reported workforce below this share of the estimate is under-reporting. */
  underReportingRatio: number;
  /** Working days after SPMK before under-reporting is judged (the reporting window). */
  reportingWindowWorkingDays: number;
  /** A worker unprotected for more than this many days is a finding. */
  unprotectedDays: number;
  /** A contractor with findings on at least this many projects is a repeat offender. */
  repeatProjects: number;
  /** Cuti bersama days added by the government, which are not working days. */
  extraHolidays: IsoDate[];
  workforceEstimate: WorkforceEstimateSettings;
}

export const DEFAULT_COMPLIANCE_SETTINGS: ComplianceSettings = {
  registrationWorkingDays: 14,
  arrearsHighAfterDays: 30,
  underReportingRatio: 0.5,
  reportingWindowWorkingDays: 7,
  unprotectedDays: 7,
  repeatProjects: 3,
  extraHolidays: [],
  workforceEstimate: DEFAULT_WORKFORCE_ESTIMATE,
};

export interface ProjectSnapshot {
  projectId: number;
  regencyCode: string;
  code: string;
  name: string;
  contractorId: number;
  contractValue: number;
  workType: WorkType;
  spkDate: IsoDate;
  spmkDate: IsoDate;
  endDate: IsoDate;
  registration: (RegistrationFacts & { registeredOn: IsoDate }) | null;
  payments: PaymentFacts[];
  /** People working on the project on the evaluation date, with the day each joined. */
  workers: { joinedOn: IsoDate }[];
  /** The day the contractor filed a registration that waits for the branch's verification, if one does. */
  registrationFiledOn?: IsoDate | null;
  /** Payments the contractor has claimed that wait for the branch's confirmation. */
  paymentsPending?: PaymentFacts[];
}

export interface Finding {
  rule: RuleId;
  fingerprint: string;
  severity: Severity;
  regencyCode: string;
  projectId: number | null;
  contractorId: number;
  evidence: Record<string, unknown>;
  legalBasis: string;
  summary: Bilingual;
}

const isWorking = (p: ProjectSnapshot, date: IsoDate) => p.spmkDate <= date && date <= p.endDate;
/** Evidence that a registration filed by the date waits for the branch, when one does. */
const filing = (p: ProjectSnapshot, date: IsoDate) =>
  p.registrationFiledOn && p.registrationFiledOn <= date
    ? { registrationFiledOn: p.registrationFiledOn }
    : {};
const registeredBy = (p: ProjectSnapshot, date: IsoDate) =>
  p.registration !== null && p.registration.registeredOn <= date;

function finding(
  p: ProjectSnapshot,
  rule: RuleId,
  severity: Severity,
  evidence: Record<string, unknown>,
  summary: Bilingual,
): Finding {
  return {
    rule,
    fingerprint: `${rule}:p${p.projectId}`,
    severity,
    regencyCode: p.regencyCode,
    projectId: p.projectId,
    contractorId: p.contractorId,
    evidence: { projectCode: p.code, projectName: p.name, ...evidence },
    legalBasis: LEGAL_BASIS[rule].id,
    summary,
  };
}

/** An English count with its noun ("1 worker", "2 workers"); Indonesian nouns do not change. */
const counted = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

/**
 * Rule 1: working (past SPMK, before the end) without a BPJS registration. A registration the contractor
 * has filed does not end it: only the branch's verification registers (a filing could be anything), so
 * the finding, and the case it keeps open, stay until then; its evidence says a filing waits.
 */
export function unregistered(p: ProjectSnapshot, date: IsoDate): Finding | null {
  if (!isWorking(p, date) || registeredBy(p, date)) return null;
  const days = daysBetween(p.spmkDate, date) + 1;
  return finding(
    p,
    "UNREGISTERED",
    "high",
    { spmkDate: p.spmkDate, daysWorking: days, workersReported: p.workers.length, ...filing(p, date) },
    {
      id: `Proyek ${p.code} sudah berjalan ${days} hari tanpa terdaftar di BPJS Ketenagakerjaan`,
      en: `Project ${p.code} has been working for ${counted(days, "day")} without BPJS registration`,
    },
  );
}

/** The registration deadline: the earlier of SPMK and 14 working days after the SPK. */
export function registrationDeadline(
  p: Pick<ProjectSnapshot, "spkDate" | "spmkDate">,
  s: ComplianceSettings,
): IsoDate {
  return minDate(p.spmkDate, addWorkingDays(p.spkDate, s.registrationWorkingDays, new Set(s.extraHolidays)));
}

/** Rule 2: registered, but later than the deadline. */
export function lateRegistration(p: ProjectSnapshot, date: IsoDate, s: ComplianceSettings): Finding | null {
  if (!p.registration || !registeredBy(p, date)) return null;
  const deadline = registrationDeadline(p, s);
  if (p.registration.registeredOn <= deadline) return null;
  const late = workingDaysBetween(deadline, p.registration.registeredOn, new Set(s.extraHolidays));
  return finding(
    p,
    "LATE_REGISTRATION",
    late > 20 ? "medium" : "low",
    {
      spkDate: p.spkDate,
      spmkDate: p.spmkDate,
      deadline,
      registeredOn: p.registration.registeredOn,
      workingDaysLate: late,
    },
    {
      id: `Proyek ${p.code} didaftarkan ${late} hari kerja setelah batas ${formatDate(deadline)}`,
      en: `Project ${p.code} was registered ${counted(late, "working day")} after the ${formatDate(deadline, "en")} deadline`,
    },
  );
}

/** Rule 3: contribution unpaid past its due date (tunggakan), with the amount. */
export function arrears(p: ProjectSnapshot, date: IsoDate, s: ComplianceSettings): Finding | null {
  const r = p.registration;
  if (!r || !registeredBy(p, date) || date <= r.dueDate) return null;
  const paid = p.payments.filter((x) => x.paidOn <= date).reduce((sum, x) => sum + x.amount, 0);
  if (paid >= r.amount) return null;
  const overdue = daysBetween(r.dueDate, date);
  // A claimed payment counts only once confirmed, but the officer sees it before escalating.
  const pending = (p.paymentsPending ?? [])
    .filter((x) => x.paidOn <= date)
    .reduce((sum, x) => sum + x.amount, 0);
  const waiting: Bilingual =
    pending > 0
      ? {
          id: `; ${formatRupiah(pending)} menunggu konfirmasi BPJS`,
          en: `; ${formatRupiah(pending, "en")} awaits BPJS confirmation`,
        }
      : { id: "", en: "" };
  return finding(
    p,
    "ARREARS",
    overdue > s.arrearsHighAfterDays ? "high" : "medium",
    {
      amount: r.amount,
      paid,
      outstanding: r.amount - paid,
      dueDate: r.dueDate,
      daysOverdue: overdue,
      ...(pending > 0 ? { paymentPending: pending } : {}),
    },
    {
      id: `Iuran proyek ${p.code} menunggak ${overdue} hari: ${formatRupiah(r.amount - paid)} belum dibayar${waiting.id}`,
      en: `Contribution of project ${p.code} is ${counted(overdue, "day")} overdue: ${formatRupiah(r.amount - paid, "en")} unpaid${waiting.en}`,
    },
  );
}

/** Rule 4: fewer workers reported than the contract value implies, once the reporting window has passed. */
export function underReporting(p: ProjectSnapshot, date: IsoDate, s: ComplianceSettings): Finding | null {
  if (!isWorking(p, date)) return null;
  if (workingDaysBetween(p.spmkDate, date, new Set(s.extraHolidays)) < s.reportingWindowWorkingDays)
    return null;
  const expected = estimateWorkforce(
    { contractValue: p.contractValue, workType: p.workType, startDate: p.spmkDate, endDate: p.endDate },
    s.workforceEstimate,
  );
  const threshold = Math.ceil(expected * s.underReportingRatio);
  const reported = p.workers.length;
  if (reported >= threshold) return null;
  return finding(
    p,
    "UNDER_REPORTING",
    reported === 0 ? "medium" : "low",
    { reported, expected, threshold, ratio: s.underReportingRatio },
    {
      id: `Proyek ${p.code} melaporkan ${reported} pekerja dari perkiraan ${expected}`,
      en: `Project ${p.code} reports ${counted(reported, "worker")} of an estimated ${expected}`,
    },
  );
}

/** Rule 5: workers on the project who have not been protected for more than N days. */
export function unprotectedWorkers(p: ProjectSnapshot, date: IsoDate, s: ComplianceSettings): Finding | null {
  // Stints left open after the contract ended are a reporting gap (rule 4's territory), not unprotected work.
  if (!isWorking(p, date)) return null;
  const status = projectStatusOn(registeredBy(p, date) ? p.registration : null, p.payments, date);
  if (protects(status)) return null;
  const cutoff = addDays(date, -s.unprotectedDays);
  const long = p.workers.filter((w) => w.joinedOn < cutoff);
  if (long.length === 0) return null;
  const since = long.reduce((min, w) => minDate(min, w.joinedOn), date);
  return finding(
    p,
    "UNPROTECTED_WORKERS",
    long.length >= 10 ? "high" : "medium",
    {
      workers: long.length,
      oldestSince: since,
      projectStatus: status,
      unprotectedDays: s.unprotectedDays,
      ...(status === "unregistered" ? filing(p, date) : {}),
    },
    {
      id: `${long.length} pekerja di proyek ${p.code} tidak terlindungi lebih dari ${s.unprotectedDays} hari`,
      en: `${counted(long.length, "worker")} on project ${p.code} unprotected for more than ${counted(s.unprotectedDays, "day")}`,
    },
  );
}

const REPEATABLE: readonly RuleId[] = ["UNREGISTERED", "ARREARS", "UNDER_REPORTING", "UNPROTECTED_WORKERS"];

/** Rule 6: a contractor with findings on several projects (within one regency). */
export function repeatOffenders(
  found: readonly Pick<Finding, "rule" | "regencyCode" | "contractorId" | "evidence">[],
  s: ComplianceSettings,
): Finding[] {
  const byContractor = new Map<string, (typeof found)[number][]>();
  for (const f of found) {
    if (!REPEATABLE.includes(f.rule)) continue;
    const key = `${f.regencyCode}|${f.contractorId}`;
    byContractor.set(key, [...(byContractor.get(key) ?? []), f]);
  }
  const result: Finding[] = [];
  for (const list of byContractor.values()) {
    const projects = [...new Set(list.map((f) => String(f.evidence.projectCode)))].sort();
    if (projects.length < s.repeatProjects) continue;
    const first = list[0] as (typeof found)[number];
    const rules = Object.fromEntries(
      REPEATABLE.map((r) => [r, list.filter((f) => f.rule === r).length]).filter(([, n]) => n),
    );
    result.push({
      rule: "REPEAT_OFFENDER",
      fingerprint: `REPEAT_OFFENDER:c${first.contractorId}`,
      severity: "high",
      regencyCode: first.regencyCode,
      projectId: null,
      contractorId: first.contractorId,
      evidence: { projects, findings: rules },
      legalBasis: LEGAL_BASIS.REPEAT_OFFENDER.id,
      summary: {
        id: `Penyedia jasa dengan temuan pada ${projects.length} proyek`,
        en: `Contractor with findings on ${projects.length} projects`,
      },
    });
  }
  return result;
}

/** Every rule over every project on `date`, then the repeat-offender rule over the result. */
export function evaluateCompliance(
  projects: readonly ProjectSnapshot[],
  date: IsoDate,
  s: ComplianceSettings = DEFAULT_COMPLIANCE_SETTINGS,
): Finding[] {
  const found = projectFindings(projects, date, s);
  return [...found, ...repeatOffenders(found, s)];
}

/** Rules 1–5, which look at one project at a time (an incremental run evaluates only some projects). */
export function projectFindings(
  projects: readonly ProjectSnapshot[],
  date: IsoDate,
  s: ComplianceSettings,
): Finding[] {
  const found: Finding[] = [];
  for (const p of projects) {
    for (const f of [
      unregistered(p, date),
      lateRegistration(p, date, s),
      arrears(p, date, s),
      underReporting(p, date, s),
      unprotectedWorkers(p, date, s),
    ]) {
      if (f) found.push(f);
    }
  }
  return found;
}
