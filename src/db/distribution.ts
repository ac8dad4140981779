/**
 * How the schema spreads over a Citus cluster (docs/scale-out.md). Large tables are distributed by
 * the regency and co-located, so a regency's rows sit on one node and its joins stay there; small,
 * read-mostly tables are reference tables copied to every node; the audit chain, one global sequence
 * of hashes, stays on the coordinator. test/db/distribution.test.ts holds the schema to this list:
 * every table classified, every unique key and every foreign key between distributed tables with the
 * distribution column in it.
 */
export const DISTRIBUTED: Readonly<Record<string, string>> = {
  project: "regency_code",
  project_registration: "regency_code",
  payment: "regency_code",
  payment_claim: "regency_code",
  registration_claim: "regency_code",
  assignment: "regency_code",
  report_batch: "regency_code",
  report_event: "regency_code",
  finding: "regency_code",
  enforcement_case: "regency_code",
  case_step: "regency_code",
  case_letter: "regency_code",
  compliance_run: "regency_code",
  coverage_change: "regency_code",
  project_protection: "regency_code",
  // By the regency that issued the NIK (its first four digits): a NIK's lookup is one shard.
  person: "home_regency_code",
};

export const REFERENCE: readonly string[] = [
  "region",
  "setting",
  "contribution_rate_table",
  "contribution_rate_tier",
  "organisation",
  "target",
  "app_user",
  "user_session",
  "api_token",
];

/** Kept on the coordinator (Citus local tables): the hash-chained audit log and the migrator's own. */
export const COORDINATOR: readonly string[] = ["audit_log", "kysely_migration", "kysely_migration_lock"];

/** The statements that lay an already migrated database out on Citus, in dependency order. */
export function citusStatements(): string[] {
  const [first, ...rest] = Object.keys(DISTRIBUTED) as [string, ...string[]];
  return [
    ...REFERENCE.map((t) => `select create_reference_table('${t}');`),
    ...COORDINATOR.map((t) => `select citus_add_local_table_to_metadata('${t}');`),
    `select create_distributed_table('${first}', '${DISTRIBUTED[first]}');`,
    ...rest.map(
      (t) => `select create_distributed_table('${t}', '${DISTRIBUTED[t]}', colocate_with => '${first}');`,
    ),
  ];
}
