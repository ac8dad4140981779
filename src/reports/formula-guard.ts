import { stringify } from "csv-stringify/sync";
import type ExcelJS from "exceljs";

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

/** Control characters XML 1.0 cannot hold (all C0 but tab, LF and CR): a workbook would lose them. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these characters are what it finds
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;

/**
 * Neutralise every text cell of a built workbook, whichever sheet or column put it there. An ExcelJS
 * string is a string cell, not a formula, when the file is opened; but it becomes one as soon as an
 * officer edits the cell or saves the sheet as CSV, so the workbook gets the same apostrophe. What XML
 * cannot hold goes first, or its loss in writing could bare a formula behind it ("\u0001=cmd"); line
 * ends are written as XML reads them back (LF), after the check, which counts a leading CR.
 */
export function neutraliseWorkbook(workbook: ExcelJS.Workbook): void {
  workbook.eachSheet((sheet) => {
    sheet.eachRow((row) => {
      row.eachCell((cell) => {
        if (typeof cell.value === "string")
          cell.value = neutraliseFormula(cell.value.replace(NOT_XML, "")).replace(/\r\n?/g, "\n");
      });
    });
  });
}
