import { todayIso } from "../clock.js";
import { loadConfig } from "../config.js";
import { migrateToLatest } from "../db/migrate.js";
import { loadSanggauDemo } from "../demo/load.js";
import { DEMO_PASSWORD, demoLoginsPresent } from "../demo/users.js";
import { buildApp } from "../http/app.js";
import { systemActor } from "../services/actor.js";
import { businessClock } from "../services/settings.js";
import { buildWeb, WEB_DIST, webUpToDate } from "./build-web.js";
import { openConfigured } from "./context.js";
import { progressBar } from "./progress.js";

export const DEMO_SEED = 2025;

/** `pantau serve`: migrate, load the demo into an empty database when asked, listen, close cleanly. */
export async function serve(opts: { demoIfEmpty: boolean }): Promise<void> {
  const config = loadConfig();
  const database = await openConfigured(config);
  await migrateToLatest(database.db);
  if (opts.demoIfEmpty) {
    const any = await database.db.selectFrom("project").select("id").limit(1).executeTakeFirst();
    if (!any) {
      const bar = progressBar("Memuat demo Sanggau");
      const result = await loadSanggauDemo(database.db, {
        seed: DEMO_SEED,
        today: todayIso(),
        actor: systemActor("demo"),
        onProgress: bar.update,
      });
      bar.stop();
      console.log(
        `Demo Sanggau dimuat: ${result.projects} proyek, ${result.reportedEvents} laporan pekerja.`,
      );
    }
  }
  // `npm start` on a fresh clone builds the dashboard; later starts reuse web/dist while it is current.
  if (!webUpToDate()) {
    console.log("Membangun dasbor web / building the dashboard…");
    await buildWeb();
  }
  const today = await businessClock(database.db);
  const app = await buildApp({
    db: database.db,
    reads: database.reads,
    config,
    today,
    webRoot: WEB_DIST,
    secureCookies: config.secureCookies,
    trustProxy: config.trustProxy,
  });
  const shutdown = async (signal: string) => {
    app.log.info({ signal }, "shutting down");
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  await app.listen({ host: config.host, port: config.port });
  const base = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${config.port}`;
  console.log(
    [
      `Pantau Jakon berjalan di ${base} (${database.kind === "pglite" ? `PGlite, ${config.dataDir}` : "PostgreSQL"})`,
      `  Dasbor:          ${base}/`,
      ...(today() === todayIso() ? [] : [`  Tanggal skenario / scenario date: ${today()} (basis data demo)`]),
      `  Cakupan Sanggau: ${base}/api/coverage?region=61.03&date=2025-07-30`,
      `  Kesehatan:       ${base}/health`,
      `  API (OpenAPI):   ${base}/docs`,
      ...(config.nikKey
        ? []
        : [
            `  Kunci NIK / NIK key: ${config.dataDir}/nik.key — set PANTAU_NIK_KEY from a secret store in production`,
          ]),
    ].join("\n"),
  );
  const logins = await demoLoginsPresent(database.db);
  if (logins.length > 0) {
    console.log(`Akun demo (kata sandi "${DEMO_PASSWORD}"):`);
    for (const l of logins) console.log(`  ${l.role.padEnd(10)} ${l.email}`);
  }
}
