import { type RawBuilder, sql, type Transaction } from "kysely";
import type { Db } from "../db/connection.js";
import type { DB } from "../db/schema.js";
import {
  type ComplianceSettings,
  DEFAULT_COMPLIANCE_SETTINGS,
  type Finding,
  type ProjectSnapshot,
  projectFindings,
  RULES,
  type RuleId,
  repeatOffenders,
  type Severity,
} from "../domain/compliance.js";
import type { WorkType } from "../domain/coverage.js";
import type { IsoDate } from "../domain/dates.js";
import { AUTOMATIC_NOTES } from "../domain/escalation.js";
import type { Actor } from "./actor.js";
import { appendAudit } from "./audit.js";
import { loadSettings } from "./settings.js";

/**
 * A compliance run over one regency: load a snapshot of the facts, evaluate the pure rules, and
 * reconcile with the stored findings in one transaction — a finding seen again is updated (never
 * duplicated, thanks to its fingerprint), one no longer seen is resolved — then open a case for every
 * contractor with blocking findings and resolve the cases whose findings are all fixed.
 */
export interface RunSummary {
  runId: number;
  regencyCode: string;
  date: IsoDate;
  mode: "full" | "incremental";
  /** Projects evaluated (all of the regency in a full run, the changed ones in an incremental run). */
  projects: number;
  opened: number;
  updated: number;
  resolved: number;
  casesOpened: number;
  casesResolved: number;
  /** Open findings after the run, by rule and severity. */
  byRule: Record<RuleId, Record<Severity, number>>;
}

import { isBlocking } from "../domain/clearance.js";

export async function loadSnapshots(
  db: Db | Transaction<DB>,
  regencyCode: string,
  date: IsoDate,
  only: readonly number[] | null = null,
): Promise<ProjectSnapshot[]> {
  if (only !== null && only.length === 0) return [];
  const ids = only ?? [];
  const projects = await db
    .selectFrom("project as p")
    .leftJoin("project_registration as r", (j) =>
      j.onRef("r.regency_code", "=", "p.regency_code").onRef("r.project_id", "=", "p.id"),
    )
    .select([
      "p.id",
      "p.regency_code",
      "p.code",
      "p.name",
      "p.contractor_id",
      "p.contract_value",
      "p.work_type",
      "p.spk_date",
      "p.spmk_date",
      "p.end_date",
      "r.registered_on",
      "r.coverage_start",
      "r.coverage_end",
      "r.due_date",
      "r.contribution_amount",
      sql<string | null>`(select min(rc.registered_on)::text from registration_claim rc
        where rc.regency_code = p.regency_code and rc.project_id = p.id and rc.status = 'pending')`.as(
        "registration_filed_on",
      ),
    ])
    .where("p.regency_code", "=", regencyCode)
    .where("p.spk_date", "<=", date)
    .$if(only !== null, (q) => q.where(sql<boolean>`p.id = any(${sql.val(ids)}::bigint[])`))
    .orderBy("p.id")
    .execute();
  const payments = await db
    .selectFrom("payment")
    .select(["project_id", "paid_on", "amount"])
    .where("regency_code", "=", regencyCode)
    .$if(only !== null, (q) => q.where(sql<boolean>`project_id = any(${sql.val(ids)}::bigint[])`))
    .execute();
  const claimed = await db
    .selectFrom("payment_claim")
    .select(["project_id", "paid_on", "amount"])
    .where("regency_code", "=", regencyCode)
    .where("status", "=", "pending")
    .$if(only !== null, (q) => q.where(sql<boolean>`project_id = any(${sql.val(ids)}::bigint[])`))
    .execute();
  const workers = await db
    .selectFrom("assignment")
    .select(["project_id", "joined_on"])
    .where("regency_code", "=", regencyCode)
    .where("joined_on", "<=", date)
    .where((eb) => eb.or([eb("left_on", "is", null), eb("left_on", ">=", date)]))
    .$if(only !== null, (q) => q.where(sql<boolean>`project_id = any(${sql.val(ids)}::bigint[])`))
    .execute();
  const group = <T extends { project_id: number }>(rows: T[]) => {
    const map = new Map<number, T[]>();
    for (const r of rows) map.set(r.project_id, [...(map.get(r.project_id) ?? []), r]);
    return map;
  };
  const paymentsBy = group(payments);
  const claimedBy = group(claimed);
  const workersBy = group(workers);
  return projects.map((p) => ({
    projectId: p.id,
    regencyCode: p.regency_code,
    code: p.code,
    name: p.name,
    contractorId: p.contractor_id,
    contractValue: p.contract_value,
    workType: p.work_type as WorkType,
    spkDate: p.spk_date,
    spmkDate: p.spmk_date,
    endDate: p.end_date,
    registration:
      p.registered_on && p.coverage_start && p.coverage_end && p.due_date && p.contribution_amount !== null
        ? {
            registeredOn: p.registered_on,
            coverageStart: p.coverage_start,
            coverageEnd: p.coverage_end,
            dueDate: p.due_date,
            amount: p.contribution_amount,
          }
        : null,
    payments: (paymentsBy.get(p.id) ?? []).map((x) => ({ paidOn: x.paid_on, amount: x.amount })),
    workers: (workersBy.get(p.id) ?? []).map((w) => ({ joinedOn: w.joined_on })),
    registrationFiledOn: p.registration_filed_on,
    paymentsPending: (claimedBy.get(p.id) ?? []).map((x) => ({ paidOn: x.paid_on, amount: x.amount })),
  }));
}

