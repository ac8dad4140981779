import { type SqlBool, sql, type Transaction } from "kysely";
import type { Db } from "../db/connection.js";
import type { DB } from "../db/schema.js";
import { assertCan } from "../domain/access.js";
import { isBlocking } from "../domain/clearance.js";
import type { IsoDate } from "../domain/dates.js";
import { type Bilingual, DomainError, notFound } from "../domain/errors.js";
import {
  assertOutcome,
  availableActions,
  type CaseAction,
  type CaseStep,
  isOverdue,
  transition,
} from "../domain/escalation.js";
import { displayName, regencyGovernment } from "../domain/regions.js";
import { type LetterFacts, type LetterKind, renderLetter } from "../reports/letters.js";
import { regencyWithin } from "./access.js";
import type { Actor } from "./actor.js";
import { appendAudit } from "./audit.js";
import { branchName, whoIs } from "./lookups.js";
import { FINDING_COLUMNS } from "./project-views.js";

/**
 * Enforcement cases (kasus): who sees them — BPJS officers those of their region, enforcers those
 * referred to them, admins all — and moving them along the ladder with their letters.
 */
function caseVisibility(actor: Actor) {
  switch (actor.role) {
    case "admin":
    case "system":
      return sql<SqlBool>`true`;
    case "bpjs":
      return regencyWithin(sql`c.regency_code`, actor.regionCode);
    case "enforcer":
      return sql<SqlBool>`c.referred_to = ${actor.organisationId ?? -1}`;
    default:
      return sql<SqlBool>`false`;
  }
}

export interface CaseSummary {
  id: number;
  regencyCode: string;
  contractorId: number;
  contractor: string;
  step: CaseStep;
  status: "open" | "closed";
  openedOn: string;
  deadline: string | null;
  overdue: boolean;
  hasArrears: boolean;
  findings: number;
  actions: CaseAction[];
}

/** The day of a case `c`'s last step, or of its opening (CaseState.since). */
const CASE_SINCE = sql<string>`(select greatest(c.opened_on, max(s.taken_on)) from case_step s
  where s.regency_code = c.regency_code and s.case_id = c.id)::text`;

export async function listCases(
  db: Db,
  actor: Actor,
  today: IsoDate,
  opts: { status?: "open" | "closed" } = {},
): Promise<CaseSummary[]> {
  const rows = await sql<{
    id: number;
    regency_code: string;
    contractor_id: number;
    contractor: string;
    step: CaseStep;
    status: "open" | "closed";
    opened_on: string;
    deadline: string | null;
    has_arrears: boolean;
    since: string;
    findings: number;
  }>`
    select c.id, c.regency_code, c.contractor_id, o.name as contractor, c.step, c.status, c.opened_on, c.deadline, c.has_arrears,
      ${CASE_SINCE} as since,
      (select count(*)::int from finding f where f.regency_code = c.regency_code and f.case_id = c.id and f.status = 'open') as findings
    from enforcement_case c join organisation o on o.id = c.contractor_id
    where ${caseVisibility(actor)} ${opts.status ? sql`and c.status = ${opts.status}` : sql``}
    order by (c.deadline is not null and c.deadline < ${today}::date and c.status = 'open') desc, c.deadline nulls last, c.id`.execute(
    db,
  );
  return rows.rows.map((r) => {
    const state = { step: r.step, deadline: r.deadline, hasArrears: r.has_arrears, since: r.since };
    return {
      id: r.id,
      regencyCode: r.regency_code,
      contractorId: r.contractor_id,
      contractor: r.contractor,
      step: r.step,
      status: r.status,
      openedOn: r.opened_on,
      deadline: r.deadline,
      overdue: isOverdue(state, today),
      hasArrears: r.has_arrears,
      findings: r.findings,
      actions: r.status === "open" ? availableActions(state, today) : [],
    };
  });
}

async function requireCase(db: Db, actor: Actor, id: number, today: IsoDate): Promise<CaseSummary> {
  const found = (await listCases(db, actor, today)).find((c) => c.id === id);
  if (!found) throw notFound("CASE_NOT_FOUND", { id: "Kasus", en: "Case" }, id);
  return found;
}

