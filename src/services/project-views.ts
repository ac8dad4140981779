import { sql } from "kysely";
import type { Db } from "../db/connection.js";
import { nikVault } from "../db/nik-vault.js";
import { type ProjectStatus, projectStatusOn } from "../domain/coverage.js";
import type { IsoDate } from "../domain/dates.js";
import { type Bilingual, DomainError } from "../domain/errors.js";
import { maskNik } from "../domain/nik.js";
import { displayName } from "../domain/regions.js";
import { renderCertificate } from "../reports/certificate.js";
import { projectVisibility, requireProject } from "./access.js";
import type { Actor } from "./actor.js";
import { workingOnDate } from "./coverage-sql.js";
import { branchName } from "./lookups.js";
import { PENDING } from "./payments.js";
import { openRegistrationClaim } from "./registrations.js";

/** Read models of projects for the API and dashboard, always filtered by what the actor may see. */
export interface ProjectSummary {
  id: number;
  code: string;
  name: string;
  regencyCode: string;
  districtCode: string;
  districtName: string;
  workUnit: string | null;
  workUnitCode: string | null;
  contractor: string;
  contractorId: number;
  fundingSource: string;
  workType: string;
  contractValue: number;
  spkDate: string;
  spmkDate: string;
  endDate: string;
  registrationNo: string | null;
  contributionAmount: number | null;
  paidAmount: number;
}

export const SORTABLE = ["name", "code", "contract_value", "spmk_date", "end_date"] as const;

export async function listProjects(
  db: Db,
  actor: Actor,
  query: {
    q?: string;
    regionCode?: string;
    id?: number;
    page: number;
    pageSize: number;
    sort: (typeof SORTABLE)[number];
    order: "asc" | "desc";
  },
): Promise<{ items: ProjectSummary[]; total: number; page: number; pageSize: number }> {
  const search = query.q ? `%${query.q.toLowerCase()}%` : null;
  const filter = sql`${projectVisibility(actor)}
    ${search ? sql`and (lower(p.name) like ${search} or lower(p.code) like ${search} or lower(c.name) like ${search})` : sql``}
    ${query.id ? sql`and p.id = ${query.id}` : sql``}
    ${query.regionCode ? sql`and (p.district_code = ${query.regionCode} or p.district_code like ${`${query.regionCode}.%`})` : sql``}`;
  const from = sql`project p join organisation c on c.id = p.contractor_id
    left join organisation w on w.id = p.work_unit_id
    left join region d on d.code = p.district_code
    left join project_registration r on r.regency_code = p.regency_code and r.project_id = p.id`;
  const total = await sql<{ n: number }>`select count(*)::int as n from ${from} where ${filter}`.execute(db);
  const rows = await sql<ProjectSummary>`
    select p.id, p.code, p.name, p.regency_code as "regencyCode", p.district_code as "districtCode", d.name as "districtName",
      w.name as "workUnit", w.code as "workUnitCode", c.name as contractor, c.id as "contractorId", p.funding_source as "fundingSource",
      p.work_type as "workType", p.contract_value as "contractValue", p.spk_date as "spkDate", p.spmk_date as "spmkDate",
      p.end_date as "endDate", r.registration_no as "registrationNo", r.contribution_amount as "contributionAmount",
      coalesce((select sum(amount) from payment pay where pay.regency_code = p.regency_code and pay.project_id = p.id), 0)::bigint as "paidAmount"
    from ${from} where ${filter}
    order by ${sql.ref(`p.${query.sort}`)} ${sql.raw(query.order)}, p.id
    limit ${query.pageSize} offset ${(query.page - 1) * query.pageSize}`.execute(db);
  return { items: rows.rows, total: total.rows[0]?.n ?? 0, page: query.page, pageSize: query.pageSize };
}

/** One project as in the list, with its registration, contribution (step by step) and payment state. */
export async function projectDetail(db: Db, actor: Actor, id: number, today: IsoDate) {
  const cert = await certificate(db, actor, id, today);
  const { items } = await listProjects(db, actor, { id, page: 1, pageSize: 1, sort: "name", order: "asc" });
  return { ...(items[0] as ProjectSummary), certificate: cert };
}

