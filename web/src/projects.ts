/** Shapes of the project answers (GET /api/v1/projects, /projects/:id …). */
export interface ProjectSummary {
  id: number;
  code: string;
  name: string;
  regencyCode: string;
  districtCode: string;
  districtName: string | null;
  workUnit: string | null;
  contractor: string;
  contractorId: number;
  fundingSource: string;
  workType: string;
  contractValue: number;
  spkDate: string;
  spmkDate: string;
  endDate: string;
  registrationNo: string | null;
  contributionAmount: number | null;
  paidAmount: number;
}

export interface ProjectPage {
  items: ProjectSummary[];
  total: number;
  page: number;
  pageSize: number;
}

export interface Finding {
  id: number;
  rule: string;
  severity: string;
  status: string;
  summary: unknown;
  legalBasis: string;
  foundOn: string;
  resolvedOn: string | null;
  projectId?: number | null;
  projectName?: string | null;
}

export interface RowError {
  row: number;
  field: string;
  code: string;
  message: { id: string; en: string };
}

export interface ReportResult {
  batchId: number;
  projectId: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  errors: RowError[];
  replayed: boolean;
}
