import { type Expression, type RawBuilder, type SqlBool, sql } from "kysely";
import type { Db } from "../db/connection.js";
import type { CoverageKind } from "../db/schema.js";
import { assertCan, canSeeProject, oversees } from "../domain/access.js";
import {
  coverageFigures,
  estimateWorkforce,
  gapToTarget,
  ratioToPercent,
  type WorkType,
} from "../domain/coverage.js";
import { daysInMonth, type IsoDate, minDate, toIsoDate } from "../domain/dates.js";
import { DomainError, notFound } from "../domain/errors.js";
import { displayName, isWithin, regencyOf, regionLevel } from "../domain/regions.js";
import { projectVisibility } from "./access.js";
import type { Actor } from "./actor.js";
import { appendAudit } from "./audit.js";
import { regencyCoverage } from "./coverage-aggregates.js";
import { daysTable, GROUP_KEY, workersOn } from "./coverage-sql.js";
import { scopeRegion } from "./regions.js";
import { loadSettings } from "./settings.js";

export type ScopeKind = "region" | "work_unit" | "contractor" | "project";
export type BreakdownKind = "district" | "work_unit" | "funding_source" | "contractor" | "project";

export interface CoverageQuery {
  scope: ScopeKind;
  /** Region code, or the numeric id of the work unit, contractor or project. */
  id: string;
  date: IsoDate;
}

export interface CoverageRow {
  /** The group's identity in links and queries: a sub-district code, or an organisation's or project's id. */
  key: string;
  /** What people know the group by: the sub-district code, the OPD's code, the contractor's NIB, the project's code. */
  code: string;
  name: string;
  known: number;
  protected: number;
  percent: number | null;
}

export interface CoverageReport {
  scope: { kind: ScopeKind; id: string; name: string };
  date: IsoDate;
  known: number;
  protected: number;
  /** protected / known as a percentage with two decimals. */
  percent: number | null;
  /**
   * The scope's target for the year; `regencyCode` where none is set for the scope itself and its
   * regency's stands in (`targetOf`).
   */
  target: { percent: number; source: string; regencyCode?: string } | null;
  /** Workers still to protect to reach the target (DESIGN.md §2), null without a target. */
  gap: number | null;
  /** Projects working on the date that never reported a worker, with their estimated workforce. */
  unreported: { projects: number; estimatedWorkers: number };
}

function scopeFilter(q: CoverageQuery): Expression<SqlBool> {
  switch (q.scope) {
    case "region": {
      const level = regionLevel(q.id);
      if (!level || level === "village") {
        throw new DomainError(
          "SCOPE_INVALID",
          `Kode wilayah ${q.id} bukan provinsi/kabupaten/kecamatan / region code ${q.id} is not a province, regency or district`,
          {
            field: "id",
          },
        );
      }
      if (level === "province") return sql<SqlBool>`p.regency_code like ${`${q.id}.%`}`;
      if (level === "regency") return sql<SqlBool>`p.regency_code = ${q.id}`;
      return sql<SqlBool>`p.district_code = ${q.id}`;
    }
    case "work_unit":
      return sql<SqlBool>`p.work_unit_id = ${numericId(q.id)}`;
    case "contractor":
      return sql<SqlBool>`p.contractor_id = ${numericId(q.id)}`;
    case "project":
      return sql<SqlBool>`p.id = ${numericId(q.id)}`;
  }
}

function numericId(id: string): number {
  const n = Number(id);
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new DomainError("SCOPE_INVALID", `id ${id} tidak valid / id ${id} is not valid`, { field: "id" });
  return n;
}

/** Workers on a project in scope that the actor sees, on the date or on a day column such as `d.day`. */
function workingOn(q: CoverageQuery, actor: Actor, day: IsoDate | RawBuilder<unknown> = q.date) {
  return workersOn(day, sql<SqlBool>`${scopeFilter(q)} and ${projectVisibility(actor)}`);
}

async function scopeName(db: Db, q: Pick<CoverageQuery, "scope" | "id">, actor: Actor): Promise<string> {
  if (q.scope === "region") {
    return (await scopeRegion(db, q.id, "id")).name;
  }
  if (q.scope === "project") {
    // Another organisation's project is not found, rather than named.
    const p = await db
      .selectFrom("project as p")
      .select("p.name")
      .where("p.id", "=", numericId(q.id))
      .where(projectVisibility(actor))
      .executeTakeFirst();
    if (!p) throw notFound("SCOPE_NOT_FOUND", { id: "Proyek", en: "Project" }, q.id, { field: "id" });
    return p.name;
  }
  const o = await db
    .selectFrom("organisation")
    .select("name")
    .where("id", "=", numericId(q.id))
    .where("kind", "=", q.scope)
    .executeTakeFirst();
  if (!o) throw notFound("SCOPE_NOT_FOUND", { id: "Organisasi", en: "Organisation" }, q.id, { field: "id" });
  return o.name;
}

