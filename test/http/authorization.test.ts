import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance, InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/http/app.js";
import { addUser, createApiToken } from "../../src/services/accounts.js";
import { advanceCase } from "../../src/services/cases.js";
import { runCompliance } from "../../src/services/compliance.js";
import { ensureOrganisation } from "../../src/services/organisations.js";
import { recordPayment } from "../../src/services/payments.js";
import { fileRegistration, registerWithBpjs } from "../../src/services/registrations.js";
import { reportWorkers } from "../../src/services/worker-reports.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";
import { actor, createProject, joinRow, rows, sanggauOffices, TODAY } from "../support/fixtures.js";

/**
 * Every route × every role, as DESIGN.md §1 and the API issue specify. A route that the app registers
 * without a row here fails the first test, so no endpoint can be added without deciding who may use it.
 * The app is built as `pantau serve` builds it, dashboard included, so the routes that serving the
 * dashboard adds are in the list too.
 */
type Who = "anonymous" | "contractor" | "opd" | "bpjs" | "enforcer" | "admin";
const WHO: Who[] = ["anonymous", "contractor", "opd", "bpjs", "enforcer", "admin"];
const PASSWORD = "matrix-pass-123";

interface Ctx {
  app: FastifyInstance;
  t: TestDatabase;
  cookie: Record<Who, string | undefined>;
  contractorA: number;
  contractorB: number;
  projectA: number;
  projectB: number;
  batchA: number;
  webRoot: string;
  tokens: Record<Who, number>;
  fresh: Record<Who, number>;
  /** A user per role for the admin's access changes, so that none of the matrix's own users is touched. */
  spare: Record<Who, number>;
  /** Two pending payment claims per role, one to confirm and one to reject. */
  claims: Record<Who, [number, number]>;
  /** Two pending registrations per role, one to verify and one to reject. */
  filings: Record<Who, [number, number]>;
  cases: Record<Who, number>;
  letterCase: number;
  letterId: number;
}

type Row = {
  request: (c: Ctx, who: Who) => Promise<InjectOptions> | InjectOptions;
  expect: Record<Who, number>;
};

/** Expected status for anonymous, then the five roles. */
const all = (n: number): Record<Who, number> => ({
  anonymous: n,
  contractor: n,
  opd: n,
  bpjs: n,
  enforcer: n,
  admin: n,
});
const signedIn = (n: number) => ({ ...all(n), anonymous: 401 });
const only = (n: number, ...roles: Who[]): Record<Who, number> =>
  Object.fromEntries(WHO.map((w) => [w, w === "anonymous" ? 401 : roles.includes(w) ? n : 403])) as Record<
    Who,
    number
  >;
const READERS: Who[] = ["contractor", "opd", "bpjs", "admin"];
const OPERATORS: Who[] = ["contractor", "bpjs", "admin"];

function multipart(csv: string): Pick<InjectOptions, "headers" | "payload"> {
  const boundary = "----pantau-matrix";
  return {
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
    payload: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="pekerja.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`,
  };
}

