import { type RawBuilder, type SqlBool, sql, type Transaction } from "kysely";
import type { Db } from "../db/connection.js";
import type { DB, Project } from "../db/schema.js";
import {
  assertCan,
  canCreateProject,
  canOperateProject,
  canSeeProject,
  type ProjectOwnership,
} from "../domain/access.js";
import { type Bilingual, DomainError, notFound } from "../domain/errors.js";
import type { Actor } from "./actor.js";
import { findProject, organisationByCode } from "./lookups.js";

export const ownership = (p: Project): ProjectOwnership => ({
  regencyCode: p.regency_code,
  contractorId: p.contractor_id,
  workUnitId: p.work_unit_id,
});

/** The SQL form of `isWithin` for a regency column: in the region or below it; nothing without a region. */
export function regencyWithin(column: RawBuilder<unknown>, regionCode: string | null): RawBuilder<SqlBool> {
  return regionCode
    ? sql<SqlBool>`(${column} = ${regionCode} or ${column} like ${`${regionCode}.%`})`
    : sql<SqlBool>`false`;
}

/**
 * The SQL form of `canSeeProject` (src/domain/access.ts) over a project aliased `p`, for lists and
 * aggregates; test/http/authorization.test.ts checks both forms through every route and role.
 */
export function projectVisibility(actor: Actor): RawBuilder<SqlBool> {
  switch (actor.role) {
    case "admin":
    case "system":
      return sql<SqlBool>`true`;
    case "bpjs":
      return regencyWithin(sql`p.regency_code`, actor.regionCode);
    case "opd":
      return sql<SqlBool>`p.work_unit_id = ${actor.organisationId ?? -1}`;
    case "contractor":
      return sql<SqlBool>`p.contractor_id = ${actor.organisationId ?? -1}`;
    case "enforcer":
      return sql<SqlBool>`false`;
  }
}

/** A project the actor may see (else "not found", so its existence does not leak); `operate` asks for more. */
export async function requireProject(
  db: Db | Transaction<DB>,
  actor: Actor,
  id: number,
  opts: { operate?: boolean } = {},
): Promise<Project> {
  const project = await findProject(db, id);
  assertVisible(actor, project, opts);
  return project;
}

/** The same check on a project already loaded (and locked) by the caller. */
export function assertVisible(actor: Actor, project: Project, opts: { operate?: boolean } = {}): void {
  if (!canSeeProject(actor, ownership(project))) {
    throw notFound("PROJECT_NOT_FOUND", { id: "Proyek", en: "Project" }, project.id, {
      projectId: project.id,
    });
  }
  if (opts.operate)
    assertCan(canOperateProject(actor, ownership(project)), {
      id: "mengubah data proyek ini",
      en: "to change this project's data",
    });
}

/**
 * Before creating a project: the actor must own it (a contractor its own NIB, a work unit its own code).
 * A correction asks the same of the project as corrected, and says its own refusal (`refusal`).
 */
export async function assertMayCreateProject(
  trx: Transaction<DB>,
  actor: Actor,
  project: { regencyCode: string; contractorNib: string; workUnitCode: string | null },
  refusal?: Bilingual,
): Promise<void> {
  const own = actor.organisationId
    ? await trx
        .selectFrom("organisation")
        .select(["kind", "code", "regency_code"])
        .where("id", "=", actor.organisationId)
        .executeTakeFirst()
    : undefined;
  const ownId = actor.organisationId ?? -1;
  // A work unit's code is its regency's own: another regency's "PUPR" is another work unit.
  const ownUnit =
    own?.kind === "work_unit" &&
    own.code === project.workUnitCode &&
    own.regency_code === project.regencyCode;
  const allowed = canCreateProject(actor, {
    regencyCode: project.regencyCode,
    contractorId: own?.kind === "contractor" && own.code === project.contractorNib ? ownId : -2,
    workUnitId: ownUnit ? ownId : -2,
  });
  // The branch may file any project in its region; a contractor or work unit only its own.
  assertCan(
    allowed,
    refusal ??
      (actor.role === "bpjs"
        ? {
            id: "mendaftarkan proyek di luar wilayah kerja Anda",
            en: "to register a project outside your region",
          }
        : own?.kind === "work_unit" && own.code === project.workUnitCode
          ? {
              id: "mendaftarkan proyek di luar kabupaten/kota OPD Anda",
              en: "to register a project outside your work unit's regency",
            }
          : {
              id: "mendaftarkan proyek milik organisasi lain",
              en: "to register another organisation's project",
            }),
  );
  // New work units come with procurement data, from the branch or an admin. A contractor or a work unit
  // names one the project's regency has: otherwise anyone could file projects under any district's OPD.
  if ((actor.role === "contractor" || actor.role === "opd") && project.workUnitCode !== null) {
    if (!(await organisationByCode(trx, "work_unit", project.workUnitCode, project.regencyCode)))
      throw new DomainError(
        "WORK_UNIT_UNKNOWN",
        `OPD ${project.workUnitCode} tidak dikenal di wilayah ${project.regencyCode} / no such work unit in that regency`,
        { field: "workUnitCode" },
      );
  }
}
