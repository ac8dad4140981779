import { type Kysely, sql } from "kysely";

/**
 * A contractor's payment waits for the branch (DESIGN §1: contractors record payments, BPJS confirms
 * them). The claim is kept beside `payment`, which stays the confirmed money that coverage, arrears and
 * the certificate count: confirming a claim writes its payment, so nothing that reads payments changes.
 * A rejected claim frees its reference, for the contractor to file the transfer again correctly.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table payment_claim (
     regency_code text not null,
     id bigserial not null,
     project_id bigint not null,
     paid_on date not null,
     amount bigint not null check (amount > 0),
     reference text not null,
     status text not null default 'pending' check (status in ('pending', 'confirmed', 'rejected')),
     claimed_by text not null,
     created_at timestamptz not null default now(),
     decided_by text,
     decided_at timestamptz,
     reason text,
     payment_id bigint,
     primary key (regency_code, id),
     foreign key (regency_code, project_id) references project(regency_code, id),
     foreign key (regency_code, payment_id) references payment(regency_code, id),
     check ((status = 'pending') = (decided_at is null)),
     check ((status = 'confirmed') = (payment_id is not null)),
     check ((status = 'rejected') = (reason is not null)))`.execute(db);
  await sql`create unique index payment_claim_reference on payment_claim (regency_code, project_id, reference)
     where status <> 'rejected'`.execute(db);
  // The branch's queue: what waits, oldest first.
  await sql`create index payment_claim_pending on payment_claim (regency_code, created_at)
     where status = 'pending'`.execute(db);
  await sql`create index payment_claim_by_id on payment_claim (id)`.execute(db);
}
