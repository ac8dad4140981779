import { type Config, loadConfig } from "../config.js";
import { type Database, openDatabase } from "../db/connection.js";
import { migrateToLatest } from "../db/migrate.js";

/** The database named by the configuration: a PostgreSQL server, else embedded PGlite under dataDir. */
export async function openConfigured(config: Config): Promise<Database> {
  return openDatabase(config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.dataDir });
}

/** Run a command body with a migrated database, closing it however the body ends. */
export async function withDatabase<T>(body: (database: Database, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await openConfigured(config);
  try {
    await migrateToLatest(database.db);
    return await body(database, config);
  } finally {
    await database.close();
  }
}
