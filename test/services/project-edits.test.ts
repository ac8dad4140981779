import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Project } from "../../src/db/schema.js";
import type { Actor } from "../../src/services/actor.js";
import { runCompliance } from "../../src/services/compliance.js";
import { coverageBreakdown } from "../../src/services/coverage.js";
import { editProject } from "../../src/services/projects.js";
import {
  fileRegistration,
  listRegistrationClaims,
  rejectRegistrationClaim,
  verifyRegistrationClaim,
} from "../../src/services/registrations.js";
import type { ProjectEdit } from "../../src/services/schemas.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";
import {
  actor,
  createProject,
  joinRow,
  leaveRow,
  projectInput,
  reportRows,
  userActor,
} from "../support/fixtures.js";

const FILED = "2025-03-05";

/** The fixture project's data (test/support/fixtures.ts) as an edit, with changes. */
function edit(changes: Partial<ProjectEdit> = {}): ProjectEdit {
  const { code: _code, contractorNib: _nib, contractorName: _name, ...data } = projectInput();
  return { ...data, ...changes };
}

describe.each(backends)("correcting a project's data before registration [%s]", (backend) => {
  let t: TestDatabase;
  let project: Project;
  let contractor: Actor;
  const branch = userActor("bpjs", { label: "user:bpjs", regionCode: "61.03" });
  const stored = () =>
    t.db.selectFrom("project").selectAll().where("id", "=", project.id).executeTakeFirstOrThrow();

  beforeEach(async () => {
    t = await freshDatabase(backend);
    project = await createProject(t.db);
    contractor = userActor("contractor", { label: "user:penyedia", organisationId: project.contractor_id });
  });
  afterEach(async () => {
    await t.close();
  });

  it("lets the contractor fix the contract value the branch rejected, and file again at the new value", async () => {
    const filed = await fileRegistration(
      t.db,
      project.id,
      { basis: "contract_value", registeredOn: FILED },
      contractor,
    );
    await rejectRegistrationClaim(t.db, filed.claimId as number, "Nilai kontrak tidak sesuai SPK", branch);

    const edited = await editProject(t.db, project.id, edit({ contractValue: 1_000_000_000 }), contractor);
    // The rejected filing still shows what the branch judged: the value it was filed with.
    const [rejected] = await listRegistrationClaims(t.db, branch, { status: "rejected", limit: 10 });
    expect(rejected).toMatchObject({
      contractValue: 2_000_000_000,
      spmkDate: "2025-03-10",
      contributionAmount: 2_950_000,
    });
    expect(edited).toMatchObject({ id: project.id, code: project.code, contract_value: 1_000_000_000 });
    expect(edited.edited_at).toBeInstanceOf(Date);
    expect(project.edited_at).toBeNull();

    const again = await fileRegistration(
      t.db,
      project.id,
      { basis: "contract_value", registeredOn: FILED },
      contractor,
    );
    const claim = await t.db
      .selectFrom("registration_claim")
      .select("contribution_amount")
      .where("id", "=", again.claimId as number)
      .executeTakeFirstOrThrow();
    // DESIGN §8's tiers: Rp 1 miliar is 0,24 % of the first 100 juta, 0,19 % of the next 400, 0,15 % of the rest.
    expect(claim.contribution_amount).toBe(240_000 + 760_000 + 750_000);

    const audit = await t.db
      .selectFrom("audit_log")
      .select(["actor", "before", "after"])
      .where("action", "=", "project.edit")
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor: "user:penyedia",
      before: expect.objectContaining({ contract_value: 2_000_000_000 }),
      after: expect.objectContaining({ contract_value: 1_000_000_000 }),
    });
  });

  it("refuses while a registration waits for the branch, and once it is registered", async () => {
    const filed = await fileRegistration(
      t.db,
      project.id,
      { basis: "contract_value", registeredOn: FILED },
      contractor,
    );
    await expect(editProject(t.db, project.id, edit({ contractValue: 1 }), contractor)).rejects.toMatchObject(
      {
        code: "REGISTRATION_PENDING",
        details: { claimId: filed.claimId },
      },
    );
    await verifyRegistrationClaim(t.db, filed.claimId as number, branch, "2025-03-06");
    await expect(editProject(t.db, project.id, edit({ contractValue: 1 }), branch)).rejects.toMatchObject({
      code: "PROJECT_ALREADY_REGISTERED",
    });
    expect((await stored()).contract_value).toBe(2_000_000_000);
  });

  it("keeps the regency, a known sub-district, and every worker already reported inside the period", async () => {
    await reportRows(t.db, project.id, [
      joinRow(1, "2025-04-01"),
      joinRow(2, "2025-04-07"),
      leaveRow(2, "2025-06-30"),
    ]);
    await expect(
      editProject(t.db, project.id, edit({ districtCode: "61.01.01" }), branch),
    ).rejects.toMatchObject({
      code: "PROJECT_REGENCY_FIXED",
      details: { field: "districtCode" },
    });
    await expect(
      editProject(t.db, project.id, edit({ districtCode: "61.03.99" }), branch),
    ).rejects.toMatchObject({
      code: "DISTRICT_UNKNOWN",
      details: { field: "districtCode" },
    });
    await expect(
      editProject(t.db, project.id, edit({ spkDate: "2025-04-01", spmkDate: "2025-04-02" }), contractor),
    ).rejects.toMatchObject({
      code: "PERIOD_EXCLUDES_REPORTS",
      message: expect.stringContaining("sejak 1 April 2025"),
      details: { field: "spmkDate" },
    });
    await expect(
      editProject(t.db, project.id, edit({ endDate: "2025-06-29" }), contractor),
    ).rejects.toMatchObject({
      code: "PERIOD_EXCLUDES_REPORTS",
      message: expect.stringContaining("sampai 30 Juni 2025"),
      details: { field: "endDate" },
    });
    expect(await stored()).toEqual(project);
    // The reports' own days are inside: accepted.
    const fitted = await editProject(
      t.db,
      project.id,
      edit({ spkDate: "2025-04-01", spmkDate: "2025-04-01", endDate: "2025-06-30" }),
      contractor,
    );
    expect(fitted).toMatchObject({ spmk_date: "2025-04-01", end_date: "2025-06-30" });
  });

  it("lets only those who could have filed it correct it, and a work unit keeps its own packages", async () => {
    const other = userActor("contractor", { organisationId: project.contractor_id + 1000 });
    await expect(editProject(t.db, project.id, edit(), other)).rejects.toMatchObject({
      code: "PROJECT_NOT_FOUND",
    });
    const elsewhere = userActor("bpjs", { regionCode: "61.71" });
    await expect(editProject(t.db, project.id, edit(), elsewhere)).rejects.toMatchObject({
      code: "PROJECT_NOT_FOUND",
    });
    const unit = userActor("opd", { organisationId: project.work_unit_id as number });
    await expect(editProject(t.db, project.id, edit({ workUnitCode: "DINKES" }), unit)).rejects.toMatchObject(
      {
        code: "FORBIDDEN",
        message:
          "Tidak berwenang: menyerahkan paket ini kepada OPD lain / Not allowed: to hand this package to another work unit",
      },
    );
    expect(await editProject(t.db, project.id, edit({ name: "Jalan Ruas Kapuas Hulu" }), unit)).toMatchObject(
      {
        name: "Jalan Ruas Kapuas Hulu",
        work_unit_id: project.work_unit_id,
      },
    );
    // The branch names another work unit of the regency, new ones included (procurement data).
    const moved = await editProject(t.db, project.id, edit({ workUnitCode: "DINKES" }), branch);
    const dinkes = await t.db
      .selectFrom("organisation")
      .select(["id", "regency_code"])
      .where("kind", "=", "work_unit")
      .where("code", "=", "DINKES")
      .executeTakeFirstOrThrow();
    expect(moved.work_unit_id).toBe(dinkes.id);
    expect(dinkes.regency_code).toBe("61.03");
    // A code typed in another case names the same work unit, not a new one.
    const back = await editProject(t.db, project.id, edit({ workUnitCode: "pupr" }), branch);
    expect(back.work_unit_id).toBe(project.work_unit_id);
  });

  it("moves the project's workers in the kept coverage, and the next compliance run judges it again", async () => {
    await reportRows(t.db, project.id, [joinRow(1, "2025-04-01")]);
    const q = { scope: "region" as const, id: "61.03", date: "2025-04-30" };
    const byDistrict = async () =>
      (await coverageBreakdown(t.db, q, "district", actor)).map((r) => [r.key, r.known]);
    expect(await byDistrict()).toEqual([["61.03.01", 1]]);
    await editProject(t.db, project.id, edit({ districtCode: "61.03.20" }), branch);
    expect(await byDistrict()).toEqual([["61.03.20", 1]]);

    // A package typed as starting in September, with no finding yet on 2 June; created long before.
    const later = await createProject(t.db, {
      code: "61.03/PUPR/2025/T002",
      spkDate: "2025-01-02",
      spmkDate: "2025-09-01",
      endDate: "2025-12-31",
    });
    await sql`update project set created_at = now() - interval '1 day' where id = ${later.id}`.execute(t.db);
    await runCompliance(t.db, { regencyCode: "61.03", date: "2025-06-02" }, actor);
    const findings = () =>
      t.db
        .selectFrom("finding")
        .select("rule")
        .where("project_id", "=", later.id)
        .where("status", "=", "open")
        .execute();
    expect(await findings()).toEqual([]);
    // Its SPMK was really 3 February: an incremental run the next day finds it working unregistered.
    await editProject(
      t.db,
      later.id,
      edit({ spkDate: "2025-01-02", spmkDate: "2025-02-03", endDate: "2025-12-31" }),
      branch,
    );
    const run = await runCompliance(t.db, { regencyCode: "61.03", date: "2025-06-03" }, actor);
    expect(run.mode).toBe("incremental");
    expect((await findings()).map((f) => f.rule)).toContain("UNREGISTERED");
  });
});
