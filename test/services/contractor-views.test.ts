import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../src/domain/access.js";
import type { Actor } from "../../src/services/actor.js";
import { advanceCase } from "../../src/services/cases.js";
import { runCompliance } from "../../src/services/compliance.js";
import { contractorDetail, listContractors } from "../../src/services/contractor-views.js";
import { ensureOrganisation } from "../../src/services/organisations.js";
import { recordPayment } from "../../src/services/payments.js";
import { listProjectFindings } from "../../src/services/project-views.js";
import { registerWithBpjs } from "../../src/services/registrations.js";
import { reportWorkers } from "../../src/services/worker-reports.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";
import { actor, createProject, joinRow, rows, TODAY } from "../support/fixtures.js";

const D = "2025-06-15";
const ALPHA = { contractorNib: "9120000000001", contractorName: "CV Alpha" };
const BETA = { contractorNib: "9120000000002", contractorName: "CV Beta" };
const GAMMA = { contractorNib: "9120000000003", contractorName: "CV Gamma" };

const as = (role: Role, organisationId: number | null, regionCode: string | null = null): Actor => ({
  kind: "user",
  label: `user:${role}`,
  role,
  organisationId,
  regionCode,
  userId: null,
});

/**
 * CV Alpha: A1 paid (workers 1, 2), A2 unregistered under PERKIM (3–5), A3 unregistered in Sintang (8),
 * A4 registered late but paid (9). CV Beta: B1 in arrears until 2 May (6), so its findings and case are
 * resolved by the second run. CV Gamma: G1 unregistered in Sintang (7). CV Delta has no project.
 */
