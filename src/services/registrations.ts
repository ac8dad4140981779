import { sql, type Transaction } from "kysely";
import type { Db } from "../db/connection.js";
import type { DB, Project, ProjectRegistration, RegistrationClaim } from "../db/schema.js";
import { assertCan, oversees } from "../domain/access.js";
import { contractValueContribution, rateTableFor, wageContribution } from "../domain/contribution.js";
import type { IsoDate } from "../domain/dates.js";
import { DomainError } from "../domain/errors.js";
import { formatDate } from "../domain/format.js";
import { registrationNumber, registrationPeriod } from "../domain/registration.js";
import { assertVisible } from "./access.js";
import type { Actor } from "./actor.js";
import { appendAudit } from "./audit.js";
import { type ClaimView, decideClaim, isoInstant, listClaims, pendingClaim } from "./claims.js";
import { findProject } from "./lookups.js";
import { loadRateTables } from "./rates.js";
import { type RegistrationInput, registrationInput } from "./schemas.js";
import { loadSettings } from "./settings.js";

/**
 * Registration with BPJS (DESIGN §1): a contractor registers its project, the BPJS branch verifies the
 * registration. What a contractor files is a claim that waits in the branch's queue; `project_registration`
 * holds verified registrations only, so coverage, the contribution owed, payments and compliance read one
 * table as before. The branch's own registration is verified as it is entered (once the contractor's
 * filing, if any, is decided). Verified, a registration counts from the day it was filed.
 */
export interface FiledRegistration {
  status: "pending" | "verified";
  registrationNo: string | null;
  /** The contractor's claim, where the registration came as one. */
  claimId: number | null;
  replayed: boolean;
}

