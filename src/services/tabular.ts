import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { extname } from "node:path";
import { pipeline, Transform } from "node:stream";
import { TextDecoder } from "node:util";
import { CsvError, parse } from "csv-parse";
import ExcelJS from "exceljs";
import { DomainError } from "../domain/errors.js";

/**
 * Read a CSV or XLSX table as records keyed by canonical field names. Both formats stream, so a
 * large file never sits in memory as a whole; row numbers are the spreadsheet's (header = row 1).
 */
export interface TableRow {
  row: number;
  record: Record<string, string>;
}

/**
 * Canonical field → accepted header spellings (English and Bahasa Indonesia); the first is the column's
 * Indonesian name, as the templates, the dashboard and the error files write it (`columnName`).
 */
export type HeaderAliases = Record<string, readonly string[]>;

/** A field's column as a reader's file names it ("peristiwa" for `event`); "" for none (a whole row). */
export const columnName = (aliases: HeaderAliases, field: string): string => aliases[field]?.[0] ?? "";

const normaliseHeader = (h: string) =>
  h
    .trim()
    .toLowerCase()
    .replace(/[\s\-.]+/g, "_");

/** Map a header row to canonical fields; a required field with no column is a file-level error. */
export function mapHeader(
  header: readonly string[],
  aliases: HeaderAliases,
  required: readonly string[],
): (string | null)[] {
  const lookup = new Map<string, string>();
  for (const [field, names] of Object.entries(aliases)) {
    for (const name of [field, ...names]) lookup.set(normaliseHeader(name), field);
  }
  const fields = header.map((h) => lookup.get(normaliseHeader(h)) ?? null);
  const missing = required.filter((f) => !fields.includes(f));
  if (missing.length > 0) {
    throw new DomainError(
      "FILE_COLUMNS_MISSING",
      `Kolom wajib tidak ada: ${missing.map((m) => columnName(aliases, m)).join(", ")} / ` +
        `required columns missing: ${missing.join(", ")}`,
      {
        field: missing[0],
        missing,
        accepted: Object.fromEntries(missing.map((m) => [m, [m, ...(aliases[m] ?? [])]])),
      },
    );
  }
  return fields;
}

/** A cell as text: dates become YYYY-MM-DD, rich text and formulas their visible value. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "object") {
    const v = value as { text?: unknown; result?: unknown; richText?: { text: string }[] };
    if (v.richText) return v.richText.map((r) => r.text).join("");
    if (v.text !== undefined) return cellText(v.text);
    if (v.result !== undefined) return cellText(v.result);
    return "";
  }
  // A number of 16 digits or more has lost digits already (Excel keeps 15, JavaScript about 16): written
  // as Excel shows it, a NIK typed as a number is refused as such rather than stored with other digits.
  if (typeof value === "number" && Math.abs(value) >= 1e15) return value.toExponential().toUpperCase();
  return String(value);
}

/** A CSV's encoding: UTF-16 by its byte-order mark (Excel's "Unicode text"), UTF-8 otherwise. */
function encodingOf(start: Buffer): "utf-16le" | "utf-16be" | "utf-8" {
  if (start[0] === 0xff && start[1] === 0xfe) return "utf-16le";
  if (start[0] === 0xfe && start[1] === 0xff) return "utf-16be";
  return "utf-8";
}

/**
 * The CSV's bytes as UTF-8, checked: the README promises UTF-8, and a file saved in another code page
 * (Excel's "CSV" on Windows writes Windows-1252) is refused whole rather than stored with U+FFFD where
 * its letters were. A UTF-16 file with its BOM (Excel's "Unicode text") is read as what it is.
 */
function utf8Checked(): Transform {
  let decoder: TextDecoder | null = null;
  let utf16 = false;
  const refuse = () =>
    new DomainError(
      "FILE_ENCODING",
      "Berkas CSV bukan UTF-8: simpan sebagai 'CSV UTF-8' / the CSV file is not UTF-8: save it as 'CSV UTF-8'",
      { field: "file" },
    );
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      try {
        if (!decoder) {
          const encoding = encodingOf(chunk);
          utf16 = encoding !== "utf-8";
          decoder = new TextDecoder(encoding, { fatal: true });
        }
        const text = decoder.decode(chunk, { stream: true });
        // UTF-8 goes on as it came (csv-parse strips its BOM); UTF-16 goes on re-encoded.
        done(null, utf16 ? Buffer.from(text, "utf8") : chunk);
      } catch {
        done(refuse());
      }
    },
    flush(done) {
      try {
        decoder?.decode();
        done();
      } catch {
        done(refuse());
      }
    },
  });
}

/**
 * ExcelJS parks a worksheet that comes before the shared strings (where Excel and ExcelJS write them) in
 * a temporary file, and deletes it, closing its descriptor, only when asked for the next worksheet. So
 * ask until there is none, reading any later sheet through, however the reading of the table ended:
 * before, every XLSX read left a descriptor and a file of workers' data (NIKs) in the temporary
 * directory until the process ended (test/services/tabular.test.ts).
 */
async function readToEnd(sheets: AsyncIterator<AsyncIterable<unknown>>): Promise<void> {
  try {
    for (let sheet = await sheets.next(); !sheet.done; sheet = await sheets.next())
      for await (const _ of sheet.value);
  } catch {
    // A damaged file: its reading has already answered FILE_MALFORMED, or the table was read whole.
  }
}