const MATRIX: Record<string, Row> = {
  "GET /health": { request: () => ({ method: "GET", url: "/health" }), expect: all(200) },
  // The dashboard's files and, for any other path outside /api, its index.html (src/http/web.ts).
  "GET /*": { request: () => ({ method: "GET", url: "/proyek/42" }), expect: all(200) },
  "GET /openapi.json": { request: () => ({ method: "GET", url: "/openapi.json" }), expect: all(200) },
  "POST /api/v1/auth/login": {
    // Without the role's cookie: signing in ends the session the browser came with (no fixation).
    request: () => ({
      method: "POST",
      url: "/api/v1/auth/login",
      headers: { cookie: "" },
      payload: { email: "admin@matrix.test", password: PASSWORD },
    }),
    expect: all(200),
  },
  "POST /api/v1/auth/logout": {
    // A throw-away session, so logging out does not end the one the other rows use.
    request: async (c, who) => {
      if (who === "anonymous") return { method: "POST", url: "/api/v1/auth/logout" };
      const res = await c.app.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        payload: { email: `${who}@matrix.test`, password: PASSWORD },
      });
      return {
        method: "POST",
        url: "/api/v1/auth/logout",
        headers: { cookie: String(res.headers["set-cookie"]).split(";")[0] },
      };
    },
    expect: signedIn(204),
  },
  "GET /api/v1/me": { request: () => ({ method: "GET", url: "/api/v1/me" }), expect: signedIn(200) },
  "GET /api/v1/organisations": {
    request: () => ({ method: "GET", url: "/api/v1/organisations" }),
    expect: only(200, ...READERS),
  },
  "GET /api/v1/regions": {
    request: () => ({ method: "GET", url: "/api/v1/regions?q=balai" }),
    expect: signedIn(200),
  },
  "GET /api/v1/regions/:code": {
    request: () => ({ method: "GET", url: "/api/v1/regions/61.03" }),
    expect: signedIn(200),
  },
  "POST /api/v1/organisations": {
    request: (_c, who) => ({
      method: "POST",
      url: "/api/v1/organisations",
      payload: { kind: "work_unit", code: `OPD-${who}`, name: `OPD ${who}`, regencyCode: "61.03" },
    }),
    expect: only(201, "admin"),
  },
  "GET /api/v1/users": {
    request: () => ({ method: "GET", url: "/api/v1/users" }),
    expect: only(200, "admin"),
  },
  "POST /api/v1/users": {
    request: (_c, who) => ({
      method: "POST",
      url: "/api/v1/users",
      payload: {
        email: `new-${who}@matrix.test`,
        name: "Baru",
        role: "admin",
        organisationId: null,
        regionCode: null,
        password: PASSWORD,
      },
    }),
    expect: only(201, "admin"),
  },
  "POST /api/v1/users/:id/disable": {
    request: (c, who) => ({ method: "POST", url: `/api/v1/users/${c.spare[who]}/disable` }),
    expect: only(200, "admin"),
  },
  "POST /api/v1/users/:id/enable": {
    request: (c, who) => ({ method: "POST", url: `/api/v1/users/${c.spare[who]}/enable` }),
    expect: only(200, "admin"),
  },
  "POST /api/v1/users/:id/password": {
    request: (c, who) => ({
      method: "POST",
      url: `/api/v1/users/${c.spare[who]}/password`,
      payload: { password: "another-pass-456" },
    }),
    expect: only(200, "admin"),
  },
  "GET /api/v1/organisations/:id/tokens": {
    request: (c) => ({ method: "GET", url: `/api/v1/organisations/${c.contractorA}/tokens` }),
    expect: only(200, "contractor", "admin"),
  },
  "POST /api/v1/organisations/:id/tokens": {
    request: (c) => ({
      method: "POST",
      url: `/api/v1/organisations/${c.contractorA}/tokens`,
      payload: { name: "erp" },
    }),
    expect: only(201, "contractor", "admin"),
  },
  "DELETE /api/v1/tokens/:id": {
    request: (c, who) => ({ method: "DELETE", url: `/api/v1/tokens/${c.tokens[who]}` }),
    expect: only(204, "contractor", "admin"),
  },
  "GET /api/v1/projects": {
    request: () => ({ method: "GET", url: "/api/v1/projects?q=jalan" }),
    expect: only(200, ...READERS),
  },
  "POST /api/v1/projects": {
    request: (_c, who) => ({
      method: "POST",
      url: "/api/v1/projects",
      payload: {
        code: `NEW-${who}`,
        name: "Pembangunan Jembatan",
        districtCode: "61.03.02",
        workUnitCode: "PUPR",
        contractorNib: "9120000000001",
        contractorName: "CV A",
        fundingSource: "APBD",
        workType: "road",
        contractValue: 500_000_000,
        spkDate: "2025-05-01",
        spmkDate: "2025-05-05",
        endDate: "2025-11-30",
      },
    }),
    expect: only(201, "contractor", "opd", "bpjs", "admin"),
  },
  "GET /api/v1/projects/:id": {
    request: (c) => ({ method: "GET", url: `/api/v1/projects/${c.projectA}` }),
    expect: only(200, ...READERS),
  },
  // Before the registration row: a project's data is corrected while it is unregistered.
  "PUT /api/v1/projects/:id": {
    request: (c, who) => ({
      method: "PUT",
      url: `/api/v1/projects/${c.fresh[who]}`,
      payload: {
        name: `Gedung (diperbaiki oleh ${who})`,
        districtCode: "61.03.02",
        workUnitCode: "PUPR",
        fundingSource: "APBD",
        workType: "building",
        contractValue: 750_000_000,
        spkDate: "2025-05-01",
        spmkDate: "2025-05-05",
        endDate: "2026-12-31",
      },
    }),
    expect: only(200, "contractor", "opd", "bpjs", "admin"),
  },
  "POST /api/v1/projects/:id/registration": {
    request: (c, who) => ({
      method: "POST",
      url: `/api/v1/projects/${c.fresh[who]}/registration`,
      payload: { basis: "contract_value", registeredOn: TODAY },
    }),
    expect: only(201, ...OPERATORS),
  },
  "GET /api/v1/projects/:id/certificate": {
    request: (c) => ({ method: "GET", url: `/api/v1/projects/${c.projectA}/certificate` }),
    expect: only(200, ...READERS),
  },
  // Project A's contribution is not paid in full, so its certificate is not issued: every reader is told so.
  "GET /api/v1/projects/:id/certificate.pdf": {
    request: (c) => ({ method: "GET", url: `/api/v1/projects/${c.projectA}/certificate.pdf` }),
    expect: only(409, ...READERS),
  },
  "GET /api/v1/projects/:id/workers": {
    request: (c) => ({ method: "GET", url: `/api/v1/projects/${c.projectA}/workers` }),
    expect: only(200, ...READERS),
  },
  "GET /api/v1/projects/:id/findings": {
    request: (c) => ({ method: "GET", url: `/api/v1/projects/${c.projectA}/findings` }),
    expect: only(200, ...READERS),
  },
  "GET /api/v1/projects/:id/payments": {
    request: (c) => ({ method: "GET", url: `/api/v1/projects/${c.projectA}/payments` }),
    expect: only(200, ...READERS),
  },
  "POST /api/v1/projects/:id/payments": {
    request: (c, who) => ({
      method: "POST",
      url: `/api/v1/projects/${c.projectA}/payments`,
      payload: { paidOn: "2025-04-01", amount: 1000, reference: `REF-${who}` },
    }),
    expect: only(201, ...OPERATORS),
  },
  "GET /api/v1/payment-claims": {
    request: () => ({ method: "GET", url: "/api/v1/payment-claims?status=pending&region=61.03" }),
    expect: only(200, ...OPERATORS),
  },
  "POST /api/v1/payment-claims/:id/confirm": {
    request: (c, who) => ({ method: "POST", url: `/api/v1/payment-claims/${c.claims[who][0]}/confirm` }),
    expect: only(200, "bpjs", "admin"),
  },
  "POST /api/v1/payment-claims/:id/reject": {
    request: (c, who) => ({
      method: "POST",
      url: `/api/v1/payment-claims/${c.claims[who][1]}/reject`,
      payload: { reason: "Tidak ditemukan di rekening" },
    }),
    expect: only(200, "bpjs", "admin"),
  },
  "GET /api/v1/registration-claims": {
    request: () => ({ method: "GET", url: "/api/v1/registration-claims?status=pending&region=61.03" }),
    expect: only(200, ...OPERATORS),
  },
  "POST /api/v1/registration-claims/:id/verify": {
    request: (c, who) => ({ method: "POST", url: `/api/v1/registration-claims/${c.filings[who][0]}/verify` }),
    expect: only(200, "bpjs", "admin"),
  },
  "POST /api/v1/registration-claims/:id/reject": {
    request: (c, who) => ({
      method: "POST",
      url: `/api/v1/registration-claims/${c.filings[who][1]}/reject`,
      payload: { reason: "Nilai kontrak tidak sesuai SPK" },
    }),
    expect: only(200, "bpjs", "admin"),
  },
  "POST /api/v1/projects/:id/reports": {
    request: (c, who) => ({
      method: "POST",
      url: `/api/v1/projects/${c.projectA}/reports`,
      headers: { "idempotency-key": `matrix-${who}-key` },
      payload: { events: [joinRow(100 + WHO.indexOf(who), "2025-04-01")] },
    }),
    expect: only(200, ...OPERATORS),
  },
  "POST /api/v1/projects/:id/uploads": {
    request: (c, who) => ({
      method: "POST",
      url: `/api/v1/projects/${c.projectA}/uploads`,
      ...multipart(
        `nik,nama,peristiwa,tanggal\n${joinRow(200 + WHO.indexOf(who), "").nik},Upload,masuk,2025-04-02\n`,
      ),
    }),
    expect: only(200, ...OPERATORS),
  },
  "GET /api/v1/projects/:id/reports/:batchId/errors.csv": {
    request: (c) => ({ method: "GET", url: `/api/v1/projects/${c.projectA}/reports/${c.batchA}/errors.csv` }),
    expect: only(200, ...OPERATORS),
  },
  "GET /api/v1/projects/:id/reports/:batchId/errors.xlsx": {
    request: (c) => ({
      method: "GET",
      url: `/api/v1/projects/${c.projectA}/reports/${c.batchA}/errors.xlsx`,
    }),
    expect: only(200, ...OPERATORS),
  },
  "GET /api/coverage": {
    request: () => ({ method: "GET", url: "/api/coverage?region=61.03&date=2025-06-01" }),
    expect: all(200),
  },
  "GET /api/v1/coverage": {
    request: () => ({
      method: "GET",
      url: "/api/v1/coverage?scope=region&id=61.03&date=2025-06-01&by=project",
    }),
    expect: only(200, ...READERS),
  },
  "GET /api/v1/coverage/gap-projects": {
    request: () => ({
      method: "GET",
      url: "/api/v1/coverage/gap-projects?scope=region&id=61.03&date=2025-06-01&limit=5",
    }),
    expect: only(200, ...READERS),
  },
  "GET /api/v1/coverage/plan": {
    request: () => ({ method: "GET", url: "/api/v1/coverage/plan?scope=region&id=61.03&date=2025-06-01" }),
    expect: only(200, ...READERS),
  },
  "GET /api/v1/targets": {
    request: () => ({ method: "GET", url: "/api/v1/targets" }),
    expect: only(200, "opd", "bpjs", "admin"),
  },
  "PUT /api/v1/targets": {
    request: () => ({
      method: "PUT",
      url: "/api/v1/targets",
      payload: { scope: "region", id: "61.03", year: 2025, percent: 58.65 },
    }),
    expect: only(204, "bpjs", "admin"),
  },
  "GET /api/v1/reports/monev": {
    request: (_c, who) => ({
      method: "GET",
      url: `/api/v1/reports/monev?region=61.03&period=2025-06&format=${who === "admin" ? "pdf" : "xlsx"}`,
    }),
    expect: only(200, "bpjs", "admin"),
  },
  "POST /api/v1/compliance/runs": {
    request: () => ({
      method: "POST",
      url: "/api/v1/compliance/runs",
      payload: { regencyCode: "61.03", date: "2025-06-01" },
    }),
    expect: only(200, "bpjs", "admin"),
  },
  "GET /api/v1/cases": {
    request: () => ({ method: "GET", url: "/api/v1/cases" }),
    expect: only(200, "bpjs", "enforcer", "admin"),
  },
  "GET /api/v1/tasks": {
    request: () => ({ method: "GET", url: "/api/v1/tasks" }),
    expect: only(200, "bpjs", "admin"),
  },
  "GET /api/v1/cases/:id": {
    request: (c) => ({ method: "GET", url: `/api/v1/cases/${c.letterCase}` }),
    // An enforcer sees only cases referred to it: this one is not, so it does not exist for them.
    expect: { ...only(200, "bpjs", "admin"), enforcer: 404 },
  },
  "POST /api/v1/cases/:id/actions": {
    request: (c, who) => ({
      method: "POST",
      url: `/api/v1/cases/${c.cases[who]}/actions`,
      payload: { action: "issue_warning_1", date: "2025-06-02" },
    }),
    expect: { ...only(200, "bpjs", "admin"), enforcer: 404 },
  },
  "GET /api/v1/cases/:id/letters/:letterId": {
    request: (c) => ({ method: "GET", url: `/api/v1/cases/${c.letterCase}/letters/${c.letterId}` }),
    expect: { ...only(200, "bpjs", "admin"), enforcer: 404 },
  },
  "GET /api/v1/contractors": {
    request: () => ({ method: "GET", url: "/api/v1/contractors?q=cv&date=2025-06-01" }),
    expect: only(200, ...READERS),
  },
  "GET /api/v1/contractors/:id": {
    request: (c) => ({ method: "GET", url: `/api/v1/contractors/${c.contractorA}?date=2025-06-01` }),
    expect: only(200, ...READERS),
  },
  "GET /api/v1/contractors/:id/clearance": {
    request: (c) => ({ method: "GET", url: `/api/v1/contractors/${c.contractorA}/clearance` }),
    expect: only(200, "opd", "bpjs", "admin"),
  },
  "GET /api/v1/clearance": {
    request: () => ({ method: "GET", url: "/api/v1/clearance?nib=9120000000001" }),
    expect: only(200, "opd", "bpjs", "admin"),
  },
  "POST /api/v1/public/check": {
    request: () => ({
      method: "POST",
      url: "/api/v1/public/check",
      payload: { nik: joinRow(1, "").nik, birthDate: "1985-03-12" },
    }),
    expect: all(200),
  },
};

