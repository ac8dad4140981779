import { join } from "node:path";
import autocannon from "autocannon";
import { benchDatabase } from "../bench/database.js";
import { drive, newJoins } from "../bench/report-load.js";
import { regencyOf } from "../src/domain/regions.js";
import { addUser } from "../src/services/accounts.js";
import { systemActor } from "../src/services/actor.js";
import { ensureOrganisation } from "../src/services/organisations.js";
import { type DrillContext, type DrillRow, knob, withTarget } from "./drill.js";
import { problems, type SentBatch, tally, unacknowledged } from "./ledger.js";
import { Server, type Target } from "./processes.js";
import { registerSites } from "./sites.js";

const CONTRACTORS = knob("DRILL_LOAD_CONTRACTORS", 200);
const SECONDS = knob("DRILL_LOAD_SECONDS", 60);
const READERS = knob("DRILL_LOAD_READERS", 20);
const REGENCIES = knob("DRILL_LOAD_REGENCIES", 10);
const EVENTS = 10;
const READER = { email: "pengawas@drill.pantau.id", password: "drill-reader-2025" };

/**
 * Drill 3: CONTRACTORS contractors, each with its own project and API token, report batches of new
 * joins over autocannon (one connection per contractor) for SECONDS seconds on loopback, while BPJS
 * officers' dashboards read the coverage of the same regencies. No answer may be a 5xx; every
 * acknowledged event must be stored once (the requests still in flight when the clock stops have no
 * answer: they must be wholly stored or not at all).
 */
export async function loadDrill(ctx: DrillContext): Promise<DrillRow[]> {
  const database = await benchDatabase("drill", ctx.cluster.url);
  const actor = systemActor("drill");
  const sites = await registerSites(database.db, { count: CONTRACTORS, regencies: REGENCIES, tag: "load" });
  const branch = (
    await ensureOrganisation(
      database.db,
      {
        kind: "bpjs_branch",
        code: "DRILL-61",
        name: "BPJS Ketenagakerjaan Kalimantan Barat",
        regencyCode: null,
      },
      actor,
    )
  ).id;
  await addUser(
    database.db,
    {
      ...READER,
      name: "Pengawas Uji",
      role: "bpjs",
      organisationId: branch,
      regionCode: "61",
    },
    actor,
  );
  await database.close();
  const target: Target = { databaseUrl: database.url, dataDir: join(ctx.dir, "load") };
  const server = await Server.start(target, ctx.dir);

  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(READER),
  });
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  if (!login.ok || !cookie) throw new Error(`the reader could not sign in: HTTP ${login.status}`);

  const batches = new Map<number, SentBatch>();
  const statuses = new Map<number, number>();
  const failures: string[] = [];
  let readTurn = 0;
  const regencies = [...new Set(sites.map((s) => regencyOf(s.districtCode)))];
  const reads = regencies.flatMap((r) => [
    `/api/v1/coverage?scope=region&id=${r}&date=2025-06-30&by=district`,
    `/api/v1/coverage/gap-projects?scope=region&id=${r}&date=2025-06-30`,
    `/api/coverage?region=${r}&date=2025-06-30`,
  ]);
  const [writers, readers] = await Promise.all([
    drive(
      server.url,
      sites.map((s) => `/api/v1/projects/${s.projectId}/reports`),
      {},
      {
        connections: CONTRACTORS,
        seconds: SECONDS,
        timeoutSeconds: 120,
        headersFor: (turn) => ({ authorization: `Bearer ${sites[turn % sites.length]?.token}` }),
        body: (turn) => {
          const site = sites[turn % sites.length];
          if (!site) throw new Error("no site");
          const events = newJoins(site.districtCode, EVENTS).map((e, i) => ({
            ...e,
            eventId: `load-${turn}/${i}`,
          }));
          batches.set(turn, {
            projectId: site.projectId,
            key: "",
            eventIds: events.map((e) => e.eventId),
            acked: false,
          });
          return JSON.stringify({ events });
        },
        onSend: (sent) => {
          (batches.get(sent.turn) as SentBatch).key = sent.idempotencyKey;
        },
        onReply: (sent, status, body) => {
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          const batch = batches.get(sent.turn) as SentBatch;
          if (status >= 200 && status < 300) {
            batch.acked = true;
            const answer = JSON.parse(body) as { accepted: number; replayed: boolean };
            if (answer.accepted !== EVENTS || answer.replayed)
              failures.push(`batch ${sent.idempotencyKey}: answered ${body.slice(0, 200)}`);
          } else if (failures.length < 20)
            failures.push(`batch ${sent.idempotencyKey}: HTTP ${status} ${body.slice(0, 200)}`);
        },
      },
    ),
    autocannon({
      url: server.url,
      connections: READERS,
      duration: SECONDS,
      timeout: 120,
      headers: { cookie },
      requests: [
        {
          method: "GET",
          setupRequest: (req) => ({ ...req, path: reads[readTurn++ % reads.length] as string }),
        },
      ],
    }),
  ]);
  await server.stop(); // lets the requests still running when the clock stopped finish
  const sent = [...batches.values()].filter((b) => b.key !== "");
  const t = await withTarget(target, ({ db }) => tally(db, sent));
  await database.drop();

  const serverErrors = writers.serverErrors + readers["5xx"];
  return [
    {
      scenario: "3 load, PostgreSQL",
      load: `${CONTRACTORS} contractors (own tokens) + ${READERS} readers, ${SECONDS} s`,
      faults: "none",
      tally: t,
      failures: [
        ...(serverErrors > 0 ? [`${serverErrors} answers 5xx`] : []),
        ...(writers.failed > 0 ? [`${writers.failed} writes failed (non-2xx or connection errors)`] : []),
        ...(readers.non2xx + readers.errors > 0
          ? [`${readers.non2xx} reads non-2xx, ${readers.errors} read errors`]
          : []),
        ...problems(t),
        ...failures,
      ],
      notes: [
        `load writers: ${writers.total} requests (${writers.rps.toFixed(0)}/s, ${EVENTS} joins each), p50 ${writers.p50} ms, p99 ${writers.p99} ms; ` +
          `statuses ${[...statuses].map(([s, n]) => `${s}×${n}`).join(", ")}`,
        `load readers: ${readers.requests.total} requests (${readers.requests.average.toFixed(0)}/s), ` +
          `p50 ${readers.latency.p50} ms, p99 ${readers.latency.p99} ms, 5xx ${readers["5xx"]}`,
        `load, in flight when the clock stopped: ${unacknowledged(t)}`,
      ],
    },
  ];
}