export async function complianceSettings(db: Db): Promise<ComplianceSettings> {
  const settings = await loadSettings(db);
  const row = await db
    .selectFrom("setting")
    .select("value")
    .where("key", "=", "compliance")
    .executeTakeFirst();
  return {
    ...DEFAULT_COMPLIANCE_SETTINGS,
    ...((row?.value as Partial<ComplianceSettings>) ?? {}),
    workforceEstimate: settings.workforceEstimate,
  };
}

/**
 * Run the rules for a regency on a date. Incremental by default: after a finished run on the same or an
 * earlier date, only the projects that could have changed are evaluated — those with open findings,
 * those whose facts were written since that run began, and those for which a date that a rule turns on
 * (SPK, SPMK and its reporting window, the end, registration, due date, a worker's join, leave or
 * 7-day mark, a payment) falls between the two run dates. `full` evaluates every project (after a
 * change of settings, say). A test checks that incremental runs give the findings a full run gives.
 */
export async function runCompliance(
  db: Db,
  input: { regencyCode: string; date: IsoDate; full?: boolean },
  actor: Actor,
  onProgress?: (done: number, total: number) => void,
): Promise<RunSummary> {
  const settings = await complianceSettings(db);
  return db.transaction().execute(async (trx) => {
    // One run per regency at a time: a second waits rather than racing the reconciliation.
    await sql`select pg_advisory_xact_lock(7270002, hashtext(${input.regencyCode}))`.execute(trx);
    const last = await trx
      .selectFrom("compliance_run")
      .select(["run_date", "started_at"])
      .where("regency_code", "=", input.regencyCode)
      .where("finished_at", "is not", null)
      .orderBy("id", "desc")
      .limit(1)
      .executeTakeFirst();
    const incremental = !input.full && last !== undefined && last.run_date <= input.date;
    const candidates = incremental
      ? await changedProjects(trx, input.regencyCode, last, input.date, settings)
      : null;
    const snapshots = await loadSnapshots(trx, input.regencyCode, input.date, candidates);
    const perProject = projectFindings(snapshots, input.date, settings);
    // Rule 6 looks across projects. Every project with an open finding is a candidate, so the projects
    // left out have no findings and the candidates' findings are all rule 6 needs.
    const found = [...perProject, ...repeatOffenders(perProject, settings)];
    const run = await trx
      .insertInto("compliance_run")
      .values({
        regency_code: input.regencyCode,
        run_date: input.date,
        actor: actor.label,
        projects: snapshots.length,
        opened: 0,
        updated: 0,
        resolved: 0,
      })
      .returning("id")
      .executeTakeFirstOrThrow();

    const inScope = candidates === null ? null : new Set(candidates);
    const open = (
      await trx
        .selectFrom("finding")
        .select(["id", "fingerprint", "project_id", "rule"])
        .where("regency_code", "=", input.regencyCode)
        .where("status", "=", "open")
        .execute()
    ).filter(
      (f) =>
        inScope === null ||
        f.rule === "REPEAT_OFFENDER" ||
        (f.project_id !== null && inScope.has(f.project_id)),
    );
    const openByFingerprint = new Map(open.map((f) => [f.fingerprint, f.id]));
    const counts = { opened: 0, updated: 0, resolved: 0 };
    for (const [i, f] of found.entries()) {
      const existing = openByFingerprint.get(f.fingerprint);
      if (existing !== undefined) {
        await trx
          .updateTable("finding")
          .set({
            severity: f.severity,
            evidence: JSON.stringify(f.evidence),
            summary: JSON.stringify(f.summary),
            last_seen_on: input.date,
          })
          .where("regency_code", "=", input.regencyCode)
          .where("id", "=", existing)
          .execute();
        openByFingerprint.delete(f.fingerprint);
        counts.updated += 1;
      } else {
        await trx.insertInto("finding").values(findingRow(f, input.date)).execute();
        counts.opened += 1;
      }
      if (i % 50 === 0) onProgress?.(i + 1, found.length);
    }
    const gone = [...openByFingerprint.values()];
    if (gone.length > 0) {
      await trx
        .updateTable("finding")
        .set({ status: "resolved", resolved_on: input.date })
        .where("regency_code", "=", input.regencyCode)
        .where("id", "in", gone)
        .execute();
      counts.resolved = gone.length;
    }
    onProgress?.(found.length, found.length);

    const cases = await reconcileCases(trx, input.regencyCode, input.date, actor);
    await trx
      .updateTable("compliance_run")
      .set({ finished_at: sql`now()` as never, ...counts })
      .where("regency_code", "=", input.regencyCode)
      .where("id", "=", run.id)
      .execute();
    const summary: RunSummary = {
      runId: run.id,
      regencyCode: input.regencyCode,
      date: input.date,
      mode: candidates === null ? "full" : "incremental",
      projects: snapshots.length,
      ...counts,
      ...cases,
      byRule: await openFindingsByRule(trx, input.regencyCode),
    };
    await appendAudit(trx, actor, {
      action: "compliance.run",
      entity: "compliance_run",
      entityId: run.id,
      after: summary,
    });
    return summary;
  });
}

