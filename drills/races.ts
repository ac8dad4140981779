import { join } from "node:path";
import { sql } from "kysely";
import { benchDatabase } from "../bench/database.js";
import { newJoins } from "../bench/report-load.js";
import type { Db } from "../src/db/connection.js";
import { addDays, type IsoDate } from "../src/domain/dates.js";
import { type DrillContext, type DrillRow, knob, withTarget } from "./drill.js";
import { eventKey, extraCopies, storedEvents } from "./ledger.js";
import { Server, type Target } from "./processes.js";
import type { Site } from "./reporters.js";
import { registerSites } from "./sites.js";

const CLIENTS = knob("DRILL_RACE_CLIENTS", 24);

type Event = { event: "join" | "leave"; nik: string; date: string; eventId: string; name?: string };
interface Reply {
  status: number;
  body: {
    batchId?: number;
    accepted?: number;
    duplicates?: number;
    rejected?: number;
    replayed?: boolean;
    errors?: { row: number; code: string }[];
    code?: string;
    type?: string;
  };
  contentType: string;
}

/** One case: what it sent, which events the documented answer stores, and the checks it made. */
class Case {
  readonly failures: string[] = [];
  checks = 0;
  /** Each event sent, with whether the documented behaviour stores it. */
  readonly events: { projectId: number; eventId: string; stored: boolean }[] = [];
  acknowledged = 0;

  constructor(
    readonly scenario: string,
    readonly load: string,
  ) {}

  that(ok: boolean, what: string): void {
    this.checks += 1;
    if (!ok) this.failures.push(what);
  }

  sent(site: Site, events: readonly Event[], stored: (e: Event) => boolean): void {
    for (const e of events)
      this.events.push({ projectId: site.projectId, eventId: e.eventId, stored: stored(e) });
  }
}

/**
 * Drill 4: replays and races, each against what docs/api.md and docs/architecture.md promise, checked
 * in the answers and then in the database: the same Idempotency-Key from many clients at once (with
 * the same body, and with different bodies), one worker joining two projects at the same moment, a
 * leave before its join, dates outside the contract, and the documented refusals (401, 404, 400, 413).
 */
