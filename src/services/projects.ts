import type { Transaction } from "kysely";
import type { Db } from "../db/connection.js";
import type { DB, Project } from "../db/schema.js";
import { DomainError } from "../domain/errors.js";
import { regencyOf } from "../domain/regions.js";
import { assertMayCreateProject } from "./access.js";
import type { Actor } from "./actor.js";
import { appendAudit } from "./audit.js";
import { upsertOrganisation } from "./lookups.js";
import type { ProjectInput } from "./schemas.js";

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
    throw new DomainError(
      "DISTRICT_UNKNOWN",
      `Kecamatan ${input.districtCode} tidak dikenal / unknown district ${input.districtCode}`,
      {
        field: "districtCode",
      },
    );
  }
  const existing = await trx
    .selectFrom("project")
    .select("id")
    .where("regency_code", "=", regencyCode)
    .where("code", "=", input.code)
    .executeTakeFirst();
  if (existing) {
    throw new DomainError(
      "PROJECT_EXISTS",
      `Proyek dengan kode ${input.code} sudah terdaftar / a project with code ${input.code} already exists`,
      {
        field: "code",
        projectId: existing.id,
      },
    );
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
