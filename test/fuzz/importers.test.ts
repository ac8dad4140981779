import { isUtf8 } from "node:buffer";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import fc from "fast-check";
import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "../../src/domain/errors.js";
import { hasHiddenCharacters } from "../../src/domain/text.js";
import { buildApp } from "../../src/http/app.js";
import { MAX_UPLOAD_BYTES } from "../../src/http/routes/reports.js";
import {
  type ImportResult,
  importProjects,
  importProjectWorkers,
  importWorkers,
  PROJECT_COLUMNS,
  PROJECT_REQUIRED,
  WORKER_COLUMNS,
  WORKER_REQUIRED,
} from "../../src/services/imports.js";
import { readTable } from "../../src/services/tabular.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";
import { actor, addContractorUser, createProject, TODAY } from "../support/fixtures.js";
import { AUTH_BOOKKEEPING, TableWatch } from "./checksum.js";

/**
 * The CSV and XLSX importers fed what arrives in practice and what an attacker sends: random bytes,
 * other encodings, BOMs, CR/CRLF, broken quotes, huge cells, thousands of columns, formulas, SQL,
 * combining marks, right-to-left text, emoji and NUL. Whatever the file, an import either answers with
 * per-row errors (row number and field) or refuses the file with a DomainError, never anything else;
 * a refused file changes no row of any table, and a refused row changes nothing either: only accepted
 * rows become events or projects (DESIGN.md §6, bad input).
 */

const PROJECT_CODE = "61.03/FUZZ/2025/0001";
const PASSWORD = "importer-fuzz-123";
/** File-level refusals the importers document (tabular.ts, imports.ts). */
const FILE_CODES = ["FILE_COLUMNS_MISSING", "FILE_EMPTY", "FILE_MALFORMED", "FILE_ENCODING"];

type Kind = "workers" | "projects" | "project-workers";
const KINDS: Kind[] = ["workers", "projects", "project-workers"];
const FIELDS: Record<Kind, string[]> = {
  workers: [...Object.keys(WORKER_COLUMNS), "row"],
  "project-workers": [...Object.keys(WORKER_COLUMNS), "row"],
  projects: [...Object.keys(PROJECT_COLUMNS), "row"],
};
const readerOf = (kind: Kind, path: string) =>
  kind === "projects"
    ? readTable(path, PROJECT_COLUMNS, PROJECT_REQUIRED)
    : readTable(path, WORKER_COLUMNS, kind === "workers" ? WORKER_REQUIRED : ["nik", "event", "date"]);

// ---------------------------------------------------------------- cell and file generators

const FORMULAS = ["=CMD|' /C calc'!A0", "+1+1", "-2+3", "@SUM(1+1)", '=HYPERLINK("http://evil.example","x")'];
const SQLISH = [
  "'; drop table person; --",
  "1' or '1'='1",
  "\\'; select pg_sleep(1); --",
  "$$; delete from project; $$",
];
const UNICODE = [
  "Budi\u0301\u0308 Santoso", // combining marks
  "\u202eosotnaS idub", // right-to-left override
  "سيتي أمينة", // Arabic, right to left
  "👷🏽‍♀️ Siti", // emoji with a zero-width joiner
  "Ａｇｕｓ", // full-width letters
  "Jos\u00e9 Ñuñez",
  "\ufeffBOM inside",
  "tab\there",
  'ab"c',
];
const CONTROL = ["\u0000", "nul\u0000byte", "\u0007bell", "\u001b[31m", "\u2028line\u2029sep"];

/** One cell of text: anything, but mostly what the brief calls adversarial. */
const cellText = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...FORMULAS, ...SQLISH, ...UNICODE, ...CONTROL) },
  { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      PROJECT_CODE,
      "6103011203850012",
      "６１０３０１１２０３８５００１２",
      "masuk",
      "keluar",
      "join",
      "2025-04-01",
      "01/04/2025",
      "L",
      "P",
      "",
      "   ",
    ),
  },
);