export async function raceDrill(ctx: DrillContext): Promise<DrillRow[]> {
  const database = await benchDatabase("drill", ctx.cluster.url);
  const sites = await registerSites(database.db, { count: 8, regencies: 2, tag: "race" });
  await database.close();
  const target: Target = { databaseUrl: database.url, dataDir: join(ctx.dir, "races") };
  const server = await Server.start(target, ctx.dir);
  const today = new Date().toISOString().slice(0, 10) as IsoDate;
  const site = (i: number) => sites[i] as Site;

  const post = async (
    s: Site,
    key: string | null,
    events: readonly unknown[],
    token = s.token,
  ): Promise<Reply> => {
    const response = await fetch(`${server.url}/api/v1/projects/${s.projectId}/reports`, {
      method: "POST",
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        "content-type": "application/json",
        ...(key ? { "idempotency-key": key } : {}),
      },
      body: JSON.stringify({ events }),
    });
    return {
      status: response.status,
      body: (await response.json()) as Reply["body"],
      contentType: response.headers.get("content-type") ?? "",
    };
  };
  const joins = (s: Site, n: number, tag: string): Event[] =>
    newJoins(s.districtCode, n).map((e, i) => ({ ...e, eventId: `${tag}/${i}` }));
  const same = (a: Reply["body"], b: Reply["body"]) =>
    JSON.stringify({ ...a, replayed: null }) === JSON.stringify({ ...b, replayed: null });
  const codes = (r: Reply) => (r.body.errors ?? []).map((e) => e.code).join(",");
  const cases: Case[] = [];

  // a. One key, one body, from CLIENTS clients at once: one batch stored, one answer replayed by all.
  {
    const c = new Case("4a same key, same body", `${CLIENTS} clients at once, one key`);
    const events = joins(site(0), 10, "same-body");
    const replies = await Promise.all(
      Array.from({ length: CLIENTS }, () => post(site(0), "race-same-body", events)),
    );
    const fresh = replies.filter((r) => r.body.replayed === false);
    c.that(
      replies.every((r) => r.status === 200),
      `statuses ${replies.map((r) => r.status).join(",")}`,
    );
    c.that(fresh.length === 1, `${fresh.length} answers with replayed: false, expected 1`);
    c.that(
      replies.every((r) => same(r.body, replies[0]?.body ?? {})),
      "the answers differ beyond `replayed`",
    );
    c.that(fresh[0]?.body.accepted === 10, `first answer accepted ${fresh[0]?.body.accepted}`);
    c.sent(site(0), events, () => true);
    c.acknowledged = fresh[0]?.body.accepted ?? 0;
    cases.push(c);
  }

  // b. One key, different bodies at once: the first body is stored; every other body is refused with
  //    422 IDEMPOTENCY_KEY_REUSED and nothing of it stored (docs/api.md, "Reporting workers").
  {
    const c = new Case("4b same key, different bodies", `${CLIENTS} clients at once, one key`);
    const bodies = Array.from({ length: CLIENTS }, (_, i) => joins(site(1), 10, `other-body-${i}`));
    const replies = await Promise.all(bodies.map((events) => post(site(1), "race-other-bodies", events)));
    const winner = replies.findIndex((r) => r.status === 200);
    const refused = replies.filter((r) => r.status === 422);
    c.that(
      replies.filter((r) => r.status === 200).length === 1 && replies[winner]?.body.replayed === false,
      `statuses ${replies.map((r) => r.status).join(",")}: expected one 200 with replayed: false`,
    );
    c.that(
      refused.length === CLIENTS - 1 &&
        refused.every(
          (r) =>
            r.body.code === "IDEMPOTENCY_KEY_REUSED" && r.contentType.startsWith("application/problem+json"),
        ),
      `the other bodies: ${refused.length} refused with IDEMPOTENCY_KEY_REUSED, expected ${CLIENTS - 1}`,
    );
    for (const [i, events] of bodies.entries()) c.sent(site(1), events, () => i === winner);
    c.acknowledged = replies[winner]?.body.accepted ?? 0;
    cases.push(c);
  }

  // c. One worker joins two projects at the same moment, again and again: one person, two stints.
  const pairs = 12;
  const twoProjects: { a: Event; b: Event }[] = [];
  {
    const c = new Case("4c one worker, two projects at once", `${pairs} workers × 2 projects at once`);
    for (let i = 0; i < pairs; i++) {
      const [a, b] = [site(2), site(i % 2 === 0 ? 4 : 3)]; // same regency, then another regency
      const worker = newJoins(a.districtCode, 1)[0] as Omit<Event, "eventId">;
      const onA = { ...worker, eventId: `two-${i}-a` } as Event;
      const onB = { ...worker, eventId: `two-${i}-b` } as Event;
      const [ra, rb] = await Promise.all([
        post(a, `race-two-${i}-a`, [onA]),
        post(b, `race-two-${i}-b`, [onB]),
      ]);
      c.that(
        ra.status === 200 && rb.status === 200 && ra.body.accepted === 1 && rb.body.accepted === 1,
        `worker ${i}: answers ${ra.status} ${JSON.stringify(ra.body)} / ${rb.status} ${JSON.stringify(rb.body)}`,
      );
      c.sent(a, [onA], () => true);
      c.sent(b, [onB], () => true);
      c.acknowledged += (ra.body.accepted ?? 0) + (rb.body.accepted ?? 0);
      twoProjects.push({ a: onA, b: onB });
    }
    cases.push(c);
  }

  // d. A leave before its join: refused with the documented codes, and a replay keeps its first answer.
  {
    const c = new Case("4d leave before join", "sequential requests, one project");
    const s = site(5);
    const x = newJoins(s.districtCode, 2);
    const [worker, other] = x as [Omit<Event, "eventId">, Omit<Event, "eventId">];
    const leaveFirst: Event = {
      event: "leave",
      nik: worker.nik,
      date: "2025-03-10",
      eventId: "lbj-leave-first",
    };
    const r1 = await post(s, "race-lbj-1", [leaveFirst]);
    c.that(
      r1.status === 200 && r1.body.accepted === 0 && codes(r1) === "WORKER_NOT_ON_PROJECT",
      `leave of a worker never joined: ${r1.status} ${JSON.stringify(r1.body)}`,
    );
    const join: Event = { ...worker, date: "2025-03-03", eventId: "lbj-join" };
    const r2 = await post(s, "race-lbj-2", [join]);
    c.that(r2.status === 200 && r2.body.accepted === 1, `join: ${JSON.stringify(r2.body)}`);
    const r3 = await post(s, "race-lbj-1", [leaveFirst]);
    c.that(
      r3.status === 200 && r3.body.replayed === true && same(r3.body, r1.body),
      `the refused leave sent again with its key: ${JSON.stringify(r3.body)} (docs: the first answer)`,
    );
    const early: Event = { event: "leave", nik: worker.nik, date: "2025-03-01", eventId: "lbj-early" };
    const r4 = await post(s, "race-lbj-3", [early]);
    c.that(
      r4.status === 200 && r4.body.accepted === 0 && codes(r4) === "LEAVE_BEFORE_JOIN",
      `leave dated before the join: ${JSON.stringify(r4.body)}`,
    );
    const leave: Event = { ...leaveFirst, eventId: "lbj-leave" };
    const r5 = await post(s, "race-lbj-4", [leave]);
    c.that(
      r5.status === 200 && r5.body.accepted === 1,
      `the leave with a new key: ${JSON.stringify(r5.body)}`,
    );
    // One batch: a join and a leave dated before it. Rows apply in date order (docs/architecture.md),
    // so the leave comes first and finds no stint.
    const both: Event[] = [
      { ...other, date: "2025-03-05", eventId: "lbj-both-join" },
      { event: "leave", nik: other.nik, date: "2025-03-02", eventId: "lbj-both-leave" },
    ];
    const r6 = await post(s, "race-lbj-5", both);
    c.that(
      r6.status === 200 && r6.body.accepted === 1 && codes(r6) === "WORKER_NOT_ON_PROJECT",
      `join and earlier leave in one batch: ${JSON.stringify(r6.body)}`,
    );
    c.sent(s, [leaveFirst, early, both[1] as Event], () => false);
    c.sent(s, [join, leave, both[0] as Event], () => true);
    c.acknowledged = (r2.body.accepted ?? 0) + (r5.body.accepted ?? 0) + (r6.body.accepted ?? 0);
    cases.push(c);
  }

  // e. Dates outside the contract (2025-01-06 to 2025-12-31) and in the future.
  {
    const c = new Case("4e dates outside the contract", "sequential requests, one project");
    const s = site(6);
    const [w1, w2, w3, w4] = newJoins(s.districtCode, 4) as Omit<Event, "eventId">[] as [
      Omit<Event, "eventId">,
      Omit<Event, "eventId">,
      Omit<Event, "eventId">,
      Omit<Event, "eventId">,
    ];
    const afterEnd = addDays("2025-12-31", 1);
    const refused: [string, Event, string][] = [
      ["before SPMK", { ...w1, date: "2025-01-02", eventId: "out-before" }, "DATE_OUTSIDE_CONTRACT"],
      ["in the future", { ...w2, date: addDays(today, 10), eventId: "out-future" }, "DATE_IN_FUTURE"],
      ...(afterEnd <= today
        ? [
            ["after the end", { ...w3, date: afterEnd, eventId: "out-after" }, "DATE_OUTSIDE_CONTRACT"] as [
              string,
              Event,
              string,
            ],
          ]
        : []),
    ];
    for (const [what, event, code] of refused) {
      const r = await post(s, `race-out-${event.eventId}`, [event]);
      c.that(
        r.status === 200 && r.body.accepted === 0 && r.body.rejected === 1 && codes(r) === code,
        `join ${what}: ${r.status} ${JSON.stringify(r.body)}, expected ${code}`,
      );
    }
    const inside: Event = { ...w4, date: "2025-06-02", eventId: "out-join" };
    const late: Event = { event: "leave", nik: w4.nik, date: afterEnd, eventId: "out-leave-after" };
    const r1 = await post(s, "race-out-join", [inside]);
    const r2 = afterEnd <= today ? await post(s, "race-out-leave", [late]) : null;
    c.that(r1.body.accepted === 1, `join inside the contract: ${JSON.stringify(r1.body)}`);
    if (r2)
      c.that(
        r2.body.accepted === 0 && codes(r2) === "DATE_OUTSIDE_CONTRACT",
        `leave after the end: ${JSON.stringify(r2.body)}`,
      );
    c.sent(s, [...refused.map(([, e]) => e), ...(r2 ? [late] : [])], () => false);
    c.sent(s, [inside], () => true);
    c.acknowledged = r1.body.accepted ?? 0;
    cases.push(c);
  }

  // f. The documented refusals: 401 without a token, 404 for another contractor's project and for a
  //    missing one (indistinguishable), 400 without an Idempotency-Key, 413 over 1,000 events.
  {
    const c = new Case("4f documented refusals", "401, 404, 400, 413");
    const s = site(7);
    const [one] = joins(s, 1, "refused") as [Event];
    const problem = (r: Reply) => r.contentType.startsWith("application/problem+json");
    const anonymous = await post(s, "race-refused-1", [one], "");
    c.that(anonymous.status === 401 && problem(anonymous), `no token: ${anonymous.status}`);
    const foreign = await post(s, "race-refused-2", [one], site(6).token);
    const missing = await post({ ...s, projectId: 987654321 }, "race-refused-3", [one]);
    c.that(
      foreign.status === 404 && missing.status === 404 && foreign.body.code === missing.body.code,
      `another's project ${foreign.status} ${foreign.body.code}, a missing one ${missing.status} ${missing.body.code}`,
    );
    const keyless = await post(s, null, [one]);
    c.that(keyless.status === 400 && problem(keyless), `no Idempotency-Key: ${keyless.status}`);
    const big = await post(s, "race-refused-4", joins(s, 1001, "big"));
    c.that(big.status === 413 && problem(big), `1,001 events: ${big.status}`);
    c.sent(s, [one], () => false);
    cases.push(c);
  }

  await server.stop();
  const rows = await withTarget(target, async ({ db }) => {
    const out: DrillRow[] = [];
    for (const c of cases) out.push(await judge(db, c));
    // c, continued: each worker is one person with a stint on each project.
    const stored = await sql<{ event_key: string; person_id: string }>`
      select event_key, person_id from report_event
      where event_key = any(${sql.val(twoProjects.flatMap(({ a, b }, i) => [eventKey(site(2).projectId, a.eventId), eventKey(site(i % 2 === 0 ? 4 : 3).projectId, b.eventId)]))}::text[])`.execute(
      db,
    );
    const person = new Map(stored.rows.map((r) => [r.event_key, r.person_id]));
    const row = out[2] as DrillRow;
    const people = new Set<string>();
    for (const [i, { a, b }] of twoProjects.entries()) {
      const pa = person.get(eventKey(site(2).projectId, a.eventId));
      const pb = person.get(eventKey(site(i % 2 === 0 ? 4 : 3).projectId, b.eventId));
      if (pa === undefined || pa !== pb)
        row.failures.push(`worker ${i}: persons ${pa} and ${pb}, expected one`);
      if (pa) people.add(pa);
    }
    if (people.size !== pairs) row.failures.push(`${people.size} people for ${pairs} workers`);
    return out;
  });
  await database.drop();
  return rows;
}

