/**
 * `npm run bench:api`: POST /api/v1/projects/:id/reports on loopback against PostgreSQL, driven by
 * autocannon, beside a bare Fastify route that parses the same JSON body, measured in the same run.
 * Every request carries a new Idempotency-Key and ten new workers, so each one does the real work:
 * token check, validation, row lock, person and assignment inserts, event log, audit row.
 */
import { randomBytes } from "node:crypto";
import autocannon from "autocannon";
import Fastify from "fastify";
import { composeNik } from "../src/domain/nik.js";
import { buildApp } from "../src/http/app.js";
import { createApiToken } from "../src/services/accounts.js";
import { systemActor } from "../src/services/actor.js";
import { registerProject } from "../src/services/projects.js";
import { benchDatabase, countRows } from "./database.js";

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const EVENTS_PER_REQUEST = 10;

const database = await benchDatabase("bench:api");

const actor = systemActor("bench");
// One project per connection, as many contractors' sites would report at once (batches on the same
// project are serialised by its row lock, by design).
const projects = [];
for (let i = 0; i < CONNECTIONS; i++) {
  projects.push(
    await registerProject(
      database.db,
      {
        code: `BENCH/2025/${i + 1}`,
        name: `Proyek Uji Beban ${i + 1}`,
        districtCode: "61.03.01",
        workUnitCode: "PUPR",
        contractorNib: "9120000000001",
        contractorName: "CV Uji Beban",
        fundingSource: "APBD",
        workType: "building",
        contractValue: 5_000_000_000,
        spkDate: "2025-01-02",
        spmkDate: "2025-01-06",
        endDate: "2025-12-31",
      },
      actor,
    ),
  );
}
const project = projects[0] as (typeof projects)[number];
const { token } = await createApiToken(database.db, project.contractor_id, "bench", actor);

const app = await buildApp({ db: database.db, config: { logLevel: "warn" }, today: () => "2025-12-31" });
await app.listen({ host: "127.0.0.1", port: 0 });
const bare = Fastify({ logger: false });
bare.post("/bare", async (request) => ({ received: (request.body as { events: unknown[] }).events.length }));
await bare.listen({ host: "127.0.0.1", port: 0 });

let serial = 0;
function nextBody(): string {
  const events = Array.from({ length: EVENTS_PER_REQUEST }, () => {
    serial += 1;
    // Unique NIKs: birth dates walk through the calendar, serials through 1–9999.
    const day = Math.floor(serial / 9999);
    const birthDate = new Date(Date.UTC(1970, 0, 1 + day)).toISOString().slice(0, 10);
    const nik = composeNik({ regionCode: "61.03.01", birthDate, sex: "M", serial: (serial % 9999) + 1 });
    return { event: "join", nik, name: `Pekerja ${serial}`, date: "2025-03-01" };
  });
  return JSON.stringify({ events });
}

let turn = 0;
async function run(target: string, paths: string[], headers: Record<string, string>) {
  const result = await autocannon({
    url: target,
    connections: CONNECTIONS,
    duration: DURATION,
    requests: [
      {
        method: "POST",
        setupRequest: (req) => ({
          ...req,
          path: paths[turn++ % paths.length] as string,
          headers: {
            ...headers,
            "content-type": "application/json",
            "idempotency-key": randomBytes(12).toString("hex"),
          },
          body: nextBody(),
        }),
      },
    ],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

const address = (server: typeof bare) => {
  const a = server.server.address();
  if (!a || typeof a === "string") throw new Error("no address");
  return `http://127.0.0.1:${a.port}`;
};

console.log(
  `bench:api — ${CONNECTIONS} connections (one project each), ${DURATION} s per route, ${EVENTS_PER_REQUEST} join events per request, PostgreSQL`,
);
const baseline = await run(address(bare), ["/bare"], {});
const product = await run(
  address(app as unknown as typeof bare),
  projects.map((p) => `/api/v1/projects/${p.id}/reports`),
  { authorization: `Bearer ${token}` },
);
const assignments = await countRows(database, "assignment");

const row = (name: string, r: typeof product) =>
  `${name.padEnd(34)} ${r.rps.toFixed(0).padStart(8)} ${String(r.p50).padStart(7)} ${String(r.p99).padStart(7)} ${String(r.total).padStart(8)} ${String(r.non2xx + r.errors).padStart(7)}`;
console.log(
  `${"route".padEnd(34)} ${"req/s".padStart(8)} ${"p50 ms".padStart(7)} ${"p99 ms".padStart(7)} ${"requests".padStart(8)} ${"failed".padStart(7)}`,
);
console.log(row("POST /bare (Fastify, no work)", baseline));
console.log(row("POST /api/v1/projects/:id/reports", product));
console.log(
  `ratio reports/bare: ${(product.rps / baseline.rps).toFixed(3)} (req/s), p99 ${product.p99} ms vs ${baseline.p99} ms`,
);
console.log(
  `assignments written: ${assignments}; answered 2xx × ${EVENTS_PER_REQUEST}: ${(product.total - product.non2xx) * EVENTS_PER_REQUEST} ` +
    "(requests still in flight when the clock stops are written but not counted by autocannon)",
);

await app.close();
await bare.close();
await database.drop();
if (product.non2xx + product.errors > 0) process.exitCode = 1;
