import { randomUUID } from "node:crypto";
import type { Transaction } from "kysely";
import type { Db } from "../db/connection.js";
import type { DB } from "../db/schema.js";
import type { IsoDate } from "../domain/dates.js";
import { DomainError, halves } from "../domain/errors.js";
import { parseRupiah } from "../domain/rupiah.js";
import { parseDate, type RowError, rowError } from "../domain/worker-report.js";
import { requireProject } from "./access.js";
import type { Actor } from "./actor.js";
import { type StagedProject, stagedRows, stageWorkerRows, unstorable } from "./import-staging.js";
import { lockProjects } from "./lookups.js";
import { createProject } from "./projects.js";
import { type ProjectInput, projectInput } from "./schemas.js";
import type { HeaderAliases, TableRow } from "./tabular.js";
import {
  applyReportBatch,
  applyReportBatches,
  auditReports,
  prepareBatches,
  type ReportBatchResult,
} from "./worker-reports.js";

/**
 * File imports (CSV/XLSX). Behaviour: every row is checked and every bad row reported with its row
 * number, field and reason; the good rows of the whole file are written in ONE transaction, so a
 * failure part-way leaves nothing behind; rows that repeat what is recorded are duplicates and change
 * nothing, so importing the same file twice adds nothing.
 */
export interface ImportResult {
  rows: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  errors: RowError[];
}

export const WORKER_COLUMNS: HeaderAliases = {
  projectCode: ["kode_proyek", "project_code", "kode_paket"],
  nik: ["nik", "no_ktp"],
  name: ["nama", "nama_pekerja"],
  birthDate: ["tanggal_lahir", "birth_date", "tgl_lahir"],
  sex: ["jenis_kelamin", "jk"],
  event: ["peristiwa", "jenis_laporan", "status"],
  date: ["tanggal", "tanggal_peristiwa"],
  eventId: ["id_laporan", "event_id"],
};
export const WORKER_REQUIRED = ["projectCode", "nik", "event", "date"] as const;

export const PROJECT_COLUMNS: HeaderAliases = {
  code: ["kode_paket", "kode_proyek", "project_code"],
  name: ["nama_paket", "nama_proyek", "project_name"],
  districtCode: ["kode_kecamatan", "district_code"],
  workUnitCode: ["kode_opd", "work_unit_code", "opd"],
  contractorNib: ["nib", "contractor_nib", "nib_penyedia"],
  contractorName: ["nama_penyedia", "contractor_name", "penyedia"],
  fundingSource: ["sumber_dana", "funding_source"],
  workType: ["jenis_pekerjaan", "work_type"],
  contractValue: ["nilai_kontrak", "contract_value"],
  spkDate: ["tanggal_spk", "spk_date"],
  spmkDate: ["tanggal_spmk", "spmk_date"],
  endDate: ["tanggal_selesai", "end_date"],
};
export const PROJECT_REQUIRED = Object.keys(PROJECT_COLUMNS).filter((k) => k !== "workUnitCode");

/** The rows that can be stored, and the errors of those that cannot (see `unstorable`). */
function storable(rows: readonly TableRow[]): { rows: TableRow[]; errors: RowError[] } {
  const errors = rows.flatMap(unstorable);
  const refused = new Set(errors.map((e) => e.row));
  return { rows: rows.filter((r) => !refused.has(r.row)), errors };
}

async function collect(rows: AsyncIterable<TableRow>): Promise<TableRow[]> {
  const all: TableRow[] = [];
  for await (const r of rows) {
    all.push(r);
  }
  return all;
}

/** Rows per slice of an import: each slice is staged, then read, checked and written set-based, in turn. */
const SLICE_ROWS = 50_000;

/**
 * A file of worker reports over any number of projects, in one transaction: the rows are staged
 * (import-staging.ts), then taken project by project, as if each project's rows were one batch of its
 * own, a slice of projects at a time.
 */
