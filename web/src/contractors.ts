import type { Finding } from "./projects.js";

/** Shapes of GET /api/v1/contractors and /contractors/:id. */
export interface ContractorSummary {
  id: number;
  name: string;
  nib: string;
  regencyCode: string | null;
  projects: number;
  activeProjects: number;
  knownWorkers: number;
  protectedWorkers: number;
  openFindings: number;
  blockingFindings: number;
  cleared: boolean;
  openCase: { id: number; step: string; deadline: string | null; overdue: boolean } | null;
}

export interface ContractorDetail extends ContractorSummary {
  findings: Finding[];
  cases: {
    id: number;
    step: string;
    status: string;
    openedOn: string;
    deadline: string | null;
    resolution: unknown;
  }[];
}

export interface Clearance {
  contractorId: number;
  contractor: string;
  nib: string;
  date: string;
  cleared: boolean;
  reasons: Finding[];
}
