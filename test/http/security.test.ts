import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseOptions } from "@node-rs/argon2";
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/http/app.js";
import { open } from "../../src/http/auth.js";
import { LOGIN_FAILURES_PER_HOUR } from "../../src/http/routes/auth.js";
import {
  addUser,
  createApiToken,
  type NewUser,
  SESSION_HOURS,
  SESSION_IDLE_MINUTES,
} from "../../src/services/accounts.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";
import { actor, createProject, joinRow, TODAY } from "../support/fixtures.js";

/**
 * The HTTP layer's security controls, one test per claim in docs/security.md: password storage,
 * enumeration, failed-login limits, sessions (fixation, idle and absolute expiry, logout), cross-site
 * request forgery, API tokens, headers, cookie flags, error bodies and body size.
 */
const PASSWORD = "security-pass-123";
const HOST = "pantau.test";

describe.each(backends)("HTTP security [%s]", (backend) => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let secure: FastifyInstance;
  let webRoot: string;
  let projectId: number;
  let contractorId: number;
  // Every sign-in comes from an address of its own, so the per-address limit never decides a test by accident.
  let address = 0;
  const nextAddress = () => `10.9.${Math.floor(++address / 250)}.${(address % 250) + 1}`;

  const user = async (email: string, overrides: Partial<NewUser> = {}) =>
    addUser(
      t.db,
      {
        email,
        name: email,
        role: "admin",
        organisationId: null,
        regionCode: null,
        password: PASSWORD,
        ...overrides,
      },
      actor,
    );

  const signIn = (
    email: string,
    password = PASSWORD,
    headers: Record<string, string> = {},
    on: FastifyInstance = app,
  ) =>
    on.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      headers: { host: HOST, ...headers },
      remoteAddress: nextAddress(),
      payload: { email, password },
    });

  /** The `name=value` of the session cookie an answer sets. */
  const cookieOf = (res: LightMyRequestResponse) => {
    expect(res.statusCode, res.body).toBe(200);
    return String(res.headers["set-cookie"]).split(";")[0] as string;
  };
  const secretOf = (cookie: string) => cookie.slice(cookie.indexOf("=") + 1);

  const me = (cookie: string, on: FastifyInstance = app) =>
    on.inject({ method: "GET", url: "/api/v1/me", headers: { host: HOST, cookie } });

  const sessionRow = (cookie: string) =>
    t.db
      .selectFrom("user_session")
      .selectAll()
      .where("token_hash", "=", createHash("sha256").update(secretOf(cookie)).digest("hex"))
      .executeTakeFirst();

  beforeAll(async () => {
    t = await freshDatabase(backend);
    const project = await createProject(t.db);
    projectId = project.id;
    contractorId = project.contractor_id;
    webRoot = await mkdtemp(join(tmpdir(), "pantau-security-web-"));
    await writeFile(join(webRoot, "index.html"), "<!doctype html><title>Pantau Jakon</title>");
    app = await buildApp({ db: t.db, config: { logLevel: "silent" }, today: () => TODAY, webRoot });
    // A route that fails the way a bug or a lost database would, to see what a 500 reveals.
    app.get("/test/boom", { ...open }, async () => {
      throw new Error('relation "app_user" does not exist at /srv/pantau/src/services/accounts.ts:42');
    });
    secure = await buildApp({
      db: t.db,
      config: { logLevel: "silent" },
      today: () => TODAY,
      secureCookies: true,
    });
    await user("admin@security.test");
    await user("disabled@security.test");
    await t.db
      .updateTable("app_user")
      .set({ disabled_at: sql`now()` as never })
      .where("email", "=", "disabled@security.test")
      .execute();
    await user("contractor@security.test", { role: "contractor", organisationId: contractorId });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await secure?.close();
    await t?.close();
    await rm(webRoot, { recursive: true, force: true });
  });

  it("stores passwords as Argon2id with OWASP's parameters (19 MiB, 2 passes, 1 lane)", async () => {
    const row = await t.db
      .selectFrom("app_user")
      .select("password_hash")
      .where("email", "=", "admin@security.test")
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row.password_hash).not.toContain(PASSWORD);
    expect(parseOptions(row.password_hash ?? "")).toMatchObject({
      memoryCost: 19_456,
      timeCost: 2,
      parallelism: 1,
    });
  });

  it("answers an unknown e-mail, a wrong password and a disabled account alike, and as slowly", async () => {
    const unknown = await signIn("nobody@security.test");
    const wrong = await signIn("admin@security.test", "not-the-password");
    const disabled = await signIn("disabled@security.test");
    for (const res of [unknown, wrong, disabled]) {
      expect(res.statusCode).toBe(401);
      expect(res.headers["set-cookie"]).toBeUndefined();
    }
    expect(unknown.body).toBe(wrong.body);
    expect(disabled.body).toBe(wrong.body);
    // An unknown e-mail costs a password verification too: without one it answers in a few
    // milliseconds instead of an Argon2id's tens, and the difference says who has an account.
    // Interleaved, so that load from elsewhere on the machine weighs on both sides alike.
    const known: number[] = [];
    const stranger: number[] = [];
    const time = async (email: string, into: number[]) => {
      const start = performance.now();
      await signIn(email, "not-the-password");
      into.push(performance.now() - start);
    };
    for (let i = 0; i < 9; i++) {
      await time("admin@security.test", known);
      await time("stranger@security.test", stranger);
    }
    const median = (times: number[]) => times.sort((a, b) => a - b)[4] as number;
    expect(median(stranger)).toBeGreaterThan(median(known) * 0.5);
  });

  it("never opens an account that has no password, whatever is typed", async () => {
    await user("no-password@security.test");
    await t.db
      .updateTable("app_user")
      .set({ password_hash: null })
      .where("email", "=", "no-password@security.test")
      .execute();
    // The first guess is the password of the hash that unknown e-mails were once verified against.
    for (const password of ["pantau-jakon-no-such-user", PASSWORD, "x"]) {
      const res = await signIn("no-password@security.test", password);
      expect(res.statusCode, password).toBe(401);
    }
  });

  it(`refuses an account's sign-ins for the hour after ${LOGIN_FAILURES_PER_HOUR} failures from any addresses`, async () => {
    await user("target@security.test");
    for (let i = 0; i < LOGIN_FAILURES_PER_HOUR; i++) {
      const res = await signIn("target@security.test", `guess-${i}`);
      expect(res.statusCode, `guess ${i}`).toBe(401);
    }
    const locked = await signIn("target@security.test");
    expect(locked.statusCode).toBe(429);
    expect(locked.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(locked.headers["set-cookie"]).toBeUndefined();
    // Successful sign-ins do not count, and other accounts are not slowed.
    for (let i = 0; i < 3; i++) cookieOf(await signIn("admin@security.test"));
  });

  it("starts a fresh session at sign-in: a cookie from before it is never authenticated", async () => {
    const planted = "pj_session=chosen-by-an-attacker";
    const first = cookieOf(await signIn("admin@security.test", PASSWORD, { cookie: planted }));
    expect(first).not.toBe(planted);
    expect((await me(planted)).statusCode).toBe(401);
    expect((await me(first)).statusCode).toBe(200);
    // Signing in again with a live session replaces it: the old cookie stops working.
    const second = cookieOf(await signIn("admin@security.test", PASSWORD, { cookie: first }));
    expect(second).not.toBe(first);
    expect((await me(first)).statusCode).toBe(401);
    expect((await me(second)).statusCode).toBe(200);
  });

  it("keeps only the hash of a 256-bit session id", async () => {
    const cookie = cookieOf(await signIn("admin@security.test"));
    expect(Buffer.from(secretOf(cookie), "base64url")).toHaveLength(32);
    const row = await sessionRow(cookie);
    expect(row).toBeDefined();
    const stored = await t.db.selectFrom("user_session").select("token_hash").execute();
    expect(stored.map((r) => r.token_hash)).not.toContain(secretOf(cookie));
  });

  it(`ends a session after ${SESSION_IDLE_MINUTES} idle minutes and ${SESSION_HOURS} hours after sign-in`, async () => {
    const minutesLeft = async (cookie: string) => {
      const row = await sessionRow(cookie);
      return ((row?.expires_at.getTime() ?? 0) - Date.now()) / 60_000;
    };
    const cookie = cookieOf(await signIn("admin@security.test"));
    expect(await minutesLeft(cookie)).toBeGreaterThan(SESSION_IDLE_MINUTES - 1);
    expect(await minutesLeft(cookie)).toBeLessThanOrEqual(SESSION_IDLE_MINUTES + 1);
    const hash = createHash("sha256").update(secretOf(cookie)).digest("hex");
    const set = (values: Record<string, unknown>) =>
      t.db.updateTable("user_session").set(values).where("token_hash", "=", hash).execute();

    // 25 minutes idle: still signed in, and using it pushes the end back to 30 minutes from now.
    await set({ expires_at: sql`now() + interval '5 minutes'` });
    expect((await me(cookie)).statusCode).toBe(200);
    expect(await minutesLeft(cookie)).toBeGreaterThan(SESSION_IDLE_MINUTES - 1);
    // 30 minutes idle: gone.
    await set({ expires_at: sql`now() - interval '1 second'` });
    expect((await me(cookie)).statusCode).toBe(401);

    // Busy all along, but signed in 8 hours ago: gone too, and activity never pushes past that.
    await set({
      created_at: sql`now() - make_interval(hours => ${SESSION_HOURS}) + interval '10 minutes'`,
      expires_at: sql`now() + interval '1 minute'`,
    });
    expect((await me(cookie)).statusCode).toBe(200);
    expect(await minutesLeft(cookie)).toBeLessThanOrEqual(10);
    await set({
      created_at: sql`now() - make_interval(hours => ${SESSION_HOURS}) - interval '1 second'`,
      expires_at: sql`now() + interval '10 minutes'`,
    });
    expect((await me(cookie)).statusCode).toBe(401);
  });

  it("ends the session on the server at sign-out", async () => {
    const cookie = cookieOf(await signIn("admin@security.test"));
    const out = await app.inject({
      method: "POST",
      url: "/api/v1/auth/logout",
      headers: { host: HOST, cookie },
    });
    expect(out.statusCode).toBe(204);
    expect(await sessionRow(cookie)).toBeUndefined();
    // Replaying the cookie (a copy kept by an attacker or a shared computer's browser) does not work.
    expect((await me(cookie)).statusCode).toBe(401);
  });

  it("ends a user's sessions when an admin disables them or sets a new password, and keeps the password out of the audit", async () => {
    const leaver = await user("leaver@security.test", { role: "contractor", organisationId: contractorId });
    const admin = cookieOf(await signIn("admin@security.test"));
    const change = (path: string, payload?: object, cookie = admin) =>
      app.inject({
        method: "POST",
        url: `/api/v1/users/${leaver.id}/${path}`,
        headers: { host: HOST, cookie },
        ...(payload ? { payload } : {}),
      });

    const theirs = cookieOf(await signIn("leaver@security.test"));
    // A token the leaver created for their company, and one a colleague created.
    const token = async (label: string) =>
      (
        await createApiToken(t.db, contractorId, label, {
          kind: "user",
          label,
          role: "contractor",
          organisationId: contractorId,
          regionCode: null,
          userId: null,
        })
      ).token;
    const theirToken = await token(`user:${leaver.id}`);
    const colleagues = await token("user:999");
    const withToken = (secret: string) =>
      app.inject({
        method: "GET",
        url: "/api/v1/me",
        headers: { host: HOST, authorization: `Bearer ${secret}` },
      });
    expect((await withToken(theirToken)).statusCode).toBe(200);
    const disabled = await change("disable");
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json()).toMatchObject({
      id: leaver.id,
      disabled: true,
      organisation: "CV Karya Kapuas Mandiri",
      revokedTokens: 1,
    });
    // The tokens they created end with them; the company's other tokens go on.
    expect((await withToken(theirToken)).statusCode).toBe(401);
    expect((await withToken(colleagues)).statusCode).toBe(200);
    expect((await me(theirs)).statusCode).toBe(401);
    expect((await signIn("leaver@security.test")).statusCode).toBe(401);
    // Disabling twice changes nothing and records nothing more.
    expect((await change("disable")).json()).toMatchObject({ disabled: true });

    expect((await change("enable")).json()).toMatchObject({ disabled: false });
    const again = cookieOf(await signIn("leaver@security.test"));
    const reset = await change("password", { password: "fresh-start-789" });
    expect(reset.statusCode).toBe(200);
    expect((await me(again)).statusCode).toBe(401);
    expect((await signIn("leaver@security.test")).statusCode).toBe(401);
    expect((await signIn("leaver@security.test", "fresh-start-789")).statusCode).toBe(200);
    const short = await change("password", { password: "short" });
    expect(short.statusCode).toBe(400);

    // Only an admin may, and not on their own account.
    const self = await app.inject({
      method: "POST",
      url: `/api/v1/users/${(await me(admin)).json().userId}/disable`,
      headers: { host: HOST, cookie: admin },
    });
    expect(self.statusCode).toBe(409);
    expect(self.json().code).toBe("USER_SELF_DISABLE");
    const missing = await app.inject({
      method: "POST",
      url: "/api/v1/users/999999/enable",
      headers: { host: HOST, cookie: admin },
    });
    expect(missing.statusCode).toBe(404);

    const audit = await t.db
      .selectFrom("audit_log")
      .select(["action", "before", "after"])
      .where("entity", "=", "user")
      .where("entity_id", "=", String(leaver.id))
      .orderBy("id")
      .execute();
    expect(audit.map((a) => [a.action, a.before, a.after])).toEqual([
      ["user.add", null, expect.objectContaining({ email: "leaver@security.test" })],
      ["user.disable", { disabled: false }, { disabled: true, revokedTokens: [expect.any(Number)] }],
      ["user.enable", { disabled: true }, { disabled: false }],
      ["user.password", null, null],
    ]);
    expect(JSON.stringify(audit)).not.toContain("fresh-start-789");
    expect(JSON.stringify(audit)).not.toContain("argon2");
  });

  it("refuses a state-changing request that a browser says another site made", async () => {
    const cookie = cookieOf(await signIn("contractor@security.test"));
    const createToken = (headers: Record<string, string>) =>
      app.inject({
        method: "POST",
        url: `/api/v1/organisations/${contractorId}/tokens`,
        headers: { host: HOST, cookie, ...headers },
        payload: { name: "csrf" },
      });
    const foreign: Record<string, string>[] = [
      { origin: "https://evil.example" },
      { origin: `http://${HOST}.evil.example` },
      { origin: "null" },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site", origin: `https://other.${HOST}` },
      // The browser's word wins over an Origin that happens to match.
      { "sec-fetch-site": "cross-site", origin: `http://${HOST}` },
    ];
    for (const headers of foreign) {
      const res = await createToken(headers);
      expect(res.statusCode, JSON.stringify(headers)).toBe(403);
      expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(res.json().type).toBe("urn:pantau:problem:cross-site-request");
    }
    const tokens = await t.db.selectFrom("api_token").select("id").where("name", "=", "csrf").execute();
    expect(tokens).toEqual([]);
    // The dashboard itself (same origin, by either header) and clients that are not browsers go through.
    const sameOrigin: Record<string, string>[] = [
      { "sec-fetch-site": "same-origin", origin: `http://${HOST}` },
      { origin: `http://${HOST}` },
      {},
    ];
    for (const headers of sameOrigin) {
      expect((await createToken(headers)).statusCode, JSON.stringify(headers)).toBe(201);
    }
    // Reading is not refused (a GET changes nothing), and neither is sign-in CSRF let through.
    const read = await app.inject({
      method: "GET",
      url: "/api/v1/me",
      headers: { host: HOST, cookie, "sec-fetch-site": "cross-site" },
    });
    expect(read.statusCode).toBe(200);
    const forcedLogin = await signIn("admin@security.test", PASSWORD, { origin: "https://evil.example" });
    expect(forcedLogin.statusCode).toBe(403);
    expect(forcedLogin.headers["set-cookie"]).toBeUndefined();
  });

  it("lets a bearer-token request through from anywhere: a foreign page cannot attach the token", async () => {
    const created = await app.inject({
      method: "POST",
      url: `/api/v1/organisations/${contractorId}/tokens`,
      headers: { host: HOST, cookie: cookieOf(await signIn("contractor@security.test")) },
      payload: { name: "payroll" },
    });
    const res = await app.inject({
      method: "POST",
      url: `/api/v1/projects/${projectId}/reports`,
      headers: {
        host: HOST,
        authorization: `Bearer ${created.json().token}`,
        origin: "https://payroll.example",
        "sec-fetch-site": "cross-site",
        "idempotency-key": "bearer-cross-site",
      },
      payload: { events: [joinRow(1, "2025-04-01")] },
    });
    expect(res.statusCode, res.body).toBe(200);
  });

  it("shows an API token once, keeps only its hash, and refuses it as soon as it is revoked", async () => {
    const cookie = cookieOf(await signIn("contractor@security.test"));
    const created = await app.inject({
      method: "POST",
      url: `/api/v1/organisations/${contractorId}/tokens`,
      headers: { host: HOST, cookie },
      payload: { name: "erp" },
    });
    expect(created.statusCode).toBe(201);
    const { id, token } = created.json() as { id: number; token: string };
    const list = await app.inject({
      method: "GET",
      url: `/api/v1/organisations/${contractorId}/tokens`,
      headers: { host: HOST, cookie },
    });
    expect(list.body).not.toContain(token);
    const row = await t.db.selectFrom("api_token").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row.token_hash).toBe(createHash("sha256").update(token).digest("hex"));

    const asToken = () =>
      app.inject({
        method: "GET",
        url: "/api/v1/me",
        headers: { host: HOST, authorization: `Bearer ${token}` },
      });
    expect((await asToken()).statusCode).toBe(200);
    const revoke = await app.inject({
      method: "DELETE",
      url: `/api/v1/tokens/${id}`,
      headers: { host: HOST, cookie },
    });
    expect(revoke.statusCode).toBe(204);
    const after = await asToken();
    expect(after.statusCode).toBe(401);
    expect(after.headers["content-type"]).toMatch(/^application\/problem\+json/);
  });

  it("sends the security headers on the dashboard, the API, errors and the API docs", async () => {
    const requests: InjectOptions[] = [
      { method: "GET", url: "/" },
      { method: "GET", url: "/proyek/42" },
      { method: "GET", url: "/api/coverage?region=61.03&date=2025-06-01" },
      { method: "GET", url: "/api/v1/me" },
      { method: "GET", url: "/api/v1/no-such-route" },
      { method: "GET", url: "/docs/" },
    ];
    for (const request of requests) {
      const res = await app.inject(request);
      const h = res.headers;
      const where = `${request.method} ${request.url} (${res.statusCode})`;
      const csp = String(h["content-security-policy"]);
      const directive = (name: string) =>
        csp
          .split(";")
          .map((d) => d.trim())
          .find((d) => d.startsWith(`${name} `));
      expect(directive("script-src"), where).toBe("script-src 'self'");
      expect(directive("default-src"), where).toBe("default-src 'self'");
      expect(directive("frame-ancestors"), where).toBe("frame-ancestors 'self'");
      expect(directive("object-src"), where).toBe("object-src 'none'");
      expect(h["strict-transport-security"], where).toMatch(/max-age=\d{8,}/);
      expect(h["x-content-type-options"], where).toBe("nosniff");
      expect(h["referrer-policy"], where).toBe("no-referrer");
      expect(h["x-frame-options"], where).toBe("SAMEORIGIN");
    }
    const page = await app.inject({ method: "GET", url: "/" });
    expect(page.body).toContain("<title>Pantau Jakon</title>");
  });

  it("keeps what a signed-in caller receives out of the browser's cache", async () => {
    const cookie = cookieOf(await signIn("admin@security.test"));
    for (const url of ["/api/v1/me", "/api/v1/users", `/api/v1/organisations/${contractorId}/tokens`]) {
      const res = await app.inject({ method: "GET", url, headers: { host: HOST, cookie } });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers["cache-control"], url).toBe("no-store");
    }
  });

  it("sets the session cookie HttpOnly and SameSite=Strict, and Secure with the __Host- prefix behind HTTPS", async () => {
    const plain = String((await signIn("admin@security.test")).headers["set-cookie"]);
    expect(plain).toMatch(/^pj_session=/);
    expect(plain).toMatch(/; HttpOnly/);
    expect(plain).toMatch(/; SameSite=Strict/);
    expect(plain).toMatch(/; Path=\//);
    expect(plain).not.toMatch(/; Secure/);

    const res = await signIn("admin@security.test", PASSWORD, {}, secure);
    const header = String(res.headers["set-cookie"]);
    expect(header).toMatch(/^__Host-pj_session=/);
    expect(header).toMatch(/; Secure/);
    expect(header).toMatch(/; HttpOnly/);
    expect(header).toMatch(/; Path=\//);
    expect(header).not.toMatch(/; Domain=/i);
    const cookie = cookieOf(res);
    expect((await me(cookie, secure)).statusCode).toBe(200);
    // The same secret under the unprefixed name, as a sibling subdomain could set it, is not read.
    expect((await me(`pj_session=${secretOf(cookie)}`, secure)).statusCode).toBe(401);
    const out = await secure.inject({
      method: "POST",
      url: "/api/v1/auth/logout",
      headers: { host: HOST, cookie },
    });
    expect(String(out.headers["set-cookie"])).toMatch(/^__Host-pj_session=;.*Secure/);
  });

  it("answers an unexpected failure with a bare 500 problem: no message, no stack", async () => {
    const res = await app.inject({ method: "GET", url: "/test/boom" });
    expect(res.statusCode).toBe(500);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.json()).toEqual({
      type: "about:blank",
      title: "Kesalahan server / Internal error",
      status: 500,
    });
    const malformed = await app.inject({
      method: "POST",
      url: "/api/v1/public/check",
      headers: { host: HOST, "content-type": "application/json" },
      payload: '{"nik": ',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({
      status: 400,
      code: "FST_ERR_CTP_INVALID_JSON_BODY",
      title: "Isi permintaan bukan JSON yang sah / the request body is not valid JSON",
    });
    expect(malformed.body).not.toMatch(/\bat \S+:\d+|node_modules|stack/);
  });

  it("counts the public check's limit per client behind a trusted proxy, not per proxy", async () => {
    const behindProxy = await buildApp({ db: t.db, config: { logLevel: "silent" }, trustProxy: "127.0.0.1" });
    try {
      const check = (client: string) =>
        behindProxy.inject({
          method: "POST",
          url: "/api/v1/public/check",
          headers: { "content-type": "application/json", "x-forwarded-for": client },
          payload: { nik: "6103011203850007", birthDate: "1985-03-12" },
        });
      for (let i = 0; i < 20; i++) expect((await check("203.0.113.1")).statusCode).toBe(200);
      expect((await check("203.0.113.1")).statusCode).toBe(429);
      // Another client through the same proxy (the inject address, 127.0.0.1) still has its own 20.
      expect((await check("203.0.113.2")).statusCode).toBe(200);
    } finally {
      await behindProxy.close();
    }
  });

  it("refuses a body over 1 MiB before reading it", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/api/v1/public/check",
      headers: { host: HOST, "content-type": "application/json" },
      payload: JSON.stringify({ nik: "x".repeat(1024 * 1024), birthDate: "1985-03-12" }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({
      code: "FST_ERR_CTP_BODY_TOO_LARGE",
      title: "Isi permintaan terlalu besar / request body is too large",
    });
  });
});