/**
 * Where a query's figures are kept (coverage_change): a regency or one of its sub-districts, asked by
 * someone who sees the whole regency. Other scopes are counted over what the actor sees.
 */
function keptScope(
  q: CoverageQuery,
  actor: Actor,
): { regencyCode: string; kind: CoverageKind; key: string } | null {
  if (q.scope !== "region") return null;
  const level = regionLevel(q.id);
  if (level !== "regency" && level !== "district") return null;
  const regencyCode = regencyOf(q.id);
  // The kept figures hold the regency whole: only someone who oversees all of it may be answered from them.
  if (!oversees(actor, regencyCode)) return null;
  return level === "regency"
    ? { regencyCode, kind: "regency", key: "" }
    : { regencyCode, kind: "district", key: q.id };
}

/** Distinct people known and protected at a scope on each of the days. */
async function totalsOn(
  db: Db,
  q: CoverageQuery,
  days: readonly IsoDate[],
  actor: Actor,
): Promise<Map<IsoDate, { known: number; protected: number }>> {
  const kept = keptScope(q, actor);
  const rows = kept
    ? (await regencyCoverage(db, kept.regencyCode, days, [kept.kind])).filter((r) => r.key === kept.key)
    : // All the days in one statement: each assignment row is read once, not once per day.
      (
        await sql<{ day: IsoDate; known: number; protected: number }>`
          select d.day::text as day, count(distinct w.person_id)::int as known,
                 count(distinct w.person_id) filter (where w.protects)::int as protected
          from ${daysTable(days)} cross join lateral (${workingOn(q, actor, sql`d.day`)}) w
          group by d.day`.execute(db)
      ).rows;
  const byDay = new Map(rows.map((r) => [r.day, { known: r.known, protected: r.protected }]));
  return new Map(days.map((d) => [d, byDay.get(d) ?? { known: 0, protected: 0 }]));
}

/**
 * The scope's target for the date's year; where none is set for a sub-district, a work unit or a project,
 * its regency's: the district's Universal Coverage target is what each part of it is measured against
 * until one is set for that part. A contractor works across regencies, so it has only its own.
 */
async function targetOf(
  db: Db,
  q: CoverageQuery,
): Promise<{ target_bp: number; source: string; regencyCode?: string } | undefined> {
  const year = Number(q.date.slice(0, 4));
  const find = (kind: ScopeKind, id: string) =>
    db
      .selectFrom("target")
      .select(["target_bp", "source"])
      .where("scope_kind", "=", kind)
      .where("scope_id", "=", id)
      .where("year", "=", year)
      .executeTakeFirst();
  const own = await find(q.scope, q.id);
  if (own) return own;
  const regencyCode = await regencyOfScope(db, q);
  if (!regencyCode) return undefined;
  const regency = await find("region", regencyCode);
  return regency && { ...regency, regencyCode };
}

/** The regency a scope lies in, where it lies in one: a sub-district's, a work unit's, a project's. */
async function regencyOfScope(db: Db, q: CoverageQuery): Promise<string | null> {
  if (q.scope === "region") return q.id.length > 5 ? q.id.slice(0, 5) : null;
  if (q.scope === "contractor") return null;
  const row = await db
    .selectFrom(q.scope === "work_unit" ? "organisation" : "project")
    .select("regency_code")
    .where("id", "=", Number(q.id))
    .executeTakeFirst();
  return row?.regency_code ?? null;
}

/** Coverage at one scope and date, with target and gap (DESIGN.md §2, §5). */
export async function coverageAt(db: Db, q: CoverageQuery, actor: Actor): Promise<CoverageReport> {
  return (await coverageWithUnreported(db, q, actor)).report;
}

