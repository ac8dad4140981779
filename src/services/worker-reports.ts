import { createHash } from "node:crypto";
import { sql, type Transaction } from "kysely";
import type { Db } from "../db/connection.js";
import type { DB, Project } from "../db/schema.js";
import type { IsoDate } from "../domain/dates.js";
import { DomainError } from "../domain/errors.js";
import {
  applyWorkerEvents,
  type RawWorkerRow,
  type RowError,
  type Stint,
  validateWorkerRow,
  type WorkerEvent,
} from "../domain/worker-report.js";
import { assertVisible, requireProject } from "./access.js";
import type { Actor } from "./actor.js";
import { appendAudit } from "./audit.js";
import { findProject } from "./lookups.js";

/**
 * Worker reports (lapor pekerja). Behaviour, documented in docs/architecture.md:
 * - each row is validated on its own; invalid rows are rejected with row, field and reason and
 *   change nothing;
 * - the valid rows of a batch are applied together in one transaction, in the order given;
 * - a row that repeats what is already recorded (same event id, or same worker/kind/date) is
 *   counted as a duplicate and changes nothing, so replaying a batch or a file is a no-op;
 * - a batch is identified by its idempotency key: sending the same key again returns the first
 *   answer without looking at the rows.
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

const hash = (text: string) => createHash("sha256").update(text).digest("hex");

/** Event identity: the client's event id, else the natural key (project, kind, NIK, date), hashed. */
function eventKey(projectId: number, event: WorkerEvent): string {
  return event.eventId
    ? `id:${projectId}:${hash(event.eventId)}`
    : `nk:${hash(`${projectId}|${event.kind}|${event.nik}|${event.date}`)}`;
}

/** Apply one batch inside the caller's transaction; the project row lock serialises batches per project. */
export async function applyReportBatch(
  trx: Transaction<DB>,
  projectId: number,
  input: ReportBatchInput,
  actor: Actor,
): Promise<ReportBatchResult> {
  const project = await findProject(trx, projectId, { lock: true });
  assertVisible(actor, project, { operate: true });
  const previous = await trx
    .selectFrom("report_batch")
    .select("response")
    .where("regency_code", "=", project.regency_code)
    .where("project_id", "=", project.id)
    .where("idempotency_key", "=", input.idempotencyKey)
    .executeTakeFirst();
  if (previous) return { ...(previous.response as ReportBatchResult), replayed: true };

  const errors: RowError[] = [...(input.refused ?? [])];
  const valid: { row: number; event: WorkerEvent; key: string }[] = [];
  for (const { row, raw } of input.rows) {
    const checked = validateWorkerRow(raw, row, input.today);
    if (checked.ok) valid.push({ row, event: checked.event, key: eventKey(project.id, checked.event) });
    else errors.push(...checked.errors);
  }

  const seenKeys = await existingEventKeys(
    trx,
    project.regency_code,
    valid.map((v) => v.key),
  );
  const duplicateRows = valid.filter((v) => seenKeys.has(v.key)).map((v) => v.row);
  const fresh = valid.filter((v) => !seenKeys.has(v.key));

  const persons = await personsByNik(trx, [...new Set(fresh.map((f) => f.event.nik))]);
  const stints = await currentStints(trx, project, persons);
  const applied = applyWorkerEvents(fresh, stints, {
    startDate: project.spmk_date,
    endDate: project.end_date,
  });
  errors.push(...applied.errors);

  const opened = new Set(applied.changes.filter((c) => c.op === "open").map((c) => c.row));
  await createPersons(
    trx,
    fresh.filter((f) => opened.has(f.row)),
    persons,
  );
  const changedRows = new Set(await writeStintChanges(trx, project, applied.changes, persons));
  const batch = await trx
    .insertInto("report_batch")
    .values({
      regency_code: project.regency_code,
      project_id: project.id,
      idempotency_key: input.idempotencyKey,
      source: input.source,
      actor: actor.label,
      accepted: changedRows.size,
      duplicates: duplicateRows.length + applied.duplicates.length,
      rejected: new Set(errors.map((e) => e.row)).size,
      response: "{}",
    })
    .returning("id")
    .executeTakeFirstOrThrow();

  const events = fresh.filter((f) => changedRows.has(f.row));
  if (events.length > 0) {
    await trx
      .insertInto("report_event")
      .values(
        events.map((e) => ({
          regency_code: project.regency_code,
          project_id: project.id,
          batch_id: batch.id,
          event_key: e.key,
          kind: e.event.kind,
          person_id: personId(persons, e.event.nik),
          event_date: e.event.date,
        })),
      )
      .execute();
  }
  errors.sort((a, b) => a.row - b.row);
  const result: ReportBatchResult = {
    batchId: batch.id,
    projectId: project.id,
    accepted: changedRows.size,
    duplicates: duplicateRows.length + applied.duplicates.length,
    rejected: new Set(errors.map((e) => e.row)).size,
    errors,
    replayed: false,
  };
  await trx
    .updateTable("report_batch")
    .set({ response: JSON.stringify(result) })
    .where("regency_code", "=", project.regency_code)
    .where("id", "=", batch.id)
    .execute();
  if (result.accepted > 0) {
    await appendAudit(trx, actor, {
      action: "workers.report",
      entity: "project",
      entityId: project.id,
      after: {
        batchId: batch.id,
        source: input.source,
        accepted: result.accepted,
        duplicates: result.duplicates,
      },
    });
  }
  return result;
}