describe.each(backends)("authorisation matrix [%s]", (backend) => {
  const c = {} as Ctx;
  beforeAll(async () => {
    c.t = await freshDatabase(backend);
    const db = c.t.db;
    const { branch, enforcer } = await sanggauOffices(db);
    await ensureOrganisation(
      db,
      { kind: "work_unit", code: "PUPR", name: "Dinas PUPR", regencyCode: "61.03" },
      actor,
    );
    const a = await createProject(db, {
      code: "PA",
      name: "Jalan A",
      contractorNib: "9120000000001",
      contractorName: "CV A",
      workUnitCode: "PUPR",
    });
    const b = await createProject(db, {
      code: "PB",
      name: "Jalan B",
      contractorNib: "9120000000002",
      contractorName: "CV B",
      workUnitCode: "PERKIM",
    });
    c.projectA = a.id;
    c.projectB = b.id;
    c.contractorA = a.contractor_id;
    c.contractorB = b.contractor_id;
    await registerWithBpjs(db, a.id, { basis: "contract_value", registeredOn: "2025-03-05" }, actor);
    const batch = await reportWorkers(
      db,
      a.id,
      {
        idempotencyKey: "seed",
        source: "api",
        rows: rows([joinRow(1, "2025-04-01"), { event: "join", nik: "1" }]),
        today: TODAY,
      },
      actor,
    );
    c.batchA = batch.batchId;
    await reportWorkers(
      db,
      b.id,
      { idempotencyKey: "seed", source: "api", rows: rows([joinRow(2, "2025-04-01")]), today: TODAY },
      actor,
    );
    const users: [Who, Parameters<typeof addUser>[1]][] = [
      [
        "admin",
        {
          email: "admin@matrix.test",
          name: "Admin",
          role: "admin",
          organisationId: null,
          regionCode: null,
          password: PASSWORD,
        },
      ],
      [
        "bpjs",
        {
          email: "bpjs@matrix.test",
          name: "BPJS",
          role: "bpjs",
          organisationId: branch,
          regionCode: "61.03",
          password: PASSWORD,
        },
      ],
      [
        "opd",
        {
          email: "opd@matrix.test",
          name: "PUPR",
          role: "opd",
          organisationId: a.work_unit_id,
          regionCode: null,
          password: PASSWORD,
        },
      ],
      [
        "contractor",
        {
          email: "contractor@matrix.test",
          name: "CV A",
          role: "contractor",
          organisationId: a.contractor_id,
          regionCode: null,
          password: PASSWORD,
        },
      ],
      [
        "enforcer",
        {
          email: "enforcer@matrix.test",
          name: "Jaksa",
          role: "enforcer",
          organisationId: enforcer,
          regionCode: null,
          password: PASSWORD,
        },
      ],
    ];
    for (const [, u] of users) await addUser(db, u, actor);
    await addUser(
      db,
      {
        email: "bpjs-other@matrix.test",
        name: "BPJS Sintang",
        role: "bpjs",
        organisationId: branch,
        regionCode: "61.05",
        password: PASSWORD,
      },
      actor,
    );
    const penyedia = {
      ...actor,
      kind: "user" as const,
      role: "contractor" as const,
      organisationId: a.contractor_id,
    };
    c.claims = {} as Record<Who, [number, number]>;
    for (const who of WHO) {
      const claim = async (n: number) =>
        (
          await recordPayment(
            db,
            a.id,
            { paidOn: "2025-04-01", amount: 100, reference: `CLAIM-${who}-${n}` },
            penyedia,
          )
        ).claimId as number;
      c.claims[who] = [await claim(1), await claim(2)];
    }
    c.filings = {} as Record<Who, [number, number]>;
    for (const who of WHO) {
      const filing = async (n: number) => {
        const unregistered = await createProject(db, {
          code: `FILED-${who}-${n}`,
          contractorNib: "9120000000001",
          contractorName: "CV A",
          workUnitCode: "PUPR",
        });
        return (
          await fileRegistration(
            db,
            unregistered.id,
            { basis: "contract_value", registeredOn: "2025-03-05" },
            penyedia,
          )
        ).claimId as number;
      };
      c.filings[who] = [await filing(1), await filing(2)];
    }
    c.tokens = {} as Record<Who, number>;
    c.fresh = {} as Record<Who, number>;
    c.spare = {} as Record<Who, number>;
    for (const who of WHO) {
      c.spare[who] = (
        await addUser(
          db,
          {
            email: `spare-${who}@matrix.test`,
            name: `Spare ${who}`,
            role: "admin",
            organisationId: null,
            regionCode: null,
            password: PASSWORD,
          },
          actor,
        )
      ).id;
      c.tokens[who] = (await createApiToken(db, a.contractor_id, `t-${who}`, actor)).id;
      c.fresh[who] = (
        await createProject(db, {
          code: `FRESH-${who}`,
          contractorNib: "9120000000001",
          contractorName: "CV A",
          workUnitCode: "PUPR",
          // Still running today, so that it can be registered today.
          endDate: "2026-12-31",
        })
      ).id;
    }
    // One unregistered project with a worker per role, so that each has an open case of its own to escalate.
    c.cases = {} as Record<Who, number>;
    for (const who of [...WHO, "letters"]) {
      const p = await createProject(db, {
        code: `CASE-${who}`,
        contractorNib: `C-${who}`,
        contractorName: `CV ${who}`,
        workUnitCode: "PUPR",
      });
      await reportWorkers(
        db,
        p.id,
        {
          idempotencyKey: "case",
          source: "api",
          rows: rows([joinRow(500 + who.length * 7 + WHO.indexOf(who as Who) + 1, "2025-04-01")]),
          today: TODAY,
        },
        actor,
      );
    }
    await runCompliance(db, { regencyCode: "61.03", date: "2025-06-01" }, actor);
    const cases = await db
      .selectFrom("enforcement_case")
      .innerJoin("organisation", "organisation.id", "enforcement_case.contractor_id")
      .select(["enforcement_case.id", "organisation.code"])
      .execute();
    for (const who of WHO) c.cases[who] = cases.find((x) => x.code === `C-${who}`)?.id as number;
    c.letterCase = cases.find((x) => x.code === "C-letters")?.id as number;
    c.letterId = (
      await advanceCase(db, actor, c.letterCase, { action: "issue_warning_1", date: "2025-06-02" })
    ).letterId as number;
    c.webRoot = await mkdtemp(join(tmpdir(), "pantau-matrix-web-"));
    await writeFile(join(c.webRoot, "index.html"), "<!doctype html><title>Pantau Jakon</title>");
    c.app = await buildApp({ db, config: { logLevel: "silent" }, today: () => TODAY, webRoot: c.webRoot });
    c.cookie = { anonymous: undefined } as Record<Who, string | undefined>;
    for (const [who, u] of users) c.cookie[who] = await login(c.app, u.email);
  }, 120_000);
  afterAll(async () => {
    await c.app.close();
    await c.t.close();
    await rm(c.webRoot, { recursive: true, force: true });
  });

  it("has a row for every route the app serves, and no row for a route it does not", () => {
    const served = c.app.routeCatalog
      .filter((r) => !r.url.startsWith("/docs"))
      .map((r) => `${r.method} ${r.url}`)
      .sort();
    expect(served).toEqual(Object.keys(MATRIX).sort());
  });

  for (const [route, row] of Object.entries(MATRIX)) {
    it(`${route}: ${WHO.map((w) => `${w} ${row.expect[w]}`).join(", ")}`, async () => {
      const got: Record<string, number> = {};
      const monolingual: string[] = [];
      for (const who of WHO) {
        const options = await row.request(c, who);
        const cookie = c.cookie[who];
        // A request that brings its own cookie (the logout row) keeps it.
        const headers = { ...(cookie ? { cookie } : {}), ...(options.headers ?? {}) };
        const res = await c.app.inject({ ...options, headers });
        got[who] = res.statusCode;
        // A refusal reaches the dashboard in either language, so it says why in both ("… / …").
        if (
          res.statusCode >= 400 &&
          String(res.headers["content-type"]).startsWith("application/problem+json")
        ) {
          const title = String(res.json().title);
          if (!title.includes(" / ")) monolingual.push(`${who} ${res.statusCode}: ${title}`);
        }
      }
      expect(got).toEqual(row.expect);
      expect(monolingual).toEqual([]);
    });
  }

  it("keeps records to days that have come, registrations undated by contractors and payments to what is owed", async () => {
    const post = (who: Who, url: string, payload: object) =>
      c.app.inject({ method: "POST", url, headers: { cookie: c.cookie[who] as string }, payload });
    const project = (code: string, extra: object = {}) => ({
      code,
      name: "Gedung Puskesmas",
      districtCode: "61.03.02",
      workUnitCode: "PUPR",
      contractorNib: "9120000000001",
      contractorName: "CV A",
      fundingSource: "APBD",
      workType: "building",
      contractValue: 2_000_000_000,
      spkDate: "2025-05-01",
      spmkDate: "2025-05-05",
      endDate: "2026-11-30",
      ...extra,
    });
    const refused = (
      res: { statusCode: number; json: () => unknown },
      status: number,
      code: string,
      field: string,
    ) => {
      expect(res.statusCode, code).toBe(status);
      expect(res.json()).toMatchObject({ code, errors: [{ field }] });
    };

    // The working-day rules walk from one record date to another: the year 1 held the server for minutes.
    const ancient = await post(
      "contractor",
      "/api/v1/projects",
      project("ERA", { spkDate: "0001-01-01", spmkDate: "0001-01-02" }),
    );
    expect(ancient.statusCode).toBe(400);
    expect(
      ancient
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(["body.spkDate", "body.spmkDate"]);
    // An NIB is 13 digits and a contract is worth something: anything else would make a contractor up.
    for (const [extra, field] of [
      [{ contractorNib: "12" }, "body.contractorNib"],
      [{ contractorNib: "abcdefghijklm" }, "body.contractorNib"],
      [{ contractValue: 0 }, "body.contractValue"],
      [{ contractValue: true }, "body.contractValue"],
    ] as const) {
      const bad = await post("bpjs", "/api/v1/projects", project("BAD-INPUT", extra));
      expect([bad.statusCode, bad.json().errors?.[0]?.field], JSON.stringify(extra)).toEqual([400, field]);
    }
    expect(await c.t.db.selectFrom("project").select("id").where("code", "=", "BAD-INPUT").execute()).toEqual(
      [],
    );
    // A contractor or work unit names a work unit the regency has; it does not make one up.
    refused(
      await post("contractor", "/api/v1/projects", project("WU-1", { workUnitCode: "OPD-FIKTIF" })),
      422,
      "WORK_UNIT_UNKNOWN",
      "workUnitCode",
    );
    // A work unit's code is its regency's own: Sanggau's PUPR files nothing in Sambas (61.01).
    const sambas = await post("opd", "/api/v1/projects", project("WU-2", { districtCode: "61.01.01" }));
    expect([sambas.statusCode, sambas.json().code]).toEqual([403, "FORBIDDEN"]);
    expect(
      (await post("bpjs", "/api/v1/projects", project("WU-3", { workUnitCode: "DINKES" }))).statusCode,
    ).toBe(201);

    const own = await post("contractor", "/api/v1/projects", project("REG-1"));
    expect(own.statusCode).toBe(201);
    const id = own.json().id as number;
    refused(
      await post("contractor", `/api/v1/projects/${id}/registration`, {
        basis: "contract_value",
        registeredOn: "2025-06-18",
      }),
      422,
      "REGISTRATION_BACKDATED",
      "registeredOn",
    );
    refused(
      await post("bpjs", `/api/v1/projects/${id}/registration`, {
        basis: "contract_value",
        registeredOn: "2026-01-16",
      }),
      422,
      "DATE_IN_FUTURE",
      "registeredOn",
    );
    // A name that reads as another, by a hidden right-to-left override, is refused like any other bad field.
    const spoofed = await post(
      "bpjs",
      "/api/v1/projects",
      project("RLO-1", { contractorName: "CV \u202eAKSAM" }),
    );
    expect(spoofed.statusCode).toBe(400);
    expect(spoofed.json().errors).toEqual([
      { field: "body.contractorName", message: expect.stringContaining("pembalik arah") },
    ]);
    // An invisible character would make one payment reference two, and a blank note an outcome.
    const invisible = await post("contractor", `/api/v1/projects/${c.projectA}/payments`, {
      paidOn: "2025-04-02",
      amount: 1,
      reference: "CLAIM-contractor-\u200b1",
    });
    expect([invisible.statusCode, invisible.json().errors?.[0]?.field]).toEqual([400, "body.reference"]);
    const blankNote = await post("bpjs", `/api/v1/cases/${c.cases.bpjs}/actions`, {
      action: "resolve",
      note: "\u200b",
    });
    expect([blankNote.statusCode, blankNote.json().errors?.[0]?.field]).toEqual([400, "body.note"]);
    // A case step too is dated on a day that has come, and refused the same way.
    refused(
      await post("bpjs", `/api/v1/cases/${c.cases.bpjs}/actions`, {
        action: "issue_warning_1",
        date: "2026-01-16",
      }),
      422,
      "DATE_IN_FUTURE",
      "date",
    );
    // The branch may enter a registration made earlier at its counter.
    expect(
      (
        await post("bpjs", `/api/v1/projects/${id}/registration`, {
          basis: "contract_value",
          registeredOn: "2025-06-18",
        })
      ).statusCode,
    ).toBe(201);

    const pay = (amount: number, paidOn = TODAY) =>
      post("contractor", `/api/v1/projects/${id}/payments`, {
        paidOn,
        amount,
        reference: `P-${amount}-${paidOn}`,
      });
    refused(await pay(1_000, "2026-01-16"), 422, "DATE_IN_FUTURE", "paidOn");
    expect((await pay(Number.MAX_SAFE_INTEGER)).statusCode).toBe(400);
    refused(await pay(2_950_001), 422, "PAYMENT_EXCEEDS_OUTSTANDING", "amount");
    // The contractor's payment waits for the branch; an officer of another region cannot see it.
    const claimed = await pay(2_950_000);
    expect(claimed.statusCode).toBe(201);
    expect(claimed.json()).toMatchObject({ status: "pending", paymentId: null });
    const claimId = claimed.json().claimId as number;
    const elsewhere = await c.app.inject({
      method: "POST",
      url: `/api/v1/payment-claims/${claimId}/confirm`,
      headers: { cookie: await login(c.app, "bpjs-other@matrix.test") },
    });
    expect([elsewhere.statusCode, elsewhere.json().code]).toEqual([404, "PAYMENT_CLAIM_NOT_FOUND"]);
    const rejectShort = await post("bpjs", `/api/v1/payment-claims/${claimId}/reject`, { reason: " x " });
    expect(rejectShort.statusCode).toBe(400);
    const queue = await c.app.inject({
      method: "GET",
      url: "/api/v1/payment-claims",
      headers: { cookie: c.cookie.bpjs as string },
    });
    // Who filed it, by the name the officer knows (the contractor's user is "CV A").
    expect(queue.json()).toContainEqual(expect.objectContaining({ id: claimId, claimedBy: "CV A" }));
    const confirmed = await post("bpjs", `/api/v1/payment-claims/${claimId}/confirm`, {});
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toMatchObject({ status: "confirmed", claimId });
    const twice = await post("admin", `/api/v1/payment-claims/${claimId}/reject`, { reason: "terlambat" });
    expect([twice.statusCode, twice.json().code]).toEqual([409, "PAYMENT_CLAIM_DECIDED"]);
    const payments = await c.app.inject({
      method: "GET",
      url: `/api/v1/projects/${id}/payments`,
      headers: { cookie: c.cookie.contractor as string },
    });
    expect(payments.json()).toEqual([
      expect.objectContaining({ claimId, amount: 2_950_000, status: "confirmed", reason: null }),
    ]);
    const unregistered = await post("contractor", `/api/v1/projects/${c.fresh.anonymous}/payments`, {
      paidOn: TODAY,
      amount: 1,
      reference: "U",
    });
    expect(unregistered.statusCode).toBe(422);
    expect(unregistered.json().code).toBe("PROJECT_NOT_REGISTERED");
    const list = await c.app.inject({
      method: "GET",
      url: "/api/v1/projects?pageSize=200",
      headers: { cookie: c.cookie.bpjs as string },
    });
    expect(list.statusCode).toBe(200);
  });

  it("sets targets only for scopes that exist", async () => {
    const put = (who: Who, payload: object) =>
      c.app.inject({
        method: "PUT",
        url: "/api/v1/targets",
        headers: { cookie: c.cookie[who] as string },
        payload,
      });
    for (const [who, scope, id] of [
      ["bpjs", "region", "61.03.99"],
      ["admin", "region", "zz"],
      ["admin", "work_unit", "999999"],
    ] as const) {
      const res = await put(who, { scope, id, year: 2025, percent: 58.65 });
      expect(res.statusCode, `${who} ${scope} ${id}`).toBe(404);
      expect(res.json()).toMatchObject({ code: "SCOPE_NOT_FOUND", errors: [{ field: "id" }] });
    }
    expect((await put("bpjs", { scope: "region", id: "61.03.01", year: 2025, percent: 60 })).statusCode).toBe(
      204,
    );
  });

  it("answers a row only at its own path: decimal digits, nothing a number could be coerced from", async () => {
    const get = (url: string) =>
      c.app.inject({ method: "GET", url, headers: { cookie: c.cookie.bpjs as string } });
    expect((await get(`/api/v1/projects/${c.projectA}`)).statusCode).toBe(200);
    for (const id of [
      `0x${c.projectA.toString(16)}`,
      `${c.projectA}.0`,
      `${c.projectA}e0`,
      `0${c.projectA}`,
    ]) {
      const res = await get(`/api/v1/projects/${id}`);
      expect(res.statusCode, id).toBe(400);
      expect(res.json().errors).toEqual([expect.objectContaining({ field: "params.id" })]);
    }
  });

  it("hides other organisations' projects as not found, for reads and writes alike", async () => {
    const as = (who: Who) => ({ cookie: c.cookie[who] as string });
    for (const who of ["contractor", "opd"] as const) {
      for (const path of ["", "/certificate", "/certificate.pdf", "/workers", "/payments", "/findings"]) {
        const res = await c.app.inject({
          method: "GET",
          url: `/api/v1/projects/${c.projectB}${path}`,
          headers: as(who),
        });
        expect(res.statusCode, `${who} GET ${path}`).toBe(404);
      }
    }
    const write = await c.app.inject({
      method: "POST",
      url: `/api/v1/projects/${c.projectB}/reports`,
      headers: { ...as("contractor"), "idempotency-key": "cross-org-key" },
      payload: { events: [joinRow(9, "2025-04-01")] },
    });
    expect(write.statusCode).toBe(404);
    const other = await login(c.app, "bpjs-other@matrix.test");
    const res = await c.app.inject({
      method: "GET",
      url: `/api/v1/projects/${c.projectA}`,
      headers: { cookie: other },
    });
    expect(res.statusCode).toBe(404);
    const list = await c.app.inject({ method: "GET", url: "/api/v1/projects", headers: as("contractor") });
    expect(list.json().items.map((p: { code: string }) => p.code)).not.toContain("PB");
    for (const who of ["contractor", "opd"] as const) {
      const res = await c.app.inject({
        method: "GET",
        url: `/api/v1/contractors/${c.contractorB}`,
        headers: as(who),
      });
      expect(res.statusCode, `${who} GET contractor B`).toBe(404);
      expect(res.json().code).toBe("ORGANISATION_NOT_FOUND");
    }
  });

  it("answers the dashboard's contractor, finding and gap views in their documented shapes", async () => {
    const get = async (who: Who, url: string) => {
      const res = await c.app.inject({ method: "GET", url, headers: { cookie: c.cookie[who] as string } });
      expect(res.statusCode, `${who} ${url}`).toBe(200);
      return res.json();
    };
    const keys = (o: object) => Object.keys(o).sort();
    const summaryKeys = [
      "activeProjects",
      "blockingFindings",
      "cleared",
      "id",
      "knownWorkers",
      "name",
      "nib",
      "openCase",
      "openFindings",
      "projects",
      "protectedWorkers",
      "regencyCode",
    ];
    const own = await get("contractor", "/api/v1/contractors?date=2025-06-01");
    expect(own.map((x: { id: number }) => x.id)).toEqual([c.contractorA]);
    expect(keys(own[0])).toEqual(summaryKeys);
    expect(own[0]).toMatchObject({ nib: "9120000000001", cleared: false });
    expect(keys(own[0].openCase)).toEqual(["deadline", "id", "overdue", "step"]);
    const pupr = await get("opd", "/api/v1/contractors?date=2025-06-01");
    expect(pupr.map((x: { nib: string }) => x.nib)).toContain("9120000000001");
    expect(pupr.map((x: { nib: string }) => x.nib)).not.toContain("9120000000002");

    const detail = await get("bpjs", `/api/v1/contractors/${c.contractorA}?date=2025-06-01`);
    expect(keys(detail)).toEqual([...summaryKeys, "cases", "findings"].sort());
    expect(keys(detail.findings[0])).toEqual(
      [
        "foundOn",
        "id",
        "legalBasis",
        "projectId",
        "projectName",
        "resolvedOn",
        "rule",
        "severity",
        "status",
        "summary",
      ].sort(),
    );
    expect(keys(detail.cases[0])).toEqual(["deadline", "id", "openedOn", "resolution", "status", "step"]);

    const findings = await get("contractor", `/api/v1/projects/${c.projectA}/findings`);
    expect(findings.map((f: { rule: string }) => f.rule)).toContain("ARREARS");
    expect(keys(findings[0])).toEqual(
      [
        "evidence",
        "foundOn",
        "id",
        "legalBasis",
        "resolvedOn",
        "rule",
        "severity",
        "status",
        "summary",
      ].sort(),
    );
    expect(keys(findings[0].summary)).toEqual(["en", "id"]);

    const url = "/api/v1/coverage/gap-projects?scope=region&id=61.03&date=2025-06-01&limit=100";
    const gap = await get("contractor", url);
    expect(keys(gap)).toEqual(["date", "gap", "items"]);
    expect(gap.items.length).toBeGreaterThan(0);
    let sum = 0;
    for (const item of gap.items) {
      expect(item.contractorId).toBe(c.contractorA);
      sum += item.workers;
      expect(item.cumulative).toBe(sum);
    }
    expect(keys(gap.items[0])).toEqual(
      [
        "action",
        "code",
        "contractor",
        "contractorId",
        "cumulative",
        "districtName",
        "name",
        "projectId",
        "workUnit",
        "workers",
      ].sort(),
    );
    expect((await get("admin", url)).items.length).toBeGreaterThan(gap.items.length);
    const limited = await c.app.inject({
      method: "GET",
      url: url.replace("limit=100", "limit=101"),
      headers: { cookie: c.cookie.admin as string },
    });
    expect(limited.statusCode).toBe(400);
  });

  it("answers a work unit's clearance question for any contractor, found by its NIB", async () => {
    const ask = (nib: string) =>
      c.app.inject({
        method: "GET",
        url: `/api/v1/clearance?nib=${encodeURIComponent(nib)}`,
        headers: { cookie: c.cookie.opd as string },
      });
    // Contractor B works only on another work unit's project: the work unit does not see it, but may ask.
    expect(
      (
        await c.app.inject({
          method: "GET",
          url: `/api/v1/contractors/${c.contractorB}`,
          headers: { cookie: c.cookie.opd as string },
        })
      ).statusCode,
    ).toBe(404);
    const b = await ask("9120000000002");
    expect(b.statusCode).toBe(200);
    expect(b.json()).toMatchObject({
      contractorId: c.contractorB,
      nib: "9120000000002",
      cleared: expect.any(Boolean),
    });
    const byId = await c.app.inject({
      method: "GET",
      url: `/api/v1/contractors/${c.contractorB}/clearance`,
      headers: { cookie: c.cookie.opd as string },
    });
    expect(b.json()).toEqual(byId.json());
    const unknown = await ask("0000000000000");
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: "ORGANISATION_NOT_FOUND", errors: [{ field: "nib" }] });
    expect((await ask("")).statusCode).toBe(400);
    // A branch officer asks only about contractors working in its own region (61.05 has none of these).
    const sintang = await login(c.app, "bpjs-other@matrix.test");
    for (const url of [
      `/api/v1/clearance?nib=9120000000002`,
      `/api/v1/contractors/${c.contractorB}/clearance`,
    ]) {
      const res = await c.app.inject({ method: "GET", url, headers: { cookie: sintang } });
      expect([res.statusCode, res.json().code], url).toEqual([404, "ORGANISATION_NOT_FOUND"]);
    }
    const own = await c.app.inject({
      method: "GET",
      url: "/api/v1/clearance?nib=9120000000002",
      headers: { cookie: c.cookie.bpjs as string },
    });
    expect(own.statusCode).toBe(200);
  });

  it("answers an organisation that exists as it is: 200, unchanged and unaudited", async () => {
    const add = (name: string) =>
      c.app.inject({
        method: "POST",
        url: "/api/v1/organisations",
        headers: { cookie: c.cookie.admin as string },
        payload: { kind: "work_unit", code: "DLH-ONCE", name, regencyCode: "61.03" },
      });
    const audited = async () =>
      (
        await c.t.db
          .selectFrom("audit_log")
          .select("id")
          .where("action", "=", "organisation.ensure")
          .execute()
      ).length;
    // What no project or user could belong to is refused, naming the field.
    for (const [payload, field] of [
      [{ kind: "work_unit", code: "NOREG", name: "Dinas", regencyCode: null }, "body.regencyCode"],
      [{ kind: "enforcer", code: "KEJARI-X", name: "Kejari", regencyCode: null }, "body.regencyCode"],
      [{ kind: "contractor", code: "abc", name: "CV", regencyCode: null }, "body.code"],
      [{ kind: "admin", code: "ADM", name: "Admin", regencyCode: null }, "body.kind"],
      [{ kind: "bpjs_branch", code: " ", name: "BPJS", regencyCode: null }, "body.code"],
    ] as const) {
      const res = await c.app.inject({
        method: "POST",
        url: "/api/v1/organisations",
        headers: { cookie: c.cookie.admin as string },
        payload,
      });
      expect([res.statusCode, res.json().errors?.[0]?.field], JSON.stringify(payload)).toEqual([400, field]);
    }
    const first = await add("Dinas Lingkungan Hidup");
    expect([first.statusCode, first.json().created]).toEqual([201, true]);
    const before = await audited();
    const again = await add("Nama Lain");
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ id: first.json().id, created: false });
    const kept = await c.t.db
      .selectFrom("organisation")
      .select("name")
      .where("id", "=", first.json().id)
      .executeTakeFirstOrThrow();
    expect(kept.name).toBe("Dinas Lingkungan Hidup");
    expect(await audited()).toBe(before);
  });

  it("says beside a user's region what is wrong with it: its form, or a region that does not exist", async () => {
    const branch = await c.t.db
      .selectFrom("organisation")
      .select("id")
      .where("kind", "=", "bpjs_branch")
      .executeTakeFirstOrThrow();
    const addOfficer = (regionCode: string) =>
      c.app.inject({
        method: "POST",
        url: "/api/v1/users",
        headers: { cookie: c.cookie.admin as string },
        payload: {
          email: `bpjs-${regionCode}@x.id`,
          name: "Petugas",
          role: "bpjs",
          organisationId: branch.id,
          regionCode,
          password: "sandi-panjang-1",
        },
      });
    const answer = async (regionCode: string) => {
      const res = await addOfficer(regionCode);
      return [res.statusCode, res.json().errors];
    };
    expect(await answer("61.03.01")).toEqual([
      400,
      [
        {
          field: "body.regionCode",
          message:
            "kode provinsi atau kabupaten/kota seperti 61 atau 61.03 / a province or regency code like 61 or 61.03",
        },
      ],
    ]);
    expect(await answer("99.99")).toEqual([
      422,
      [{ field: "regionCode", message: "Wilayah 99.99 tidak dikenal / unknown region 99.99" }],
    ]);
  });

  it("counts only the caller's projects in coverage", async () => {
    const get = (who: Who) =>
      c.app.inject({
        method: "GET",
        url: "/api/v1/coverage?scope=region&id=61.03&date=2025-06-01&trend=false",
        headers: { cookie: c.cookie[who] as string },
      });
    const admin = (await get("admin")).json();
    const contractor = (await get("contractor")).json();
    expect(admin.known).toBeGreaterThan(contractor.known);
    expect(contractor.known).toBeGreaterThan(0);
  });

  it("accepts a contractor's bearer token and refuses it once revoked", async () => {
    const token = await createApiToken(c.t.db, c.contractorA, "ci", actor);
    const me = await c.app.inject({
      method: "GET",
      url: "/api/v1/me",
      headers: { authorization: `Bearer ${token.token}` },
    });
    expect(me.json()).toMatchObject({ kind: "token", role: "contractor", organisationId: c.contractorA });
    // Its owner sees that (and when) it was used.
    const listed = await c.app.inject({
      method: "GET",
      url: `/api/v1/organisations/${c.contractorA}/tokens`,
      headers: { cookie: c.cookie.contractor as string },
    });
    const used = (listed.json() as { id: number; lastUsedAt: string | null }[]).find(
      (x) => x.id === token.id,
    );
    expect(Date.parse(used?.lastUsedAt ?? "")).toBeGreaterThan(Date.now() - 60_000);
    const revoke = await c.app.inject({
      method: "DELETE",
      url: `/api/v1/tokens/${token.id}`,
      headers: { cookie: c.cookie.contractor as string },
    });
    expect(revoke.statusCode).toBe(204);
    const after = await c.app.inject({
      method: "GET",
      url: "/api/v1/me",
      headers: { authorization: `Bearer ${token.token}` },
    });
    expect(after.statusCode).toBe(401);
  });
});

async function login(app: FastifyInstance, email: string): Promise<string> {
  const res = await app.inject({
    method: "POST",
    url: "/api/v1/auth/login",
    payload: { email, password: PASSWORD },
  });
  if (res.statusCode !== 200) throw new Error(`login ${email}: ${res.statusCode} ${res.body}`);
  return String(res.headers["set-cookie"]).split(";")[0] as string;
}