/** The coverage report and, behind its `unreported` totals, the silent projects themselves. */
async function coverageWithUnreported(db: Db, q: CoverageQuery, actor: Actor) {
  const name = await scopeName(db, q, actor);
  const { known, protected: protectedWorkers } = (await totalsOn(db, q, [q.date], actor)).get(q.date) as {
    known: number;
    protected: number;
  };
  const figures = coverageFigures(known, protectedWorkers);
  const unreported = await unreportedProjects(db, q, actor);

  const target = await targetOf(db, q);

  const report: CoverageReport = {
    scope: { kind: q.scope, id: q.id, name },
    date: q.date,
    known,
    protected: protectedWorkers,
    percent: ratioToPercent(figures.ratio),
    target: target
      ? {
          percent: target.target_bp / 100,
          source: target.source,
          ...(target.regencyCode ? { regencyCode: target.regencyCode } : {}),
        }
      : null,
    gap: target ? gapToTarget(target.target_bp, known, protectedWorkers) : null,
    unreported: {
      projects: unreported.length,
      estimatedWorkers: unreported.reduce((sum, p) => sum + p.estimatedWorkers, 0),
    },
  };
  return { report, unreported };
}

/** Projects working on the date with no worker ever reported, each with its estimated workforce. */
async function unreportedProjects(
  db: Db,
  q: CoverageQuery,
  actor: Actor,
): Promise<{ projectId: number; estimatedWorkers: number }[]> {
  const settings = await loadSettings(db);
  const rows = await sql<{
    id: number;
    contract_value: number;
    work_type: WorkType;
    spmk_date: string;
    end_date: string;
  }>`
    select p.id, p.contract_value, p.work_type, p.spmk_date, p.end_date
    from project p
    where ${scopeFilter(q)} and ${projectVisibility(actor)}
      and p.spmk_date <= ${q.date}::date and p.end_date >= ${q.date}::date
      and not exists (select 1 from assignment a where a.regency_code = p.regency_code and a.project_id = p.id)`.execute(
    db,
  );
  return rows.rows.map((p) => ({
    projectId: p.id,
    estimatedWorkers: estimateWorkforce(
      { contractValue: p.contract_value, workType: p.work_type, startDate: p.spmk_date, endDate: p.end_date },
      settings.workforceEstimate,
    ),
  }));
}

export type GapAction = "register" | "pay" | "report";

export interface GapProject {
  projectId: number;
  code: string;
  name: string;
  contractor: string;
  contractorId: number;
  districtName: string | null;
  workUnit: string | null;
  action: GapAction;
  /** Unprotected workers (register, pay) or the estimated workforce of a silent project (report). */
  workers: number;
  /** Running sum of `workers` down the list. */
  cumulative: number;
}

/**
 * The projects that would close the gap to target fastest (DESIGN.md §2): those whose known workers
 * are unprotected — to register when not registered by the date (protection is never back-dated, so a
 * later registration did not protect them then), to pay when registered but in arrears — and the working
 * projects that reported nobody, with the workforce `coverageAt` estimates for them. A worker protected
 * through another project in scope is not in the gap and is not counted.
 */
export async function gapProjects(
  db: Db,
  q: CoverageQuery & { limit: number },
  actor: Actor,
): Promise<{ coverage: CoverageReport; items: GapProject[] }> {
  const { report, unreported } = await coverageWithUnreported(db, q, actor);
  const unprotected = await sql<{ projectId: number; workers: number; unregistered: boolean }>`
    with w as (${workingOn(q, actor)})
    select u.project_id as "projectId", u.workers,
      (r.project_id is null or r.registered_on > ${q.date}::date) as unregistered
    from (
      select w.regency_code, w.project_id, count(distinct w.person_id)::int as workers
      from w
      where not exists (select 1 from w x where x.person_id = w.person_id and x.protects)
      group by w.regency_code, w.project_id
    ) u
    left join project_registration r on r.regency_code = u.regency_code and r.project_id = u.project_id`.execute(
    db,
  );
  const candidates = [
    ...unprotected.rows.map((u) => ({
      projectId: u.projectId,
      action: u.unregistered ? ("register" as const) : ("pay" as const),
      workers: u.workers,
    })),
    ...unreported.map((p) => ({
      projectId: p.projectId,
      action: "report" as const,
      workers: p.estimatedWorkers,
    })),
  ]
    .sort((a, b) => b.workers - a.workers || a.projectId - b.projectId)
    .slice(0, q.limit);
  if (candidates.length === 0) return { coverage: report, items: [] };
  const labels = await sql<Omit<GapProject, "action" | "workers" | "cumulative">>`
    select p.id as "projectId", p.code, p.name, c.name as contractor, c.id as "contractorId",
      d.name as "districtName", u.name as "workUnit"
    from project p join organisation c on c.id = p.contractor_id
      left join organisation u on u.id = p.work_unit_id
      left join region d on d.code = p.district_code
    where p.id = any(${sql.val(candidates.map((x) => x.projectId))}::bigint[])`.execute(db);
  const byId = new Map(labels.rows.map((l) => [l.projectId, l]));
  let cumulative = 0;
  const items = candidates.map((x) => {
    cumulative += x.workers;
    return { ...(byId.get(x.projectId) as GapProject), ...x, cumulative };
  });
  return { coverage: report, items };
}

