import { sql, type Transaction } from "kysely";
import type { Db } from "../db/connection.js";
import type { DB, Project } from "../db/schema.js";
import { DomainError } from "../domain/errors.js";
import { formatDate } from "../domain/format.js";
import { regencyOf } from "../domain/regions.js";
import { assertMayCreateProject, assertVisible } from "./access.js";
import type { Actor } from "./actor.js";
import { appendAudit } from "./audit.js";
import { findProject, upsertOrganisation } from "./lookups.js";
import { regionByCode } from "./regions.js";
import { assertUnregistered, waitingClaim } from "./registrations.js";
import type { ProjectEdit, ProjectInput } from "./schemas.js";

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
  await assertDistrict(trx, input.districtCode);
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
  const workUnitId = await workUnitIdOf(trx, input.workUnitCode, regencyCode);
  const project = await trx
    .insertInto("project")
    .values({
      regency_code: regencyCode,
      code: input.code,
      contractor_id: contractorId,
      work_unit_id: workUnitId,
      ...dataColumns(input),
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
 * Correct a project's procurement data (a contract value the branch found wrong, a date, its work unit)
 * while it is not registered with BPJS and no registration of it waits: a registration fixes the
 * contribution from this data, and the branch verifies what the contractor filed. Its code, contractor and
 * regency stay. Whoever may see the project may correct it as they could have filed it; a work unit cannot
 * hand its package to another. The period must keep every worker already reported on it.
 */
export async function editProject(
  db: Db,
  projectId: number,
  input: ProjectEdit,
  actor: Actor,
): Promise<Project> {
  return db.transaction().execute(async (trx) => {
    const before = await findProject(trx, projectId, { lock: true });
    assertVisible(actor, before);
    const regencyCode = before.regency_code;
    if (regencyOf(input.districtCode) !== regencyCode)
      throw new DomainError(
        "PROJECT_REGENCY_FIXED",
        `Kecamatan ${input.districtCode} di luar kabupaten/kota proyek (${regencyCode}) / sub-district ${input.districtCode} is outside the project's regency (${regencyCode})`,
        { field: "districtCode" },
      );
    const contractor = await trx
      .selectFrom("organisation")
      .select("code")
      .where("id", "=", before.contractor_id)
      .executeTakeFirstOrThrow();
    // Visible, the project is in the actor's reach; only a work unit handing it to another is refused.
    await assertMayCreateProject(
      trx,
      actor,
      { regencyCode, contractorNib: contractor.code, workUnitCode: input.workUnitCode },
      { id: "menyerahkan paket ini kepada OPD lain", en: "to hand this package to another work unit" },
    );
    await assertDistrict(trx, input.districtCode);
    await assertNotFiled(trx, before);
    await assertKeepsReports(trx, before, input);
    const project = await trx
      .updateTable("project")
      .set({
        work_unit_id: await workUnitIdOf(trx, input.workUnitCode, regencyCode),
        ...dataColumns(input),
        edited_at: sql<Date>`now()`,
      })
      .where("regency_code", "=", regencyCode)
      .where("id", "=", projectId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(trx, actor, {
      action: "project.edit",
      entity: "project",
      entityId: project.id,
      before,
      after: project,
    });
    return project;
  });
}

/** The project's columns that its procurement data fills, as filed and as corrected. */
const dataColumns = (input: ProjectEdit) => ({
  name: input.name,
  district_code: input.districtCode,
  funding_source: input.fundingSource,
  work_type: input.workType,
  contract_value: input.contractValue,
  spk_date: input.spkDate,
  spmk_date: input.spmkDate,
  end_date: input.endDate,
});

async function assertDistrict(trx: Transaction<DB>, code: string): Promise<void> {
  if (!(await regionByCode(trx, code, "district"))) {
    throw new DomainError("DISTRICT_UNKNOWN", `Kecamatan ${code} tidak dikenal / unknown district ${code}`, {
      field: "districtCode",
    });
  }
}

/**
 * The project's work unit by its code in the regency, added when new (the branch's procurement data).
 * A code typed in another case ("perkim") names the work unit the regency has ("PERKIM"), not a new one.
 */
async function workUnitIdOf(trx: Transaction<DB>, code: string | null, regencyCode: string) {
  if (!code) return null;
  const known = await trx
    .selectFrom("organisation")
    .select("id")
    .where("kind", "=", "work_unit")
    .where("regency_code", "=", regencyCode)
    .where(sql<string>`upper(code)`, "=", code.toUpperCase())
    .orderBy("id")
    .executeTakeFirst();
  return known?.id ?? upsertOrganisation(trx, { kind: "work_unit", code, name: code, regencyCode });
}

/** A registration, verified or waiting for the branch, was computed from the data as it is. */
async function assertNotFiled(trx: Transaction<DB>, project: Project): Promise<void> {
  await assertUnregistered(trx, project);
  const waiting = await waitingClaim(trx, project);
  if (waiting)
    throw new DomainError(
      "REGISTRATION_PENDING",
      `Pendaftaran proyek ini (${formatDate(waiting.registered_on)}) menunggu verifikasi BPJS; data proyek dapat diubah setelah diputuskan / this project's registration (${formatDate(waiting.registered_on, "en")}) awaits BPJS verification; the project's data can be changed once it is decided`,
      { claimId: waiting.id },
    );
}

/** Workers are reported within the project's period (SPMK to its end): a correction keeps them inside. */
async function assertKeepsReports(trx: Transaction<DB>, project: Project, input: ProjectEdit) {
  const reported = await trx
    .selectFrom("assignment")
    .select((eb) => [
      eb.fn.min("joined_on").as("first"),
      eb.fn.max(eb.fn.coalesce("left_on", "joined_on")).as("last"),
    ])
    .where("regency_code", "=", project.regency_code)
    .where("project_id", "=", project.id)
    .executeTakeFirst();
  const first = reported?.first as string | null | undefined;
  const last = reported?.last as string | null | undefined;
  if (first && input.spmkDate > first)
    throw new DomainError(
      "PERIOD_EXCLUDES_REPORTS",
      `Pekerja sudah dilaporkan bekerja sejak ${formatDate(first)}; SPMK tidak boleh sesudahnya / Workers are reported working from ${formatDate(first, "en")}; the SPMK may not be later`,
      { field: "spmkDate", reportedFrom: first },
    );
  if (last && input.endDate < last)
    throw new DomainError(
      "PERIOD_EXCLUDES_REPORTS",
      `Pekerja sudah dilaporkan bekerja sampai ${formatDate(last)}; tanggal selesai tidak boleh sebelumnya / Workers are reported working until ${formatDate(last, "en")}; the end date may not be earlier`,
      { field: "endDate", reportedUntil: last },
    );
}
