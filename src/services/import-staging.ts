import { sql, type Transaction } from "kysely";
import type { DB } from "../db/schema.js";
import type { IsoDate } from "../domain/dates.js";
import { nulInText, type RowError, rowError, validateWorkerRow } from "../domain/worker-report.js";
import type { TableRow } from "./tabular.js";

/**
 * The staging table of a worker import (issue 8): the file's rows, each beside the project its code
 * names, in a temporary table of the import's transaction, dropped at its end. An import needs a
 * project's rows together, in date order across the whole file, so before staging the import held the
 * whole file in memory (a million rows ran out of a 384 MB heap); staged, it holds a slice at a time. The rows hold
 * NIKs in clear for the transaction's length only, as the uploaded file does for the request's.
 */
const TABLE = "import_row";

/** A project with rows staged, in the order imports lock and write them: (regency, id). */
export interface StagedProject {
  id: number;
  regencyCode: string;
  rows: number;
}

export interface Staged {
  /** Rows read from the file, staged or not. */
  read: number;
  /** The records' fields, as staged (column `c<i>` holds field i). */
  fields: string[];
  /** Rows refused before staging: text PostgreSQL cannot hold, or no single project for the code. */
  errors: RowError[];
  projects: StagedProject[];
}

/**
 * Stage the rows, `chunkRows` per statement; nothing of the file is held but the chunks being staged.
 * Each chunk is written while the next is read: parsing is Node's work, the insert the database's.
 */
export async function stageWorkerRows(
  trx: Transaction<DB>,
  rows: AsyncIterable<TableRow>,
  opts: { today: IsoDate; chunkRows: number },
): Promise<Staged> {
  const staged: Staged = { read: 0, fields: [], errors: [], projects: [] };
  const codes = new Map<string, { id: number; regency_code: string }[]>();
  const counts = new Map<number, StagedProject>();
  const flush = async (chunk: readonly TableRow[]) => {
    // A code with NUL cannot be looked up; its row is refused for that anyway (refusal).
    const unknown = [...new Set(chunk.map((r) => r.record.projectCode ?? ""))].filter(
      (c) => c !== "" && !c.includes("\0") && !codes.has(c),
    );
    if (unknown.length > 0) {
      for (const c of unknown) codes.set(c, []);
      const found = await trx
        .selectFrom("project")
        .select(["id", "code", "regency_code"])
        .where(sql<boolean>`code = any(${sql.val(unknown)}::text[])`)
        .execute();
      for (const p of found) codes.get(p.code)?.push({ id: p.id, regency_code: p.regency_code });
    }
    const accepted: { row: number; project: number; record: Record<string, string> }[] = [];
    for (const r of chunk) {
      const refused = refusal(r, codes.get(r.record.projectCode ?? "") ?? [], opts.today);
      if (refused.length > 0) {
        staged.errors.push(...refused);
        continue;
      }
      const p = (codes.get(r.record.projectCode as string) ?? [])[0] as { id: number; regency_code: string };
      const count = counts.get(p.id) ?? { id: p.id, regencyCode: p.regency_code, rows: 0 };
      count.rows += 1;
      counts.set(p.id, count);
      accepted.push({ row: r.row, project: p.id, record: r.record });
    }
    if (accepted.length === 0) return;
    // The table is made with the first rows: a file's records all have its header's fields (TableRow),
    // one text column each.
    if (staged.fields.length === 0) {
      staged.fields = Object.keys(accepted[0]?.record ?? {});
      await sql`create temp table ${sql.table(TABLE)} (row int not null, project_id bigint not null,
        ${sql.join(staged.fields.map((_, i) => sql`${sql.ref(`c${i}`)} text`))}) on commit drop`.execute(trx);
    }
    const columns = staged.fields.map((f) => sql.val(accepted.map((a) => a.record[f] ?? null)));
    await sql`insert into ${sql.table(TABLE)}
      select * from unnest(${sql.val(accepted.map((a) => a.row))}::int[],
        ${sql.val(accepted.map((a) => a.project))}::bigint[], ${sql.join(columns.map((c) => sql`${c}::text[]`))})`.execute(
      trx,
    );
  };
  let chunk: TableRow[] = [];
  let writing: Promise<void> = Promise.resolve();
  try {
    for await (const r of rows) {
      staged.read += 1;
      chunk.push(r);
      if (chunk.length >= opts.chunkRows) {
        await writing;
        writing = flush(chunk);
        // Awaited before the next chunk or at the end; until then its failure is not "unhandled".
        writing.catch(() => {});
        chunk = [];
      }
    }
  } finally {
    // A failed read still lets the chunk being written finish, before the transaction is rolled back.
    await writing.catch(() => {});
  }
  await writing;
  await flush(chunk);
  if (staged.fields.length > 0) await sql`create index on ${sql.table(TABLE)} (project_id, row)`.execute(trx);
  staged.projects = [...counts.values()].sort(
    (a, b) => a.regencyCode.localeCompare(b.regencyCode) || a.id - b.id,
  );
  return staged;
}

/** The staged rows of some projects, per project in the file's order. */
export async function stagedRows(trx: Transaction<DB>, staged: Staged, projects: readonly StagedProject[]) {
  const byProject = new Map<number, { row: number; raw: Record<string, string> }[]>(
    projects.map((p) => [p.id, []]),
  );
  if (projects.length === 0) return byProject;
  const rows = await sql<Record<string, string | number>>`
    select * from ${sql.table(TABLE)}
    where project_id = any(${sql.val(projects.map((p) => p.id))}::bigint[])
    order by project_id, row`.execute(trx);
  for (const r of rows.rows) {
    const raw: Record<string, string> = {};
    staged.fields.forEach((f, i) => {
      const value = r[`c${i}`];
      if (typeof value === "string") raw[f] = value;
    });
    byProject.get(Number(r.project_id))?.push({ row: Number(r.row), raw });
  }
  return byProject;
}

/**
 * A damaged or binary file carries NUL (U+0000), which PostgreSQL text cannot hold: such a cell is an
 * error of its row, named by field, instead of a database error that would refuse the whole file.
 */
export function unstorable(r: TableRow): RowError[] {
  return Object.entries(r.record)
    .filter(([, value]) => value.includes("\0"))
    .map(([field]) => nulInText(r.row, field));
}

/**
 * Why a row cannot be staged: a cell that cannot be stored, or a project code that names no single
 * project, with everything else wrong with the row.
 */
function refusal(r: TableRow, projects: readonly unknown[], today: IsoDate): RowError[] {
  const nul = unstorable(r);
  if (nul.length > 0 || projects.length === 1) return nul;
  const code = r.record.projectCode ?? "";
  const checked = validateWorkerRow(r.record, r.row, today);
  return [
    ...(checked.ok ? [] : checked.errors),
    code === ""
      ? rowError(
          r.row,
          "projectCode",
          "PROJECT_CODE_REQUIRED",
          "Kode proyek wajib diisi",
          "Project code is required",
        )
      : projects.length === 0
        ? rowError(
            r.row,
            "projectCode",
            "PROJECT_NOT_FOUND",
            `Proyek ${code} tidak ditemukan`,
            `Unknown project ${code}`,
          )
        : rowError(
            r.row,
            "projectCode",
            "PROJECT_CODE_AMBIGUOUS",
            `Kode ${code} dipakai di beberapa kabupaten`,
            `Code ${code} exists in several regencies`,
          ),
  ];
}