/** Each breakdown's name and code of a group key `g.key`, as SQL. */
const GROUP_LABEL = {
  district: { name: sql`(select name from region where code = g.key)`, code: sql`g.key` },
  work_unit: {
    name: sql`case when g.key = '-' then '(tanpa OPD)' else (select name from organisation where id = g.key::bigint) end`,
    code: sql`case when g.key = '-' then '-' else (select code from organisation where id = g.key::bigint) end`,
  },
  // Sumber dana: APBD, APBN, DAK or private money (swasta).
  funding_source: { name: sql`case g.key when 'private' then 'Swasta' else g.key end`, code: sql`g.key` },
  contractor: {
    name: sql`(select name from organisation where id = g.key::bigint)`,
    code: sql`(select code from organisation where id = g.key::bigint)`,
  },
  project: {
    name: sql`(select name from project where id = g.key::bigint)`,
    code: sql`(select code from project where id = g.key::bigint)`,
  },
} as const;

/** Coverage split by sub-district, work unit, funding source, contractor or project; a worker counts in each group they work in. */
export async function coverageBreakdown(
  db: Db,
  q: CoverageQuery,
  by: BreakdownKind,
  actor: Actor,
): Promise<CoverageRow[]> {
  const kept = keptScope(q, actor);
  const groups =
    kept?.kind === "regency"
      ? await regencyCoverage(db, kept.regencyCode, [q.date], [by])
      : (
          await sql<{ key: string; known: number; protected: number }>`
            select ${GROUP_KEY[by]} as key,
                   count(distinct w.person_id)::int as known,
                   count(distinct w.person_id) filter (where w.protects)::int as protected
            from (${workingOn(q, actor)}) w
            group by 1`.execute(db)
        ).rows;
  if (groups.length === 0) return [];
  const rows = await sql<{ key: string; code: string; name: string; known: number; protected: number }>`
    select g.key, ${GROUP_LABEL[by].code} as code, ${GROUP_LABEL[by].name} as name, g.known, g.protected
    from (values ${sql.join(groups.map((g) => sql`(${g.key}, ${g.known}::int, ${g.protected}::int)`))})
      as g(key, known, protected)
    order by g.known desc, g.key`.execute(db);
  return rows.rows.map((r) => ({
    ...r,
    percent: ratioToPercent(coverageFigures(r.known, r.protected).ratio),
  }));
}

/** Set the coverage target of a scope for a year (e.g. 58.65 % for Sanggau in 2025). */
export async function setTarget(
  db: Db,
  input: { scope: ScopeKind; id: string; year: number; targetBp: number; source?: string },
  actor: Actor,
): Promise<void> {
  // A BPJS officer sets targets for regions they oversee; other scopes are the admin's.
  const mayManage =
    input.scope === "region" ? oversees(actor, input.id) : actor.role === "admin" || actor.role === "system";
  assertCan(mayManage, { id: "menetapkan target untuk cakupan ini", en: "to set the target of this scope" });
  // A target of a scope that does not exist would be kept and never shown.
  await scopeName(db, input, actor);
  const key = { scope_kind: input.scope, scope_id: input.id, year: input.year };
  await db.transaction().execute(async (trx) => {
    // A new target is inserted; one that exists is locked and replaced, its old value kept in the audit
    // trail. (Inserting first makes a concurrent first setting wait here and then see this one.)
    const inserted = await trx
      .insertInto("target")
      .values({ ...key, target_bp: input.targetBp, source: input.source ?? "" })
      .onConflict((oc) => oc.columns(["scope_kind", "scope_id", "year"]).doNothing())
      .returning(["target_bp as targetBp", "source"])
      .executeTakeFirst();
    const before = inserted
      ? null
      : await trx
          .selectFrom("target")
          .select(["target_bp as targetBp", "source"])
          .where("scope_kind", "=", key.scope_kind)
          .where("scope_id", "=", key.scope_id)
          .where("year", "=", key.year)
          .forUpdate()
          .executeTakeFirstOrThrow();
    // A new percentage without a source keeps the source the target had.
    const after = { targetBp: input.targetBp, source: input.source ?? before?.source ?? "" };
    if (before) {
      await trx
        .updateTable("target")
        .set({ target_bp: after.targetBp, source: after.source })
        .where("scope_kind", "=", key.scope_kind)
        .where("scope_id", "=", key.scope_id)
        .where("year", "=", key.year)
        .execute();
    }
    await appendAudit(trx, actor, {
      action: "target.set",
      entity: "target",
      entityId: `${input.scope}:${input.id}:${input.year}`,
      before,
      after: { scope: input.scope, id: input.id, year: input.year, ...after },
    });
  });
}