/** Projects a rule could judge differently on `date` than at the last run (see runCompliance). */
async function changedProjects(
  trx: Transaction<DB>,
  regencyCode: string,
  last: { run_date: string; started_at: Date },
  date: IsoDate,
  s: ComplianceSettings,
): Promise<number[]> {
  const L = last.run_date;
  // A writer whose transaction began before the last run but committed after its snapshot stamps an
  // earlier time: look an hour further back; re-evaluating a few extra projects is harmless.
  const since = new Date(last.started_at.getTime() - 3_600_000);
  const crossed = (x: RawBuilder<unknown>) => sql<boolean>`(${x} > ${L}::date and ${x} <= ${date}::date)`;
  // Calendar days that surely contain the reporting window's working days, even across Lebaran leave.
  const windowDays = s.reportingWindowWorkingDays * 2 + 14;
  const rows = await sql<{ id: number }>`
    select p.id from project p
    left join project_registration r on r.regency_code = p.regency_code and r.project_id = p.id
    where p.regency_code = ${regencyCode} and p.spk_date <= ${date}::date and (
      p.created_at > ${since} or p.edited_at > ${since} or r.created_at > ${since}
      or ${crossed(sql`p.spk_date`)} or ${crossed(sql`p.end_date + 1`)}
      or (p.spmk_date <= ${date}::date and p.spmk_date + ${windowDays}::int > ${L}::date)
      or ${crossed(sql`r.registered_on`)} or ${crossed(sql`r.due_date + 1`)} or ${crossed(sql`r.due_date + ${s.arrearsHighAfterDays + 1}::int`)}
      or exists (select 1 from finding f where f.regency_code = p.regency_code and f.project_id = p.id and f.status = 'open')
      or exists (select 1 from payment x where x.regency_code = p.regency_code and x.project_id = p.id
                 and (x.created_at > ${since} or ${crossed(sql`x.paid_on`)}))
      or exists (select 1 from registration_claim rc where rc.regency_code = p.regency_code and rc.project_id = p.id
                 and (rc.created_at > ${since} or rc.decided_at > ${since} or ${crossed(sql`rc.registered_on`)}))
      or exists (select 1 from assignment a where a.regency_code = p.regency_code and a.project_id = p.id
                 and (a.updated_at > ${since} or ${crossed(sql`a.joined_on`)} or ${crossed(sql`a.joined_on + ${s.unprotectedDays + 1}::int`)}
                      or ${crossed(sql`a.left_on + 1`)}))
    )`.execute(trx);
  return rows.rows.map((r) => r.id);
}

function findingRow(f: Finding, date: IsoDate) {
  return {
    regency_code: f.regencyCode,
    rule: f.rule,
    fingerprint: f.fingerprint,
    severity: f.severity,
    project_id: f.projectId,
    contractor_id: f.contractorId,
    evidence: JSON.stringify(f.evidence),
    legal_basis: f.legalBasis,
    summary: JSON.stringify(f.summary),
    status: "open" as const,
    found_on: date,
    last_seen_on: date,
    resolved_on: null,
    case_id: null,
  };
}

