import type { ColumnType, Generated, Insertable, Selectable } from "kysely";

/**
 * One interface per table (STYLE.md 5). Large tables carry `regency_code` as their future Citus
 * distribution column and every unique key includes it (DESIGN.md §3, docs/architecture.md).
 * `date` columns travel as ISO strings and `bigint` money as numbers (see connection.ts parsers).
 */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface RegionTable {
  code: string;
  parent_code: string | null;
  level: "province" | "regency" | "district" | "village";
  name: string;
}

export interface SettingTable {
  key: string;
  value: Json<unknown>;
}

export interface ContributionRateTableTable {
  version: string;
  regulation: string;
  valid_from: string;
  valid_to: string | null;
  verified: "full" | "partial";
  note: string;
  wage_jkk_ppm: Json<Record<string, number>>;
  wage_jkm_ppm: number;
}

export interface ContributionRateTierTable {
  version: string;
  tier: string;
  up_to: number | null;
  jkk_ppm: number;
  jkm_ppm: number;
}

export type OrganisationKind = "work_unit" | "contractor" | "bpjs_branch" | "enforcer" | "admin";

export interface OrganisationTable {
  id: Generated<number>;
  kind: OrganisationKind;
  /** Business identifier: NIB for contractors (penyedia jasa), a short code for work units (OPD). */
  code: string;
  name: string;
  regency_code: string | null;
  created_at: Timestamp;
}

export interface AppUserTable {
  id: Generated<number>;
  email: string;
  name: string;
  role: "contractor" | "opd" | "bpjs" | "enforcer" | "admin";
  organisation_id: number | null;
  password_hash: string | null;
  region_code: string | null;
  disabled_at: Timestamp | null;
  created_at: Timestamp;
}

