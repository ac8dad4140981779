import { sql } from "kysely";
import { newJoins } from "../bench/report-load.js";
import { openDatabase } from "../src/db/connection.js";
import { migrateToLatest } from "../src/db/migrate.js";
import { systemActor } from "../src/services/actor.js";
import { reportWorkers } from "../src/services/worker-reports.js";
import { eventKey, type SentBatch, type Tally, tally } from "./ledger.js";
import { registerSites } from "./sites.js";

/**
 * A drill that cannot fail proves nothing. Before the drills run, the ledger judges a database in which
 * faults were planted by hand: an acknowledged event deleted, a second stint for a worker, a batch row
 * left without its events, an event no batch sent. Each must show in its figure; the answer is the
 * faults it missed (none, or the drills' figures are not to be trusted).
 */
export async function checkTheLedger(): Promise<string[]> {
  const database = await openDatabase({ memory: true });
  try {
    const { db } = database;
    await migrateToLatest(db);
    const [site] = await registerSites(db, { count: 1, regencies: 1, tag: "self-check" });
    if (!site) throw new Error("no site");
    const batches: SentBatch[] = [];
    for (let i = 0; i < 3; i++) {
      const events = newJoins(site.districtCode, 5).map((e, k) => ({ ...e, eventId: `self-${i}/${k}` }));
      await reportWorkers(
        db,
        site.projectId,
        {
          idempotencyKey: `self-${i}`,
          source: "api",
          rows: events.map((raw, k) => ({ row: k + 1, raw })),
          today: "2025-12-31",
        },
        systemActor("drill"),
      );
      batches.push({
        projectId: site.projectId,
        key: `self-${i}`,
        eventIds: events.map((e) => e.eventId),
        acked: true,
      });
    }
    const missed: string[] = [];
    const expect = (t: Tally, figure: keyof Tally, value: number, fault: string) => {
      if (t[figure] !== value) missed.push(`${fault}: ${figure} ${t[figure]}, expected ${value}`);
    };
    const clean = await tally(db, batches);
    for (const figure of ["lost", "duplicated", "torn", "strays", "unjoined"] as const)
      expect(clean, figure, 0, "nothing planted");
    expect(clean, "present", 15, "nothing planted");

    const key = (i: number, k: number) => eventKey(site.projectId, `self-${i}/${k}`);
    await sql`delete from report_event where event_key = ${key(0, 0)}`.execute(db);
    await sql`insert into assignment (regency_code, project_id, person_id, joined_on, left_on)
      select regency_code, project_id, person_id, joined_on + 1, null from assignment
      where project_id = ${site.projectId} order by id limit 1`.execute(db);
    await sql`delete from report_event where batch_id = (select batch_id from report_event
      where event_key = ${key(1, 0)})`.execute(db);
    await sql`insert into report_event (regency_code, project_id, batch_id, event_key, kind, person_id, event_date)
      select regency_code, project_id, batch_id, 'id:planted', kind, person_id, event_date from report_event
      where event_key = ${key(2, 0)}`.execute(db);
    (batches[1] as SentBatch).acked = false; // not acknowledged: may be absent, but not its row without its events
    const planted = await tally(db, batches);
    expect(planted, "lost", 1, "an acknowledged event deleted");
    expect(planted, "duplicated", 1, "a second stint for one worker on one project");
    expect(planted, "torn", 2, "a batch missing one event, and a batch row without its events");
    expect(planted, "strays", 1, "an event that no batch sent");
    return missed;
  } finally {
    await database.close();
  }
}
