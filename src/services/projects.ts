import type { Transaction } from "kysely";
import type { Db } from "../db/connection.js";
import type { DB, Project, ProjectRegistration } from "../db/schema.js";
import { contractValueContribution, rateTableFor, wageContribution } from "../domain/contribution.js";
import { DomainError } from "../domain/errors.js";
import { regencyOf } from "../domain/regions.js";
import { registrationNumber, registrationPeriod } from "../domain/registration.js";
import { assertMayCreateProject, assertVisible } from "./access.js";
import type { Actor } from "./actor.js";
import { appendAudit } from "./audit.js";
import { findProject, upsertOrganisation } from "./lookups.js";
import { loadRateTables } from "./rates.js";
import type { ProjectInput, RegistrationInput } from "./schemas.js";
import { loadSettings } from "./settings.js";

/** Register a project from procurement data (kode paket, penyedia, nilai kontrak, SPK/SPMK). */
export async function registerProject(db: Db, input: ProjectInput, actor: Actor): Promise<Project> {
  return db.transaction().execute((trx) => createProject(trx, input, actor));
}

/** The body of `registerProject` inside the caller's transaction (file imports put many in one). */
export async function createProject(
  trx: Transaction<DB>,
  input: ProjectInput,
  actor: Actor,
): Promise<Project> {
  const regencyCode = regencyOf(input.districtCode);
  await assertMayCreateProject(trx, actor, {
    regencyCode,
    contractorNib: input.contractorNib,
    workUnitCode: input.workUnitCode,
  });
  const district = await trx
    .selectFrom("region")
    .select("code")
    .where("code", "=", input.districtCode)
    .where("level", "=", "district")
    .executeTakeFirst();
  if (!district) {
    throw new DomainError("DISTRICT_UNKNOWN", `Kecamatan ${input.districtCode} tidak dikenal`, {
      field: "districtCode",
    });
  }
  const existing = await trx
    .selectFrom("project")
    .select("id")
    .where("regency_code", "=", regencyCode)
    .where("code", "=", input.code)
    .executeTakeFirst();
  if (existing) {
    throw new DomainError("PROJECT_EXISTS", `Proyek dengan kode ${input.code} sudah terdaftar`, {
      field: "code",
      projectId: existing.id,
    });
  }
  const contractorId = await upsertOrganisation(trx, {
    kind: "contractor",
    code: input.contractorNib,
    name: input.contractorName,
    regencyCode,
  });
  const workUnitId = input.workUnitCode
    ? await upsertOrganisation(trx, {
        kind: "work_unit",
        code: input.workUnitCode,
        name: input.workUnitCode,
        regencyCode,
      })
    : null;
  const project = await trx
    .insertInto("project")
    .values({
      regency_code: regencyCode,
      code: input.code,
      name: input.name,
      district_code: input.districtCode,
      work_unit_id: workUnitId,
      contractor_id: contractorId,
      funding_source: input.fundingSource,
      work_type: input.workType,
      contract_value: input.contractValue,
      spk_date: input.spkDate,
      spmk_date: input.spmkDate,
      end_date: input.endDate,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await appendAudit(trx, actor, {
    action: "project.create",
    entity: "project",
    entityId: project.id,
    after: project,
  });
  return project;
}

/**
 * Register a project with BPJS: compute its contribution with the table in force at the start of
 * work (SPMK), so back-dated projects use the rates of their time, and fix its coverage period.
 */
export async function registerWithBpjs(
  db: Db,
  projectId: number,
  input: RegistrationInput,
  actor: Actor,
): Promise<ProjectRegistration> {
  const [tables, settings] = await Promise.all([loadRateTables(db), loadSettings(db)]);
  return db.transaction().execute(async (trx) => {
    const project = await findProject(trx, projectId, { lock: true });
    assertVisible(actor, project, { operate: true });
    const already = await trx
      .selectFrom("project_registration")
      .select("registration_no")
      .where("regency_code", "=", project.regency_code)
      .where("project_id", "=", project.id)
      .executeTakeFirst();
    if (already) {
      throw new DomainError(
        "PROJECT_ALREADY_REGISTERED",
        `Proyek sudah terdaftar (${already.registration_no})`,
        {
          registrationNo: already.registration_no,
        },
      );
    }
    const table = rateTableFor(tables, project.spmk_date);
    const contribution =
      input.basis === "wage"
        ? wageContribution(input.wages, input.riskClass, table)
        : contractValueContribution(project.contract_value, table);
    const period = registrationPeriod(
      { spkDate: project.spk_date, endDate: project.end_date },
      input.registeredOn,
      settings.registration,
    );
    const registration = await trx
      .insertInto("project_registration")
      .values({
        regency_code: project.regency_code,
        project_id: project.id,
        registration_no: registrationNumber(project.regency_code, input.registeredOn, project.id),
        registered_on: input.registeredOn,
        basis: input.basis,
        risk_class: input.basis === "wage" ? input.riskClass : null,
        rate_table_version: table.version,
        contribution_jkk: contribution.jkk,
        contribution_jkm: contribution.jkm,
        contribution_amount: contribution.total,
        computation: JSON.stringify(contribution),
        coverage_start: period.coverageStart,
        coverage_end: period.coverageEnd,
        due_date: period.dueDate,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(trx, actor, {
      action: "project.register_bpjs",
      entity: "project",
      entityId: project.id,
      after: { ...registration, computation: contribution },
    });
    return registration;
  });
}
