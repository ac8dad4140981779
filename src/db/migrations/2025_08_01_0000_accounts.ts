import { type Kysely, sql } from "kysely";

/**
 * Accounts for the API: users bound to an organisation and (for BPJS branches) a region, sessions
 * and contractor API tokens, both stored only as SHA-256 hashes of the secret. Frozen in time.
 */
const statements = [
  `alter table app_user add column region_code text references region(code)`,
  `alter table app_user add column disabled_at timestamptz`,
  `create table user_session (
     token_hash text primary key,
     user_id bigint not null references app_user(id),
     created_at timestamptz not null default now(),
     expires_at timestamptz not null)`,
  `create index user_session_by_user on user_session(user_id)`,
  `create table api_token (
     id bigserial primary key,
     organisation_id bigint not null references organisation(id),
     name text not null,
     prefix text not null,
     token_hash text not null unique,
     created_by text not null,
     created_at timestamptz not null default now(),
     revoked_at timestamptz,
     last_used_at timestamptz)`,
  `alter table enforcement_case add column referred_to bigint references organisation(id)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
