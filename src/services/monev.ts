import { sql } from "kysely";
import type { Db } from "../db/connection.js";
import { assertCan, oversees } from "../domain/access.js";
import { arrears, unregistered } from "../domain/compliance.js";
import type { IsoDate } from "../domain/dates.js";
import { DomainError } from "../domain/errors.js";
import { type CaseStep, isOverdue } from "../domain/escalation.js";
import { type CaseStepCount, casesByStep, periodEndDate } from "../domain/monev.js";
import { type Forecast, forecastYearEnd } from "../domain/planner.js";
import { regionLevel } from "../domain/regions.js";
import type { Actor } from "./actor.js";
import { complianceSettings, loadSnapshots } from "./compliance.js";
import { type CoverageRow, coverageBreakdown, coverageTrend } from "./coverage.js";
import { branchName } from "./lookups.js";
import { type CoveragePlan, planWithCoverage } from "./planner.js";
import { scopeRegion } from "./regions.js";

/**
 * The monitoring-and-evaluation (Monev) report of one regency for one month: the figures the branch
 * and the district bring to the Monev meeting, read on the period's end date. It is one plain object
 * so the XLSX and PDF writers (src/reports/monev-*.ts) only lay it out.
 */
export interface MonevReport {
  regionCode: string;
  /** Kabupaten/kota name, e.g. "Kabupaten Sanggau". */
  regionName: string;
  /** The BPJS Ketenagakerjaan branch (kantor cabang) overseeing the regency. */
  branchName: string;
  period: string;
  /** The day the figures are read on: the last day of the period, or the business date if earlier. */
  date: IsoDate;
  /** Date of issue: the business date the report was made. */
  issuedOn: IsoDate;
  headline: {
    known: number;
    protected: number;
    percent: number | null;
    target: number | null;
    targetSource: string | null;
    gap: number | null;
    unreported: { projects: number; estimatedWorkers: number };
  };
  trend: { month: string; date: IsoDate; known: number; protected: number; percent: number | null }[];
  byDistrict: CoverageRow[];
  byWorkUnit: CoverageRow[];
  byFundingSource: CoverageRow[];
  byContractor: CoverageRow[];
  /** Projects working on the date without a BPJS registration (compliance rule 1). */
  unregistered: {
    projectId: number;
    code: string;
    name: string;
    contractor: string;
    contractValue: number;
    spmkDate: IsoDate;
    daysWorking: number;
  }[];
  /** Registered projects past their due date and not paid in full by the date (tunggakan, rule 3). */
  arrears: {
    projectId: number;
    code: string;
    name: string;
    contractor: string;
    dueDate: IsoDate;
    daysOverdue: number;
    amount: number;
    paid: number;
    outstanding: number;
  }[];
  /** Open enforcement cases per rung of the escalation ladder. */
  cases: CaseStepCount[];
  /** The gap-to-target plan on the date and the year-end forecast (src/services/planner.ts). */
  plan: Pick<CoveragePlan, "actions" | "reached" | "after" | "unplannable"> & { forecast: Forecast };
}

