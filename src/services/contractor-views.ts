import { type RawBuilder, type SqlBool, sql } from "kysely";
import type { Db } from "../db/connection.js";
import { isBlocking } from "../domain/clearance.js";
import type { IsoDate } from "../domain/dates.js";
import { type Bilingual, notFound } from "../domain/errors.js";
import { type CaseStep, isOverdue } from "../domain/escalation.js";
import { projectVisibility } from "./access.js";
import type { Actor } from "./actor.js";
import { workersOn } from "./coverage-sql.js";

/**
 * Read models of contractors (penyedia jasa) for the dashboard. A contractor sees itself, a work unit
 * the contractors of its projects, a BPJS officer those with projects in its region, an admin all.
 * Every figure counts only what the actor may see: the projects `projectVisibility` lets through, and
 * the findings and cases of the contractor in a regency where one of those projects is. `cleared` is
 * the clearance answer itself (GET /contractors/:id/clearance), which weighs every open finding.
 */
export interface ContractorSummary {
  id: number;
  name: string;
  /** NIB (Nomor Induk Berusaha), the contractor's organisation code. */
  nib: string;
  regencyCode: string | null;
  projects: number;
  activeProjects: number;
  knownWorkers: number;
  protectedWorkers: number;
  openFindings: number;
  blockingFindings: number;
  cleared: boolean;
  openCase: { id: number; step: CaseStep; deadline: string | null; overdue: boolean } | null;
}

type ContractorFigures = Omit<
  ContractorSummary,
  "openFindings" | "blockingFindings" | "cleared" | "openCase"
>;

/** The SQL form of "the actor may see this contractor", over an organisation aliased `o`. */
function contractorVisibility(actor: Actor): RawBuilder<SqlBool> {
  if (actor.role === "admin" || actor.role === "system") return sql<SqlBool>`true`;
  if (actor.role === "contractor") return sql<SqlBool>`o.id = ${actor.organisationId ?? -1}`;
  return sql<SqlBool>`exists (select 1 from project p where p.contractor_id = o.id and ${projectVisibility(actor)})`;
}

/** A finding `f` is seen through its project, a contractor-wide one through any project there. */
const findingSeen = (actor: Actor) => sql<SqlBool>`exists (select 1 from project p
  where p.regency_code = f.regency_code and p.contractor_id = f.contractor_id
    and (f.project_id is null or p.id = f.project_id) and ${projectVisibility(actor)})`;

/** A case `c` (one per contractor and regency) is seen through any project of the contractor there. */
const caseSeen = (actor: Actor) => sql<SqlBool>`exists (select 1 from project p
  where p.regency_code = c.regency_code and p.contractor_id = c.contractor_id and ${projectVisibility(actor)})`;

/** Contractors the actor may see: not cleared first, then most open findings, then by name. */
export async function listContractors(
  db: Db,
  actor: Actor,
  query: { q?: string; id?: number; date: IsoDate },
): Promise<ContractorSummary[]> {
  const { date } = query;
  const search = query.q ? `%${query.q.toLowerCase()}%` : null;
  const visible = sql<SqlBool>`p.contractor_id = o.id and ${projectVisibility(actor)}`;
  const rows = await sql<ContractorFigures>`
    select o.id, o.name, o.code as nib, o.regency_code as "regencyCode", x.projects, x."activeProjects",
      w."knownWorkers", w."protectedWorkers"
    from organisation o
    cross join lateral (
      select count(*)::int as projects,
        count(*) filter (where p.spmk_date <= ${date}::date and p.end_date >= ${date}::date)::int as "activeProjects"
      from project p where ${visible}
    ) x
    cross join lateral (
      select count(distinct ws.person_id)::int as "knownWorkers",
        count(distinct ws.person_id) filter (where ws.protects)::int as "protectedWorkers"
      from (${workersOn(date, visible)}) ws
    ) w
    where o.kind = 'contractor' and ${contractorVisibility(actor)}
      ${search ? sql`and (lower(o.name) like ${search} or lower(o.code) like ${search})` : sql``}
      ${query.id ? sql`and o.id = ${query.id}` : sql``}
    order by o.name, o.id`.execute(db);
  if (rows.rows.length === 0) return [];
  const ids = sql.val(rows.rows.map((r) => r.id));

  const findings = await sql<{ contractorId: number; rule: string; severity: string; visible: boolean }>`
    select f.contractor_id as "contractorId", f.rule, f.severity, ${findingSeen(actor)} as visible
    from finding f
    where f.status = 'open' and f.contractor_id = any(${ids}::bigint[])`.execute(db);
  const cases = await sql<{
    id: number;
    contractorId: number;
    step: CaseStep;
    deadline: string | null;
    hasArrears: boolean;
  }>`
    select c.id, c.contractor_id as "contractorId", c.step, c.deadline, c.has_arrears as "hasArrears"
    from enforcement_case c
    where c.status = 'open' and c.contractor_id = any(${ids}::bigint[]) and ${caseSeen(actor)}
    order by c.deadline nulls last, c.id`.execute(db);

  return rows.rows
    .map((r) => {
      const open = findings.rows.filter((f) => f.contractorId === r.id);
      const seen = open.filter((f) => f.visible);
      // One open case per regency: show the most pressing (overdue first, then the nearest deadline).
      const mine = cases.rows
        .filter((c) => c.contractorId === r.id)
        .map((c) => ({ id: c.id, step: c.step, deadline: c.deadline, overdue: isOverdue(c, date) }));
      return {
        ...r,
        openFindings: seen.length,
        blockingFindings: seen.filter(isBlocking).length,
        cleared: !open.some(isBlocking),
        openCase: mine.find((c) => c.overdue) ?? mine[0] ?? null,
      };
    })
    .sort((a, b) => Number(a.cleared) - Number(b.cleared) || b.openFindings - a.openFindings);
}

/** One contractor as in the list, with its findings and cases, newest first. */
export async function contractorDetail(db: Db, actor: Actor, id: number, date: IsoDate) {
  const [summary] = await listContractors(db, actor, { id, date });
  if (!summary) throw notFound("ORGANISATION_NOT_FOUND", { id: "Penyedia jasa", en: "Contractor" }, id);
  const findings = await sql<{
    id: number;
    rule: string;
    severity: string;
    status: string;
    projectId: number | null;
    projectName: string | null;
    summary: Bilingual;
    legalBasis: string;
    foundOn: string;
    resolvedOn: string | null;
  }>`
    select f.id, f.rule, f.severity, f.status, f.project_id as "projectId", fp.name as "projectName", f.summary,
      f.legal_basis as "legalBasis", f.found_on as "foundOn", f.resolved_on as "resolvedOn"
    from finding f
    left join project fp on fp.regency_code = f.regency_code and fp.id = f.project_id
    where f.contractor_id = ${id} and ${findingSeen(actor)}
    order by f.found_on desc, f.id desc`.execute(db);
  const cases = await sql<{
    id: number;
    step: CaseStep;
    status: "open" | "closed";
    openedOn: string;
    deadline: string | null;
    resolution: unknown;
  }>`
    select c.id, c.step, c.status, c.opened_on as "openedOn", c.deadline, c.resolution
    from enforcement_case c
    where c.contractor_id = ${id} and ${caseSeen(actor)}
    order by c.opened_on desc, c.id desc`.execute(db);
  return { ...summary, findings: findings.rows, cases: cases.rows };
}