/** Coverage at the end of each month of the year up to the date (the last point is the date itself). */
export async function coverageTrend(
  db: Db,
  q: CoverageQuery,
  actor: Actor,
): Promise<{ month: string; date: IsoDate; known: number; protected: number; percent: number | null }[]> {
  const year = Number(q.date.slice(0, 4));
  const lastMonth = Number(q.date.slice(5, 7));
  const days: IsoDate[] = [];
  for (let m = 1; m <= lastMonth; m++) days.push(minDate(toIsoDate(year, m, daysInMonth(year, m)), q.date));
  const totals = await totalsOn(db, q, days, actor);
  return days.map((date) => {
    const { known, protected: p } = totals.get(date) as { known: number; protected: number };
    return {
      month: date.slice(0, 7),
      date,
      known,
      protected: p,
      percent: ratioToPercent(coverageFigures(known, p).ratio),
    };
  });
}

/**
 * The targets of the scopes the actor can see, newest year first, each with its scope's name: a BPJS
 * officer those inside the region they oversee, a work unit its own, its projects' and its regency's.
 */
export async function listTargets(db: Db, actor: Actor) {
  const rows = await db
    .selectFrom("target as t")
    .leftJoin("region as r", (j) => j.on(sql<SqlBool>`t.scope_kind = 'region' and r.code = t.scope_id`))
    .leftJoin("organisation as o", (j) =>
      j.on(sql<SqlBool>`t.scope_kind = o.kind and t.scope_id = o.id::text`),
    )
    .leftJoin("project as p", (j) => j.on(sql<SqlBool>`t.scope_kind = 'project' and t.scope_id = p.id::text`))
    .select([
      "t.scope_kind",
      "t.scope_id",
      "t.year",
      "t.target_bp",
      "t.source",
      "r.name as region_name",
      "o.name as organisation_name",
      "o.regency_code as organisation_regency",
      "p.name as project_name",
      "p.regency_code as project_regency",
      "p.contractor_id",
      "p.work_unit_id",
    ])
    .orderBy("t.year", "desc")
    .orderBy("t.scope_kind")
    .orderBy("t.scope_id")
    .execute();
  const ownRegency =
    actor.role === "opd" && actor.organisationId !== null
      ? ((
          await db
            .selectFrom("organisation")
            .select("regency_code")
            .where("id", "=", actor.organisationId)
            .executeTakeFirst()
        )?.regency_code ?? null)
      : null;
  const visible = (t: (typeof rows)[number]): boolean => {
    if (actor.role === "admin" || actor.role === "system") return true;
    switch (t.scope_kind) {
      case "region":
        return actor.role === "opd"
          ? ownRegency !== null && isWithin(ownRegency, t.scope_id)
          : oversees(actor, t.scope_id);
      case "project":
        return (
          t.project_regency !== null &&
          canSeeProject(actor, {
            regencyCode: t.project_regency,
            contractorId: t.contractor_id ?? -1,
            workUnitId: t.work_unit_id,
          })
        );
      default:
        return actor.role === "opd"
          ? t.scope_kind === "work_unit" && t.scope_id === String(actor.organisationId)
          : t.organisation_regency !== null && oversees(actor, t.organisation_regency);
    }
  };
  return rows.filter(visible).map((t) => ({
    scope: t.scope_kind,
    id: t.scope_id,
    name: t.region_name ? displayName(t.region_name) : (t.organisation_name ?? t.project_name ?? t.scope_id),
    year: t.year,
    percent: t.target_bp / 100,
    source: t.source,
  }));
}
