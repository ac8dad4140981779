import { createHash } from "node:crypto";
import { setImmediate as turn } from "node:timers/promises";
import { sql, type Transaction } from "kysely";
import type { Db } from "../db/connection.js";
import { type NikVault, nikVault } from "../db/nik-vault.js";
import type { DB, Project } from "../db/schema.js";
import type { IsoDate } from "../domain/dates.js";
import { DomainError, notFound } from "../domain/errors.js";
import { issuingRegency } from "../domain/nik.js";
import {
  applyWorkerEvents,
  type RawWorkerRow,
  type RowError,
  type Stint,
  type StintChange,
  validateWorkerRow,
  type WorkerEvent,
} from "../domain/worker-report.js";
import { assertVisible, requireProject } from "./access.js";
import type { Actor } from "./actor.js";
import { appendAudit, canonical } from "./audit.js";
import { lockProjects } from "./lookups.js";

/**
 * Worker reports (lapor pekerja). Behaviour, documented in docs/architecture.md:
 * - each row is validated on its own; invalid rows are rejected with row, field and reason and
 *   change nothing;
 * - the valid rows of a batch are applied together in one transaction, in the order given;
 * - a row that repeats what is already recorded (same event id, or same worker/kind/date) is
 *   counted as a duplicate and changes nothing, so replaying a batch or a file is a no-op;
 * - a batch is identified by its idempotency key: sending the same key again with the same rows
 *   returns the first answer; other rows under a key already used are refused
 *   (IDEMPOTENCY_KEY_REUSED), since answering them as stored would lose them without a word.
 */
export interface ReportBatchResult {
  batchId: number;
  projectId: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  errors: RowError[];
  replayed: boolean;
}

export interface ReportBatchInput {
  idempotencyKey: string;
  source: "api" | "csv" | "xlsx" | "web" | "demo";
  /** Rows with their position (row number in the file, or index + 1 in an API batch). */
  rows: readonly { row: number; raw: RawWorkerRow }[];
  today: IsoDate;
  /** Rows the caller already refused (e.g. an upload's rows for another project), kept in the answer. */
  refused?: readonly RowError[];
}

/** One batch for one project, in its own transaction (the API path). */
export async function reportWorkers(
  db: Db,
  projectId: number,
  input: ReportBatchInput,
  actor: Actor,
): Promise<ReportBatchResult> {
  return db.transaction().execute((trx) => applyReportBatch(trx, projectId, input, actor));
}

/** Apply one batch inside the caller's transaction. */
export async function applyReportBatch(
  trx: Transaction<DB>,
  projectId: number,
  input: ReportBatchInput,
  actor: Actor,
): Promise<ReportBatchResult> {
  const answers = await applyReportBatches(trx, await prepareBatches([{ projectId, input }]), actor);
  await auditReports(trx, actor, input, answers);
  return answers[0] as ReportBatchResult;
}

/**
 * One audit row for a request that changed something: a national import is one act, not one per
 * project. Appended last, after every coverage turn the request takes (the audit chain's lock is the
 * last a writer waits for).
 */
export async function auditReports(
  trx: Transaction<DB>,
  actor: Actor,
  request: Pick<ReportBatchInput, "idempotencyKey" | "source">,
  answers: readonly ReportBatchResult[],
): Promise<void> {
  const stored = answers.filter((a) => !a.replayed);
  const accepted = stored.reduce((n, a) => n + a.accepted, 0);
  if (accepted === 0) return;
  const only = stored.length === 1 ? stored[0] : undefined;
  await appendAudit(trx, actor, {
    action: "workers.report",
    entity: only ? "project" : "import",
    entityId: only ? only.projectId : request.idempotencyKey,
    after: {
      ...(only ? { batchId: only.batchId } : { batches: stored.length }),
      source: request.source,
      accepted,
      duplicates: stored.reduce((n, a) => n + a.duplicates, 0),
    },
  });
}

const hash = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * Event identity: the client's event id, else the natural key (project, kind, NIK, date) under the NIK
 * vault's keyed hash (a plain hash of a NIK can be recomputed by anyone who enumerates NIKs).
 */
