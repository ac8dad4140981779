import type { Me } from "./session.js";

/** The answer of GET /api/v1/coverage. */
export interface CoverageRow {
  key: string;
  name: string;
  known: number;
  protected: number;
  percent: number | null;
}

export interface Coverage {
  scope: { kind: string; id: string; name: string };
  date: string;
  known: number;
  protected: number;
  percent: number | null;
  target: { percent: number; source: string } | null;
  gap: number | null;
  unreported: { projects: number; estimatedWorkers: number };
  breakdown?: CoverageRow[];
  trend?: { month: string; date: string; known: number; protected: number; percent: number | null }[];
}

export interface GapProject {
  projectId: number;
  code: string;
  name: string;
  contractor: string;
  contractorId: number;
  districtName: string | null;
  workUnit: string | null;
  action: "register" | "pay" | "report";
  workers: number;
  cumulative: number;
}

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