export async function monevReport(
  db: Db,
  input: { regionCode: string; period: string },
  actor: Actor,
  today: IsoDate,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<MonevReport> {
  const { regionCode } = input;
  // A Monev report belongs to one kabupaten/kota and its branch; smaller or larger scopes are views.
  if (regionLevel(regionCode) !== "regency")
    throw new DomainError(
      "REGION_NOT_REGENCY",
      `Laporan Monev dibuat per kabupaten/kota, bukan ${regionCode} / a Monev report covers one regency or city, not ${regionCode}`,
      {
        field: "region",
      },
    );
  assertCan(oversees(actor, regionCode), {
    id: "membuat laporan Monev untuk wilayah ini",
    en: "to make the Monev report of this region",
  });
  // Said of the request's own field (`region`), where the coverage views would name their `id`.
  await scopeRegion(db, regionCode, "region");
  const date = periodEndDate(input.period, today);
  const q = { scope: "region" as const, id: regionCode, date };

  // One query after another: an embedded PGlite database has a single connection anyway.
  const STEPS = 9;
  let step = 0;
  const progress = <T>(value: T): T => {
    onProgress(++step, STEPS);
    return value;
  };
  // The plan comes with the coverage it was computed against: the headline, counted once.
  const { plan, coverage } = progress(await planWithCoverage(db, q, actor));
  const trend = progress(await coverageTrend(db, q, actor));
  const byDistrict = progress(await coverageBreakdown(db, q, "district", actor));
  const byWorkUnit = progress(await coverageBreakdown(db, q, "work_unit", actor));
  const byFundingSource = progress(await coverageBreakdown(db, q, "funding_source", actor));
  const byContractor = progress(await coverageBreakdown(db, q, "contractor", actor));

  // The compliance rules 1 and 3 themselves, evaluated on the date, so the report and a compliance run agree.
  const settings = await complianceSettings(db);
  const snapshots = progress(await loadSnapshots(db, regionCode, date));
  const contractorIds = [...new Set(snapshots.map((s) => s.contractorId))];
  const names = new Map(
    contractorIds.length === 0
      ? []
      : (
          await db
            .selectFrom("organisation")
            .select(["id", "name"])
            .where("id", "in", contractorIds)
            .execute()
        ).map((o) => [o.id, o.name]),
  );
  const contractorOf = (id: number) => names.get(id) ?? String(id);
  const unregisteredRows = snapshots
    .flatMap((s) => {
      const f = unregistered(s, date);
      return f
        ? [
            {
              projectId: s.projectId,
              code: s.code,
              name: s.name,
              contractor: contractorOf(s.contractorId),
              contractValue: s.contractValue,
              spmkDate: s.spmkDate,
              daysWorking: Number(f.evidence.daysWorking),
            },
          ]
        : [];
    })
    .sort((a, b) => b.contractValue - a.contractValue || a.code.localeCompare(b.code));
  const arrearsRows = snapshots
    .flatMap((s) => {
      const f = arrears(s, date, settings);
      if (!f || !s.registration) return [];
      const e = f.evidence as { amount: number; paid: number; outstanding: number; daysOverdue: number };
      return [
        {
          projectId: s.projectId,
          code: s.code,
          name: s.name,
          contractor: contractorOf(s.contractorId),
          dueDate: s.registration.dueDate,
          daysOverdue: e.daysOverdue,
          amount: e.amount,
          paid: e.paid,
          outstanding: e.outstanding,
        },
      ];
    })
    .sort((a, b) => b.outstanding - a.outstanding || a.code.localeCompare(b.code));

  const cases = progress(await casesOn(db, regionCode, date));
  const forecast = forecastYearEnd(trend, coverage.target?.percent ?? null);

  const branch = await branchName(db, regionCode);
  progress(null);
  return {
    regionCode,
    regionName: coverage.scope.name,
    branchName: branch,
    period: input.period,
    date,
    issuedOn: today,
    headline: {
      known: coverage.known,
      protected: coverage.protected,
      percent: coverage.percent,
      target: coverage.target?.percent ?? null,
      targetSource: coverage.target?.source ?? null,
      gap: coverage.gap,
      unreported: coverage.unreported,
    },
    trend,
    byDistrict,
    byWorkUnit,
    byFundingSource,
    byContractor,
    unregistered: unregisteredRows,
    arrears: arrearsRows,
    cases: casesByStep(cases),
    plan: {
      actions: plan.actions,
      reached: plan.reached,
      after: plan.after,
      unplannable: plan.unplannable,
      forecast,
    },
  };
}

/**
 * The regency's enforcement cases as they stood on the date, from each case's own history: its last step
 * taken by then (a case opened later is not there; one resolved later is still open on the date).
 */
async function casesOn(db: Db, regencyCode: string, date: IsoDate) {
  const rows = await sql<{ step: CaseStep; deadline: IsoDate | null; has_arrears: boolean }>`
    select distinct on (c.id) s.step, s.deadline, c.has_arrears
    from enforcement_case c
    join case_step s on s.regency_code = c.regency_code and s.case_id = c.id and s.taken_on <= ${date}::date
    where c.regency_code = ${regencyCode}
    order by c.id, s.taken_on desc, s.id desc`.execute(db);
  return rows.rows.map((r) => ({
    step: r.step,
    overdue: isOverdue({ step: r.step, deadline: r.deadline }, date),
  }));
}