async function openFindingsByRule(trx: Transaction<DB>, regencyCode: string): Promise<RunSummary["byRule"]> {
  const rows = await trx
    .selectFrom("finding")
    .select(["rule", "severity", trx.fn.countAll<number>().as("n")])
    .where("regency_code", "=", regencyCode)
    .where("status", "=", "open")
    .groupBy(["rule", "severity"])
    .execute();
  const result = Object.fromEntries(
    RULES.map((r) => [r, { low: 0, medium: 0, high: 0 }]),
  ) as RunSummary["byRule"];
  for (const r of rows) result[r.rule as RuleId][r.severity] = Number(r.n);
  return result;
}

/** Open a case per contractor with blocking findings; resolve cases whose findings are all fixed. */
async function reconcileCases(
  trx: Transaction<DB>,
  regencyCode: string,
  date: IsoDate,
  actor: Actor,
): Promise<{ casesOpened: number; casesResolved: number }> {
  const findings = await trx
    .selectFrom("finding")
    .select(["id", "rule", "severity", "contractor_id"])
    .where("regency_code", "=", regencyCode)
    .where("status", "=", "open")
    .execute();
  const blocking = new Map<number, typeof findings>();
  for (const f of findings.filter(isBlocking)) {
    const c = f.contractor_id as number;
    blocking.set(c, [...(blocking.get(c) ?? []), f]);
  }
  const openCases = await trx
    .selectFrom("enforcement_case")
    .select(["id", "contractor_id"])
    .where("regency_code", "=", regencyCode)
    .where("status", "=", "open")
    .execute();
  const caseByContractor = new Map(openCases.map((c) => [c.contractor_id, c.id]));
  let casesOpened = 0;
  for (const [contractorId, list] of blocking) {
    let caseId = caseByContractor.get(contractorId);
    const hasArrears = list.some((f) => f.rule === "ARREARS");
    if (caseId === undefined) {
      const created = await trx
        .insertInto("enforcement_case")
        .values({
          regency_code: regencyCode,
          contractor_id: contractorId,
          step: "open",
          status: "open",
          opened_on: date,
          deadline: null,
          outcome: null,
          referred_to: null,
          has_arrears: hasArrears,
          resolution: null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      caseId = created.id;
      await trx
        .insertInto("case_step")
        .values({
          regency_code: regencyCode,
          case_id: caseId,
          step: "open",
          actor: actor.label,
          taken_on: date,
          deadline: null,
          document_no: null,
          note: AUTOMATIC_NOTES.opened(list.length),
        })
        .execute();
      await appendAudit(trx, actor, {
        action: "case.open",
        entity: "enforcement_case",
        entityId: caseId,
        after: { contractorId, findings: list.map((f) => f.id) },
      });
      casesOpened += 1;
    } else {
      await trx
        .updateTable("enforcement_case")
        .set({ has_arrears: hasArrears })
        .where("regency_code", "=", regencyCode)
        .where("id", "=", caseId)
        .execute();
    }
    await trx
      .updateTable("finding")
      .set({ case_id: caseId })
      .where("regency_code", "=", regencyCode)
      .where(
        "id",
        "in",
        list.map((f) => f.id),
      )
      .execute();
  }
  let casesResolved = 0;
  for (const c of openCases) {
    if (blocking.has(c.contractor_id)) continue;
    const fixed = await trx
      .selectFrom("finding")
      .select(["fingerprint", "resolved_on"])
      .where("regency_code", "=", regencyCode)
      .where("case_id", "=", c.id)
      .execute();
    const resolution = { resolvedOn: date, by: "compliance run", evidence: fixed };
    await trx
      .updateTable("enforcement_case")
      .set({ step: "resolved", status: "closed", deadline: null, resolution: JSON.stringify(resolution) })
      .where("regency_code", "=", regencyCode)
      .where("id", "=", c.id)
      .execute();
    await trx
      .insertInto("case_step")
      .values({
        regency_code: regencyCode,
        case_id: c.id,
        step: "resolved",
        actor: actor.label,
        taken_on: date,
        deadline: null,
        document_no: null,
        note: AUTOMATIC_NOTES.resolved,
      })
      .execute();
    await appendAudit(trx, actor, {
      action: "case.resolve",
      entity: "enforcement_case",
      entityId: c.id,
      after: resolution,
    });
    casesResolved += 1;
  }
  return { casesOpened, casesResolved };
}
