import { Writable } from "node:stream";
import type { FastifyInstance, InjectOptions } from "fastify";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/http/app.js";
import { createApiToken } from "../../src/services/accounts.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";
import { actor, addContractorUser, createProject, joinRow, registerAndPay } from "../support/fixtures.js";

/**
 * DESIGN.md §2 and §9: a NIK is never logged, nor a password, a session or an API token. The app runs
 * at the most talkative level with its pino logger writing into a buffer; every kind of request that
 * carries one of them is made (a JSON batch, a CSV upload, the public check, invalid NIKs, a NIK typed
 * into a search box, sign-in, bearer calls, a server error), then the whole log text is searched.
 */
const PASSWORD = "log-secret-pass-123";
const WRONG_PASSWORD = "log-wrong-pass-456";
const WORKER_NAME = "Budi Rahasia Santoso";

describe.each(backends)("what the logs never hold [%s]", (backend) => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let projectId: number;
  let bearer: string;
  const lines: string[] = [];
  const niks = [
    joinRow(1, "").nik,
    joinRow(2, "").nik,
    joinRow(3, "").nik,
    "6103011203850000",
    "6103013102850012",
  ];
  let cookie = "";

  beforeAll(async () => {
    t = await freshDatabase(backend);
    const project = await createProject(t.db);
    projectId = project.id;
    await registerAndPay(t.db, project, {
      registeredOn: "2025-03-05",
      paidOn: "2025-03-10",
      reference: "P1",
    });
    await addContractorUser(t.db, project, "penyedia@logs.test", PASSWORD);
    bearer = (await createApiToken(t.db, project.contractor_id, "payroll", actor)).token;
    const logStream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split("\n").filter(Boolean));
        done();
      },
    });
    app = await buildApp({ db: t.db, config: { logLevel: "trace" }, today: () => "2025-06-01", logStream });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  const send = (options: InjectOptions) => app.inject(options);
  const multipart = (csv: string): Pick<InjectOptions, "headers" | "payload"> => {
    const boundary = "----pantau-logs";
    return {
      headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="pekerja.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`,
    };
  };

  it("drives every request that carries a NIK, a password or a token", async () => {
    const wrong = await send({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "penyedia@logs.test", password: WRONG_PASSWORD },
    });
    expect(wrong.statusCode).toBe(401);
    const login = await send({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "penyedia@logs.test", password: PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    cookie = String(login.headers["set-cookie"]).split(";")[0] as string;

    // A JSON batch: valid NIKs, an invalid serial, an impossible date.
    const batch = await send({
      method: "POST",
      url: `/api/v1/projects/${projectId}/reports`,
      headers: { cookie, "idempotency-key": "logs-batch-0001" },
      payload: {
        events: [
          { ...joinRow(1, "2025-04-01"), name: WORKER_NAME },
          joinRow(2, "2025-04-01"),
          { event: "join", nik: niks[3], name: "Nol", date: "2025-04-01" },
          { event: "join", nik: niks[4], name: "Tanggal", date: "2025-04-01" },
        ],
      },
    });
    expect(batch.json()).toMatchObject({ accepted: 2, rejected: 2 });
    // A batch the schema refuses: a NIK too long, a wrong type beside it.
    const refused = await send({
      method: "POST",
      url: `/api/v1/projects/${projectId}/reports`,
      headers: { authorization: `Bearer ${bearer}`, "idempotency-key": "logs-batch-0002" },
      payload: { events: [{ event: "join", nik: `${niks[0]}${niks[1]}`, date: 20250401 }] },
    });
    expect(refused.statusCode).toBe(400);
    // A CSV upload, with the bearer token.
    const upload = await send({
      method: "POST",
      url: `/api/v1/projects/${projectId}/uploads`,
      ...multipart(
        `nik,nama,peristiwa,tanggal\n${niks[2]},Upload,masuk,2025-04-02\n${niks[3]},Nol,masuk,2025-04-02\n`,
      ),
      headers: {
        ...multipart("").headers,
        authorization: `Bearer ${bearer}`,
      },
    });
    expect(upload.json()).toMatchObject({ accepted: 1, rejected: 1 });
    const errors = await send({
      method: "GET",
      url: `/api/v1/projects/${projectId}/reports/${upload.json().batchId}/errors.csv`,
      headers: { authorization: `Bearer ${bearer}` },
    });
    expect(errors.statusCode).toBe(200);
    // The public check: a protected worker, a birth date the NIK does not encode, an invalid NIK (the
    // last two refused as typing errors, whose answers and log lines must not carry the NIK either).
    for (const [nik, birthDate, status] of [
      [niks[0], "1985-03-12", 200],
      [niks[1], "1985-03-13", 422],
      [niks[4], "1985-03-12", 422],
    ] as const) {
      const check = await send({ method: "POST", url: "/api/v1/public/check", payload: { nik, birthDate } });
      expect(check.statusCode).toBe(status);
    }
    // A NIK typed into a search box ends up in a URL, which the request log records.
    const search = await send({
      method: "GET",
      url: `/api/v1/projects?q=${niks[0]}`,
      headers: { authorization: `Bearer ${bearer}` },
    });
    expect(search.statusCode).toBe(200);
    // A server error while a worker is being written: the database refuses the row (a constraint added
    // for the test), and its error carries the statement's parameters and the row, name and NIK included.
    await sql`alter table person add constraint log_test_refusal check (name <> ${sql.lit(WORKER_NAME)}) not valid`.execute(
      t.db,
    );
    try {
      const failed = await send({
        method: "POST",
        url: `/api/v1/projects/${projectId}/reports`,
        headers: { cookie, "idempotency-key": "logs-batch-0003" },
        payload: { events: [{ ...joinRow(4, "2025-04-03"), name: WORKER_NAME }] },
      });
      expect(failed.statusCode).toBe(500);
    } finally {
      await sql`alter table person drop constraint log_test_refusal`.execute(t.db);
    }
    const logout = await send({ method: "POST", url: "/api/v1/auth/logout", headers: { cookie } });
    expect(logout.statusCode).toBe(204);
  });

  it("holds no NIK, no 16-digit run, no name, password, session or token", () => {
    const text = lines.join("\n");
    // The log was written and covers what was driven, the error included.
    expect(text).toContain("incoming request");
    expect(text).toContain("request completed");
    expect(text).toContain("unhandled error");
    expect(lines.length).toBeGreaterThan(20);
    // …and the error still says what failed: its constraint, without the row it refused.
    expect(text).toContain("log_test_refusal");
    // Timings are numbers with long fractions; leave them out before looking for digit runs.
    const withoutTimings = lines
      .map((line) => {
        const entry = JSON.parse(line) as Record<string, unknown>;
        delete entry.time;
        delete entry.responseTime;
        return JSON.stringify(entry);
      })
      .join("\n");
    expect(withoutTimings).not.toMatch(/\d{16}/);
    for (const nik of niks) expect(text).not.toContain(nik);
    expect(text).not.toContain(WORKER_NAME);
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(WRONG_PASSWORD);
    expect(text).not.toContain(bearer);
    expect(text).not.toContain(bearer.slice(-16));
    expect(text).not.toContain(cookie.split("=")[1] as string);
  });
});
