import type { Db } from "../../src/db/connection.js";
import type { Project } from "../../src/db/schema.js";
import { addUser } from "../../src/services/accounts.js";
import { type Actor, systemActor } from "../../src/services/actor.js";
import { ensureOrganisation } from "../../src/services/organisations.js";
import { recordPayment } from "../../src/services/payments.js";
import { registerProject } from "../../src/services/projects.js";
import { registerWithBpjs } from "../../src/services/registrations.js";
import type { ProjectInput } from "../../src/services/schemas.js";
import { reportWorkers } from "../../src/services/worker-reports.js";

export const actor = systemActor("test");

/** A signed-in person of a role, for the services' own checks, with any of its fields set. */
export const userActor = (role: Actor["role"], extra: Partial<Actor> = {}): Actor => ({
  kind: "user",
  label: `user:${role}`,
  role,
  organisationId: null,
  regionCode: null,
  userId: null,
  ...extra,
});
export const TODAY = "2026-01-15";

export function projectInput(overrides: Partial<ProjectInput> = {}): ProjectInput {
  return {
    code: "61.03/PUPR/2025/T001",
    name: "Peningkatan Jalan Ruas Kapuas",
    districtCode: "61.03.01",
    workUnitCode: "PUPR",
    contractorNib: "9120001234567",
    contractorName: "CV Karya Kapuas Mandiri",
    fundingSource: "APBD",
    workType: "road",
    contractValue: 2_000_000_000,
    spkDate: "2025-03-03",
    spmkDate: "2025-03-10",
    endDate: "2025-10-31",
    ...overrides,
  };
}

export function createProject(db: Db, overrides: Partial<ProjectInput> = {}): Promise<Project> {
  return registerProject(db, projectInput(overrides), actor);
}

/** Register a project with BPJS on `registeredOn` and pay its whole contribution on `paidOn`. */
export async function registerAndPay(
  db: Db,
  project: Project,
  dates: { registeredOn: string; paidOn: string; reference: string },
) {
  const reg = await registerWithBpjs(
    db,
    project.id,
    { basis: "contract_value", registeredOn: dates.registeredOn },
    actor,
  );
  await recordPayment(
    db,
    project.id,
    { paidOn: dates.paidOn, amount: reg.contribution_amount, reference: dates.reference },
    actor,
  );
  return reg;
}

/** A signed-in user of the project's contractor (penyedia jasa). */
export function addContractorUser(db: Db, project: Project, email: string, password: string) {
  return addUser(
    db,
    {
      email,
      name: "Penyedia",
      role: "contractor",
      organisationId: project.contractor_id,
      regionCode: null,
      password,
    },
    actor,
  );
}

/** A join row for a worker born on 12 March 1985 in Kapuas, serial `n`. */
export function joinRow(n: number, date: string, extra: Record<string, string> = {}) {
  return {
    event: "join",
    nik: `610301120385${String(n).padStart(4, "0")}`,
    name: `Pekerja ${n}`,
    date,
    ...extra,
  };
}

export function leaveRow(n: number, date: string) {
  return { event: "leave", nik: joinRow(n, date).nik, date };
}

export const rows = (raws: Record<string, unknown>[]) => raws.map((raw, i) => ({ row: i + 1, raw }));

let batches = 0;

/** Report worker rows for a project as a new API batch: each call has an idempotency key of its own. */
export function reportRows(db: Db, projectId: number, raws: Record<string, unknown>[]) {
  return reportWorkers(
    db,
    projectId,
    { idempotencyKey: `fixture-${++batches}`, source: "api", rows: rows(raws), today: TODAY },
    actor,
  );
}

/** Sanggau's BPJS branch and prosecutor's office, which the role suites' users belong to. */
export async function sanggauOffices(db: Db): Promise<{ branch: number; enforcer: number }> {
  const office = async (kind: "bpjs_branch" | "enforcer", code: string, name: string) =>
    (await ensureOrganisation(db, { kind, code, name, regencyCode: "61.03" }, actor)).id;
  return {
    branch: await office("bpjs_branch", "BPJS-61.03", "BPJS Sanggau"),
    enforcer: await office("enforcer", "KEJARI", "Kejari"),
  };
}
