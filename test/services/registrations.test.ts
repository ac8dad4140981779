import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Project } from "../../src/db/schema.js";
import type { Actor } from "../../src/services/actor.js";
import { coverageAt, setTarget } from "../../src/services/coverage.js";
import { recordPayment } from "../../src/services/payments.js";
import { planCoverage } from "../../src/services/planner.js";
import { certificate } from "../../src/services/project-views.js";
import {
  fileRegistration,
  listRegistrationClaims,
  registerWithBpjs,
  rejectRegistrationClaim,
  verifyRegistrationClaim,
} from "../../src/services/registrations.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";
import { actor, createProject, joinRow, reportRows, userActor } from "../support/fixtures.js";

// Filed 5 March 2025 (before work starts on 10 March): due 4 April, so on 2 April the grace protects.
const FILED = "2025-03-05";
const D = "2025-04-02";
const OWED = 2_950_000; // DESIGN §8's worked example: Rp 2 miliar

describe.each(backends)("registrations verified by the branch [%s]", (backend) => {
  let t: TestDatabase;
  let project: Project;
  let contractor: Actor;
  const branch = userActor("bpjs", { label: "user:bpjs", regionCode: "61.03" });
  const file = (who: Actor, registeredOn = FILED) =>
    fileRegistration(t.db, project.id, { basis: "contract_value", registeredOn }, who);
  const protectedOn = async (date: string) =>
    (await coverageAt(t.db, { scope: "project", id: String(project.id), date }, actor)).protected;
  const registrations = () => t.db.selectFrom("project_registration").selectAll().execute();

  beforeEach(async () => {
    t = await freshDatabase(backend);
    project = await createProject(t.db);
    contractor = userActor("contractor", { label: "user:penyedia", organisationId: project.contractor_id });
    await reportRows(t.db, project.id, [joinRow(1, "2025-04-01"), joinRow(2, "2025-04-01")]);
  });
  afterEach(async () => {
    await t.close();
  });

  it("registers a contractor's project only once the branch verifies it, from the day it was filed", async () => {
    const filed = await file(contractor);
    expect(filed).toMatchObject({ status: "pending", registrationNo: null, replayed: false });
    expect(await registrations()).toEqual([]);
    expect(await protectedOn(D)).toBe(0);
    expect(await certificate(t.db, contractor, project.id, D)).toMatchObject({
      registrationNo: null,
      status: "unregistered",
      registrationClaim: {
        id: filed.claimId,
        status: "pending",
        registeredOn: FILED,
        contributionAmount: OWED,
        reason: null,
      },
    });
    // Nothing is paid into a registration that is not yet one.
    await expect(
      recordPayment(t.db, project.id, { paidOn: FILED, amount: OWED, reference: "BNI-1" }, contractor),
    ).rejects.toMatchObject({ code: "PROJECT_NOT_REGISTERED" });
    // The plan asks the branch to verify, not the contractor to register.
    await setTarget(t.db, { scope: "region", id: "61.03", year: 2025, targetBp: 9000, source: "t" }, actor);
    const plan = await planCoverage(t.db, { scope: "region", id: "61.03", date: D }, branch);
    expect(plan.actions).toEqual([expect.objectContaining({ projectId: project.id, steps: ["verify"] })]);

    const queue = await listRegistrationClaims(t.db, branch, { status: "pending", limit: 10 });
    expect(queue).toEqual([
      expect.objectContaining({
        id: filed.claimId,
        projectCode: project.code,
        contractValue: 2_000_000_000,
        spmkDate: "2025-03-10",
        registeredOn: FILED,
        basis: "contract_value",
        contributionAmount: OWED,
        claimedBy: "user:penyedia",
      }),
    ]);

    const verified = await verifyRegistrationClaim(t.db, filed.claimId as number, branch, FILED);
    expect(verified).toMatchObject({ status: "verified", claimId: filed.claimId });
    expect(await registrations()).toEqual([
      expect.objectContaining({
        registration_no: verified.registrationNo,
        registered_on: FILED,
        contribution_amount: OWED,
        due_date: "2025-04-04",
      }),
    ]);
    expect(await protectedOn(D)).toBe(2);
    expect(await certificate(t.db, contractor, project.id, D)).toMatchObject({
      registeredOn: FILED,
      status: "grace",
      registrationClaim: null,
    });
    expect(await listRegistrationClaims(t.db, branch, { status: "pending", limit: 10 })).toEqual([]);
    expect(await listRegistrationClaims(t.db, contractor, { status: "verified", limit: 10 })).toEqual([
      expect.objectContaining({ id: filed.claimId, decidedBy: "user:bpjs" }),
    ]);
    // Decided once: a second decision is refused, and filing again finds the project registered.
    await expect(verifyRegistrationClaim(t.db, filed.claimId as number, branch, FILED)).rejects.toMatchObject(
      {
        code: "REGISTRATION_CLAIM_DECIDED",
      },
    );
    await expect(file(contractor)).rejects.toMatchObject({ code: "PROJECT_ALREADY_REGISTERED" });

    const audit = await t.db
      .selectFrom("audit_log")
      .select(["action", "actor"])
      .where("action", "like", "%regist%")
      .orderBy("id")
      .execute();
    expect(audit).toEqual([
      { action: "registration.claim", actor: "user:penyedia" },
      { action: "project.register_bpjs", actor: "user:bpjs" },
      { action: "registration.verify", actor: "user:bpjs" },
    ]);
  });

  it("keeps one claim per project: a resend is that claim, another registration waits its turn", async () => {
    const first = await file(contractor);
    expect(await file(contractor)).toEqual({ ...first, replayed: true });
    await expect(
      fileRegistration(
        t.db,
        project.id,
        {
          basis: "wage",
          registeredOn: FILED,
          riskClass: "high",
          wages: [{ monthlyWage: 3_000_000, months: 6 }],
        },
        contractor,
      ),
    ).rejects.toMatchObject({ code: "REGISTRATION_PENDING", details: { claimId: first.claimId } });
    // What the domain refuses at registration is refused when filing, not only at verification.
    await expect(file(contractor, "2025-02-01")).rejects.toMatchObject({ code: "REGISTRATION_BEFORE_SPK" });
  });

  it("tells the contractor why a registration was rejected, and takes the next one", async () => {
    const filed = await file(contractor);
    await rejectRegistrationClaim(t.db, filed.claimId as number, "Nilai kontrak tidak sesuai SPK", branch);
    expect(await registrations()).toEqual([]);
    expect((await certificate(t.db, contractor, project.id, D)).registrationClaim).toMatchObject({
      id: filed.claimId,
      status: "rejected",
      reason: "Nilai kontrak tidak sesuai SPK",
    });
    const again = await file(contractor, "2025-03-06");
    expect(again).toMatchObject({ status: "pending", replayed: false });
    expect(again.claimId).not.toBe(filed.claimId);
    expect((await certificate(t.db, contractor, project.id, D)).registrationClaim).toMatchObject({
      id: again.claimId,
      status: "pending",
    });
  });

  it("registers the branch's own entry at once, but not over a contractor's filing that waits", async () => {
    const filed = await file(contractor);
    // The filing is decided as filed, never replaced by another registration that would pass for it.
    await expect(
      fileRegistration(t.db, project.id, { basis: "contract_value", registeredOn: "2025-03-04" }, branch),
    ).rejects.toMatchObject({ code: "REGISTRATION_PENDING", details: { claimId: filed.claimId } });
    await rejectRegistrationClaim(t.db, filed.claimId as number, "Didaftarkan langsung di loket", branch);
    const direct = await fileRegistration(
      t.db,
      project.id,
      { basis: "contract_value", registeredOn: "2025-03-04" },
      branch,
    );
    expect(direct).toMatchObject({ status: "verified", claimId: null });
    expect(await registrations()).toEqual([
      expect.objectContaining({ registered_on: "2025-03-04", due_date: "2025-04-03" }),
    ]);
  });

  it("counts the due date from the verification: nothing could be paid before it", async () => {
    const filed = await file(contractor);
    // Verified on 20 April, 46 days after the filing: due 20 May, so still in grace, not in arrears.
    await verifyRegistrationClaim(t.db, filed.claimId as number, branch, "2025-04-20");
    expect(await registrations()).toEqual([
      expect.objectContaining({ registered_on: FILED, coverage_start: FILED, due_date: "2025-05-20" }),
    ]);
    expect(await certificate(t.db, contractor, project.id, "2025-04-20")).toMatchObject({ status: "grace" });
    expect(await protectedOn("2025-04-20")).toBe(2);
  });

  it("lets only the branch of the project's region decide, and nobody register around it", async () => {
    const filed = await file(contractor);
    const id = filed.claimId as number;
    const elsewhere = userActor("bpjs", { regionCode: "61.05" });
    await expect(verifyRegistrationClaim(t.db, id, elsewhere, FILED)).rejects.toMatchObject({
      code: "REGISTRATION_CLAIM_NOT_FOUND",
    });
    expect(await listRegistrationClaims(t.db, elsewhere, { status: "pending", limit: 10 })).toEqual([]);
    await expect(verifyRegistrationClaim(t.db, id, contractor, FILED)).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(rejectRegistrationClaim(t.db, id, "tidak", contractor)).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(
      registerWithBpjs(t.db, project.id, { basis: "contract_value", registeredOn: FILED }, contractor),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await registrations()).toEqual([]);
    const other = userActor("contractor", { organisationId: project.contractor_id + 1000 });
    expect(await listRegistrationClaims(t.db, other, { status: "pending", limit: 10 })).toEqual([]);
  });
});
