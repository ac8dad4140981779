import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WRITE_CONNECTIONS } from "../../src/db/connection.js";
import { buildApp } from "../../src/http/app.js";
import { addUser } from "../../src/services/accounts.js";
import { freshDatabase, type TestDatabase } from "../support/databases.js";
import { actor, createProject } from "../support/fixtures.js";

const LOCK = 4_242_001;
const PASSWORD = "connections-test-2025";

/** The promise's value, or a failure naming what hung: a read stuck behind writers never answers. */
async function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not answer: it waited behind the writers`)),
      15_000,
    );
  });
  try {
    return await Promise.race([promise, hung]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * docs/reliability.md, finding 2: a writer holds its connection from BEGIN to COMMIT, waiting for locks,
 * so with many writers the pool's queue is long. Requests that only read take their connections from
 * a pool of their own (`Database.reads`) and must answer while every connection of `db` is held by a
 * transaction waiting for a lock. PostgreSQL only: PGlite is one connection for both.
 */
describe.skipIf(!process.env.DATABASE_URL)("reads beside blocked writers [postgres]", () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let cookie = "";
  let holder: pg.Client;
  beforeAll(async () => {
    t = await freshDatabase("postgres");
    await createProject(t.db);
    const user = {
      email: "admin@connections.test",
      role: "admin",
      organisationId: null,
      regionCode: null,
    } as const;
    await addUser(t.db, { ...user, name: "Admin", password: PASSWORD }, actor);
    app = await buildApp({
      db: t.db,
      reads: t.reads,
      config: { logLevel: "silent" },
      today: () => "2025-07-30",
    });
    const login = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: user.email, password: PASSWORD },
    });
    cookie = String(login.headers["set-cookie"]).split(";")[0] as string;
    holder = new pg.Client({ connectionString: t.url as string });
    await holder.connect();
  }, 60_000);
  afterAll(async () => {
    await holder.end();
    await app.close();
    await t.close();
  });

  it("answers GETs and the public check while every write connection waits for a lock", async () => {
    await holder.query("select pg_advisory_lock($1)", [LOCK]);
    // Transactions on `db` filling its whole pool, each waiting for the lock the holder keeps.
    const writers = Array.from({ length: WRITE_CONNECTIONS }, () =>
      t.db.transaction().execute((trx) => sql`select pg_advisory_xact_lock(${LOCK})`.execute(trx)),
    );
    for (;;) {
      const waiting = await holder.query<{ n: number }>(
        "select count(*)::int as n from pg_locks where locktype = 'advisory' and objid = $1 and not granted",
        [LOCK],
      );
      if (waiting.rows[0]?.n === WRITE_CONNECTIONS) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // A request that writes (a sign-in stores a session) queues for `db` behind them.
    let signedIn = false;
    const write = app
      .inject({
        method: "POST",
        url: "/api/v1/auth/login",
        payload: { email: "admin@connections.test", password: PASSWORD },
      })
      .then((res) => {
        signedIn = true;
        return res;
      });

    const open = await within(
      app.inject({ method: "GET", url: "/api/coverage?region=61.03&date=2025-07-30" }),
      "the public coverage GET",
    );
    expect(open.statusCode).toBe(200);
    expect(open.json().known).toBeTypeOf("number");
    const signed = await within(
      app.inject({
        method: "GET",
        url: "/api/v1/coverage?scope=region&id=61.03&date=2025-07-30",
        headers: { cookie },
      }),
      "the signed-in coverage GET",
    );
    expect(signed.statusCode).toBe(200);
    const check = await within(
      app.inject({
        method: "POST",
        url: "/api/v1/public/check",
        payload: { nik: "6103010101900001", birthDate: "1990-01-01" },
      }),
      "the public check",
    );
    expect(check.statusCode).toBe(200);
    expect(check.json().protected).toBe(false);
    expect(signedIn).toBe(false);

    await holder.query("select pg_advisory_unlock($1)", [LOCK]);
    await Promise.all(writers);
    expect((await write).statusCode).toBe(200);
  }, 60_000);
});
