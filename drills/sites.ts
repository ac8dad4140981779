import { sql } from "kysely";
import { benchProjects } from "../bench/report-load.js";
import type { Db } from "../src/db/connection.js";
import { createApiToken } from "../src/services/accounts.js";
import { systemActor } from "../src/services/actor.js";
import type { Site } from "./reporters.js";

/** The first sub-district of each of the first `regencies` regencies of West Kalimantan (61). */
export async function districts(db: Db, regencies: number): Promise<string[]> {
  const rows = await sql<{ code: string }>`
    select min(code) as code from region where level = 'district' and code like '61.%'
    group by parent_code order by 1 limit ${regencies}`.execute(db);
  return rows.rows.map((r) => r.code);
}

/**
 * `count` reporting sites through the product's own use cases: a project each (bench/report-load.ts),
 * spread over `regencies` regencies, each project with a contractor of its own and that contractor's
 * API token (`createApiToken`, what `pantau user token` does).
 */
export async function registerSites(
  db: Db,
  opts: { count: number; regencies: number; tag: string },
): Promise<Site[]> {
  const actor = systemActor("drill");
  const projects = await benchProjects(db, {
    districtCodes: await districts(db, opts.regencies),
    count: opts.count,
    tag: opts.tag,
    ownContractors: true,
  });
  const sites: Site[] = [];
  for (const p of projects) {
    const { token } = await createApiToken(db, p.contractor_id, "drill", actor);
    sites.push({ projectId: p.id, districtCode: p.district_code, token });
  }
  return sites;
}