export async function importWorkers(
  db: Db,
  rows: AsyncIterable<TableRow>,
  opts: {
    today: IsoDate;
    actor: Actor;
    source: "csv" | "xlsx";
    onProgress?: (done: number, total: number) => void;
    /** Rows staged per statement and written per slice (default SLICE_ROWS; tests use a few). */
    sliceRows?: number;
  },
): Promise<ImportResult> {
  const sliceRows = opts.sliceRows ?? SLICE_ROWS;
  // Each import is a new request; what repeats an earlier import is recognised row by row as a duplicate.
  const key = `import:${randomUUID()}`;
  const answers: ReportBatchResult[] = [];
  const staged = await db.transaction().execute(async (trx) => {
    const staged = await stageWorkerRows(trx, rows, { today: opts.today, chunkRows: sliceRows });
    await lockProjects(
      trx,
      staged.projects.map((p) => p.id),
    );
    const total = staged.projects.reduce((n, p) => n + p.rows, 0);
    const batches = async (projects: readonly StagedProject[]) =>
      [...(await stagedRows(trx, staged, projects))].map(([projectId, rows]) => ({
        projectId,
        input: { idempotencyKey: key, source: opts.source, rows, today: opts.today },
      }));
    const parts = slices(staged.projects, (p) => p.rows, sliceRows);
    const next = (i: number) => batches(parts[i] ?? []).then(prepareBatches);
    let prepared = await next(0);
    let done = 0;
    for (const [i, slice] of parts.entries()) {
      // The next slice is read from the stage, then checked and keyed in Node, while the database
      // writes this one.
      const [written, ready] = await Promise.all([
        applyReportBatches(trx, prepared, opts.actor),
        next(i + 1),
      ]);
      answers.push(...written);
      prepared = ready;
      done += slice.reduce((n, p) => n + p.rows, 0);
      opts.onProgress?.(done, total);
    }
    await auditReports(trx, opts.actor, { idempotencyKey: key, source: opts.source }, answers);
    return staged;
  });
  const totals = {
    accepted: answers.reduce((n, a) => n + a.accepted, 0),
    duplicates: answers.reduce((n, a) => n + a.duplicates, 0),
  };
  return finish(staged.read, totals, [...staged.errors, ...answers.flatMap((a) => a.errors)]);
}

/** Consecutive slices of items whose sizes add up to about `size` each. */
function slices<T>(items: readonly T[], sizeOf: (item: T) => number, size: number): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let n = 0;
  for (const item of items) {
    current.push(item);
    n += sizeOf(item);
    if (n >= size) {
      out.push(current);
      current = [];
      n = 0;
    }
  }
  if (current.length > 0) out.push(current);
  return out;
}

function finish(
  rows: number,
  totals: { accepted: number; duplicates: number },
  errors: RowError[],
): ImportResult {
  errors.sort((a, b) => a.row - b.row || a.field.localeCompare(b.field));
  return { rows, ...totals, rejected: new Set(errors.map((e) => e.row)).size, errors };
}

export async function importProjects(
  db: Db,
  rows: AsyncIterable<TableRow>,
  opts: { actor: Actor; onProgress?: (done: number, total: number) => void },
): Promise<ImportResult> {
  const all = await collect(rows);
  const errors: RowError[] = [];
  const totals = { accepted: 0, duplicates: 0 };
  await db.transaction().execute(async (trx) => {
    for (const [i, r] of all.entries()) {
      const parsed = projectInput.safeParse(projectRecord(r.record));
      const nul = unstorable(r);
      if (nul.length > 0) {
        errors.push(...nul);
      } else if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const message = halves(issue.message);
          errors.push(
            rowError(r.row, String(issue.path[0] ?? "row"), "FIELD_INVALID", message.id, message.en),
          );
        }
      } else {
        try {
          await createProject(trx, parsed.data, opts.actor);
          totals.accepted += 1;
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
          if (e.code === "PROJECT_EXISTS") {
            const differs = await differences(trx, e, parsed.data);
            if (differs.length === 0) totals.duplicates += 1;
            else errors.push(recordedOtherwise(r.row, parsed.data.code, differs));
          } else {
            const message = halves(e.message);
            errors.push(rowError(r.row, String(e.details.field ?? "row"), e.code, message.id, message.en));
          }
        }
      }
      opts.onProgress?.(i + 1, all.length);
    }
  });
  return finish(all.length, totals, errors);
}

/** Funding sources and work types as spreadsheets name them (the dashboard's labels), beside the codes. */
const FUNDING_NAMES = new Map([
  ["apbd", "APBD"],
  ["apbn", "APBN"],
  ["dak", "DAK"],
  ["swasta", "private"],
  ["private", "private"],
]);
const WORK_TYPE_NAMES = new Map([
  ["gedung", "building"],
  ["building", "building"],
  ["jalan", "road"],
  ["jembatan", "road"],
  ["jalan dan jembatan", "road"],
  ["road", "road"],
  ["air", "water"],
  ["irigasi", "water"],
  ["sumber daya air", "water"],
  ["water", "water"],
  ["lainnya", "other"],
  ["lain-lain", "other"],
  ["other", "other"],
]);