/** Register a project as its actor may: the branch's entry is verified at once, a contractor's waits. */
export async function fileRegistration(
  db: Db,
  projectId: number,
  input: RegistrationInput,
  actor: Actor,
): Promise<FiledRegistration> {
  const project = await findProject(db, projectId);
  assertVisible(actor, project, { operate: true });
  if (oversees(actor, project.regency_code)) {
    const registration = await registerWithBpjs(db, projectId, input, actor);
    return {
      status: "verified",
      registrationNo: registration.registration_no,
      claimId: null,
      replayed: false,
    };
  }
  return db.transaction().execute(async (trx) => {
    const locked = await findProject(trx, projectId, { lock: true });
    // Computed as a verification would: what the domain refuses is refused when filing.
    const computed = await computeRegistration(trx, locked, input);
    await assertUnregistered(trx, locked);
    const waiting = await waitingClaim(trx, locked);
    if (waiting) {
      // Sending the same registration again (a double click, a retry) is that one claim.
      if (sameFiling(waiting, input)) {
        return { status: "pending", registrationNo: null, claimId: waiting.id, replayed: true };
      }
      throw pendingRefusal(waiting);
    }
    const created = await trx
      .insertInto("registration_claim")
      .values({
        regency_code: locked.regency_code,
        project_id: locked.id,
        registered_on: input.registeredOn,
        basis: input.basis,
        input: JSON.stringify(input),
        contribution_amount: computed.contribution.total,
        // As filed: the project can be corrected once this is rejected, and the queue shows what was judged.
        contract_value: locked.contract_value,
        spmk_date: locked.spmk_date,
        claimed_by: actor.label,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(trx, actor, {
      action: "registration.claim",
      entity: "registration_claim",
      entityId: created.id,
      after: created,
    });
    return { status: "pending", registrationNo: null, claimId: created.id, replayed: false };
  });
}

/**
 * The branch registers a project with BPJS: compute its contribution with the table in force at the
 * start of work (SPMK), so back-dated projects use the rates of their time, and fix its coverage period.
 * While the project's contractor has a registration waiting, the branch verifies or rejects that one.
 */
export async function registerWithBpjs(
  db: Db,
  projectId: number,
  input: RegistrationInput,
  actor: Actor,
): Promise<ProjectRegistration> {
  return db.transaction().execute(async (trx) => {
    const project = await findProject(trx, projectId, { lock: true });
    assertVisible(actor, project, { operate: true });
    assertCan(oversees(actor, project.regency_code), {
      id: "mendaftarkan proyek ke BPJS (petugas BPJS cabang)",
      en: "to register projects with BPJS (BPJS branch officer)",
    });
    const computed = await computeRegistration(trx, project, input);
    await assertUnregistered(trx, project);
    // The contractor's own filing is decided as filed (verified or rejected), never overwritten by
    // another registration that would then pass for it.
    const waiting = await waitingClaim(trx, project);
    if (waiting) throw pendingRefusal(waiting);
    return writeRegistration(trx, project, input, computed, actor);
  });
}

/**
 * The branch verifies a contractor's registration on `today`: it is written as filed, protecting from the
 * day it was filed. Nothing could be paid into it before today, so its due date counts from today.
 */
export async function verifyRegistrationClaim(db: Db, claimId: number, actor: Actor, today: IsoDate) {
  return db.transaction().execute(async (trx) => {
    const { project, claim } = await pendingClaim(trx, "registration", claimId, actor);
    const input = registrationInput.parse(claim.input);
    // The rate tables and settings are read in this transaction: what is written is what holds now.
    const registration = await writeRegistration(
      trx,
      project,
      input,
      await computeRegistration(trx, project, input, today),
      actor,
    );
    await decideClaim(trx, "registration", claim, { status: "verified" }, actor);
    return { claimId: claim.id, status: "verified" as const, registrationNo: registration.registration_no };
  });
}

/** The branch rejects a registration (wrong basis, wages that do not match the contract), saying why. */
export async function rejectRegistrationClaim(db: Db, claimId: number, reason: string, actor: Actor) {
  return db.transaction().execute(async (trx) => {
    const { claim } = await pendingClaim(trx, "registration", claimId, actor);
    await decideClaim(trx, "registration", claim, { status: "rejected", reason }, actor);
    return { claimId: claim.id, status: "rejected" as const };
  });
}

export interface RegistrationClaimView extends ClaimView {
  contractValue: number;
  spmkDate: string;
  registeredOn: string;
  basis: "contract_value" | "wage";
  contributionAmount: number;
  status: "pending" | "verified" | "rejected";
}

/** Claims the actor may see, by status: the pending ones oldest first (a queue), the decided newest first. */
export function listRegistrationClaims(
  db: Db,
  actor: Actor,
  opts: { status: RegistrationClaimView["status"]; regionCode?: string; limit: number },
): Promise<RegistrationClaimView[]> {
  return listClaims<RegistrationClaimView>(
    db,
    actor,
    "registration",
    opts,
    sql`coalesce(c.contract_value, p.contract_value) as "contractValue",
      coalesce(c.spmk_date, p.spmk_date)::text as "spmkDate",
      c.registered_on::text as "registeredOn", c.basis, c.contribution_amount as "contributionAmount"`,
  );
}

/**
 * A project's registration that is not (yet) one: the claim waiting for the branch, else the last one
 * it rejected (with its reason, for the contractor to file again). Null once registered.
 */
export async function openRegistrationClaim(
  db: Db | Transaction<DB>,
  project: Pick<Project, "regency_code" | "id">,
) {
  const claim = await db
    .selectFrom("registration_claim")
    .select(["id", "status", "registered_on", "contribution_amount", "created_at", "reason"])
    .where("regency_code", "=", project.regency_code)
    .where("project_id", "=", project.id)
    .where("status", "<>", "verified")
    .orderBy(sql`status = 'pending'`, "desc")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  if (!claim) return null;
  return {
    id: claim.id,
    status: claim.status as "pending" | "rejected",
    registeredOn: claim.registered_on,
    contributionAmount: claim.contribution_amount,
    claimedAt: isoInstant(claim.created_at),
    reason: claim.reason,
  };
}

const pendingRefusal = (waiting: RegistrationClaim) =>
  new DomainError(
    "REGISTRATION_PENDING",
    `Pendaftaran proyek ini sudah dikirim ${formatDate(waiting.registered_on)} dan menunggu verifikasi BPJS: verifikasi atau tolak dulu / this project's registration was filed on ${formatDate(waiting.registered_on, "en")} and awaits BPJS verification: verify or reject it first`,
    { claimId: waiting.id },
  );

/** The contractor's registration of a project that waits for the branch, if one does. */
export function waitingClaim(trx: Transaction<DB>, project: Project) {
  return trx
    .selectFrom("registration_claim")
    .selectAll()
    .where("regency_code", "=", project.regency_code)
    .where("project_id", "=", project.id)
    .where("status", "=", "pending")
    .executeTakeFirst();
}

/** Over a project `p`: whether a contractor's registration of it waits for the branch. */
export const REGISTRATION_WAITS = sql<boolean>`exists (select 1 from registration_claim rc
  where rc.regency_code = p.regency_code and rc.project_id = p.id and rc.status = 'pending')`;

type Computed = Awaited<ReturnType<typeof computeRegistration>>;

/** The contribution and coverage period a registration of this project on its date would have. */
async function computeRegistration(
  db: Db | Transaction<DB>,
  project: Project,
  input: RegistrationInput,
  payableFrom: IsoDate = input.registeredOn,
) {
  const [tables, settings] = await Promise.all([loadRateTables(db), loadSettings(db)]);
  const table = rateTableFor(tables, project.spmk_date);
  const contribution =
    input.basis === "wage"
      ? wageContribution(input.wages, input.riskClass, table)
      : contractValueContribution(project.contract_value, table);
  const period = registrationPeriod(
    { spkDate: project.spk_date, endDate: project.end_date },
    input.registeredOn,
    settings.registration,
    payableFrom,
  );
  return { table, contribution, period };
}

/** Refuse once the project is registered with BPJS (verified). */
export async function assertUnregistered(trx: Transaction<DB>, project: Project): Promise<void> {
  const already = await trx
    .selectFrom("project_registration")
    .select("registration_no")
    .where("regency_code", "=", project.regency_code)
    .where("project_id", "=", project.id)
    .executeTakeFirst();
  if (already) {
    throw new DomainError(
      "PROJECT_ALREADY_REGISTERED",
      `Proyek sudah terdaftar (${already.registration_no}) / the project is already registered (${already.registration_no})`,
      {
        registrationNo: already.registration_no,
      },
    );
  }
}

async function writeRegistration(
  trx: Transaction<DB>,
  project: Project,
  input: RegistrationInput,
  { table, contribution, period }: Computed,
  actor: Actor,
): Promise<ProjectRegistration> {
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
}

/** The same registration as a claim filed before: its basis and, on the wage basis, its wages. */
function sameFiling(claim: RegistrationClaim, input: RegistrationInput): boolean {
  const { registeredOn: _filed, ...asked } = input;
  const { registeredOn: _claimed, ...held } = registrationInput.parse(claim.input);
  return JSON.stringify(asked) === JSON.stringify(held);
}
