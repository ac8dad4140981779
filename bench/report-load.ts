import { randomBytes } from "node:crypto";
import autocannon from "autocannon";
import type { Db } from "../src/db/connection.js";
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
}

let serial = 0;
/** A body of new join events: unique NIKs, birth dates walking the calendar, serials through 1–9999. */
export function nextBody(districtCode: string): string {
  const events = Array.from({ length: EVENTS_PER_REQUEST }, () => {
    serial += 1;
    const day = Math.floor(serial / 9999);
    const birthDate = new Date(Date.UTC(1970, 0, 1 + day)).toISOString().slice(0, 10);
    const nik = composeNik({ regionCode: districtCode, birthDate, sex: "M", serial: (serial % 9999) + 1 });
    return { event: "join", nik, name: `Pekerja ${serial}`, date: "2025-03-01" };
  });
  return JSON.stringify({ events });
}

/** Drive POST requests at `paths` in turn, each with a new Idempotency-Key and body. */
export async function drive(
  url: string,
  paths: readonly string[],
  headers: Record<string, string>,
  opts: { connections: number; seconds: number; body: () => string },
): Promise<LoadResult> {
  let turn = 0;
  const result = await autocannon({
    url,
    connections: opts.connections,
    duration: opts.seconds,
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
          body: opts.body(),
        }),
      },
    ],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    failed: result.non2xx + result.errors,
  };
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
  const actor = systemActor("bench");
  const projects = [];
  for (let i = 0; i < opts.connections; i++) {
    projects.push(
      await registerProject(
        db,
        {
          code: `BENCH/${opts.tag}/${i + 1}`,
          name: `Proyek Uji Beban ${i + 1}`,
          districtCode: opts.districtCode,
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
  const { token } = await createApiToken(
    db,
    (projects[0] as (typeof projects)[number]).contractor_id,
    "bench",
    actor,
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