/** What the database holds of a case's events against what the documented answers say it should. */
async function judge(db: Db, c: Case): Promise<DrillRow> {
  const projectIds = [...new Set(c.events.map((e) => e.projectId))];
  const stored = await storedEvents(db, projectIds);
  let present = 0;
  let lost = 0;
  let duplicated = await extraCopies(db, projectIds);
  const failures = [...c.failures];
  const keys = new Set<string>();
  for (const e of c.events) {
    const key = eventKey(e.projectId, e.eventId);
    keys.add(key);
    const found = stored.get(key);
    if (found) {
      present += 1;
      duplicated += found.count - 1;
      if (found.stints < found.count) failures.push(`event ${e.eventId} stored without its stint`);
    }
    if (e.stored && !found) lost += 1;
    if (!e.stored && found) failures.push(`event ${e.eventId} stored, but the documented answer refuses it`);
  }
  const strays = [...stored.keys()].filter((k) => !keys.has(k)).length;
  if (strays > 0) failures.push(`${strays} events stored that no request sent`);
  return {
    scenario: `${c.scenario}, PostgreSQL`,
    load: c.load,
    faults: "none",
    tally: { sent: c.events.length, acknowledged: c.acknowledged, present, lost, duplicated },
    failures,
    notes: [`${c.scenario}: ${c.checks - c.failures.length} of ${c.checks} answer checks as documented`],
  };
}