async function existingEventKeys(
  trx: Transaction<DB>,
  regencyCode: string,
  keys: string[],
): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await trx
    .selectFrom("report_event")
    .select("event_key")
    .where("regency_code", "=", regencyCode)
    .where(sql<boolean>`event_key = any(${sql.val(keys)}::text[])`)
    .execute();
  return new Set(rows.map((r) => r.event_key));
}

type PersonIds = Map<string, number>;

async function personsByNik(trx: Transaction<DB>, niks: string[]): Promise<PersonIds> {
  if (niks.length === 0) return new Map();
  const rows = await trx
    .selectFrom("person")
    .select(["id", "nik"])
    .where(sql<boolean>`nik = any(${sql.val(niks)}::text[])`)
    .execute();
  return new Map(rows.map((r) => [r.nik, r.id]));
}

function personId(persons: PersonIds, nik: string): number {
  const id = persons.get(nik);
  if (id === undefined) throw new DomainError("PERSON_MISSING", "internal: person not created before use");
  return id;
}

async function currentStints(
  trx: Transaction<DB>,
  project: Project,
  persons: PersonIds,
): Promise<Map<string, Stint[]>> {
  const stints = new Map<string, Stint[]>();
  if (persons.size === 0) return stints;
  const nikById = new Map([...persons].map(([nik, id]) => [id, nik]));
  const rows = await trx
    .selectFrom("assignment")
    .select(["id", "person_id", "joined_on", "left_on"])
    .where("regency_code", "=", project.regency_code)
    .where("project_id", "=", project.id)
    .where(sql<boolean>`person_id = any(${sql.val([...persons.values()])}::bigint[])`)
    .orderBy("joined_on")
    .execute();
  for (const r of rows) {
    const nik = nikById.get(r.person_id) as string;
    stints.set(nik, [...(stints.get(nik) ?? []), { id: r.id, joinedOn: r.joined_on, leftOn: r.left_on }]);
  }
  return stints;
}

/** Create the people that accepted joins introduce; a NIK already known keeps its first recorded identity. */
async function createPersons(
  trx: Transaction<DB>,
  events: readonly { event: WorkerEvent }[],
  persons: PersonIds,
): Promise<void> {
  const fresh = new Map<string, Extract<WorkerEvent, { kind: "join" }>>();
  for (const { event } of events) {
    if (event.kind === "join" && !persons.has(event.nik)) fresh.set(event.nik, event);
  }
  if (fresh.size === 0) return;
  const rows = [...fresh.values()].map((e) => ({
    home_regency_code: `${e.nik.slice(0, 2)}.${e.nik.slice(2, 4)}`,
    nik: e.nik,
    name: e.name,
    birth_date: e.birthDate,
    sex: e.sex,
  }));
  for (let i = 0; i < rows.length; i += 2000) {
    const inserted = await trx
      .insertInto("person")
      .values(rows.slice(i, i + 2000))
      .onConflict((oc) => oc.columns(["home_regency_code", "nik"]).doNothing())
      .returning(["id", "nik"])
      .execute();
    for (const r of inserted) persons.set(r.nik, r.id);
  }
  // A concurrent batch on another project may have created some of them first.
  const missing = [...fresh.keys()].filter((nik) => !persons.has(nik));
  for (const [nik, id] of await personsByNik(trx, missing)) persons.set(nik, id);
}

/** Write opens and closes; a stint opened and closed in the same batch is inserted closed. Returns changed rows. */
async function writeStintChanges(
  trx: Transaction<DB>,
  project: Project,
  changes: ReturnType<typeof applyWorkerEvents>["changes"],
  persons: PersonIds,
): Promise<number[]> {
  const inserts = new Map<string, { person_id: number; joined_on: string; left_on: string | null }>();
  const closes: { id: number; leftOn: string }[] = [];
  for (const c of changes) {
    const key = `${c.nik}|${c.joinedOn}`;
    if (c.op === "open")
      inserts.set(key, { person_id: personId(persons, c.nik), joined_on: c.joinedOn, left_on: null });
    else if (c.stintId === null) (inserts.get(key) as { left_on: string | null }).left_on = c.leftOn;
    else closes.push({ id: c.stintId, leftOn: c.leftOn });
  }
  const rows = [...inserts.values()].map((r) => ({
    ...r,
    regency_code: project.regency_code,
    project_id: project.id,
  }));
  for (let i = 0; i < rows.length; i += 2000) {
    await trx
      .insertInto("assignment")
      .values(rows.slice(i, i + 2000))
      .execute();
  }
  for (const c of closes) {
    await trx
      .updateTable("assignment")
      .set({ left_on: c.leftOn, updated_at: sql`now()` })
      .where("regency_code", "=", project.regency_code)
      .where("id", "=", c.id)
      .execute();
  }
  return changes.map((c) => c.row);
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
  if (!batch) throw new DomainError("BATCH_NOT_FOUND", `Laporan ${batchId} tidak ditemukan`);
  return batch.response as ReportBatchResult;
}
