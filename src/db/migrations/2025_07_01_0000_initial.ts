import { type Kysely, sql } from "kysely";

/**
 * The first schema. Frozen in time: never import application code here.
 * Large tables (project, registration, payment, assignment, report_*, finding, case_*) carry
 * `regency_code`, their Citus distribution column; their primary and unique keys include it and
 * foreign keys between them join on it, so each regency's rows live together on one shard.
 * `person` is distributed by the regency that issued the NIK; assignments refer to it by id without
 * a foreign key because Citus cannot enforce keys between differently distributed tables.
 */
const statements = [
  `create table region (
     code text primary key,
     parent_code text references region(code),
     level text not null check (level in ('province','regency','district','village')),
     name text not null)`,
  `create index region_parent on region(parent_code)`,

  `create table setting (key text primary key, value jsonb not null)`,

  `create table contribution_rate_table (
     version text primary key,
     regulation text not null,
     valid_from date not null,
     valid_to date,
     verified text not null check (verified in ('full','partial')),
     note text not null default '',
     wage_jkk_ppm jsonb not null,
     wage_jkm_ppm integer not null check (wage_jkm_ppm >= 0),
     check (valid_to is null or valid_to >= valid_from))`,
  `create table contribution_rate_tier (
     version text not null references contribution_rate_table(version),
     tier text not null,
     up_to bigint,
     jkk_ppm integer not null check (jkk_ppm >= 0),
     jkm_ppm integer not null check (jkm_ppm >= 0),
     primary key (version, tier))`,

  `create table organisation (
     id bigserial primary key,
     kind text not null check (kind in ('work_unit','contractor','bpjs_branch','enforcer','admin')),
     code text not null,
     name text not null,
     regency_code text references region(code),
     created_at timestamptz not null default now(),
     unique (kind, code))`,

  `create table app_user (
     id bigserial primary key,
     email text not null unique,
     name text not null,
     role text not null check (role in ('contractor','opd','bpjs','enforcer','admin')),
     organisation_id bigint references organisation(id),
     password_hash text,
     created_at timestamptz not null default now())`,

  `create table project (
     regency_code text not null,
     id bigserial not null,
     code text not null,
     name text not null,
     district_code text not null references region(code),
     work_unit_id bigint references organisation(id),
     contractor_id bigint not null references organisation(id),
     funding_source text not null check (funding_source in ('APBD','APBN','DAK','private')),
     work_type text not null check (work_type in ('building','road','water','other')),
     contract_value bigint not null check (contract_value >= 0),
     spk_date date not null,
     spmk_date date not null,
     end_date date not null,
     created_at timestamptz not null default now(),
     primary key (regency_code, id),
     unique (regency_code, code),
     check (spmk_date >= spk_date and end_date >= spmk_date),
     check (district_code like regency_code || '.%'))`,
  `create index project_by_id on project(id)`,
  `create index project_contractor on project(contractor_id)`,
  `create index project_work_unit on project(work_unit_id)`,

  `create table project_registration (
     regency_code text not null,
     project_id bigint not null,
     registration_no text not null,
     registered_on date not null,
     basis text not null check (basis in ('contract_value','wage')),
     risk_class text,
     rate_table_version text not null references contribution_rate_table(version),
     contribution_jkk bigint not null check (contribution_jkk >= 0),
     contribution_jkm bigint not null check (contribution_jkm >= 0),
     contribution_amount bigint not null check (contribution_amount = contribution_jkk + contribution_jkm),
     computation jsonb not null,
     coverage_start date not null,
     coverage_end date not null,
     due_date date not null,
     created_at timestamptz not null default now(),
     primary key (regency_code, project_id),
     unique (regency_code, registration_no),
     foreign key (regency_code, project_id) references project(regency_code, id))`,

  `create table payment (
     regency_code text not null,
     id bigserial not null,
     project_id bigint not null,
     paid_on date not null,
     amount bigint not null check (amount > 0),
     reference text not null,
     created_at timestamptz not null default now(),
     primary key (regency_code, id),
     unique (regency_code, project_id, reference),
     foreign key (regency_code, project_id) references project(regency_code, id))`,

  `create table person (
     home_regency_code text not null,
     id bigserial not null,
     nik text not null check (nik ~ '^[0-9]{16}$'),
     name text not null,
     birth_date date not null,
     sex char(1) not null check (sex in ('M','F')),
     created_at timestamptz not null default now(),
     primary key (home_regency_code, id),
     unique (home_regency_code, nik))`,
  `create index person_by_id on person(id)`,
  `create index person_by_nik on person(nik)`,

  `create table assignment (
     regency_code text not null,
     id bigserial not null,
     project_id bigint not null,
     person_id bigint not null,
     joined_on date not null,
     left_on date,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     primary key (regency_code, id),
     unique (regency_code, project_id, person_id, joined_on),
     foreign key (regency_code, project_id) references project(regency_code, id),
     check (left_on is null or left_on >= joined_on))`,
  `create index assignment_person on assignment(regency_code, person_id)`,
  `create index assignment_dates on assignment(regency_code, joined_on, left_on)`,

  `create table report_batch (
     regency_code text not null,
     id bigserial not null,
     project_id bigint not null,
     idempotency_key text not null,
     source text not null,
     actor text not null,
     accepted integer not null,
     duplicates integer not null,
     rejected integer not null,
     response jsonb not null,
     received_at timestamptz not null default now(),
     primary key (regency_code, id),
     unique (regency_code, project_id, idempotency_key),
     foreign key (regency_code, project_id) references project(regency_code, id))`,

  `create table report_event (
     regency_code text not null,
     id bigserial not null,
     project_id bigint not null,
     batch_id bigint not null,
     event_key text not null,
     kind text not null check (kind in ('join','leave')),
     person_id bigint not null,
     event_date date not null,
     created_at timestamptz not null default now(),
     primary key (regency_code, id),
     unique (regency_code, event_key),
     foreign key (regency_code, batch_id) references report_batch(regency_code, id))`,

  `create table target (
     id bigserial primary key,
     scope_kind text not null check (scope_kind in ('region','work_unit','contractor','project')),
     scope_id text not null,
     year integer not null,
     target_bp integer not null check (target_bp between 0 and 10000),
     source text not null default '',
     unique (scope_kind, scope_id, year))`,

  `create table finding (
     regency_code text not null,
     id bigserial not null,
     rule text not null,
     fingerprint text not null,
     severity text not null check (severity in ('low','medium','high')),
     project_id bigint,
     contractor_id bigint references organisation(id),
     evidence jsonb not null,
     legal_basis text not null,
     status text not null check (status in ('open','resolved')),
     found_on date not null,
     resolved_on date,
     primary key (regency_code, id),
     unique (regency_code, fingerprint))`,

  `create table enforcement_case (
     regency_code text not null,
     id bigserial not null,
     contractor_id bigint not null references organisation(id),
     step text not null,
     status text not null check (status in ('open','closed')),
     opened_on date not null,
     deadline date,
     outcome text,
     primary key (regency_code, id))`,

  `create table case_step (
     regency_code text not null,
     id bigserial not null,
     case_id bigint not null,
     step text not null,
     actor text not null,
     taken_on date not null,
     deadline date,
     document_no text,
     primary key (regency_code, id),
     foreign key (regency_code, case_id) references enforcement_case(regency_code, id))`,

  `create table audit_log (
     id bigserial primary key,
     at timestamptz not null default now(),
     actor text not null,
     action text not null,
     entity text not null,
     entity_id text not null,
     before jsonb,
     after jsonb,
     prev_hash text not null,
     hash text not null unique)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
