import { sql } from "kysely";
import type { Db } from "../db/connection.js";
import type { Project } from "../db/schema.js";
import type { IsoDate } from "../domain/dates.js";
import { DomainError } from "../domain/errors.js";
import type { CaseAction } from "../domain/escalation.js";
import type { Actor } from "../services/actor.js";
import { advanceCase, listCases } from "../services/cases.js";
import { type RunSummary, runCompliance } from "../services/compliance.js";
import { setTarget } from "../services/coverage.js";
import { ensureOrganisation } from "../services/organisations.js";
import { recordPayment } from "../services/payments.js";
import { registerProject } from "../services/projects.js";
import { fileRegistration, registerWithBpjs } from "../services/registrations.js";
import { setScenarioDate } from "../services/settings.js";
import { reportWorkers } from "../services/worker-reports.js";
import { planSanggauDemo, SANGGAU } from "./sanggau.js";
import { createDemoUsers } from "./users.js";

export interface DemoLoadResult {
  projects: number;
  registrations: number;
  payments: number;
  /** Contractors' payments waiting for the branch's confirmation. */
  paymentClaims: number;
  registrationClaims: number;
  reportedEvents: number;
  rejectedRows: number;
  /** The compliance run on the scenario date, after the staged escalation history. */
  compliance: RunSummary;
}

/**
 * The branch's enforcement history before the scenario date: compliance runs at the end of May and in
 * mid-July, warning letters, sanction recommendations and one referral to the state prosecutor (for
 * arrears), then the run on 30 July. Each step goes to the first cases (those with arrears first) for
 * which the ladder allows it on that date. The case board then shows every rung, some of it overdue,
 * as the Monev meeting would see it.
 */
const ENFORCEMENT_HISTORY: readonly (
  | { run: IsoDate }
  | { action: CaseAction; date: IsoDate; cases: number }
)[] = [
  { run: "2025-05-31" },
  { action: "issue_warning_1", date: "2025-06-03", cases: 8 },
  { action: "issue_warning_2", date: "2025-06-16", cases: 4 },
  { action: "recommend_sanction", date: "2025-06-27", cases: 2 },
  { run: "2025-07-14" },
  { action: "issue_warning_1", date: "2025-07-21", cases: 6 },
  { action: "refer_to_prosecutor", date: "2025-07-29", cases: 1 },
];

/** Other regions that issued the NIKs of migrant workers: the rest of West Kalimantan and Central Java. */
const MIGRANT_PROVINCES = ["61", "33"];

/**
 * Load the Sanggau scenario through the product's own use cases (project registration, BPJS
 * registration, payments, worker reports), so the demo exercises the same paths as real users.
 */