function eventKey(projectId: number, event: WorkerEvent): string {
  return event.eventId ? `id:${projectId}:${hash(event.eventId)}` : nikEventKey(projectId, event);
}

/** The natural key of an event without an id of its own; under another vault when the key is rotated. */
export function nikEventKey(
  projectId: number,
  event: Pick<WorkerEvent, "kind" | "nik" | "date">,
  vault: NikVault = nikVault(),
): string {
  return `nk:${vault.hash(`${projectId}|${event.kind}|${event.nik}|${event.date}`)}`;
}

/**
 * Rows per statement when a set is sent as arrays: large enough to be set-based, small enough to stay flat.
 * People and events are inserted in the order of their unique keys, which are keyed hashes: each leaf
 * page of the index is then visited once, in turn, rather than at random, which matters once the index
 * outgrows the server's buffers.
 */
const CHUNK = 50_000;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

interface Fresh {
  row: number;
  event: WorkerEvent;
  key: string;
}

/** A batch with its rows checked and keyed, before any database read. */
interface PreparedBatch {
  projectId: number;
  input: ReportBatchInput;
  fresh: Fresh[];
  errors: RowError[];
  requestHash: string;
}

/**
 * The part of reporting that needs no database (prepareBatches): per batch its checked rows and errors,
 * per NIK its keyed hash (src/db/nik-vault.ts), each computed once.
 */
export interface Prepared {
  batches: PreparedBatch[];
  hashes: NikHashes;
}

/** Rows prepared between two turns of the event loop (see prepareBatches). */
const ROWS_PER_TURN = 2_000;

/**
 * Check and key the rows of batches: the per-row steps that need no database (validation, the event
 * and NIK hashes). An import prepares its next slice while the database writes the current one
 * (importWorkers), so this gives the event loop a turn every ROWS_PER_TURN rows, letting the current
 * slice's next statement go out as soon as the one before it answers.
 */
export async function prepareBatches(
  batches: readonly { projectId: number; input: ReportBatchInput }[],
): Promise<Prepared> {
  const vault = nikVault();
  const hashes = new Map<string, string>();
  const prepared: PreparedBatch[] = [];
  let rows = 0;
  for (const { projectId, input } of batches) {
    const batch: PreparedBatch = {
      projectId,
      input,
      fresh: [],
      errors: [...(input.refused ?? [])],
      requestHash: requestHash(input),
    };
    for (const { row, raw } of input.rows) {
      if (++rows % ROWS_PER_TURN === 0) await turn();
      const checked = validateWorkerRow(raw, row, input.today);
      if (!checked.ok) {
        batch.errors.push(...checked.errors);
        continue;
      }
      const { event } = checked;
      batch.fresh.push({ row, event, key: eventKey(projectId, event) });
      if (!hashes.has(event.nik)) hashes.set(event.nik, vault.hash(event.nik));
    }
    prepared.push(batch);
  }
  return { batches: prepared, hashes };
}

/** A prepared batch being applied: its project, and what the domain rules made of its rows. */
interface Work extends PreparedBatch {
  project: Project;
  duplicates: number;
  changes: StintChange[];
}

/**
 * Apply batches of any number of projects inside the caller's transaction, set-based: each kind of
 * fact (earlier answers, recorded events, people, current stints) is read for all rows at once, the
 * domain rules decide per project, and the writes go as a few multi-row statements. The API's one
 * batch and a national import take this same path. The projects are locked first (lockProjects).
 */