/** The workbook's worksheets, and the first of them: the table. */
async function firstSheet(path: string) {
  // The file is opened here, not by ExcelJS, which leaves it open when it fails on a damaged workbook.
  const file = createReadStream(path);
  const sheets = new ExcelJS.stream.xlsx.WorkbookReader(file, {
    sharedStrings: "cache",
    styles: "cache",
    worksheets: "emit",
  })[Symbol.asyncIterator]();
  try {
    return { file, sheets, first: await sheets.next() };
  } catch (e) {
    file.destroy();
    throw e;
  }
}

const xlsxMalformed = () =>
  new DomainError(
    "FILE_MALFORMED",
    "Berkas XLSX rusak atau bukan XLSX / the XLSX file is damaged or not an XLSX workbook",
    { field: "file" },
  );

/**
 * The CSV's delimiter: Excel set to Indonesian (where the comma is the decimal mark) saves "CSV" with
 * semicolons. A header line with semicolons and no comma is such a file; any other is comma-separated.
 * The header is decoded first (UTF-8, or UTF-16 by its byte-order mark), so a UTF-16 file is told the same way.
 */
async function delimiterOf(path: string): Promise<"," | ";"> {
  const file = await open(path);
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(64 * 1024), 0, 64 * 1024, 0);
    const bytes = buffer.subarray(0, bytesRead);
    // Read as text: in UTF-16 a byte 0x3B can be half of another character (U+1EC71 is D83B DC71).
    const header = new TextDecoder(encodingOf(bytes)).decode(bytes).split(/\r\n|\r|\n/, 1)[0] ?? "";
    return header.includes(";") && !header.includes(",") ? ";" : ",";
  } finally {
    await file.close();
  }
}

async function* rawRows(path: string): AsyncGenerator<string[]> {
  const ext = extname(path).toLowerCase();
  if (ext === ".csv" || ext === ".txt") {
    const delimiter = await delimiterOf(path);
    // pipeline, not pipe: an error anywhere (a read error, a refused encoding) ends the loop below.
    const parser = pipeline(
      createReadStream(path),
      utf8Checked(),
      parse({ bom: true, delimiter, relax_column_count: true, skip_empty_lines: false, trim: true }),
      () => {},
    );
    try {
      for await (const record of parser) yield record as string[];
    } catch (e) {
      // A broken quote and the like: say where, not what (the line may hold a NIK).
      if (e instanceof CsvError) {
        const line = Number((e as CsvError & { lines?: number }).lines) || null;
        throw new DomainError(
          "FILE_MALFORMED",
          `CSV tidak dapat dibaca${line ? ` pada baris ${line}` : ""} (${e.code}); periksa tanda kutip / ` +
            `the CSV cannot be read${line ? ` at line ${line}` : ""} (${e.code}); check its quotes`,
          { field: "file", line, reason: e.code },
        );
      }
      throw e;
    }
    return;
  }
  if (ext === ".xlsx") {
    // ExcelJS's streaming reader now and then fails on a sound file before its first row ("reading
    // 'sheets'" of a workbook model it has not read yet): seen once in CI's fuzzing and about once in
    // 800 reads under the test runner (none in 1,500 in a plain process). That slip is a TypeError, a
    // damaged zip is not: only the first is tried again. The failed try's parked worksheet is out of
    // reach and stays until exit.
    const { file, sheets, first } = await firstSheet(path)
      .catch((e) => {
        if (e instanceof TypeError) return firstSheet(path);
        throw e;
      })
      .catch(() => {
        throw xlsxMalformed();
      });
    try {
      if (first.done) return;
      let expected = 1;
      for await (const row of first.value) {
        // Streaming rows skip empty lines; keep numbering equal to what the spreadsheet shows.
        for (; expected < row.number; expected++) yield [];
        const values = row.values as unknown[];
        yield values.slice(1).map(cellText);
        expected = row.number + 1;
      }
    } catch (e) {
      // Not a zip, a damaged zip, or no spreadsheet XML inside: ExcelJS's own errors, one answer for all.
      if (e instanceof DomainError) throw e;
      throw xlsxMalformed();
    } finally {
      await readToEnd(sheets);
      file.destroy();
    }
    return;
  }
  throw unsupportedFile(ext);
}

/** The answer to a file that is neither CSV nor XLSX, by its extension (".pdf", or "" for none). */
export const unsupportedFile = (ext: string) =>
  new DomainError(
    "FILE_TYPE_UNSUPPORTED",
    `Jenis berkas ${ext || "(tanpa ekstensi)"} tidak didukung; pakai .csv atau .xlsx / ` +
      `${ext ? `${ext} files are` : "a file without an extension is"} not supported; use .csv or .xlsx`,
    { field: "file" },
  );

/** Rows of the first table in the file, as canonical records; blank lines are skipped. */
export async function* readTable(
  path: string,
  aliases: HeaderAliases,
  required: readonly string[],
): AsyncGenerator<TableRow> {
  let fields: (string | null)[] | null = null;
  let row = 0;
  let records = 0;
  for await (const cells of rawRows(path)) {
    row += 1;
    if (!fields) {
      fields = mapHeader(cells, aliases, required);
      continue;
    }
    if (cells.every((c) => c.trim() === "")) continue;
    const record: Record<string, string> = {};
    fields.forEach((f, i) => {
      if (f) record[f] = (cells[i] ?? "").trim();
    });
    records += 1;
    yield { row, record };
  }
  if (!fields)
    throw new DomainError(
      "FILE_EMPTY",
      "Berkas kosong: tidak ada baris judul kolom / the file is empty: it has no header row",
      { field: "file" },
    );
  // A file of column names only is a template sent by mistake, not a report of nobody.
  if (records === 0)
    throw new DomainError(
      "FILE_EMPTY",
      "Berkas hanya berisi judul kolom, tanpa baris data / the file has only its header row, no data rows",
      { field: "file" },
    );
}