export async function caseDetail(db: Db, actor: Actor, id: number, today: IsoDate) {
  const summary = await requireCase(db, actor, id, today);
  const [steps, findings, letters] = await Promise.all([
    db
      .selectFrom("case_step")
      // Who took each step, by name (DESIGN: every step has its actor).
      .select([
        "step",
        whoIs(sql.ref("actor")).as("actor"),
        "taken_on as takenOn",
        "deadline",
        "document_no as documentNo",
        "note",
      ])
      .where("regency_code", "=", summary.regencyCode)
      .where("case_id", "=", id)
      .orderBy("id")
      .execute(),
    db
      .selectFrom("finding")
      .select(FINDING_COLUMNS)
      .where("regency_code", "=", summary.regencyCode)
      .where("case_id", "=", id)
      .orderBy("id")
      .execute(),
    db
      .selectFrom("case_letter")
      .select(["id", "step", "number", "issued_on as issuedOn"])
      .where("regency_code", "=", summary.regencyCode)
      .where("case_id", "=", id)
      .orderBy("id")
      .execute(),
  ]);
  return { ...summary, steps, findings, letters };
}

const LETTER_CODES: Record<LetterKind, string> = {
  warning_1: "TEG-I",
  warning_2: "TEG-II",
  sanction_recommended: "REK-SANKSI",
  referred: "SKK-JPN",
};
const ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"];

/**
 * Move a case one step. BPJS officers and admins escalate and resolve; the enforcer a case was
 * referred to records its outcome by closing it. Letter steps generate and store their PDF.
 */
export async function advanceCase(
  db: Db,
  actor: Actor,
  id: number,
  input: { action: CaseAction; date: IsoDate; note?: string },
): Promise<{ step: CaseStep; deadline: string | null; letterId: number | null }> {
  const current = await requireCase(db, actor, id, input.date);
  const enforcerMay = actor.role === "enforcer" && input.action === "close";
  assertCan(actor.role === "bpjs" || actor.role === "admin" || actor.role === "system" || enforcerMay, {
    id: "memproses kasus ini",
    en: "to act on this case",
  });
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom("enforcement_case as c")
      .selectAll()
      .select(CASE_SINCE.as("since"))
      .where("regency_code", "=", current.regencyCode)
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const next = transition(
      { step: row.step as CaseStep, deadline: row.deadline, hasArrears: row.has_arrears, since: row.since },
      input.action,
      input.date,
    );
    assertOutcome(input.action, input.note);
    let referredTo = row.referred_to;
    if (input.action === "refer_to_prosecutor") {
      const enforcer = await trx
        .selectFrom("organisation")
        .select("id")
        .where("kind", "=", "enforcer")
        .where("regency_code", "=", row.regency_code)
        .orderBy("id")
        .executeTakeFirst();
      if (!enforcer)
        throw new DomainError(
          "ENFORCER_MISSING",
          `Belum ada Kejaksaan untuk wilayah ${row.regency_code} / no prosecutor's office is registered for region ${row.regency_code}`,
        );
      referredTo = enforcer.id;
    }
    const terminal = next.to === "resolved" || next.to === "closed";
    await trx
      .updateTable("enforcement_case")
      .set({
        step: next.to,
        deadline: next.deadline,
        status: terminal ? "closed" : "open",
        referred_to: referredTo,
        ...(input.action === "close" ? { outcome: input.note ?? null } : {}),
        ...(input.action === "resolve"
          ? {
              resolution: JSON.stringify({
                resolvedOn: input.date,
                by: actor.label,
                note: input.note ?? null,
              }),
            }
          : {}),
      })
      .where("regency_code", "=", row.regency_code)
      .where("id", "=", id)
      .execute();

    let letterId: number | null = null;
    let documentNo: string | null = null;
    if (next.to in LETTER_CODES) {
      const kind = next.to as LetterKind;
      await sql`select pg_advisory_xact_lock(7270003, hashtext(${row.regency_code}))`.execute(trx);
      const year = Number(input.date.slice(0, 4));
      const seq =
        Number(
          (
            await trx
              .selectFrom("case_letter")
              .select(trx.fn.countAll().as("n"))
              .where("regency_code", "=", row.regency_code)
              .where("issued_on", ">=", `${year}-01-01`)
              .where("issued_on", "<=", `${year}-12-31`)
              .executeTakeFirstOrThrow()
          ).n,
        ) + 1;
      documentNo = `${String(seq).padStart(4, "0")}/${LETTER_CODES[kind]}/BPJSTK-${row.regency_code.replace(".", "")}/${ROMAN[Number(input.date.slice(5, 7)) - 1]}/${year}`;
      const pdf = await renderLetter(
        await letterFacts(
          trx as unknown as Db,
          row.regency_code,
          row.contractor_id,
          id,
          kind,
          documentNo,
          input.date,
          next.deadline,
        ),
      );
      const letter = await trx
        .insertInto("case_letter")
        .values({
          regency_code: row.regency_code,
          case_id: id,
          step: kind,
          number: documentNo,
          issued_on: input.date,
          pdf,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      letterId = letter.id;
    }
    await trx
      .insertInto("case_step")
      .values({
        regency_code: row.regency_code,
        case_id: id,
        step: next.to,
        actor: actor.label,
        taken_on: input.date,
        deadline: next.deadline,
        document_no: documentNo,
        note: input.note ?? null,
      })
      .execute();
    await appendAudit(trx, actor, {
      action: `case.${input.action}`,
      entity: "enforcement_case",
      entityId: id,
      before: { step: row.step, deadline: row.deadline },
      after: { step: next.to, deadline: next.deadline, documentNo },
    });
    return { step: next.to, deadline: next.deadline, letterId };
  });
}