export async function applyReportBatches(
  trx: Transaction<DB>,
  prepared: Prepared,
  actor: Actor,
): Promise<ReportBatchResult[]> {
  const { batches } = prepared;
  const ids = batches.map((b) => b.projectId);
  if (new Set(ids).size !== ids.length)
    throw new DomainError("BATCH_PROJECT_TWICE", "internal: one batch per project");
  const projects = await lockProjects(trx, ids);
  const previous = await previousAnswers(
    trx,
    batches.map((b) => ({ project: projects.get(b.projectId) as Project, key: b.input.idempotencyKey })),
  );
  const work: Work[] = [];
  const results: (ReportBatchResult | Work)[] = batches.map((ready) => {
    const { projectId, input } = ready;
    const project = projects.get(projectId) as Project;
    assertVisible(actor, project, { operate: true });
    const answered = previous.get(`${project.id}|${input.idempotencyKey}`);
    if (answered) {
      // Batches stored before the request hash was kept have none, and replay as they always did.
      if (answered.requestHash !== null && answered.requestHash !== ready.requestHash)
        throw new DomainError(
          "IDEMPOTENCY_KEY_REUSED",
          `Kunci idempotensi ${input.idempotencyKey} sudah dipakai untuk laporan lain; pakai kunci baru / ` +
            `the Idempotency-Key was already used for a different batch: send this one under a new key`,
        );
      return { ...answered.response, replayed: true };
    }
    const w: Work = { ...ready, project, duplicates: 0, changes: [] };
    work.push(w);
    return w;
  });

  const seen = await recordedEventKeys(
    trx,
    work.flatMap((w) => w.fresh.map((f) => ({ regency: w.project.regency_code, key: f.key }))),
  );
  for (const w of work) {
    // An event recorded before, or repeated within the batch (the same event id twice), is a duplicate.
    const before = w.fresh.length;
    const keys = new Set<string>();
    w.fresh = w.fresh.filter((f) => {
      const known = seen.has(`${w.project.regency_code}|${f.key}`) || keys.has(f.key);
      keys.add(f.key);
      return !known;
    });
    w.duplicates = before - w.fresh.length;
  }
  const niks = new Set(work.flatMap((w) => w.fresh.map((f) => f.event.nik)));
  const persons = await personsByNik(trx, [...niks], prepared.hashes);
  const stints = await currentStints(trx, work, persons);
  for (const w of work) {
    const applied = applyWorkerEvents(w.fresh, stints.get(w.project.id) ?? new Map(), {
      startDate: w.project.spmk_date,
      endDate: w.project.end_date,
    });
    w.errors.push(...applied.errors);
    w.duplicates += applied.duplicates.length;
    w.changes = applied.changes;
  }
  await createPersons(
    trx,
    work.flatMap((w) => {
      const opened = new Set(w.changes.filter((c) => c.op === "open").map((c) => c.row));
      return w.fresh.filter((f) => opened.has(f.row)).map((f) => f.event);
    }),
    persons,
    prepared.hashes,
  );
  const batchIds = await insertBatches(trx, work, actor);
  await insertEvents(trx, work, batchIds, persons);
  // Last but the answers: the stints' triggers take the regency's coverage turn, held to commit.
  await writeStintChanges(trx, work, persons);

  const answers = results.map((r) => {
    if (!("fresh" in r)) return r;
    r.errors.sort((a, b) => a.row - b.row);
    const accepted = r.changes.length;
    return {
      batchId: batchIds.get(r.project.id) as number,
      projectId: r.project.id,
      accepted,
      duplicates: r.duplicates,
      rejected: new Set(r.errors.map((e) => e.row)).size,
      errors: r.errors,
      replayed: false,
    } satisfies ReportBatchResult;
  });
  const stored = answers.filter((a) => !a.replayed);
  for (const part of chunks(stored)) {
    await sql`update report_batch b set accepted = x.accepted, duplicates = x.duplicates,
        rejected = x.rejected, response = x.response::jsonb
      from unnest(${sql.val(part.map((a) => projects.get(a.projectId)?.regency_code))}::text[],
        ${sql.val(part.map((a) => a.batchId))}::bigint[], ${sql.val(part.map((a) => a.accepted))}::int[],
        ${sql.val(part.map((a) => a.duplicates))}::int[], ${sql.val(part.map((a) => a.rejected))}::int[],
        ${sql.val(part.map((a) => JSON.stringify(a)))}::text[])
        as x(regency_code, id, accepted, duplicates, rejected, response)
      where b.regency_code = x.regency_code and b.id = x.id`.execute(trx);
  }
  return answers;
}

/**
 * What a batch asked for, to tell a replay from another batch under a reused key: keyed like the NIK
 * (src/db/nik-vault.ts), since the rows hold NIKs.
 */