/** A header row: the real columns (some missing, shuffled, renamed by alias) and some junk ones. */
function headerOf(kind: Kind) {
  const aliases = kind === "projects" ? PROJECT_COLUMNS : WORKER_COLUMNS;
  const names = Object.entries(aliases).map(([field, alts]) => fc.constantFrom(field, ...alts));
  return fc
    .tuple(
      fc.tuple(...names),
      // Each column kept nine times in ten, so that a full header (and row-level checks) is common.
      fc.array(
        fc.nat(9).map((n) => n > 0),
        { minLength: names.length, maxLength: names.length },
      ),
      fc.array(cellText, { maxLength: 3 }),
    )
    .map(([columns, keep, junk]) => [...columns.filter((_, i) => keep[i] !== false), ...junk]);
}

type Table = string[][];

/** A table: a header and up to a dozen rows of adversarial cells, with ragged row lengths. */
const table = (kind: Kind) =>
  fc
    .tuple(
      fc.oneof(
        { weight: 4, arbitrary: headerOf(kind) },
        { weight: 1, arbitrary: fc.array(cellText, { maxLength: 8 }) },
      ),
      fc.array(fc.array(cellText, { maxLength: 14 }), { maxLength: 12 }),
    )
    .map(([header, rows]): Table => [header, ...rows]);

/** RFC 4180 quoting, always on, so that cells with commas, quotes and line breaks stay one cell. */
const quote = (cell: string) => `"${cell.replaceAll('"', '""')}"`;
const csvText = (t: Table, newline: string) => t.map((r) => r.map(quote).join(",")).join(newline) + newline;

type Encoding = "utf8" | "utf8-bom" | "utf16le-bom" | "utf16be-bom" | "latin1";
function encode(text: string, encoding: Encoding): Buffer {
  switch (encoding) {
    case "utf8":
      return Buffer.from(text, "utf8");
    case "utf8-bom":
      return Buffer.from(`\ufeff${text}`, "utf8");
    case "utf16le-bom":
      return Buffer.from(`\ufeff${text}`, "utf16le");
    case "utf16be-bom":
      return Buffer.from(`\ufeff${text}`, "utf16le").swap16();
    case "latin1":
      return Buffer.from(text, "latin1");
  }
}

