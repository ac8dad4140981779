import { type RawBuilder, sql, type Transaction } from "kysely";
import type { Db } from "../db/connection.js";
import type { DB, OrganisationKind, Project } from "../db/schema.js";
import { DomainError, notFound } from "../domain/errors.js";

/**
 * A project by id; `lock` takes a row lock, so it demands a transaction (STYLE.md: types force it).
 * A writer locks its project before its first write, as `lockProjects` below explains.
 */
export async function findProject(trx: Transaction<DB>, id: number, opts: { lock: true }): Promise<Project>;
export async function findProject(
  db: Db | Transaction<DB>,
  id: number,
  opts?: { lock?: false },
): Promise<Project>;
export async function findProject(
  db: Db | Transaction<DB>,
  id: number,
  opts: { lock?: boolean } = {},
): Promise<Project> {
  let query = db.selectFrom("project").selectAll().where("id", "=", id);
  if (opts.lock) query = query.forUpdate();
  const project = await query.executeTakeFirst();
  if (!project) throw notFound("PROJECT_NOT_FOUND", { id: "Proyek", en: "Project" }, id, { projectId: id });
  return project;
}

/**
 * Lock projects in (regency, id) order, all before any write. A writer takes its regencies' turn to
 * change coverage (coverage_lock, migration 2025_11_01_0000_coverage_change) only at its first write,
 * and never waits for a project lock after that: so two writers never wait on each other.
 */
export async function lockProjects(
  trx: Transaction<DB>,
  ids: readonly number[],
): Promise<Map<number, Project>> {
  const rows = await trx
    .selectFrom("project")
    .selectAll()
    .where(sql<boolean>`id = any(${sql.val([...ids])}::bigint[])`)
    .orderBy("regency_code")
    .orderBy("id")
    .forUpdate()
    .execute();
  const found = new Map(rows.map((p) => [p.id, p]));
  for (const id of ids) {
    if (!found.has(id))
      throw notFound("PROJECT_NOT_FOUND", { id: "Proyek", en: "Project" }, id, { projectId: id });
  }
  return found;
}

/**
 * The kinds whose codes are their regency's own: every regency has its "PUPR" (migration
 * 2025_12_05_0000_organisation_keys). A contractor's NIB and a branch's code are national.
 */
const REGIONAL_KINDS: readonly OrganisationKind[] = ["work_unit", "enforcer"];

/** An organisation by its key: (kind, code), within `regencyCode` for a work unit or a prosecutor's office. */
export function organisationByCode(
  db: Db | Transaction<DB>,
  kind: OrganisationKind,
  code: string,
  regencyCode: string | null = null,
) {
  let query = db
    .selectFrom("organisation")
    .select(["id", "regency_code"])
    .where("kind", "=", kind)
    .where("code", "=", code);
  if (REGIONAL_KINDS.includes(kind)) query = query.where("regency_code", "is not distinct from", regencyCode);
  return query.executeTakeFirst();
}

/** Who an actor label (`user:12`, `token:3`) names: the user's name, "API: <token name>", else the label. */
export const whoIs = (label: RawBuilder<unknown>) => sql<string>`coalesce(
  (select u.name from app_user u where ${label} = 'user:' || u.id),
  (select 'API: ' || t.name from api_token t where ${label} = 'token:' || t.id),
  ${label})`;

/**
 * The name of the BPJS branch office serving a regency, which signs its letters, reports and
 * certificates; the first registered where there are several, the agency's own name where none is.
 */
export async function branchName(db: Db | Transaction<DB>, regencyCode: string): Promise<string> {
  const branch = await db
    .selectFrom("organisation")
    .select("name")
    .where("kind", "=", "bpjs_branch")
    .where("regency_code", "=", regencyCode)
    .orderBy("id")
    .executeTakeFirst();
  return branch?.name ?? "BPJS Ketenagakerjaan";
}

/** An organisation by its key (`organisationByCode`), added if missing; the first name seen is kept. */
export async function upsertOrganisation(
  trx: Transaction<DB>,
  org: { kind: OrganisationKind; code: string; name: string; regencyCode: string | null },
): Promise<number> {
  await trx
    .insertInto("organisation")
    .values({ kind: org.kind, code: org.code, name: org.name, regency_code: org.regencyCode })
    // Whichever of the two keys it meets (national or within the regency).
    .onConflict((oc) => oc.doNothing())
    .execute();
  const row = await organisationByCode(trx, org.kind, org.code, org.regencyCode);
  if (!row) throw new DomainError("ORGANISATION_NOT_FOUND", `internal: ${org.kind} ${org.code} not kept`);
  return row.id;
}
