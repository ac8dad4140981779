/**
 * `npm run bench:api`: POST /api/v1/projects/:id/reports on loopback against PostgreSQL, driven by
 * autocannon, beside a bare Fastify route that parses the same JSON body, measured in the same run.
 * Every request carries a new Idempotency-Key and ten new workers, so each one does the real work:
 * token check, validation, row lock, person and assignment inserts, event log, audit row.
 */
import Fastify from "fastify";
import { benchDatabase, countRows } from "./database.js";
import { drive, EVENTS_PER_REQUEST, type LoadResult, nextBody, reportLoad } from "./report-load.js";

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);

const database = await benchDatabase("bench:api");
const bare = Fastify({ logger: false });
bare.post("/bare", async (request) => ({ received: (request.body as { events: unknown[] }).events.length }));
await bare.listen({ host: "127.0.0.1", port: 0 });

console.log(
  `bench:api — ${CONNECTIONS} connections (one project each), ${DURATION} s per route, ${EVENTS_PER_REQUEST} join events per request, PostgreSQL`,
);
const load = { connections: CONNECTIONS, seconds: DURATION };
const bareAddress = bare.server.address() as { port: number };
const baseline = await drive(
  `http://127.0.0.1:${bareAddress.port}`,
  ["/bare"],
  {},
  { ...load, body: () => nextBody("61.03.01") },
);
const product = await reportLoad(database.db, { ...load, districtCode: "61.03.01", tag: "api" });
const assignments = await countRows(database, "assignment");

const row = (name: string, r: LoadResult) =>
  `${name.padEnd(34)} ${r.rps.toFixed(0).padStart(8)} ${String(r.p50).padStart(7)} ${String(r.p99).padStart(7)} ${String(r.total).padStart(8)} ${String(r.failed).padStart(7)}`;
console.log(
  `${"route".padEnd(34)} ${"req/s".padStart(8)} ${"p50 ms".padStart(7)} ${"p99 ms".padStart(7)} ${"requests".padStart(8)} ${"failed".padStart(7)}`,
);
console.log(row("POST /bare (Fastify, no work)", baseline));
console.log(row("POST /api/v1/projects/:id/reports", product));
console.log(
  `ratio reports/bare: ${(product.rps / baseline.rps).toFixed(3)} (req/s), p99 ${product.p99} ms vs ${baseline.p99} ms`,
);
console.log(
  `assignments written: ${assignments}; answered 2xx × ${EVENTS_PER_REQUEST}: ${(product.total - product.failed) * EVENTS_PER_REQUEST} ` +
    "(requests still in flight when the clock stops are written but not counted by autocannon)",
);

await bare.close();
await database.drop();
if (product.failed > 0) process.exitCode = 1;
