import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DomainError } from "../../src/domain/errors.js";
import type { Actor } from "../../src/services/actor.js";
import { ensureOrganisation } from "../../src/services/organisations.js";
import { recordPayment } from "../../src/services/payments.js";
import { registerProject } from "../../src/services/projects.js";
import { registerWithBpjs } from "../../src/services/registrations.js";
import type { ProjectInput } from "../../src/services/schemas.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";
import { actor, createProject, projectInput, userActor } from "../support/fixtures.js";

describe.each(backends)("projects and payments [%s]", (backend) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await freshDatabase(backend);
  });
  afterEach(async () => {
    await t.close();
  });

  it("registers a project with its contractor and work unit, and refuses the same code twice", async () => {
    const project = await createProject(t.db);
    expect(project.regency_code).toBe("61.03");
    const orgs = await t.db.selectFrom("organisation").select(["kind", "code"]).orderBy("kind").execute();
    expect(orgs).toEqual([
      { kind: "contractor", code: "9120001234567" },
      { kind: "work_unit", code: "PUPR" },
    ]);
    await expect(createProject(t.db)).rejects.toMatchObject({ code: "PROJECT_EXISTS" });
    expect(await t.db.selectFrom("project").select("id").execute()).toHaveLength(1);
  });

  it("lets the branch file projects in its region only, and says which limit a refusal met", async () => {
    const as = (a: Actor, overrides: Partial<ProjectInput> = {}) =>
      registerProject(t.db, projectInput(overrides), a);
    await expect(as(userActor("bpjs", { regionCode: "61.71" }))).rejects.toMatchObject({
      code: "FORBIDDEN",
      message:
        "Tidak berwenang: mendaftarkan proyek di luar wilayah kerja Anda / Not allowed: to register a project outside your region",
    });
    const own = await as(userActor("bpjs", { regionCode: "61.03" }));
    const contractor = userActor("contractor", { organisationId: own.contractor_id });
    await expect(as(contractor, { code: "T002", contractorNib: "9120000000009" })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message:
        "Tidak berwenang: mendaftarkan proyek milik organisasi lain / Not allowed: to register another organisation's project",
    });
    expect(await as(contractor, { code: "T003" })).toMatchObject({ contractor_id: own.contractor_id });
  });

  it("keeps each regency's work units apart: Sambas's PUPR is not Sanggau's", async () => {
    const sanggau = await createProject(t.db);
    const sambas = await createProject(t.db, { code: "61.01/PUPR/2025/1", districtCode: "61.01.01" });
    expect(sambas.work_unit_id).not.toBe(sanggau.work_unit_id);
    const units = await t.db
      .selectFrom("organisation")
      .select(["id", "code", "regency_code"])
      .where("kind", "=", "work_unit")
      .orderBy("regency_code")
      .execute();
    expect(units).toEqual([
      { id: sambas.work_unit_id, code: "PUPR", regency_code: "61.01" },
      { id: sanggau.work_unit_id, code: "PUPR", regency_code: "61.03" },
    ]);
    // The contractor's NIB stays one contractor wherever it works.
    expect(sambas.contractor_id).toBe(sanggau.contractor_id);
    // Adding a regency's work unit again finds it; another regency's is a new one.
    const again = (regencyCode: string) =>
      ensureOrganisation(t.db, { kind: "work_unit", code: "PUPR", name: "Dinas PUPR", regencyCode }, actor);
    expect(await again("61.01")).toEqual({ id: sambas.work_unit_id, created: false });
    expect(await again("61.02")).toMatchObject({ created: true });
  });

  it("rejects a sub-district that does not exist", async () => {
    await expect(createProject(t.db, { districtCode: "61.03.99" })).rejects.toMatchObject({
      code: "DISTRICT_UNKNOWN",
    });
  });

  it("stores the contribution of DESIGN.md §8's worked example, step by step", async () => {
    const project = await createProject(t.db, { contractValue: 2_000_000_000 });
    const reg = await registerWithBpjs(
      t.db,
      project.id,
      { basis: "contract_value", registeredOn: "2025-03-05" },
      actor,
    );
    expect(reg.contribution_amount).toBe(2_950_000);
    expect(reg.contribution_jkk + reg.contribution_jkm).toBe(2_950_000);
    expect(reg.rate_table_version).toBe("PP44-2015");
    expect(reg.coverage_start).toBe("2025-03-05");
    expect(reg.coverage_end).toBe("2025-10-31");
    expect(reg.due_date).toBe("2025-04-04");
    const computation = reg.computation as { lines: { tier: string; slice: number }[] };
    expect(computation.lines.map((l) => [l.tier, l.slice])).toEqual([
      ["a", 100_000_000],
      ["b", 400_000_000],
      ["c", 500_000_000],
      ["d", 1_000_000_000],
      ["e", 0],
    ]);
    await expect(
      registerWithBpjs(t.db, project.id, { basis: "contract_value", registeredOn: "2025-03-06" }, actor),
    ).rejects.toMatchObject({ code: "PROJECT_ALREADY_REGISTERED" });
  });

  it("uses the relief table for a project that started in the PP 49/2020 period", async () => {
    const project = await createProject(t.db, {
      spkDate: "2020-09-01",
      spmkDate: "2020-09-07",
      endDate: "2021-03-31",
    });
    const reg = await registerWithBpjs(
      t.db,
      project.id,
      { basis: "contract_value", registeredOn: "2020-09-02" },
      actor,
    );
    expect(reg.rate_table_version).toBe("PP49-2020-relief");
    expect(reg.contribution_amount).toBe(29_500);
  });

  it("computes the wage basis from risk class and wages", async () => {
    const project = await createProject(t.db);
    const reg = await registerWithBpjs(
      t.db,
      project.id,
      {
        basis: "wage",
        registeredOn: "2025-03-05",
        riskClass: "very_high",
        wages: [
          { monthlyWage: 3_000_000, months: 6 },
          { monthlyWage: 2_500_000, months: 4 },
        ],
      },
      actor,
    );
    // (18 jt + 10 jt) × 1.74 % = 487,200 JKK; × 0.30 % = 84,000 JKM.
    expect([reg.contribution_jkk, reg.contribution_jkm, reg.contribution_amount]).toEqual([
      487_200, 84_000, 571_200,
    ]);
    expect(reg.basis).toBe("wage");
    expect(reg.risk_class).toBe("very_high");
  });

  it("refuses registration before the SPK and after the contract ended", async () => {
    const project = await createProject(t.db);
    for (const registeredOn of ["2025-03-02", "2025-11-01"]) {
      const attempt = registerWithBpjs(t.db, project.id, { basis: "contract_value", registeredOn }, actor);
      await expect(attempt).rejects.toBeInstanceOf(DomainError);
    }
    expect(await t.db.selectFrom("project_registration").selectAll().execute()).toEqual([]);
  });

  it("records a payment once per reference and refuses a conflicting reuse", async () => {
    const project = await createProject(t.db);
    await expect(
      recordPayment(t.db, project.id, { paidOn: "2025-03-20", amount: 1, reference: "BNI-0" }, actor),
    ).rejects.toMatchObject({ code: "PROJECT_NOT_REGISTERED" });
    // Rp 2.000.000.000 owes Rp 2.950.000 (DESIGN.md §8's worked example).
    await registerWithBpjs(t.db, project.id, { basis: "contract_value", registeredOn: "2025-03-05" }, actor);
    const first = await recordPayment(
      t.db,
      project.id,
      { paidOn: "2025-03-20", amount: 2_950_000, reference: "BNI-1" },
      actor,
    );
    const again = await recordPayment(
      t.db,
      project.id,
      { paidOn: "2025-03-20", amount: 2_950_000, reference: "BNI-1" },
      actor,
    );
    expect(again).toEqual({ status: "confirmed", paymentId: first.paymentId, claimId: null, replayed: true });
    await expect(
      recordPayment(t.db, project.id, { paidOn: "2025-03-21", amount: 1, reference: "BNI-1" }, actor),
    ).rejects.toMatchObject({ code: "PAYMENT_REFERENCE_CONFLICT" });
    expect(await t.db.selectFrom("payment").select("amount").execute()).toEqual([{ amount: 2_950_000 }]);
    await expect(
      recordPayment(t.db, project.id, { paidOn: "2025-03-22", amount: 1, reference: "BNI-2" }, actor),
    ).rejects.toMatchObject({
      code: "PAYMENT_EXCEEDS_OUTSTANDING",
      message: expect.stringContaining("Rp 0"),
      details: { field: "amount", outstanding: 0 },
    });
  });

  it("takes payments in parts up to what is owed, and no rupiah more", async () => {
    const project = await createProject(t.db);
    await registerWithBpjs(t.db, project.id, { basis: "contract_value", registeredOn: "2025-03-05" }, actor);
    await recordPayment(t.db, project.id, { paidOn: "2025-03-20", amount: 2_000_000, reference: "A" }, actor);
    await expect(
      recordPayment(t.db, project.id, { paidOn: "2025-03-21", amount: 950_001, reference: "B" }, actor),
    ).rejects.toMatchObject({
      code: "PAYMENT_EXCEEDS_OUTSTANDING",
      message: expect.stringContaining("Rp 950.000"),
    });
    await recordPayment(t.db, project.id, { paidOn: "2025-03-21", amount: 950_000, reference: "B" }, actor);
    const paid = await t.db.selectFrom("payment").select("amount").orderBy("id").execute();
    expect(paid.map((p) => p.amount)).toEqual([2_000_000, 950_000]);
  });

  it("writes a hash-chained audit row for every change", async () => {
    const project = await createProject(t.db);
    await registerWithBpjs(t.db, project.id, { basis: "contract_value", registeredOn: "2025-03-05" }, actor);
    const audit = await t.db.selectFrom("audit_log").selectAll().orderBy("id").execute();
    expect(audit.map((a) => a.action)).toEqual(["project.create", "project.register_bpjs"]);
    expect(audit[1]?.prev_hash).toBe(audit[0]?.hash);
    expect(audit[0]?.actor).toBe("test");
  });
});