/** Findings grouped by their project, in the order first found; a contractor-wide one under the contractor. */
function byProject(
  findings: { evidence: unknown; legal_basis: string; summary: unknown }[],
): LetterFacts["findings"] {
  const groups = new Map<string, LetterFacts["findings"][number]>();
  for (const f of findings) {
    const e = f.evidence as { projectCode?: string; projectName?: string };
    const key = e.projectCode ?? "";
    const group = groups.get(key) ?? {
      code: e.projectCode ?? null,
      name: e.projectCode ? String(e.projectName ?? "") : "Seluruh proyek penyedia jasa",
      items: [],
    };
    // A repeat offender's count names its projects, some of which may have no finding listed here.
    const projects = (f.evidence as { projects?: unknown }).projects;
    const listed = Array.isArray(projects) ? `: ${projects.join(", ")}` : "";
    group.items.push({ description: `${(f.summary as Bilingual).id}${listed}`, legalBasis: f.legal_basis });
    groups.set(key, group);
  }
  return [...groups.values()];
}

async function letterFacts(
  db: Db | Transaction<DB>,
  regencyCode: string,
  contractorId: number,
  caseId: number,
  kind: LetterKind,
  number: string,
  issuedOn: IsoDate,
  deadline: IsoDate | null,
) {
  const [contractor, regency, branch, prosecutor, findings] = await Promise.all([
    db
      .selectFrom("organisation")
      .select(["name", "code"])
      .where("id", "=", contractorId)
      .executeTakeFirstOrThrow(),
    db.selectFrom("region").select("name").where("code", "=", regencyCode).executeTakeFirstOrThrow(),
    branchName(db, regencyCode),
    // The office the case is referred to (set by the step this letter records).
    db
      .selectFrom("enforcement_case as c")
      .innerJoin("organisation as o", "o.id", "c.referred_to")
      .select("o.name")
      .where("c.regency_code", "=", regencyCode)
      .where("c.id", "=", caseId)
      .executeTakeFirst(),
    db
      .selectFrom("finding")
      .select([
        "rule",
        "severity",
        "evidence",
        "legal_basis",
        "summary",
        sql<IsoDate>`coalesce(last_seen_on, found_on)::text`.as("seen"),
      ])
      .where("regency_code", "=", regencyCode)
      .where("case_id", "=", caseId)
      .where("status", "=", "open")
      .orderBy("id")
      .execute(),
  ]);
  const regencyName = displayName(regency.name);
  const government = regencyGovernment(regencyName);
  // The prosecutor is asked to collect arrears (DESIGN.md §2), so a referral lists those alone, where the
  // other letters list every finding that blocks the contractor.
  const blocking = findings.filter((f) => isBlocking(f) && (kind !== "referred" || f.rule === "ARREARS"));
  const evidence = (f: (typeof findings)[number]) => f.evidence as Record<string, number | string>;
  return {
    kind,
    number,
    issuedOn,
    branchName: branch,
    regencyName,
    addressee:
      kind === "sanction_recommended"
        ? `${government.head} ${government.place}`
        : kind === "referred"
          ? `Kepala ${prosecutor?.name ?? `Kejaksaan Negeri ${government.place}`}`
          : `Pimpinan ${contractor.name}`,
    prosecutor: prosecutor?.name ?? null,
    contractor,
    findings: byProject(blocking),
    checkedOn: blocking.reduce<IsoDate | null>((last, f) => (last && last > f.seen ? last : f.seen), null),
    unprotectedWorkers: blocking
      .filter((f) => f.rule === "UNPROTECTED_WORKERS")
      .reduce((s, f) => s + Number(evidence(f).workers ?? 0), 0),
    arrears: blocking
      .filter((f) => f.rule === "ARREARS")
      .reduce((s, f) => s + Number(evidence(f).outstanding ?? 0), 0),
    deadline,
  };
}