/**
 * A project row as spreadsheets write it, in the API's shape (src/services/schemas.ts projectInput): dates
 * as DD/MM/YYYY too, a contract value grouped in thousands (1.500.000.000) or with "Rp", the funding
 * source and work type by their names. What is not recognised stays as written, for the schema to refuse.
 */
function projectRecord(record: Record<string, string>) {
  const named = (names: Map<string, string>, v = "") => names.get(v.trim().toLowerCase()) ?? v;
  const day = (v = "") => parseDate(v) ?? v;
  const value = record.contractValue ?? "";
  return {
    ...record,
    workUnitCode: record.workUnitCode || null,
    fundingSource: named(FUNDING_NAMES, record.fundingSource),
    workType: named(WORK_TYPE_NAMES, record.workType),
    contractValue: parseRupiah(value, "id") ?? parseRupiah(value, "en") ?? value,
    spkDate: day(record.spkDate),
    spmkDate: day(record.spmkDate),
    endDate: day(record.endDate),
  };
}

/** The fields in which a project already recorded under the row's code differs from the row. */
async function differences(trx: Transaction<DB>, exists: DomainError, row: ProjectInput) {
  const p = await trx
    .selectFrom("project as p")
    .innerJoin("organisation as c", "c.id", "p.contractor_id")
    .leftJoin("organisation as w", "w.id", "p.work_unit_id")
    .select([
      "p.name",
      "p.district_code",
      "w.code as work_unit_code",
      "c.code as contractor_nib",
      "p.funding_source",
      "p.work_type",
      "p.contract_value",
      "p.spk_date",
      "p.spmk_date",
      "p.end_date",
    ])
    .where("p.id", "=", Number(exists.details.projectId))
    .executeTakeFirstOrThrow();
  const recorded: Partial<Record<keyof ProjectInput, unknown>> = {
    name: p.name,
    districtCode: p.district_code,
    workUnitCode: p.work_unit_code,
    contractorNib: p.contractor_nib,
    fundingSource: p.funding_source,
    workType: p.work_type,
    contractValue: p.contract_value,
    spkDate: p.spk_date,
    spmkDate: p.spmk_date,
    endDate: p.end_date,
  };
  return (Object.keys(recorded) as (keyof ProjectInput)[]).filter((k) => recorded[k] !== row[k]);
}

/** A row whose code is recorded with other data: said, not counted as a duplicate that changed nothing. */
function recordedOtherwise(row: number, code: string, fields: readonly (keyof ProjectInput)[]): RowError {
  const columns = fields.map((f) => PROJECT_COLUMNS[f]?.[0] ?? f).join(", ");
  return rowError(
    row,
    "code",
    "PROJECT_EXISTS",
    `Kode paket ${code} sudah tercatat dengan data lain (${columns}): baris ini tidak mengubahnya; perbaiki di halaman proyek selama belum terdaftar di BPJS`,
    `Package code ${code} is recorded with other data (${fields.join(", ")}): this row does not change it; correct it on the project's page while it is not registered with BPJS`,
  );
}

/**
 * A contractor's upload of its own project's worker list (web or API): the file's rows form one batch
 * of that project; a `projectCode` column, where present, must name the same project.
 */
export async function importProjectWorkers(
  db: Db,
  projectId: number,
  rows: AsyncIterable<TableRow>,
  opts: { today: IsoDate; actor: Actor; source: "csv" | "xlsx" },
): Promise<ReportBatchResult> {
  const all = await collect(rows);
  return db.transaction().execute(async (trx) => {
    const project = await requireProject(trx, opts.actor, projectId, { operate: true });
    const { rows: readable, errors: nul } = storable(all);
    const elsewhere = readable.filter((r) => r.record.projectCode && r.record.projectCode !== project.code);
    return applyReportBatch(
      trx,
      projectId,
      {
        idempotencyKey: `upload:${randomUUID()}`,
        source: opts.source,
        rows: readable.filter((r) => !elsewhere.includes(r)).map((r) => ({ row: r.row, raw: r.record })),
        today: opts.today,
        refused: [
          ...nul,
          ...elsewhere.map((r) =>
            rowError(
              r.row,
              "projectCode",
              "PROJECT_MISMATCH",
              `Baris untuk proyek lain (${r.record.projectCode})`,
              `Row belongs to another project (${r.record.projectCode})`,
            ),
          ),
        ],
      },
      opts.actor,
    );
  });
}