export async function loadSanggauDemo(
  db: Db,
  opts: { seed: number; today: string; actor: Actor; onProgress?: (done: number, total: number) => void },
): Promise<DemoLoadResult> {
  const existing = await db
    .selectFrom("project")
    .select("id")
    .where("regency_code", "=", SANGGAU.regencyCode)
    .limit(1)
    .executeTakeFirst();
  if (existing) {
    throw new DomainError(
      "DEMO_NOT_EMPTY",
      "Basis data sudah berisi proyek Sanggau; demo tidak dimuat ulang",
    );
  }
  const districts = await db
    .selectFrom("region")
    .select(["code", "name"])
    .where("parent_code", "=", SANGGAU.regencyCode)
    .orderBy("code")
    .execute();
  const others = await db
    .selectFrom("region")
    .select("code")
    .where("level", "=", "district")
    .where((eb) => eb.or(MIGRANT_PROVINCES.map((p) => eb("code", "like", `${p}.%`))))
    .where("code", "not like", `${SANGGAU.regencyCode}.%`)
    .orderBy("code")
    .execute();
  const plan = planSanggauDemo(opts.seed, {
    sanggauDistricts: districts,
    otherDistricts: others.map((o) => o.code),
  });

  const { actor } = opts;
  const regencyCode = SANGGAU.regencyCode;
  await ensureOrganisation(
    db,
    { kind: "bpjs_branch", code: "BPJS-SANGGAU", name: "BPJS Ketenagakerjaan Cabang Sanggau", regencyCode },
    actor,
  );
  await ensureOrganisation(
    db,
    { kind: "enforcer", code: "KEJARI-SANGGAU", name: "Kejaksaan Negeri Sanggau", regencyCode },
    actor,
  );
  for (const unit of plan.workUnits) {
    await ensureOrganisation(db, { kind: "work_unit", code: unit.code, name: unit.name, regencyCode }, actor);
  }
  for (const c of plan.contractors) {
    await ensureOrganisation(db, { kind: "contractor", code: c.nib, name: c.name, regencyCode }, actor);
  }

  const result: Omit<DemoLoadResult, "compliance"> = {
    projects: 0,
    registrations: 0,
    payments: 0,
    paymentClaims: 0,
    registrationClaims: 0,
    reportedEvents: 0,
    rejectedRows: 0,
  };
  /** The demo acting as a project's contractor, for what a contractor files and the branch decides. */
  const contractorOf = (project: Project): Actor => ({
    ...actor,
    role: "contractor",
    organisationId: project.contractor_id,
  });
  for (const [i, planned] of plan.projects.entries()) {
    const project = await registerProject(db, planned.input, actor);
    result.projects += 1;
    if (planned.registeredOn) {
      const registration = await registerWithBpjs(
        db,
        project.id,
        { basis: "contract_value", registeredOn: planned.registeredOn },
        actor,
      );
      result.registrations += 1;
      if (planned.payment) {
        await recordPayment(
          db,
          project.id,
          { ...planned.payment, amount: registration.contribution_amount },
          actor,
        );
        result.payments += 1;
      }
      if (planned.claim) {
        // Filed as the project's contractor would file it: it waits for the branch.
        await recordPayment(
          db,
          project.id,
          { ...planned.claim, amount: registration.contribution_amount },
          contractorOf(project),
        );
        result.paymentClaims += 1;
      }
    }
    if (planned.filedOn) {
      // Filed as the project's contractor would file it: it waits for the branch.
      await fileRegistration(
        db,
        project.id,
        { basis: "contract_value", registeredOn: planned.filedOn },
        contractorOf(project),
      );
      result.registrationClaims += 1;
    }
    if (planned.reports.length > 0) {
      const report = await reportWorkers(
        db,
        project.id,
        {
          idempotencyKey: `demo:${planned.input.code}`,
          source: "demo",
          rows: planned.reports.map((raw, index) => ({ row: index + 1, raw })),
          today: opts.today,
        },
        actor,
      );
      result.reportedEvents += report.accepted;
      result.rejectedRows += report.rejected;
    }
    opts.onProgress?.(i + 1, plan.projects.length);
  }
  // A claim is stamped with the clock when filed; the demo's are filed on their scenario days instead
  // (09.00 WIB), so the queues do not say a claim came in after the scenario's own date.
  await sql`update registration_claim set created_at = (registered_on + time '02:00') at time zone 'UTC'
    where regency_code = ${regencyCode}`.execute(db);
  await sql`update payment_claim set created_at = (paid_on + time '02:00') at time zone 'UTC'
    where regency_code = ${regencyCode}`.execute(db);
  await createDemoUsers(db, actor);
  await setScenarioDate(db, SANGGAU.snapshotDate);
  await setTarget(
    db,
    {
      scope: "region",
      id: regencyCode,
      year: SANGGAU.target.year,
      targetBp: SANGGAU.target.basisPoints,
      source: SANGGAU.target.source,
    },
    actor,
  );
  return { ...result, compliance: await stageEnforcement(db, actor) };
}

async function stageEnforcement(db: Db, actor: Actor): Promise<RunSummary> {
  const regencyCode = SANGGAU.regencyCode;
  for (const step of ENFORCEMENT_HISTORY) {
    if ("run" in step) {
      await runCompliance(db, { regencyCode, date: step.run }, actor);
      continue;
    }
    const ready = (await listCases(db, actor, step.date, { status: "open" }))
      .filter((c) => c.actions.includes(step.action))
      .sort((a, b) => Number(b.hasArrears) - Number(a.hasArrears) || a.id - b.id);
    for (const c of ready.slice(0, step.cases)) {
      await advanceCase(db, actor, c.id, { action: step.action, date: step.date });
    }
  }
  return runCompliance(db, { regencyCode, date: SANGGAU.snapshotDate }, actor);
}