function requestHash(input: ReportBatchInput): string {
  return nikVault().hash(JSON.stringify(canonical(input.rows)));
}

async function previousAnswers(
  trx: Transaction<DB>,
  batches: { project: Project; key: string }[],
): Promise<Map<string, { response: ReportBatchResult; requestHash: string | null }>> {
  const rows = await sql<{
    project_id: number;
    idempotency_key: string;
    response: ReportBatchResult;
    request_hash: string | null;
  }>`
    select b.project_id, b.idempotency_key, b.response, b.request_hash from report_batch b
    join unnest(${sql.val(batches.map((b) => b.project.regency_code))}::text[],
      ${sql.val(batches.map((b) => b.project.id))}::bigint[], ${sql.val(batches.map((b) => b.key))}::text[])
      as x(regency_code, project_id, idempotency_key)
      on b.regency_code = x.regency_code and b.project_id = x.project_id and b.idempotency_key = x.idempotency_key`.execute(
    trx,
  );
  return new Map(
    rows.rows.map((r) => [
      `${r.project_id}|${r.idempotency_key}`,
      { response: r.response, requestHash: r.request_hash },
    ]),
  );
}

/** The event keys already recorded, as "regency|key". */
async function recordedEventKeys(
  trx: Transaction<DB>,
  keys: { regency: string; key: string }[],
): Promise<Set<string>> {
  const seen = new Set<string>();
  for (const part of chunks(keys)) {
    const rows = await sql<{ regency_code: string; event_key: string }>`
      select e.regency_code, e.event_key from report_event e
      join unnest(${sql.val(part.map((k) => k.regency))}::text[], ${sql.val(part.map((k) => k.key))}::text[])
        as x(regency_code, event_key)
        on e.regency_code = x.regency_code and e.event_key = x.event_key`.execute(trx);
    for (const r of rows.rows) seen.add(`${r.regency_code}|${r.event_key}`);
  }
  return seen;
}

type PersonIds = Map<string, number>;

type NikHashes = ReadonlyMap<string, string>;

const hashOf = (hashes: NikHashes, nik: string) => hashes.get(nik) as string;

/** People by NIK, found by the NIK's keyed hash within the regency that issued it. */
async function personsByNik(trx: Transaction<DB>, niks: string[], hashes: NikHashes): Promise<PersonIds> {
  const persons: PersonIds = new Map();
  for (const part of chunks(niks)) {
    const byHash = new Map(part.map((nik) => [hashOf(hashes, nik), nik]));
    const rows = await sql<{ id: number; nik_hash: string }>`
      select p.id, p.nik_hash from person p
      join unnest(${sql.val(part.map(issuingRegency))}::text[], ${sql.val([...byHash.keys()])}::text[])
        as x(home_regency_code, nik_hash)
        on p.home_regency_code = x.home_regency_code and p.nik_hash = x.nik_hash`.execute(trx);
    for (const r of rows.rows) persons.set(byHash.get(r.nik_hash) as string, Number(r.id));
  }
  return persons;
}

function personId(persons: PersonIds, nik: string): number {
  const id = persons.get(nik);
  if (id === undefined) throw new DomainError("PERSON_MISSING", "internal: person not created before use");
  return id;
}