/** Damage to a well-formed file: a stray quote, a cut, a NUL, random bytes, a repeated slice. */
const damage = fc.oneof(
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    bytes: fc.constantFrom(
      Buffer.from('"'),
      Buffer.from("\0"),
      Buffer.from("\r"),
      Buffer.from("\xff", "latin1"),
    ),
  }),
  fc.record({
    kind: fc.constant("random" as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }).map((b) => Buffer.from(b)),
  }),
  fc.record({ kind: fc.constant("cut" as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({
    kind: fc.constant("flip" as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    xor: fc.integer({ min: 1, max: 255 }),
  }),
);
function applyDamage(file: Buffer, d: typeof damage extends fc.Arbitrary<infer T> ? T : never): Buffer {
  const at = Math.floor(d.at * file.length);
  switch (d.kind) {
    case "insert":
    case "random":
      return Buffer.concat([file.subarray(0, at), d.bytes, file.subarray(at)]);
    case "cut":
      return file.subarray(0, at);
    case "flip": {
      const copy = Buffer.from(file);
      const i = Math.min(at, copy.length - 1);
      if (i >= 0) copy[i] = (copy[i] as number) ^ d.xor;
      return copy;
    }
  }
}

/** An XLSX of the table, each cell written as text, number, date, formula, rich text, hyperlink or error. */
const xlsxCell = fc.oneof(
  { weight: 6, arbitrary: fc.constant((s: string) => s as ExcelJS.CellValue) },
  {
    weight: 1,
    arbitrary: fc.constant((s: string) =>
      Number.isFinite(Number(s)) && s.trim() !== "" ? Number(s) : s.length,
    ),
  },
  { weight: 1, arbitrary: fc.constant(() => new Date(Date.UTC(2025, 3, 1))) },
  {
    weight: 1,
    arbitrary: fc.constant(
      (s: string) => ({ formula: `"${s.replaceAll('"', "")}"`, result: s }) as ExcelJS.CellValue,
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constant((s: string) => ({ richText: [{ text: s }, { text: "!" }] }) as ExcelJS.CellValue),
  },
  {
    weight: 1,
    arbitrary: fc.constant(
      (s: string) => ({ text: s, hyperlink: "http://evil.example/" }) as ExcelJS.CellValue,
    ),
  },
  { weight: 1, arbitrary: fc.constant(() => ({ error: "#N/A" }) as ExcelJS.CellValue) },
  { weight: 1, arbitrary: fc.constant(() => null) },
);
async function xlsxOf(t: Table, makers: ((s: string) => ExcelJS.CellValue)[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Pekerja");
  let k = 0;
  for (const row of t) sheet.addRow(row.map((cell) => (makers[k++ % makers.length] ?? ((s) => s))(cell)));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

// ---------------------------------------------------------------- the property

let dir: string;
let fileNo = 0;
function writeTemp(ext: string, bytes: Buffer | string): string {
  const path = join(dir, `fuzz-${++fileNo}${ext}`);
  writeFileSync(path, bytes);
  return path;
}

/** The data rows readTable yields for the file, or the DomainError it refuses the file with. */
async function readRows(kind: Kind, path: string): Promise<number[] | DomainError> {
  const rows: number[] = [];
  try {
    for await (const r of readerOf(kind, path)) rows.push(r.row);
    return rows;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
}

describe.each(backends)("file importers under fuzzing [%s]", (backend) => {
  let t: TestDatabase;
  let watch: TableWatch;
  let projectId: number;
  let app: FastifyInstance;
  let cookie: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "pantau-fuzz-import-"));
    t = await freshDatabase(backend);
    const project = await createProject(t.db, { code: PROJECT_CODE });
    projectId = project.id;
    await addContractorUser(t.db, project, "penyedia@fuzz.test", PASSWORD);
    app = await buildApp({ db: t.db, config: { logLevel: "silent" }, today: () => TODAY });
    const login = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "penyedia@fuzz.test", password: PASSWORD },
    });
    cookie = String(login.headers["set-cookie"]).split(";")[0] as string;
    watch = await TableWatch.start(t.db, AUTH_BOOKKEEPING);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const count = async (table: "report_event" | "project") =>
    Number(
      (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(t.db)).rows[0]?.n,
    );

  async function importAs(kind: Kind, path: string, source: "csv" | "xlsx"): Promise<ImportResult> {
    const rows = readerOf(kind, path);
    if (kind === "workers") return importWorkers(t.db, rows, { today: TODAY, actor, source });
    if (kind === "projects") return importProjects(t.db, rows, { actor });
    const answer = await importProjectWorkers(t.db, projectId, rows, { today: TODAY, actor, source });
    return { rows: Number.NaN, ...answer };
  }

  /** Import the file as `kind` and check everything the property promises; answers what happened. */
  async function check(kind: Kind, path: string): Promise<ImportResult | DomainError> {
    await watch.settle();
    const source = path.endsWith(".xlsx") ? "xlsx" : "csv";
    const read = await readRows(kind, path);
    const before = { events: await count("report_event"), projects: await count("project") };
    let outcome: ImportResult | DomainError;
    try {
      outcome = await importAs(kind, path, source);
    } catch (e) {
      // Anything but a DomainError is a bug: an HTTP upload would answer it with a 500.
      if (!(e instanceof DomainError)) throw e;
      outcome = e;
    }
    const changed = await watch.changes();
    if (outcome instanceof DomainError) {
      expect(FILE_CODES).toContain(outcome.code);
      expect(outcome.details.field).toEqual(expect.any(String));
      expect(read).toBeInstanceOf(DomainError);
      expect((read as DomainError).code).toBe(outcome.code);
      expect(changed, "a refused file changed tables").toEqual([]);
      return outcome;
    }
    expect(read).toBeInstanceOf(Array);
    const rows = new Set(read as number[]);
    if (kind !== "project-workers") expect(outcome.rows).toBe(rows.size);
    for (const e of outcome.errors) {
      expect(rows.has(e.row), `error on row ${e.row}, which the file does not have`).toBe(true);
      expect(FIELDS[kind]).toContain(e.field);
      expect(e.code).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect(e.message.id.length * e.message.en.length).toBeGreaterThan(0);
    }
    expect(outcome.rejected).toBe(new Set(outcome.errors.map((e) => e.row)).size);
    expect(outcome.accepted + outcome.rejected).toBeLessThanOrEqual(rows.size);
    // Only accepted rows write: as many events (workers) or projects as were accepted, nothing else.
    const after = { events: await count("report_event"), projects: await count("project") };
    if (kind === "projects") {
      expect(after.projects - before.projects).toBe(outcome.accepted);
      if (outcome.accepted === 0) expect(changed).toEqual([]);
    } else {
      expect(after.events - before.events).toBe(outcome.accepted);
      // A batch that accepted nothing keeps its answer (for the error download) and nothing else.
      if (outcome.accepted === 0) expect(changed.filter((n) => n !== "report_batch")).toEqual([]);
    }
    return outcome;
  }

  it("answers random bytes, as .csv and as .xlsx, with row errors or a file error", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 2048 }),
        fc.constantFrom(".csv", ".xlsx"),
        fc.constantFrom(...KINDS),
        async (bytes, ext, kind) => {
          await check(kind, writeTemp(ext, Buffer.from(bytes)));
        },
      ),
      { numRuns: 40 },
    );
  });

  it("answers adversarial CSV tables in every encoding and line ending, whole or damaged", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...KINDS).chain((kind) =>
          fc.record({
            kind: fc.constant(kind),
            table: table(kind),
            newline: fc.constantFrom("\n", "\r\n", "\r"),
            encoding: fc.constantFrom<Encoding>("utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "latin1"),
            damage: fc.option(damage, { freq: 3 }),
          }),
        ),
        async ({ kind, table: rows, newline, encoding, damage: d }) => {
          let bytes = encode(csvText(rows, newline), encoding);
          if (d) bytes = applyDamage(bytes, d);
          const outcome = await check(kind, writeTemp(".csv", bytes));
          // A file that is neither UTF-8 nor UTF-16 with its BOM is refused for its encoding. The one
          // refusal that may come first is its header's: the reader streams, and a first line that is valid
          // UTF-8 by itself is judged as a header when it arrives, before an incomplete character at the
          // end of the file can be told from one still arriving. Either way nothing is written (`check`).
          const utf16 =
            bytes[0] === 0xff && bytes[1] === 0xfe
              ? "le"
              : bytes[0] === 0xfe && bytes[1] === 0xff
                ? "be"
                : null;
          if (!utf16 && !isUtf8(bytes)) {
            const lineEnd = bytes.findIndex((b) => b === 0x0a || b === 0x0d);
            const headerFirst =
              lineEnd >= 0 &&
              isUtf8(bytes.subarray(0, lineEnd)) &&
              outcome instanceof DomainError &&
              outcome.code === "FILE_COLUMNS_MISSING";
            if (!headerFirst) expect(outcome).toMatchObject({ code: "FILE_ENCODING" });
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("reads a table the same from UTF-8, UTF-8 with BOM, UTF-16 LE/BE with BOM and any line ending", async () => {
    await fc.assert(
      fc.asyncProperty(
        table("workers"),
        fc.constantFrom("\n", "\r\n", "\r"),
        fc.constantFrom<Encoding>("utf8-bom", "utf16le-bom", "utf16be-bom"),
        async (rows, newline, encoding) => {
          const records = async (path: string) => {
            const out: unknown[] = [];
            try {
              for await (const r of readTable(path, WORKER_COLUMNS, WORKER_REQUIRED)) out.push(r);
            } catch (e) {
              if (!(e instanceof DomainError)) throw e;
              out.push(e.code);
            }
            return out;
          };
          const plain = await records(writeTemp(".csv", encode(csvText(rows, "\n"), "utf8")));
          const other = await records(writeTemp(".csv", encode(csvText(rows, newline), encoding)));
          expect(other).toEqual(plain);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("answers adversarial XLSX workbooks, whole or damaged", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...KINDS).chain((kind) =>
          fc.record({
            kind: fc.constant(kind),
            table: table(kind),
            makers: fc.array(xlsxCell, { minLength: 1, maxLength: 7 }),
            damage: fc.option(damage, { freq: 4 }),
          }),
        ),
        async ({ kind, table: rows, makers, damage: d }) => {
          let bytes = await xlsxOf(rows, makers);
          if (d) bytes = applyDamage(bytes, d);
          await check(kind, writeTemp(".xlsx", bytes));
        },
      ),
      { numRuns: 30 },
    );
  });

  it("refuses exactly the bad rows of a file, by row number and field, and stores the good ones verbatim", async () => {
    let serial = 1000;
    // A name that must be accepted as it is: no hidden characters (src/domain/text.ts), not blank, at
    // most 200 characters once trimmed; and one that must be refused for a hidden character in it.
    const goodName = fc
      .oneof(
        fc.constantFrom(...FORMULAS, ...SQLISH, ...UNICODE),
        fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }),
      )
      .filter((s) => !hasHiddenCharacters(s) && s.trim() !== "" && s.trim().length <= 200);
    const hiddenName = fc
      .tuple(
        fc.string({ unit: "grapheme", maxLength: 10 }),
        // Bidi marks only: XML, so XLSX, cannot carry most C0 controls at all.
        fc.constantFrom("\u202e", "\u202d", "\u2066", "\u2069", "\u200f"),
        fc.string({ unit: "grapheme", maxLength: 10 }),
      )
      .map(([a, hidden, b]) => `Budi ${a}${hidden}${b} Santoso`)
      .filter((s) => s.length <= 200 && !s.includes("\0"));
    const badNik = fc.oneof(
      fc.constantFrom(
        "",
        "6103-01120385001",
        "６１０３０１１２０３８５００１２",
        "6103011203850000",
        "'; drop table person; --",
      ),
      fc.string({ maxLength: 20 }).filter((s) => !/^\s*\d{16}\s*$/.test(s)),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            goodName.map((name) => ({ name })),
            badNik.map((nik) => ({ nik })),
            hiddenName.map((hidden) => ({ hidden })),
          ),
          {
            minLength: 1,
            maxLength: 10,
          },
        ),
        fc.constantFrom<Kind>("workers", "project-workers"),
        fc.constantFrom(".csv", ".xlsx"),
        async (lines, kind, ext) => {
          const rows = lines.map((l) => {
            serial += 1;
            const nik = "nik" in l ? l.nik : `610301120385${String(serial).padStart(4, "0")}`;
            return { nik, name: "name" in l ? l.name : "hidden" in l ? l.hidden : `Pekerja ${serial}` };
          });
          const tableRows: Table = [
            ["kode_proyek", "nik", "nama", "peristiwa", "tanggal"],
            ...rows.map((r) => [PROJECT_CODE, r.nik, r.name, "masuk", "2025-04-01"]),
          ];
          const path =
            ext === ".csv"
              ? writeTemp(ext, csvText(tableRows, "\r\n"))
              : writeTemp(ext, await xlsxOf(tableRows, [(s) => s]));
          const outcome = await check(kind, path);
          expect(outcome).not.toBeInstanceOf(DomainError);
          const result = outcome as ImportResult;
          const bad = lines.flatMap((l, i) => ("nik" in l || "hidden" in l ? [i + 2] : []));
          expect([...new Set(result.errors.map((e) => e.row))].sort((a, b) => a - b)).toEqual(bad);
          for (const e of result.errors)
            expect([e.field, e.code]).toEqual(
              "nik" in (lines[e.row - 2] ?? {}) ? ["nik", e.code] : ["name", "TEXT_INVALID"],
            );
          expect(result.accepted).toBe(lines.length - bad.length);
          const names = rows.filter((_, i) => !bad.includes(i + 2)).map((r) => r.name.trim());
          const stored = await t.db
            .selectFrom("person")
            .select("name")
            .where(sql<boolean>`name = any(${sql.val(names)}::text[])`)
            .execute();
          expect(new Set(stored.map((p) => p.name))).toEqual(new Set(names));
        },
      ),
      { numRuns: 25 },
    );
  });

  it("refuses a NUL in any cell as an error of that row and field, and takes the other rows", async () => {
    // PostgreSQL text cannot hold NUL: unless the importer catches it, the database refuses the whole file.
    // CSV only: XML cannot carry a NUL, so ExcelJS drops it when writing and never reads one.
    let serial = 3000;
    const workerRow = (): Record<string, string> => {
      serial += 1;
      return {
        kode_proyek: PROJECT_CODE,
        nik: `610301120385${String(serial).padStart(4, "0")}`,
        nama: `Pekerja ${serial}`,
        tanggal_lahir: "1985-03-12",
        jenis_kelamin: "L",
        peristiwa: "masuk",
        tanggal: "2025-04-01",
        id_laporan: `ev-${serial}`,
      };
    };
    const workerFields: Record<string, string> = {
      kode_proyek: "projectCode",
      nik: "nik",
      nama: "name",
      tanggal_lahir: "birthDate",
      jenis_kelamin: "sex",
      peristiwa: "event",
      tanggal: "date",
      id_laporan: "eventId",
    };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(workerFields)),
        fc.constantFrom<Kind>("workers", "project-workers"),
        fc.nat(2),
        async (column, kind, at) => {
          const rows = [workerRow(), workerRow(), workerRow()];
          const target = rows[at] as Record<string, string>;
          target[column] =
            `${(target[column] as string).slice(0, 3)}\0${(target[column] as string).slice(3)}`;
          const header = Object.keys(target);
          const table: Table = [header, ...rows.map((r) => header.map((h) => r[h] as string))];
          const outcome = await check(kind, writeTemp(".csv", csvText(table, "\n")));
          expect(outcome).not.toBeInstanceOf(DomainError);
          const result = outcome as ImportResult;
          expect(result.errors).toContainEqual(
            expect.objectContaining({ row: at + 2, field: workerFields[column], code: "TEXT_INVALID" }),
          );
          expect(new Set(result.errors.map((e) => e.row))).toEqual(new Set([at + 2]));
          expect(result.accepted).toBe(2);
        },
      ),
      { numRuns: 20 },
    );
    const project = {
      kode_paket: "61.03/FUZZ/NUL/1",
      nama_paket: "Jalan",
      kode_kecamatan: "61.03.01",
      kode_opd: "PUPR",
      nib_penyedia: "9120001234567",
      nama_penyedia: "CV Karya",
      sumber_dana: "APBD",
      jenis_pekerjaan: "road",
      nilai_kontrak: "500000000",
      tanggal_spk: "2025-03-03",
      tanggal_spmk: "2025-03-10",
      tanggal_selesai: "2025-10-31",
    };
    for (const [i, column] of ["nama_paket", "kode_opd", "nama_penyedia"].entries()) {
      const header = Object.keys(project);
      const good = { ...project, kode_paket: `61.03/FUZZ/NUL/${i}/ok` };
      const bad = { ...project, kode_paket: `61.03/FUZZ/NUL/${i}/bad`, [column]: "Ja\0lan" };
      const table: Table = [header, ...[bad, good].map((r) => header.map((h) => r[h as keyof typeof r]))];
      const outcome = await check("projects", writeTemp(".csv", csvText(table, "\n")));
      expect(outcome).toMatchObject({ accepted: 1, errors: [{ row: 2, code: "TEXT_INVALID" }] });
    }
  });

  it("survives huge cells and thousands of columns", async () => {
    const header = ["kode_proyek", "nik", "nama", "peristiwa", "tanggal"];
    const huge = "x".repeat(2 * 1024 * 1024);
    const cases: [string, Table][] = [
      ["a 2 MB name", [header, [PROJECT_CODE, "6103011203859001", huge, "masuk", "2025-04-01"]]],
      ["a 2 MB project code", [header, [huge, "6103011203859002", "Budi", "masuk", "2025-04-01"]]],
      ["a 2 MB NIK", [header, [PROJECT_CODE, "6".repeat(2 * 1024 * 1024), "Budi", "masuk", "2025-04-01"]]],
      [
        "5,000 columns",
        [
          [...header, ...Array.from({ length: 5000 }, (_, i) => `extra_${i}`)],
          [PROJECT_CODE, "6103011203859003", "Budi", "masuk", "2025-04-01", ...Array(5000).fill("=1+1")],
        ],
      ],
    ];
    // `check` holds each answer to the property; the huge name must also be named as the row's fault.
    for (const [, rows] of cases) {
      for (const kind of KINDS) await check(kind, writeTemp(".csv", csvText(rows, "\n")));
    }
    const name = await check("workers", writeTemp(".csv", csvText(cases[0]?.[1] as Table, "\n")));
    expect(name).toMatchObject({ accepted: 0, errors: [{ row: 2, field: "name", code: "NAME_INVALID" }] });
  });

  // ------------------------------------------------------------ the same through the HTTP upload

  const upload = (filename: string, bytes: Buffer) => {
    const boundary = "----pantau-fuzz";
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return app.inject({
      method: "POST",
      url: `/api/v1/projects/${projectId}/uploads`,
      headers: { cookie, "content-type": `multipart/form-data; boundary=${boundary}` },
      payload,
    });
  };

  it("answers any uploaded file with a 200 or a 4xx problem, and a 4xx changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 1024 }).map((b) => Buffer.from(b)),
          table("project-workers").map((rows) => Buffer.from(csvText(rows, "\r\n"))),
          fc
            .tuple(table("project-workers"), damage)
            .map(([rows, d]) => applyDamage(Buffer.from(csvText(rows, "\n")), d)),
        ),
        fc.constantFrom(
          "pekerja.csv",
          "pekerja.xlsx",
          "PEKERJA.CSV",
          "pekerja",
          "pekerja.xls",
          "../../etc/passwd.csv",
        ),
        async (bytes, filename) => {
          await watch.settle();
          const res = await upload(filename, bytes);
          expect(res.statusCode, res.body).toBeLessThan(500);
          const changed = await watch.changes();
          if (res.statusCode >= 400) {
            expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
            expect(changed).toEqual([]);
          }
        },
      ),
      { numRuns: 30 },
    );
  });

  it("refuses an upload over the limit with a clear 413, and keeps nothing of it", async () => {
    await watch.settle();
    const line = `${PROJECT_CODE},6103011203850012,Budi,masuk,2025-04-01\n`;
    const body = Buffer.from(
      `kode_proyek,nik,nama,peristiwa,tanggal\n${line.repeat(Math.ceil(MAX_UPLOAD_BYTES / line.length) + 10)}`,
    );
    expect(body.length).toBeGreaterThan(MAX_UPLOAD_BYTES);
    const res = await upload("pekerja.csv", body);
    expect(res.statusCode).toBe(413);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.json().title).toMatch(/10 MB/);
    expect(await watch.changes()).toEqual([]);
  });
});
