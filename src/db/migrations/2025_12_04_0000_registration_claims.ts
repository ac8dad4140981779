import { type Kysely, sql } from "kysely";

/**
 * A contractor's registration with BPJS waits for the branch (DESIGN §1: contractors register projects,
 * BPJS verifies the registrations), as its payments do. The claim is kept beside `project_registration`,
 * which stays the verified registrations that coverage, the contribution owed, payments and compliance
 * read: verifying a claim writes its registration, so nothing that reads registrations changes. One
 * claim waits per project at a time; a rejected one says why, for the contractor to file again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table registration_claim (
     regency_code text not null,
     id bigserial not null,
     project_id bigint not null,
     registered_on date not null,
     basis text not null check (basis in ('contract_value', 'wage')),
     input jsonb not null,
     contribution_amount bigint not null check (contribution_amount >= 0),
     status text not null default 'pending' check (status in ('pending', 'verified', 'rejected')),
     claimed_by text not null,
     created_at timestamptz not null default now(),
     decided_by text,
     decided_at timestamptz,
     reason text,
     primary key (regency_code, id),
     foreign key (regency_code, project_id) references project(regency_code, id),
     check ((status = 'pending') = (decided_at is null)),
     check ((status = 'rejected') = (reason is not null)))`.execute(db);
  await sql`create unique index registration_claim_waiting on registration_claim (regency_code, project_id)
     where status = 'pending'`.execute(db);
  // The branch's queue: what waits, oldest first.
  await sql`create index registration_claim_pending on registration_claim (regency_code, created_at)
     where status = 'pending'`.execute(db);
  await sql`create index registration_claim_project on registration_claim (regency_code, project_id, id)`.execute(
    db,
  );
  await sql`create index registration_claim_by_id on registration_claim (id)`.execute(db);
}
