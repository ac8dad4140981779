import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WORKER_COLUMNS, WORKER_REQUIRED } from "../../src/services/imports.js";
import { readTable } from "../../src/services/tabular.js";

const HEADER = ["project_code", "nik", "name", "birth_date", "sex", "event", "date"];
const ROW = ["61.03/PUPR/2025/T001", "6103011203850001", "Budi", "1985-03-12", "L", "join", "2025-04-01"];

/** A workbook as ExcelJS (and Excel) write it: each worksheet before the shared strings. */
async function workbook(sheets: string[][][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [i, rows] of sheets.entries()) wb.addWorksheet(`Lembar ${i + 1}`).addRows(rows);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** What this process holds: open descriptors, and the temporary files its libraries made. */
const held = () => ({
  descriptors: readdirSync("/proc/self/fd").length,
  tempFiles: readdirSync(tmpdir()).filter((f) => f.startsWith(`tmp-${process.pid}-`)).length,
});

async function read(path: string): Promise<string> {
  try {
    let rows = 0;
    for await (const _ of readTable(path, WORKER_COLUMNS, WORKER_REQUIRED)) rows += 1;
    return `${rows} rows`;
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
}

describe.skipIf(process.platform !== "linux")("reading XLSX files leaves nothing behind", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "pantau-tabular-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ["a table read whole", [[HEADER, ROW, ROW]], "2 rows"],
    ["a refused header", [[["nama"], ["Budi"]]], "FILE_COLUMNS_MISSING"],
    [
      "a second worksheet after the table",
      [
        [HEADER, ROW],
        [["catatan"], ["x"]],
      ],
      "1 rows",
    ],
    ["a file that is no workbook", null, "FILE_MALFORMED"],
  ])("%s: no descriptor and no temporary file of workers' data stays open", async (_, sheets, answer) => {
    const path = join(dir, "pekerja.xlsx");
    writeFileSync(path, sheets ? await workbook(sheets) : "nik,nama\n6103011203850001,Budi\n");
    const settled = async () => {
      await new Promise((resolve) => setTimeout(resolve, 100)); // closing and unlinking finish
      return held();
    };
    expect(await read(path)).toBe(answer); // once first: the libraries' own lasting handles open now
    const before = await settled();
    for (let i = 0; i < 25; i++) expect(await read(path)).toBe(answer);
    // ExcelJS parked each read's worksheet in a temporary file; each one must be gone, and closed.
    const after = await settled();
    // At most the odd file of a read ExcelJS failed and tried again (src/services/tabular.ts).
    expect(after.tempFiles - before.tempFiles).toBeLessThan(3);
    // The test runner opens and closes descriptors of its own meanwhile; one leaked per read adds 25.
    expect(after.descriptors - before.descriptors).toBeLessThan(5);
  });
});
