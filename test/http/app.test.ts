import { Validator } from "@seriousme/openapi-schema-validator";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/http/app.js";
import { setTarget } from "../../src/services/coverage.js";
import { reportWorkers } from "../../src/services/worker-reports.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";
import { actor, createProject, joinRow, rows, TODAY } from "../support/fixtures.js";

describe.each(backends)("HTTP app [%s]", (backend) => {
  let t: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await freshDatabase(backend);
    const project = await createProject(t.db);
    await reportWorkers(
      t.db,
      project.id,
      {
        idempotencyKey: "k",
        source: "api",
        rows: rows([joinRow(1, "2025-04-01"), joinRow(2, "2025-04-01")]),
        today: TODAY,
      },
      actor,
    );
    await setTarget(
      t.db,
      { scope: "region", id: "61.03", year: 2025, targetBp: 5865, source: "test" },
      actor,
    );
    app = await buildApp({ db: t.db, config: { logLevel: "silent" } });
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  it("serves an OpenAPI 3.1 document that validates and lists every API route with its schemas", async () => {
    const res = await app.inject({ method: "GET", url: "/openapi.json" });
    const doc = res.json();
    expect(doc.openapi).toBe("3.1.0");
    const validator = new Validator();
    expect(await validator.validate(doc)).toEqual({ valid: true });
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ":$1")}`),
    );
    const served = app.routeCatalog
      .filter((r) => r.url.startsWith("/api"))
      .map((r) => `${r.method} ${r.url}`);
    expect(documented.sort()).toEqual(served.sort());
    const report = doc.paths["/api/v1/projects/{id}/reports"].post;
    expect(report.requestBody.content["application/json"].schema.properties.events.type).toBe("array");
    expect(Object.keys(report.responses)).toEqual(
      expect.arrayContaining(["200", "400", "401", "403", "404", "413"]),
    );
    const docs = await app.inject({ method: "GET", url: "/docs/" });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain("swagger");
  });

  it("answers /health", async () => {
    const res = await app.inject({ method: "GET", url: "/health" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: "ok" });
  });

  it("returns coverage with target and gap as JSON, with an optional breakdown", async () => {
    const res = await app.inject({
      method: "GET",
      url: "/api/coverage?region=61.03&date=2025-07-30&by=district",
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      scope: { kind: "region", id: "61.03", name: "Kabupaten Sanggau" },
      date: "2025-07-30",
      known: 2,
      protected: 0,
      percent: 0,
      target: { percent: 58.65 },
      gap: 2,
      breakdown: [{ key: "61.03.01", code: "61.03.01", name: "Kapuas", known: 2, protected: 0 }],
    });
  });

  it("keeps contractors' and projects' figures from the public, and dates to the records' era", async () => {
    for (const by of ["contractor", "project"]) {
      const res = await app.inject({ method: "GET", url: `/api/coverage?region=61.03&by=${by}` });
      expect(res.statusCode).toBe(400);
      // zod's own message, as every refusal, in Indonesian, then English (src/zod-messages.ts).
      expect(res.json().errors).toEqual([
        {
          field: "querystring.by",
          message: expect.stringMatching(/^Pilihan tidak valid: .+ \/ Invalid option: /),
        },
      ]);
    }
    const ancient = await app.inject({ method: "GET", url: "/api/coverage?region=61.03&date=0001-01-01" });
    expect(ancient.statusCode).toBe(400);
    expect(ancient.json().errors).toEqual([
      { field: "querystring.date", message: expect.stringContaining("2000-01-01") },
    ]);
  });

  it("answers bad input with RFC 9457 problem details naming each field", async () => {
    const res = await app.inject({ method: "GET", url: "/api/coverage?region=6103&date=2025-02-30" });
    expect(res.statusCode).toBe(400);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(body).toMatchObject({ status: 400, type: "urn:pantau:problem:validation" });
    expect(body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      "querystring.date",
      "querystring.region",
    ]);
  });

  it("maps a domain error to a problem with its code", async () => {
    const res = await app.inject({ method: "GET", url: "/api/coverage?region=61.99&date=2025-07-30" });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: "SCOPE_NOT_FOUND", status: 404 });
  });
});