export async function letterPdf(db: Db, actor: Actor, caseId: number, letterId: number, today: IsoDate) {
  const c = await requireCase(db, actor, caseId, today);
  const letter = await db
    .selectFrom("case_letter")
    .select(["number", "pdf"])
    .where("regency_code", "=", c.regencyCode)
    .where("case_id", "=", caseId)
    .where("id", "=", letterId)
    .executeTakeFirst();
  if (!letter) throw notFound("LETTER_NOT_FOUND", { id: "Surat", en: "Letter" }, letterId);
  return { number: letter.number, pdf: Buffer.from(letter.pdf) };
}

/** Open findings that stop a work unit from releasing the contractor's next instalment (termin). */
export async function clearance(db: Db, actor: Actor, contractorId: number, date: IsoDate) {
  assertCan(["opd", "bpjs", "admin", "system"].includes(actor.role), {
    id: "menanyakan izin pembayaran",
    en: "to ask for payment clearance",
  });
  // A work unit may ask about any contractor (DESIGN §2); a branch officer only about one working in its
  // region, the branch's districts (§1), like every other view of it.
  const contractor = await db
    .selectFrom("organisation as o")
    .select(["o.id", "o.name", "o.code"])
    .where("o.id", "=", contractorId)
    .where("o.kind", "=", "contractor")
    .$if(actor.role === "bpjs", (q) =>
      q.where(
        sql<SqlBool>`exists (select 1 from project p where p.contractor_id = o.id
          and ${regencyWithin(sql`p.regency_code`, actor.regionCode)})`,
      ),
    )
    .executeTakeFirst();
  if (!contractor)
    throw notFound("ORGANISATION_NOT_FOUND", { id: "Penyedia jasa", en: "Contractor" }, contractorId);
  const open = await db
    .selectFrom("finding")
    .select([
      "id",
      "rule",
      "severity",
      "regency_code as regencyCode",
      "evidence",
      "legal_basis as legalBasis",
      "summary",
      "found_on as foundOn",
    ])
    .where("contractor_id", "=", contractorId)
    .where("status", "=", "open")
    .orderBy("id")
    .execute();
  const blocking = open.filter(isBlocking);
  // Arrears the contractor says it has paid: the work unit should know the branch holds the answer.
  const waiting = await db
    .selectFrom("payment_claim as c")
    .innerJoin("project as p", (j) =>
      j.onRef("p.regency_code", "=", "c.regency_code").onRef("p.id", "=", "c.project_id"),
    )
    .select(sql<number>`coalesce(sum(c.amount), 0)::bigint`.as("amount"))
    .where("p.contractor_id", "=", contractorId)
    .where("c.status", "=", "pending")
    .executeTakeFirstOrThrow();
  return {
    contractorId: contractor.id,
    contractor: contractor.name,
    nib: contractor.code,
    date,
    cleared: blocking.length === 0,
    reasons: blocking,
    awaitingConfirmation: waiting.amount,
  };
}

/** Overdue steps: the BPJS officer's task list. */
export async function overdueTasks(db: Db, actor: Actor, today: IsoDate) {
  return (await listCases(db, actor, today, { status: "open" })).filter((c) => c.overdue);
}