export interface Certificate {
  projectId: number;
  registrationNo: string | null;
  registeredOn: string | null;
  basis: string | null;
  rateTableVersion: string | null;
  contribution: { jkk: number; jkm: number; total: number; computation: unknown } | null;
  coverageStart: string | null;
  coverageEnd: string | null;
  dueDate: string | null;
  /** Confirmed payments: only these count (DESIGN §1, the branch confirms payments). */
  paidAmount: number;
  /** Contractors' claims waiting for the branch's confirmation. */
  pendingAmount: number;
  /** Before registration: the contractor's registration waiting for the branch, or the last it rejected. */
  registrationClaim: Awaited<ReturnType<typeof openRegistrationClaim>>;
  status: ProjectStatus;
  /** The participation certificate exists once the contribution is paid in full (Permenaker 44/2015). */
  certificateIssuedOn: string | null;
}

/** Registration, contribution and payment state of a project on `today`. */
export async function certificate(db: Db, actor: Actor, id: number, today: IsoDate): Promise<Certificate> {
  const project = await requireProject(db, actor, id);
  const reg = await db
    .selectFrom("project_registration as r")
    .selectAll("r")
    .select(PENDING.as("pending"))
    .where("r.regency_code", "=", project.regency_code)
    .where("r.project_id", "=", project.id)
    .executeTakeFirst();
  const payments = await db
    .selectFrom("payment")
    .select(["paid_on", "amount"])
    .where("regency_code", "=", project.regency_code)
    .where("project_id", "=", project.id)
    .orderBy("paid_on")
    .execute();
  const facts = reg
    ? {
        coverageStart: reg.coverage_start,
        coverageEnd: reg.coverage_end,
        dueDate: reg.due_date,
        amount: reg.contribution_amount,
      }
    : null;
  let running = 0;
  const paidInFullOn = payments.find((p) => {
    running += p.amount;
    return reg && running >= reg.contribution_amount;
  })?.paid_on;
  return {
    projectId: project.id,
    registrationNo: reg?.registration_no ?? null,
    registeredOn: reg?.registered_on ?? null,
    basis: reg?.basis ?? null,
    rateTableVersion: reg?.rate_table_version ?? null,
    contribution: reg
      ? {
          jkk: reg.contribution_jkk,
          jkm: reg.contribution_jkm,
          total: reg.contribution_amount,
          computation: reg.computation,
        }
      : null,
    coverageStart: reg?.coverage_start ?? null,
    coverageEnd: reg?.coverage_end ?? null,
    dueDate: reg?.due_date ?? null,
    paidAmount: payments.reduce((s, p) => s + p.amount, 0),
    // A claim needs a registration to pay into, so an unregistered project has none waiting.
    pendingAmount: reg?.pending ?? 0,
    registrationClaim: reg ? null : await openRegistrationClaim(db, project),
    status: projectStatusOn(
      facts,
      payments.map((p) => ({ paidOn: p.paid_on, amount: p.amount })),
      today,
    ),
    certificateIssuedOn: paidInFullOn ?? null,
  };
}

/**
 * The participation certificate as a PDF, once the contribution is paid in full (it is not issued
 * before: `certificateIssuedOn`). Who may read the project may download it.
 */
