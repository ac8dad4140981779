import ExcelJS from "exceljs";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/http/app.js";
import { addUser } from "../../src/services/accounts.js";
import { setTarget } from "../../src/services/coverage.js";
import { ensureOrganisation } from "../../src/services/organisations.js";
import { reportWorkers } from "../../src/services/worker-reports.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";
import { actor, createProject, joinRow, registerAndPay, rows, TODAY } from "../support/fixtures.js";

const PASSWORD = "monev-pass-123";
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

describe.each(backends)("GET /api/v1/reports/monev [%s]", (backend) => {
  let t: TestDatabase;
  let app: FastifyInstance;
  const cookie: Record<string, string> = {};
  beforeAll(async () => {
    t = await freshDatabase(backend);
    const branch = (
      await ensureOrganisation(
        t.db,
        {
          kind: "bpjs_branch",
          code: "BPJS-SGU",
          name: "BPJS Ketenagakerjaan Cabang Sanggau",
          regencyCode: "61.03",
        },
        actor,
      )
    ).id;
    const paid = await createProject(t.db, { code: "P1" });
    const silent = await createProject(t.db, {
      code: "P2",
      contractorNib: "9120000000002",
      contractorName: "CV B",
    });
    await registerAndPay(t.db, paid, { registeredOn: "2025-03-05", paidOn: "2025-03-20", reference: "R1" });
    for (const [p, n] of [
      [paid.id, 1],
      [silent.id, 2],
    ] as const) {
      await reportWorkers(
        t.db,
        p,
        { idempotencyKey: `k${p}`, source: "api", rows: rows([joinRow(n, "2025-04-01")]), today: TODAY },
        actor,
      );
    }
    await setTarget(
      t.db,
      { scope: "region", id: "61.03", year: 2025, targetBp: 5865, source: "test" },
      actor,
    );
    const users = [
      { email: "bpjs@monev.test", role: "bpjs", organisationId: branch, regionCode: "61.03" },
      { email: "bpjs-other@monev.test", role: "bpjs", organisationId: branch, regionCode: "61.05" },
      { email: "opd@monev.test", role: "opd", organisationId: paid.work_unit_id, regionCode: null },
      { email: "admin@monev.test", role: "admin", organisationId: null, regionCode: null },
    ] as const;
    for (const u of users) await addUser(t.db, { ...u, name: u.email, password: PASSWORD }, actor);
    app = await buildApp({ db: t.db, config: { logLevel: "silent" }, today: () => "2025-07-30" });
    for (const u of users) {
      const res = await app.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        payload: { email: u.email, password: PASSWORD },
      });
      cookie[u.email.split("@")[0] as string] = String(res.headers["set-cookie"]).split(";")[0] as string;
    }
  }, 60_000);
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  const get = (who: string, query: string) =>
    app.inject({
      method: "GET",
      url: `/api/v1/reports/monev?${query}`,
      headers: { cookie: cookie[who] as string },
    });

  it("sends the XLSX by default, as an attachment named after region and period", async () => {
    const res = await get("bpjs", "region=61.03&period=2025-07");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe(XLSX);
    expect(res.headers["content-disposition"]).toBe('attachment; filename="monev-61.03-2025-07.xlsx"');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const values = (wb.getWorksheet("Ringkasan") as ExcelJS.Worksheet).getColumn(2).values;
    // Two workers known, one protected: 50 %, target 58.65 % → gap ceil(1.173) − 1 = 1.
    expect(values).toEqual(expect.arrayContaining(["Kabupaten Sanggau", 2, 1, 50, 58.65]));
  });

  it("sends the PDF on format=pdf", async () => {
    const res = await get("admin", "region=61.03&period=2025-06&format=pdf");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("application/pdf");
    expect(res.headers["content-disposition"]).toBe('attachment; filename="monev-61.03-2025-06.pdf"');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe("%PDF-");
  });

  it("refuses other regions' officers, other roles, anonymous callers and bad queries as problems", async () => {
    expect((await get("bpjs-other", "region=61.03&period=2025-07")).statusCode).toBe(403);
    expect((await get("opd", "region=61.03&period=2025-07")).statusCode).toBe(403);
    const anonymous = await app.inject({
      method: "GET",
      url: "/api/v1/reports/monev?region=61.03&period=2025-07",
    });
    expect(anonymous.statusCode).toBe(401);
    const bad = await get("bpjs", "region=61.03&period=2025-7&format=docx");
    expect(bad.statusCode).toBe(400);
    expect(bad.headers["content-type"]).toContain("application/problem+json");
    expect(
      bad
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(["querystring.format", "querystring.period"]);
    const future = await get("admin", "region=61.03&period=2025-08");
    expect(future.statusCode).toBe(422);
    expect(future.json().code).toBe("PERIOD_IN_FUTURE");
    expect(future.json().title).toBe(
      "Periode Agustus 2025 belum dimulai pada 30 Juli 2025 / August 2025 has not begun on 30 July 2025",
    );
  });
});
