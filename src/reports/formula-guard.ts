import { stringify } from "csv-stringify/sync";
import type ExcelJS from "exceljs";
import type { RowError } from "../domain/worker-report.js";
import { columnName, type HeaderAliases } from "../services/tabular.js";

/**
 * Formula injection (CWE-1236, OWASP "CSV Injection", ASVS 5.0 1.2.10): a cell whose text starts with
 * `=`, `+`, `-` or `@` is run as a formula by Excel, LibreOffice and Google Sheets when the file is
 * opened, and a leading tab, CR or NUL is skipped before one; Apple Numbers also reads the full-width
 * forms. Project, contractor and work-unit names are typed by users, so every text cell of every file
 * the product writes goes through `neutraliseFormula`: such text gets a leading apostrophe and is shown
 * as text. Numbers and dates stay numeric cells (a negative number is not text and is never prefixed).
 */
const FORMULA_START = /^[=+\-@\t\r\0\uff1d\uff0b\uff0d\uff20]/;

export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export type CsvCell = string | number | null;

/** CSV (RFC 4180 quoting by csv-stringify) with every text cell neutralised. */
export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
  return stringify(rows.map((cells) => cells.map((c) => (typeof c === "string" ? neutraliseFormula(c) : c))));
}

/**
 * A batch's row errors as the CSV that the web download and `pantau import --errors` both write: the
 * field, and its column as the reader's file names it (`kolom`, from the importer's `columns`). It starts
 * with a byte-order mark: without one, Excel on Windows reads UTF-8 as its own code page ("7â€"12").
 */
export function rowErrorsCsv(errors: readonly RowError[], columns: HeaderAliases): string {
  return `\uFEFF${toCsv([
    ["row", "field", "kolom", "code", "pesan", "message"],
    ...errors.map((e) => [e.row, e.field, columnName(columns, e.field), e.code, e.message.id, e.message.en]),
  ])}`;
}

/**
 * Neutralise every text cell of a built workbook, whichever sheet or column put it there. An ExcelJS
 * string is a string cell, not a formula, when the file is opened; but it becomes one as soon as an
 * officer edits the cell or saves the sheet as CSV, so the workbook gets the same apostrophe.
 */
export function neutraliseWorkbook(workbook: ExcelJS.Workbook): void {
  workbook.eachSheet((sheet) => {
    sheet.eachRow((row) => {
      row.eachCell((cell) => {
        if (typeof cell.value === "string") cell.value = neutraliseFormula(cell.value);
      });
    });
  });
}