describe.each(backends)("contractor and finding views [%s]", (backend) => {
  let t: TestDatabase;
  const ids: Record<string, number> = {};
  beforeAll(async () => {
    t = await freshDatabase(backend);
    const small = { contractValue: 100_000_000 }; // an estimated workforce of 1: no under-reporting
    const project = async (code: string, extra: Parameters<typeof createProject>[1], workers: number[]) => {
      const p = await createProject(t.db, { code, name: code, ...small, ...extra });
      await reportWorkers(
        t.db,
        p.id,
        {
          idempotencyKey: code,
          source: "api",
          rows: rows(workers.map((n) => joinRow(n, "2025-04-02"))),
          today: TODAY,
        },
        actor,
      );
      ids[code] = p.id;
      ids[`${code}:contractor`] = p.contractor_id;
      ids[`${code}:workUnit`] = p.work_unit_id as number;
      return p;
    };
    const registerAndPay = async (id: number, registeredOn: string, paidOn: string) => {
      const reg = await registerWithBpjs(t.db, id, { basis: "contract_value", registeredOn }, actor);
      await recordPayment(t.db, id, { paidOn, amount: reg.contribution_amount, reference: `R${id}` }, actor);
    };
    const a1 = await project("A1", ALPHA, [1, 2]);
    await project("A2", { ...ALPHA, workUnitCode: "PERKIM", districtCode: "61.03.20" }, [3, 4, 5]);
    await project("A3", { ...ALPHA, workUnitCode: "DPU-STG", districtCode: "61.05.01" }, [8]);
    const a4 = await project("A4", ALPHA, [9]);
    const b1 = await project("B1", BETA, [6]);
    await project("G1", { ...GAMMA, workUnitCode: "DPU-STG", districtCode: "61.05.02" }, [7]);
    ids.delta = (
      await ensureOrganisation(
        t.db,
        { kind: "contractor", code: "9120000000004", name: "CV Delta", regencyCode: "61.03" },
        actor,
      )
    ).id;
    await registerAndPay(a1.id, "2025-03-05", "2025-03-20");
    await registerAndPay(a4.id, "2025-03-20", "2025-03-25"); // deadline was SPMK, 10 March: late, low
    await registerWithBpjs(t.db, b1.id, { basis: "contract_value", registeredOn: "2025-03-05" }, actor);
    await runCompliance(t.db, { regencyCode: "61.03", date: "2025-05-01" }, actor);
    await recordPayment(t.db, b1.id, { paidOn: "2025-05-02", amount: 240_000, reference: "B1" }, actor);
    await runCompliance(t.db, { regencyCode: "61.03", date: D }, actor);
    await runCompliance(t.db, { regencyCode: "61.05", date: "2025-06-10" }, actor);
    const alphaCase = await t.db
      .selectFrom("enforcement_case")
      .select("id")
      .where("regency_code", "=", "61.03")
      .where("contractor_id", "=", a1.contractor_id)
      .executeTakeFirstOrThrow();
    ids.alphaCase = alphaCase.id;
    await advanceCase(t.db, actor, alphaCase.id, { action: "issue_warning_1", date: "2025-06-16" });
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  const figures = (list: Awaited<ReturnType<typeof listContractors>>) =>
    list.map((c) => [
      c.name,
      c.projects,
      c.activeProjects,
      c.knownWorkers,
      c.protectedWorkers,
      c.openFindings,
      c.blockingFindings,
      c.cleared,
    ]);

  it("lists every contractor to an admin, not cleared first, then by open findings and name", async () => {
    const list = await listContractors(t.db, actor, { date: D });
    expect(figures(list)).toEqual([
      // A2 and A3: unregistered + unprotected workers (blocking); A4: late registration (not blocking).
      ["CV Alpha", 4, 4, 7, 3, 5, 4, false],
      ["CV Gamma", 1, 1, 1, 0, 2, 2, false],
      ["CV Beta", 1, 1, 1, 1, 0, 0, true],
      ["CV Delta", 0, 0, 0, 0, 0, 0, true],
    ]);
    expect(list[0]).toMatchObject({ id: ids["A1:contractor"], nib: "9120000000001", regencyCode: "61.03" });
    // Alpha has a case in each regency; the Sanggau one has a deadline, so it comes first.
    expect(list[0]?.openCase).toEqual({
      id: ids.alphaCase,
      step: "warning_1",
      deadline: "2025-06-26",
      overdue: false,
    });
    expect(list[1]?.openCase).toMatchObject({ step: "open", deadline: null, overdue: false });
    expect(list[2]?.openCase).toBeNull();
    const later = await listContractors(t.db, actor, { date: "2025-07-01" });
    expect(later[0]?.openCase).toMatchObject({ id: ids.alphaCase, overdue: true });
    // Before anyone joined, no worker is known; the projects were not working yet either.
    const before = await listContractors(t.db, actor, { date: "2025-03-01" });
    expect(before.map((c) => [c.name, c.activeProjects, c.knownWorkers])).toEqual([
      ["CV Alpha", 0, 0],
      ["CV Gamma", 0, 0],
      ["CV Beta", 0, 0],
      ["CV Delta", 0, 0],
    ]);
  });

  it("searches by name or NIB, case-insensitively", async () => {
    const names = async (q: string) =>
      (await listContractors(t.db, actor, { q, date: D })).map((c) => c.name);
    expect(await names("BETA")).toEqual(["CV Beta"]);
    expect(await names("0000003")).toEqual(["CV Gamma"]);
    expect(await names("cv")).toHaveLength(4);
    expect(await names("nobody")).toEqual([]);
  });

  it("counts for each role only the contractors, projects, findings and cases it may see", async () => {
    const alpha = ids["A1:contractor"] as number;
    const own = await listContractors(t.db, as("contractor", alpha), { date: D });
    expect(figures(own)).toEqual([["CV Alpha", 4, 4, 7, 3, 5, 4, false]]);
    expect(
      figures(await listContractors(t.db, as("contractor", ids["B1:contractor"] as number), { date: D })),
    ).toEqual([["CV Beta", 1, 1, 1, 1, 0, 0, true]]);

    // The BPJS officer of Sanggau sees neither Sintang's project nor its findings. Cleared is still the
    // clearance answer, which weighs every open finding.
    const sanggau = await listContractors(t.db, as("bpjs", null, "61.03"), { date: D });
    expect(figures(sanggau)).toEqual([
      ["CV Alpha", 3, 3, 6, 3, 3, 2, false],
      ["CV Beta", 1, 1, 1, 1, 0, 0, true],
    ]);
    expect(sanggau[0]?.openCase?.id).toBe(ids.alphaCase);
    const sintang = await listContractors(t.db, as("bpjs", null, "61.05"), { date: D });
    expect(figures(sintang)).toEqual([
      ["CV Alpha", 1, 1, 1, 0, 2, 2, false],
      ["CV Gamma", 1, 1, 1, 0, 2, 2, false],
    ]);
    expect(sintang[0]?.openCase).toMatchObject({ step: "open", deadline: null });

    // PUPR owns A1, A4 and B1: Alpha's blocking findings are on PERKIM's and Sintang's projects.
    const pupr = await listContractors(t.db, as("opd", ids["A1:workUnit"] as number), { date: D });
    expect(figures(pupr)).toEqual([
      ["CV Alpha", 2, 2, 3, 3, 1, 0, false],
      ["CV Beta", 1, 1, 1, 1, 0, 0, true],
    ]);
    expect(await listContractors(t.db, as("enforcer", null), { date: D })).toEqual([]);
  });

  it("details a contractor with all its findings and cases, newest first", async () => {
    const alpha = await contractorDetail(t.db, actor, ids["A1:contractor"] as number, D);
    expect(alpha).toMatchObject({ name: "CV Alpha", openFindings: 5, cleared: false });
    expect(alpha.findings.map((f) => [f.rule, f.projectName, f.foundOn])).toEqual([
      ["UNPROTECTED_WORKERS", "A3", "2025-06-10"],
      ["UNREGISTERED", "A3", "2025-06-10"],
      ["LATE_REGISTRATION", "A4", "2025-05-01"],
      ["UNPROTECTED_WORKERS", "A2", "2025-05-01"],
      ["UNREGISTERED", "A2", "2025-05-01"],
    ]);
    expect(alpha.findings[3]).toMatchObject({
      projectId: ids.A2,
      severity: "medium",
      status: "open",
      resolvedOn: null,
      summary: { en: "3 workers on project A2 unprotected for more than 7 days" },
    });
    expect(alpha.findings[3]?.legalBasis).toContain("UU 24/2011");
    expect(alpha.cases.map((c) => [c.step, c.status, c.openedOn, c.deadline])).toEqual([
      ["open", "open", "2025-06-10", null],
      ["warning_1", "open", "2025-05-01", "2025-06-26"],
    ]);

    const beta = await contractorDetail(t.db, actor, ids["B1:contractor"] as number, D);
    expect(beta).toMatchObject({ cleared: true, openFindings: 0, openCase: null });
    expect(beta.findings.map((f) => [f.rule, f.status, f.resolvedOn])).toEqual([
      ["UNPROTECTED_WORKERS", "resolved", D],
      ["ARREARS", "resolved", D],
    ]);
    expect(beta.cases).toEqual([
      {
        id: expect.any(Number),
        step: "resolved",
        status: "closed",
        openedOn: "2025-05-01",
        deadline: null,
        resolution: expect.objectContaining({ resolvedOn: D, by: "compliance run" }),
      },
    ]);

    const sanggau = await contractorDetail(
      t.db,
      as("bpjs", null, "61.03"),
      ids["A1:contractor"] as number,
      D,
    );
    expect(sanggau.findings.map((f) => f.projectName)).toEqual(["A4", "A2", "A2"]);
    expect(sanggau.cases.map((c) => c.id)).toEqual([ids.alphaCase]);
  });

  it("answers not found for a contractor the actor may not see, or an organisation that is no contractor", async () => {
    const beta = ids["B1:contractor"] as number;
    const gamma = ids["G1:contractor"] as number;
    const notFound = { code: "ORGANISATION_NOT_FOUND" };
    await expect(contractorDetail(t.db, as("contractor", beta), gamma, D)).rejects.toMatchObject(notFound);
    await expect(
      contractorDetail(t.db, as("opd", ids["A1:workUnit"] as number), gamma, D),
    ).rejects.toMatchObject(notFound);
    await expect(contractorDetail(t.db, as("bpjs", null, "61.03"), gamma, D)).rejects.toMatchObject(notFound);
    await expect(contractorDetail(t.db, actor, ids["A1:workUnit"] as number, D)).rejects.toMatchObject(
      notFound,
    );
    await expect(contractorDetail(t.db, as("contractor", beta), beta, D)).resolves.toMatchObject({
      name: "CV Beta",
    });
  });

  it("lists a project's findings, newest first, only to those who may see the project", async () => {
    const a2 = await listProjectFindings(t.db, actor, ids.A2 as number);
    expect(a2.map((f) => [f.rule, f.severity, f.status, f.foundOn, f.resolvedOn])).toEqual([
      ["UNPROTECTED_WORKERS", "medium", "open", "2025-05-01", null],
      ["UNREGISTERED", "high", "open", "2025-05-01", null],
    ]);
    expect(a2[0]?.evidence).toMatchObject({ projectCode: "A2", workers: 3, projectStatus: "unregistered" });
    expect(a2[0]?.summary.id).toContain("3 pekerja");
    expect(a2[1]?.legalBasis).toContain("Permenaker 44/2015");
    const b1 = await listProjectFindings(
      t.db,
      as("contractor", ids["B1:contractor"] as number),
      ids.B1 as number,
    );
    expect(b1.map((f) => [f.rule, f.status, f.resolvedOn])).toEqual([
      ["UNPROTECTED_WORKERS", "resolved", D],
      ["ARREARS", "resolved", D],
    ]);
    expect(await listProjectFindings(t.db, actor, ids.A1 as number)).toEqual([]);
    const notFound = { code: "PROJECT_NOT_FOUND" };
    await expect(
      listProjectFindings(t.db, as("contractor", ids["B1:contractor"] as number), ids.A2 as number),
    ).rejects.toMatchObject(notFound);
    await expect(
      listProjectFindings(t.db, as("opd", ids["A1:workUnit"] as number), ids.A2 as number),
    ).rejects.toMatchObject(notFound);
    await expect(
      listProjectFindings(t.db, as("bpjs", null, "61.03"), ids.A3 as number),
    ).rejects.toMatchObject(notFound);
  });
});