export async function certificatePdf(db: Db, actor: Actor, id: number, today: IsoDate) {
  const p = await projectDetail(db, actor, id, today);
  const c = p.certificate;
  if (!c.certificateIssuedOn || !c.registrationNo || !c.contribution || !c.registeredOn || !c.basis)
    throw new DomainError(
      "CERTIFICATE_NOT_ISSUED",
      c.registrationNo
        ? "Sertifikat terbit setelah iuran dibayar lunas / the certificate is issued once the contribution is paid in full"
        : "Proyek belum terdaftar di BPJS: belum ada sertifikat / the project is not registered with BPJS: no certificate yet",
    );
  const [facts] = (
    await sql<{ nib: string; regency: string; working: number; reported: number }>`
      select o.code as nib, rg.name as regency,
        (select count(distinct a.person_id)::int from assignment a
          where a.regency_code = p.regency_code and a.project_id = p.id and ${workingOnDate(today)}) as working,
        (select count(distinct a.person_id)::int from assignment a
          where a.regency_code = p.regency_code and a.project_id = p.id and a.joined_on <= ${today}::date) as reported
      from project p
      join organisation o on o.id = p.contractor_id
      join region rg on rg.code = p.regency_code
      where p.regency_code = ${p.regencyCode} and p.id = ${id}`.execute(db)
  ).rows;
  if (!facts) throw new DomainError("PROJECT_NOT_FOUND", `internal: project ${id} vanished`);
  const pdf = await renderCertificate({
    branchName: await branchName(db, p.regencyCode),
    registrationNo: c.registrationNo,
    issuedOn: c.certificateIssuedOn,
    printedOn: today,
    project: {
      code: p.code,
      name: p.name,
      contractor: p.contractor,
      nib: facts.nib,
      workUnit: p.workUnit,
      place: `Kecamatan ${p.districtName}, ${displayName(facts.regency)}`,
      contractValue: p.contractValue,
    },
    registeredOn: c.registeredOn,
    coverageStart: c.coverageStart as string,
    coverageEnd: c.coverageEnd as string,
    basis: c.basis as "contract_value" | "wage",
    contribution: c.contribution,
    workers: { working: facts.working, reported: facts.reported },
  });
  return { number: c.registrationNo, pdf };
}

/** Workers of a project; the NIK is masked (UU 27/2022: the list never needs the full number). */
export async function listWorkers(db: Db, actor: Actor, id: number) {
  const project = await requireProject(db, actor, id);
  const rows = await db
    .selectFrom("assignment")
    .innerJoin("person", "person.id", "assignment.person_id")
    .select([
      "assignment.id",
      "person.nik_sealed",
      "person.name",
      "person.sex",
      "assignment.joined_on",
      "assignment.left_on",
    ])
    .where("assignment.regency_code", "=", project.regency_code)
    .where("assignment.project_id", "=", project.id)
    .orderBy("person.name")
    .orderBy("assignment.joined_on")
    .execute();
  const vault = nikVault();
  return rows.map((r) => ({
    assignmentId: r.id,
    nikMasked: maskNik(vault.open(r.nik_sealed)),
    name: r.name,
    sex: r.sex,
    joinedOn: r.joined_on,
    leftOn: r.left_on,
  }));
}

/**
 * A project's payments: the confirmed ones (which count) and the contractors' claims still waiting for
 * the branch or rejected by it, by the day they were paid.
 */
export async function listPayments(db: Db, actor: Actor, id: number) {
  const project = await requireProject(db, actor, id);
  const rows = await sql<{
    paymentId: number | null;
    claimId: number | null;
    paidOn: string;
    amount: number;
    reference: string;
    status: "confirmed" | "pending" | "rejected";
    reason: string | null;
  }>`
    select pay.id as "paymentId", c.id as "claimId", pay.paid_on::text as "paidOn", pay.amount, pay.reference,
      'confirmed' as status, null as reason
    from payment pay
    left join payment_claim c on c.regency_code = pay.regency_code and c.payment_id = pay.id
    where pay.regency_code = ${project.regency_code} and pay.project_id = ${project.id}
    union all
    select null, c.id, c.paid_on::text, c.amount, c.reference, c.status, c.reason
    from payment_claim c
    where c.regency_code = ${project.regency_code} and c.project_id = ${project.id} and c.status <> 'confirmed'
    order by "paidOn", "paymentId" nulls last, "claimId"`.execute(db);
  return rows.rows;
}

/** A finding as the API shows it, on a project's page and in a case file alike. */
export const FINDING_COLUMNS = [
  "id",
  "rule",
  "severity",
  "status",
  "summary",
  "evidence",
  "legal_basis as legalBasis",
  "found_on as foundOn",
  "resolved_on as resolvedOn",
] as const;

/** Compliance findings on a project, open and resolved, newest first. */
export async function listProjectFindings(db: Db, actor: Actor, id: number) {
  const project = await requireProject(db, actor, id);
  return db
    .selectFrom("finding")
    .select(FINDING_COLUMNS)
    .where("regency_code", "=", project.regency_code)
    .where("project_id", "=", project.id)
    .orderBy("found_on", "desc")
    .orderBy("id", "desc")
    .$narrowType<{ summary: Bilingual }>()
    .execute();
}
