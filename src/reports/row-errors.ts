import ExcelJS from "exceljs";
import type { RowError } from "../domain/worker-report.js";
import { columnName, type HeaderAliases } from "../services/tabular.js";
import { neutraliseWorkbook, toCsv } from "./formula-guard.js";

/**
 * A batch's row errors as the files the web download and `pantau import --errors` write: the field, and
 * its column as the reader's file names it (`kolom`, from the importer's `columns`), the reason in both
 * languages.
 */
function rowErrorTable(errors: readonly RowError[], columns: HeaderAliases) {
  return [
    ["row", "field", "kolom", "code", "pesan", "message"],
    ...errors.map((e) => [e.row, e.field, columnName(columns, e.field), e.code, e.message.id, e.message.en]),
  ];
}

/**
 * As CSV. It starts with a byte-order mark: without one, Excel on Windows reads UTF-8 as its own code
 * page ("7â€"12").
 */
export function rowErrorsCsv(errors: readonly RowError[], columns: HeaderAliases): string {
  return `\uFEFF${toCsv(rowErrorTable(errors, columns))}`;
}

/**
 * As a workbook, which Excel opens in columns whatever its list separator: an Indonesian Excel splits a
 * CSV on semicolons (its decimal mark is the comma), so the CSV opens there as one column of text.
 */
export async function rowErrorsXlsx(errors: readonly RowError[], columns: HeaderAliases): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("Kesalahan", { views: [{ state: "frozen", ySplit: 1 }] });
  ws.addRows(rowErrorTable(errors, columns));
  ws.getRow(1).font = { bold: true };
  for (const [i, width] of [8, 14, 18, 22, 60, 60].entries()) ws.getColumn(i + 1).width = width;
  neutraliseWorkbook(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
