import { randomBytes } from "node:crypto";
import autocannon from "autocannon";
import type { Db } from "../src/db/connection.js";
import type { Project } from "../src/db/schema.js";
import { composeNik } from "../src/domain/nik.js";
import { buildApp } from "../src/http/app.js";
import { createApiToken } from "../src/services/accounts.js";
import { systemActor } from "../src/services/actor.js";
import { registerProject } from "../src/services/projects.js";

export const EVENTS_PER_REQUEST = 10;

/** What autocannon measured of one route. */
export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  total: number;
  failed: number;
  /** 5xx answers, among `failed`. */
  serverErrors: number;
}

let serial = 0;
/** New join events: unique NIKs, birth dates walking the calendar, serials through 1–9999. */
export function newJoins(districtCode: string, count = EVENTS_PER_REQUEST, date = "2025-03-01") {
  return Array.from({ length: count }, () => {
    serial += 1;
    const day = Math.floor(serial / 9999);
    const birthDate = new Date(Date.UTC(1970, 0, 1 + day)).toISOString().slice(0, 10);
    const nik = composeNik({ regionCode: districtCode, birthDate, sex: "M", serial: (serial % 9999) + 1 });
    return { event: "join" as const, nik, name: `Pekerja ${serial}`, date };
  });
}

/** A body of new join events (newJoins). */
export function nextBody(districtCode: string): string {
  return JSON.stringify({ events: newJoins(districtCode) });
}

/** One request as `drive` sent it. */
export interface Sent {
  /** The request's place in the order they were dealt: its path is `paths[turn % paths.length]`. */
  turn: number;
  path: string;
  idempotencyKey: string;
  body: string;
}

/**
 * Drive POST requests at `paths` in turn, each with a new Idempotency-Key and body. `headersFor(turn)`
 * adds headers to the request dealt to `paths[turn % paths.length]` (e.g. that contractor's own token);
 * `onSend` and `onReply` see each request as it goes and its answer when one arrives (requests in flight
 * when the clock stops get none).
 */
export async function drive(
  url: string,
  paths: readonly string[],
  headers: Record<string, string>,
  opts: {
    connections: number;
    seconds: number;
    body: (turn: number) => string;
    headersFor?: (turn: number) => Record<string, string>;
    onSend?: (sent: Sent) => void;
    onReply?: (sent: Sent, status: number, body: string) => void;
    timeoutSeconds?: number;
  },
): Promise<LoadResult> {
  let turn = 0;
  const result = await autocannon({
    url,
    connections: opts.connections,
    duration: opts.seconds,
    timeout: opts.timeoutSeconds ?? 10,
    requests: [
      {
        method: "POST",
        setupRequest: (req, context) => {
          const t = turn++;
          const sent: Sent = {
            turn: t,
            path: paths[t % paths.length] as string,
            idempotencyKey: randomBytes(12).toString("hex"),
            body: opts.body(t),
          };
          // The context lives for one request of a connection: its answer is matched to it in onResponse.
          (context as { sent?: Sent }).sent = sent;
          opts.onSend?.(sent);
          return {
            ...req,
            path: sent.path,
            headers: {
              ...headers,
              ...opts.headersFor?.(t),
              "content-type": "application/json",
              "idempotency-key": sent.idempotencyKey,
            },
            body: sent.body,
          };
        },
        ...(opts.onReply
          ? {
              onResponse: (status: number, body: string, context: object) =>
                opts.onReply?.((context as { sent: Sent }).sent, status, body),
            }
          : {}),
      },
    ],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    failed: result.non2xx + result.errors,
    serverErrors: result["5xx"],
  };
}

/**
 * `count` projects registered through the product (`registerProject`), in the given sub-districts in
 * turn, contract 2025-01-06 to 2025-12-31. One contractor for all of them, or with `ownContractors`
 * a contractor (NIB) of its own for each.
 */
export async function benchProjects(
  db: Db,
  opts: { districtCodes: readonly string[]; count: number; tag: string; ownContractors?: boolean },
): Promise<Project[]> {
  const actor = systemActor("bench");
  const projects: Project[] = [];
  for (let i = 0; i < opts.count; i++) {
    const contractor = opts.ownContractors ? i + 1 : 1;
    projects.push(
      await registerProject(
        db,
        {
          code: `BENCH/${opts.tag}/${i + 1}`,
          name: `Proyek Uji Beban ${i + 1}`,
          districtCode: opts.districtCodes[i % opts.districtCodes.length] as string,
          workUnitCode: "PUPR",
          contractorNib: String(9120000000000 + contractor),
          contractorName: `CV Uji Beban ${contractor}`,
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
  return projects;
}

/**
 * POST /api/v1/projects/:id/reports against the app on loopback: one project per connection in the
 * sub-district (as many contractors' sites report at once; batches on one project are serialised by
 * its row lock, by design), each request ten new workers joining.
 */
export async function reportLoad(
  db: Db,
  opts: { districtCode: string; connections: number; seconds: number; tag: string },
): Promise<LoadResult> {
  const projects = await benchProjects(db, {
    districtCodes: [opts.districtCode],
    count: opts.connections,
    tag: opts.tag,
  });
  const { token } = await createApiToken(
    db,
    (projects[0] as Project).contractor_id,
    "bench",
    systemActor("bench"),
  );
  const app = await buildApp({ db, config: { logLevel: "warn" }, today: () => "2025-12-31" });
  await app.listen({ host: "127.0.0.1", port: 0 });
  try {
    return await drive(
      `http://127.0.0.1:${(app.server.address() as { port: number }).port}`,
      projects.map((p) => `/api/v1/projects/${p.id}/reports`),
      { authorization: `Bearer ${token}` },
      { connections: opts.connections, seconds: opts.seconds, body: () => nextBody(opts.districtCode) },
    );
  } finally {
    await app.close();
  }
}
