import { type Kysely, sql } from "kysely";

/**
 * Compliance runs, findings that can recur after being resolved, one open case per contractor and
 * regency, and the letters of each case. Frozen in time.
 */
const statements = [
  // A fingerprint is unique among *open* findings only: a problem that comes back is a new finding.
  `alter table finding drop constraint finding_regency_code_fingerprint_key`,
  `create unique index finding_open_fingerprint on finding(regency_code, fingerprint) where status = 'open'`,
  `alter table finding add column summary jsonb not null default '{}'`,
  `alter table finding add column last_seen_on date`,
  `alter table finding add column case_id bigint`,
  `create index finding_contractor on finding(regency_code, contractor_id) where status = 'open'`,
  `alter table enforcement_case add column has_arrears boolean not null default false`,
  `alter table enforcement_case add column resolution jsonb`,
  `create unique index enforcement_case_open on enforcement_case(regency_code, contractor_id) where status = 'open'`,
  `alter table case_step add column note text`,
  `create table compliance_run (
     regency_code text not null,
     id bigserial not null,
     run_date date not null,
     actor text not null,
     started_at timestamptz not null default now(),
     finished_at timestamptz,
     projects integer not null default 0,
     opened integer not null default 0,
     updated integer not null default 0,
     resolved integer not null default 0,
     primary key (regency_code, id))`,
  `create table case_letter (
     regency_code text not null,
     id bigserial not null,
     case_id bigint not null,
     step text not null,
     number text not null,
     issued_on date not null,
     pdf bytea not null,
     primary key (regency_code, id),
     unique (regency_code, number),
     foreign key (regency_code, case_id) references enforcement_case(regency_code, id))`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