/** Per project, the stints of the people its rows name. */
async function currentStints(
  trx: Transaction<DB>,
  work: readonly Work[],
  persons: PersonIds,
): Promise<Map<number, Map<string, Stint[]>>> {
  const nikById = new Map([...persons].map(([nik, id]) => [id, nik]));
  const pairs = work.flatMap((w) =>
    [...new Set(w.fresh.map((f) => persons.get(f.event.nik)))]
      .filter((id) => id !== undefined)
      .map((id) => ({ project: w.project, personId: id as number })),
  );
  const stints = new Map<number, Map<string, Stint[]>>();
  for (const part of chunks(pairs)) {
    const rows = await sql<{
      id: number;
      project_id: number;
      person_id: number;
      joined_on: IsoDate;
      left_on: IsoDate | null;
    }>`
      select a.id, a.project_id, a.person_id, a.joined_on::text as joined_on, a.left_on::text as left_on
      from assignment a
      join unnest(${sql.val(part.map((p) => p.project.regency_code))}::text[],
        ${sql.val(part.map((p) => p.project.id))}::bigint[], ${sql.val(part.map((p) => p.personId))}::bigint[])
        as x(regency_code, project_id, person_id)
        on a.regency_code = x.regency_code and a.project_id = x.project_id and a.person_id = x.person_id
      order by a.joined_on`.execute(trx);
    for (const r of rows.rows) {
      const nik = nikById.get(Number(r.person_id)) as string;
      const byNik = stints.get(Number(r.project_id)) ?? new Map<string, Stint[]>();
      byNik.set(nik, [
        ...(byNik.get(nik) ?? []),
        { id: Number(r.id), joinedOn: r.joined_on, leftOn: r.left_on },
      ]);
      stints.set(Number(r.project_id), byNik);
    }
  }
  return stints;
}

/** Create the people that accepted joins introduce; a NIK already known keeps its first recorded identity. */
async function createPersons(
  trx: Transaction<DB>,
  events: readonly WorkerEvent[],
  persons: PersonIds,
  hashes: NikHashes,
): Promise<void> {
  const fresh = new Map<string, Extract<WorkerEvent, { kind: "join" }>>();
  for (const event of events) {
    if (event.kind === "join" && !persons.has(event.nik)) fresh.set(event.nik, event);
  }
  const vault = nikVault();
  for (const part of chunks([...fresh.values()])) {
    const byHash = new Map(part.map((e) => [hashOf(hashes, e.nik), e.nik]));
    const inserted = await sql<{ id: number; nik_hash: string }>`
      insert into person (home_regency_code, nik_hash, nik_sealed, name, birth_date, sex)
      select * from unnest(${sql.val(part.map((e) => issuingRegency(e.nik)))}::text[],
        ${sql.val([...byHash.keys()])}::text[], ${sql.val(part.map((e) => vault.seal(e.nik)))}::text[],
        ${sql.val(part.map((e) => e.name))}::text[], ${sql.val(part.map((e) => e.birthDate))}::date[],
        ${sql.val(part.map((e) => e.sex))}::text[])
        as x(home_regency_code, nik_hash, nik_sealed, name, birth_date, sex)
      order by x.home_regency_code, x.nik_hash
      on conflict (home_regency_code, nik_hash) do nothing
      returning id, nik_hash`.execute(trx);
    for (const r of inserted.rows) persons.set(byHash.get(r.nik_hash) as string, Number(r.id));
  }
  // A concurrent batch on another project may have created some of them first.
  const missing = [...fresh.keys()].filter((nik) => !persons.has(nik));
  for (const [nik, id] of await personsByNik(trx, missing, hashes)) persons.set(nik, id);
}

/** Write opens and closes; a stint opened and closed in the same batch is inserted closed. */
async function writeStintChanges(
  trx: Transaction<DB>,
  work: readonly Work[],
  persons: PersonIds,
): Promise<void> {
  const inserts: {
    regency: string;
    project: number;
    person: number;
    joinedOn: IsoDate;
    leftOn: IsoDate | null;
  }[] = [];
  const closes: { regency: string; id: number; leftOn: IsoDate }[] = [];
  for (const w of work) {
    const opened = new Map<string, (typeof inserts)[number]>();
    for (const c of w.changes) {
      const key = `${c.nik}|${c.joinedOn}`;
      if (c.op === "open") {
        const row = {
          regency: w.project.regency_code,
          project: w.project.id,
          person: personId(persons, c.nik),
          joinedOn: c.joinedOn,
          leftOn: null,
        };
        opened.set(key, row);
        inserts.push(row);
      } else if (c.stintId === null) (opened.get(key) as { leftOn: IsoDate | null }).leftOn = c.leftOn;
      else closes.push({ regency: w.project.regency_code, id: c.stintId, leftOn: c.leftOn });
    }
  }
  for (const part of chunks(inserts)) {
    await sql`insert into assignment (regency_code, project_id, person_id, joined_on, left_on)
      select * from unnest(${sql.val(part.map((r) => r.regency))}::text[], ${sql.val(part.map((r) => r.project))}::bigint[],
        ${sql.val(part.map((r) => r.person))}::bigint[], ${sql.val(part.map((r) => r.joinedOn))}::date[],
        ${sql.val(part.map((r) => r.leftOn))}::date[])`.execute(trx);
  }
  for (const part of chunks(closes)) {
    await sql`update assignment a set left_on = x.left_on, updated_at = now()
      from unnest(${sql.val(part.map((c) => c.regency))}::text[], ${sql.val(part.map((c) => c.id))}::bigint[],
        ${sql.val(part.map((c) => c.leftOn))}::date[]) as x(regency_code, id, left_on)
      where a.regency_code = x.regency_code and a.id = x.id`.execute(trx);
  }
}

