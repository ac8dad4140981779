import { benchDatabase } from "../bench/database.js";
import { openDatabase } from "../src/db/connection.js";
import { migrateToLatest } from "../src/db/migrate.js";
import {
  type DrillContext,
  type DrillRow,
  dataDir,
  knob,
  momentMs,
  rangeKnob,
  sleep,
  withTarget,
} from "./drill.js";
import { problems, storedBatchKeys, tally, unacknowledged } from "./ledger.js";
import { Server, type Target } from "./processes.js";
import { Reporters, type Site } from "./reporters.js";
import { registerSites } from "./sites.js";

const CLIENTS = knob("DRILL_CLIENTS", 16);
const EVENTS = knob("DRILL_BATCH_EVENTS", 20);
const CRASH_AFTER = rangeKnob("DRILL_CRASH_AFTER", [3, 12]);

/**
 * Drill 2: contractors' systems report batches over HTTP while the server is killed with SIGKILL at a
 * random moment (on PostgreSQL the database server is crashed at the same moment, so it must recover
 * from its WAL). After the restart every acknowledged event must be stored exactly once and every
 * other batch wholly or not at all; then the clients send what was not acknowledged again, with the
 * same keys, and everything must be stored once.
 */
export async function reportCrashDrill(
  ctx: DrillContext,
  backend: "postgres" | "pglite",
): Promise<DrillRow[]> {
  const name = backend === "postgres" ? "PostgreSQL" : "PGlite";
  const dir = dataDir(ctx, `report-crash-${backend}`);
  let target: Target;
  let sites: Site[];
  let drop = async () => {};
  if (backend === "postgres") {
    const database = await benchDatabase("drill", ctx.cluster.url);
    sites = await registerSites(database.db, { count: CLIENTS, regencies: 4, tag: "crash" });
    await database.close();
    target = { databaseUrl: database.url, dataDir: dir };
    drop = database.drop;
  } else {
    // The server will own the directory: set it up first, from this process, and let go of it.
    const database = await openDatabase({ dataDir: dir });
    await migrateToLatest(database.db);
    sites = await registerSites(database.db, { count: CLIENTS, regencies: 4, tag: "crash" });
    await database.close();
    target = { dataDir: dir };
  }

  const server = await Server.start(target, ctx.dir);
  const reporters = new Reporters(server.url, sites, { eventsPerBatch: EVENTS, tag: `crash-${backend}` });
  const crashAt = momentMs(ctx, CRASH_AFTER);
  reporters.start();
  await sleep(crashAt);
  await server.kill9();
  if (backend === "postgres") ctx.cluster.crash();
  await reporters.stop();
  const fault =
    backend === "postgres"
      ? `kill -9 server + PostgreSQL immediate stop at ${(crashAt / 1000).toFixed(1)} s`
      : `kill -9 server (and its PGlite) at ${(crashAt / 1000).toFixed(1)} s`;
  ctx.say(`${name}: crashed at ${(crashAt / 1000).toFixed(1)} s, ${reporters.sent.length} batches sent`);
  if (backend === "postgres") ctx.cluster.start();

  const load = `${CLIENTS} clients × ${EVENTS}-event batches`;
  const [afterCrash, stored] = await withTarget(target, async ({ db }) => [
    await tally(db, reporters.sent),
    await storedBatchKeys(
      db,
      sites.map((s) => s.projectId),
    ),
  ]);
  const clientFailures = [...reporters.failures];
  await server.restart();
  const retried = await reporters.retry(server.url, stored);
  await server.stop();
  const afterRetry = await withTarget(target, ({ db }) => tally(db, reporters.sent));
  await drop();
  return [
    {
      scenario: `2 reports + crash, ${name}: after crash`,
      load,
      faults: fault,
      tally: afterCrash,
      failures: [...problems(afterCrash), ...clientFailures],
      notes: [`${name}, after the crash: ${unacknowledged(afterCrash)}`],
    },
    {
      scenario: `2 reports + crash, ${name}: after retry`,
      load: `${retried.resent} batches sent again, same keys`,
      faults: "restart",
      tally: afterRetry,
      failures: [
        ...problems(afterRetry),
        ...reporters.failures.slice(clientFailures.length),
        ...(afterRetry.present === afterRetry.sent
          ? []
          : [`${afterRetry.sent - afterRetry.present} events absent`]),
      ],
      notes: [`${name}: ${retried.replayed} of ${retried.resent} batches sent again were answered replayed`],
    },
  ];
}
