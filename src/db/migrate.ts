import type { Kysely } from "kysely";
import { Migrator } from "kysely/migration";
import { migrations } from "./migrations/index.js";
import { assertNikKeyMatches } from "./nik-vault.js";

/** The one way to bring a database to the latest schema: `pantau migrate`, server start and tests. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw new Error(`Migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  await assertNikKeyMatches(db);
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