/** One report_batch row per project, its counts and answer filled in once known. */
async function insertBatches(
  trx: Transaction<DB>,
  work: readonly Work[],
  actor: Actor,
): Promise<Map<number, number>> {
  const ids = new Map<number, number>();
  for (const part of chunks(work)) {
    const rows = await sql<{ id: number; project_id: number }>`
      insert into report_batch (regency_code, project_id, idempotency_key, source, actor, accepted, duplicates,
        rejected, response, request_hash)
      select x.regency_code, x.project_id, x.idempotency_key, x.source, ${actor.label}, 0, 0, 0, '{}'::jsonb, x.request_hash
      from unnest(${sql.val(part.map((w) => w.project.regency_code))}::text[],
        ${sql.val(part.map((w) => w.project.id))}::bigint[], ${sql.val(part.map((w) => w.input.idempotencyKey))}::text[],
        ${sql.val(part.map((w) => w.input.source))}::text[], ${sql.val(part.map((w) => w.requestHash))}::text[])
        as x(regency_code, project_id, idempotency_key, source, request_hash)
      returning id, project_id`.execute(trx);
    for (const r of rows.rows) ids.set(Number(r.project_id), Number(r.id));
  }
  return ids;
}

/** The events that changed something, each under its project's batch. */
async function insertEvents(
  trx: Transaction<DB>,
  work: readonly Work[],
  batchIds: Map<number, number>,
  persons: PersonIds,
): Promise<void> {
  const events = work.flatMap((w) => {
    const changed = new Set(w.changes.map((c) => c.row));
    return w.fresh
      .filter((f) => changed.has(f.row))
      .map((f) => ({ project: w.project, batch: batchIds.get(w.project.id) as number, ...f }));
  });
  for (const part of chunks(events)) {
    await sql`insert into report_event (regency_code, project_id, batch_id, event_key, kind, person_id, event_date)
      select * from unnest(${sql.val(part.map((e) => e.project.regency_code))}::text[],
        ${sql.val(part.map((e) => e.project.id))}::bigint[], ${sql.val(part.map((e) => e.batch))}::bigint[],
        ${sql.val(part.map((e) => e.key))}::text[], ${sql.val(part.map((e) => e.event.kind))}::text[],
        ${sql.val(part.map((e) => personId(persons, e.event.nik)))}::bigint[],
        ${sql.val(part.map((e) => e.event.date))}::date[])
        as x(regency_code, project_id, batch_id, event_key, kind, person_id, event_date)
      order by x.regency_code, x.event_key`.execute(trx);
  }
}

/** The stored answer of a batch, for its downloadable error list. */
export async function batchResult(
  db: Db,
  actor: Actor,
  projectId: number,
  batchId: number,
): Promise<ReportBatchResult> {
  const project = await requireProject(db, actor, projectId, { operate: true });
  const batch = await db
    .selectFrom("report_batch")
    .select("response")
    .where("regency_code", "=", project.regency_code)
    .where("project_id", "=", project.id)
    .where("id", "=", batchId)
    .executeTakeFirst();
  if (!batch) throw notFound("BATCH_NOT_FOUND", { id: "Laporan", en: "Report batch" }, batchId);
  return batch.response as ReportBatchResult;
}
