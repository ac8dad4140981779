import type { Forecast } from "../../src/domain/planner.js";
import type { CoverageReport, CoverageRow, coverageTrend } from "../../src/services/coverage.js";
import type { Me } from "./session.js";

/** The answers of GET /api/v1/coverage and /coverage/plan, typed by the services (type-only). */
export type { CoverageRow } from "../../src/services/coverage.js";
export type { CoveragePlan } from "../../src/services/planner.js";

export type Coverage = CoverageReport & {
  breakdown?: CoverageRow[];
  trend?: Awaited<ReturnType<typeof coverageTrend>>;
  forecast?: Forecast;
};

/** The scope a user's overview opens on: its region, its work unit or its own company. */
export function defaultScope(me: Me, adminRegion: string | undefined): { scope: string; id: string } | null {
  switch (me.role) {
    case "opd":
      return me.organisationId ? { scope: "opd", id: String(me.organisationId) } : null;
    case "contractor":
      return me.organisationId ? { scope: "contractor", id: String(me.organisationId) } : null;
    default: {
      const region = me.regionCode ?? adminRegion;
      return region ? { scope: "region", id: region } : null;
    }
  }
}