export interface SessionTable {
  token_hash: string;
  user_id: number;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface ApiTokenTable {
  id: Generated<number>;
  organisation_id: number;
  name: string;
  /** The first characters of the token, to recognise it in a list; the rest is only hashed. */
  prefix: string;
  token_hash: string;
  created_by: string;
  created_at: Timestamp;
  revoked_at: Timestamp | null;
  last_used_at: Timestamp | null;
}

export interface ProjectTable {
  regency_code: string;
  id: Generated<number>;
  /** Procurement package code (kode paket / kode tender), unique within the regency. */
  code: string;
  name: string;
  district_code: string;
  work_unit_id: number | null;
  contractor_id: number;
  funding_source: "APBD" | "APBN" | "DAK" | "private";
  work_type: "building" | "road" | "water" | "other";
  contract_value: number;
  spk_date: string;
  spmk_date: string;
  end_date: string;
  created_at: Timestamp;
  /** When its procurement data was last corrected (before registration); null if never. */
  edited_at: Date | null;
}

export interface ProjectRegistrationTable {
  regency_code: string;
  project_id: number;
  registration_no: string;
  registered_on: string;
  basis: "contract_value" | "wage";
  risk_class: string | null;
  rate_table_version: string;
  contribution_jkk: number;
  contribution_jkm: number;
  contribution_amount: number;
  computation: Json<unknown>;
  coverage_start: string;
  coverage_end: string;
  due_date: string;
  created_at: Timestamp;
}

export interface PaymentTable {
  regency_code: string;
  id: Generated<number>;
  project_id: number;
  paid_on: string;
  amount: number;
  /** Bank or BPJS payment reference: recording the same reference twice is one payment. */
  reference: string;
  created_at: Timestamp;
}

/** A contractor's payment awaiting the branch's confirmation; confirmed, it has its `payment`. */
export interface PaymentClaimTable {
  regency_code: string;
  id: Generated<number>;
  project_id: number;
  paid_on: string;
  amount: number;
  reference: string;
  status: Generated<"pending" | "confirmed" | "rejected">;
  /** Actor label of who filed it (`user:12`, `token:3`). */
  claimed_by: string;
  created_at: Timestamp;
  decided_by: string | null;
  decided_at: Timestamp | null;
  /** Why the branch rejected it (required for a rejection). */
  reason: string | null;
  payment_id: number | null;
}

export interface RegistrationClaimTable {
  regency_code: string;
  id: Generated<number>;
  project_id: number;
  /** The day the contractor filed it: the registration's date once verified. */
  registered_on: string;
  basis: "contract_value" | "wage";
  /** The registration as filed (`RegistrationInput`: the wages and risk class on the wage basis). */
  input: Json<unknown>;
  /** The contribution computed when it was filed, shown while it waits. */
  contribution_amount: number;
  /** The project's contract value and SPMK when it was filed (null for claims filed before they were kept). */
  contract_value: number | null;
  spmk_date: string | null;
  status: Generated<"pending" | "verified" | "rejected">;
  /** Actor label of who filed it (`user:12`, `token:3`). */
  claimed_by: string;
  created_at: Timestamp;
  decided_by: string | null;
  decided_at: Timestamp | null;
  /** Why the branch rejected it (required for a rejection). */
  reason: string | null;
}

export interface PersonTable {
  /** Regency that issued the NIK (its first four digits): the person's distribution key. */
  home_regency_code: string;
  id: Generated<number>;
  /** HMAC of the NIK under the deployment's key: lookups (src/db/nik-vault.ts). */
  nik_hash: string;
  /** The NIK under AES-256-GCM; the clear NIK is never stored. */
  nik_sealed: string;
  name: string;
  birth_date: string;
  sex: "M" | "F";
  created_at: Timestamp;
}

export interface AssignmentTable {
  regency_code: string;
  id: Generated<number>;
  project_id: number;
  person_id: number;
  joined_on: string;
  left_on: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ReportBatchTable {
  regency_code: string;
  id: Generated<number>;
  project_id: number;
  idempotency_key: string;
  source: string;
  actor: string;
  accepted: number;
  duplicates: number;
  rejected: number;
  response: Json<unknown>;
  /** Keyed hash of the rows (null for batches stored before it was kept): a reused key is refused. */
  request_hash: string | null;
  received_at: Timestamp;
}

export interface ReportEventTable {
  regency_code: string;
  id: Generated<number>;
  project_id: number;
  batch_id: number;
  event_key: string;
  kind: "join" | "leave";
  person_id: number;
  event_date: string;
  created_at: Timestamp;
}

export interface TargetTable {
  id: Generated<number>;
  scope_kind: "region" | "work_unit" | "contractor" | "project";
  scope_id: string;
  year: number;
  target_bp: number;
  source: string;
}

export interface FindingTable {
  regency_code: string;
  id: Generated<number>;
  rule: string;
  fingerprint: string;
  severity: "low" | "medium" | "high";
  project_id: number | null;
  contractor_id: number | null;
  evidence: Json<unknown>;
  legal_basis: string;
  status: "open" | "resolved";
  found_on: string;
  resolved_on: string | null;
  summary: Json<unknown>;
  last_seen_on: string | null;
  case_id: number | null;
}

export interface EnforcementCaseTable {
  regency_code: string;
  id: Generated<number>;
  contractor_id: number;
  step: string;
  status: "open" | "closed";
  opened_on: string;
  deadline: string | null;
  outcome: string | null;
  /** The prosecutor's office or labour inspectorate a case is referred to. */
  referred_to: number | null;
  has_arrears: boolean;
  resolution: Json<unknown> | null;
}

export interface CaseStepTable {
  regency_code: string;
  id: Generated<number>;
  case_id: number;
  step: string;
  actor: string;
  taken_on: string;
  deadline: string | null;
  document_no: string | null;
  note: string | null;
}

export interface ComplianceRunTable {
  regency_code: string;
  id: Generated<number>;
  run_date: string;
  actor: string;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  projects: number;
  opened: number;
  updated: number;
  resolved: number;
}

export interface CaseLetterTable {
  regency_code: string;
  id: Generated<number>;
  case_id: number;
  step: string;
  number: string;
  issued_on: string;
  pdf: Uint8Array;
}

export type CoverageKind = "regency" | "district" | "work_unit" | "funding_source" | "contractor" | "project";

/** How many people's known and protected days begin minus end on a day (migration 2025_11_01_0000). */
export interface CoverageChangeTable {
  regency_code: string;
  kind: CoverageKind;
  key: string;
  day: string;
  known: number;
  protected: number;
}

export interface ProjectProtectionTable {
  regency_code: string;
  project_id: number;
  /** A datemultirange in PostgreSQL's text form, e.g. {[2025-03-05,2025-04-20)}. */
  days: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor: string;
  action: string;
  entity: string;
  entity_id: string;
  before: Json<unknown> | null;
  after: Json<unknown> | null;
  prev_hash: string;
  hash: string;
}

export interface DB {
  region: RegionTable;
  setting: SettingTable;
  contribution_rate_table: ContributionRateTableTable;
  contribution_rate_tier: ContributionRateTierTable;
  organisation: OrganisationTable;
  app_user: AppUserTable;
  user_session: SessionTable;
  api_token: ApiTokenTable;
  project: ProjectTable;
  project_registration: ProjectRegistrationTable;
  payment: PaymentTable;
  payment_claim: PaymentClaimTable;
  registration_claim: RegistrationClaimTable;
  person: PersonTable;
  assignment: AssignmentTable;
  report_batch: ReportBatchTable;
  report_event: ReportEventTable;
  target: TargetTable;
  finding: FindingTable;
  enforcement_case: EnforcementCaseTable;
  case_step: CaseStepTable;
  audit_log: AuditLogTable;
  compliance_run: ComplianceRunTable;
  case_letter: CaseLetterTable;
  coverage_change: CoverageChangeTable;
  project_protection: ProjectProtectionTable;
}

export type Project = Selectable<ProjectTable>;
export type PaymentClaim = Selectable<PaymentClaimTable>;
export type RegistrationClaim = Selectable<RegistrationClaimTable>;
export type NewProject = Insertable<ProjectTable>;
export type ProjectRegistration = Selectable<ProjectRegistrationTable>;
export type Organisation = Selectable<OrganisationTable>;
