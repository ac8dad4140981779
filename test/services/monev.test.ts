import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSanggauDemo } from "../../src/demo/load.js";
import { SANGGAU } from "../../src/demo/sanggau.js";
import { renderMonevPdf } from "../../src/reports/monev-pdf.js";
import { NUM_FMT, renderMonevXlsx } from "../../src/reports/monev-xlsx.js";
import type { Actor } from "../../src/services/actor.js";
import { systemActor } from "../../src/services/actor.js";
import { listCases } from "../../src/services/cases.js";
import { coverageAt, coverageBreakdown } from "../../src/services/coverage.js";
import { type MonevReport, monevReport } from "../../src/services/monev.js";
import { businessClock } from "../../src/services/settings.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";

const run = promisify(execFile);
const SCREENSHOTS = join(import.meta.dirname, "../e2e/screenshots");
const test = systemActor("test");
const bpjs = (regionCode: string): Actor => ({
  kind: "user",
  label: "user:1",
  userId: 1,
  role: "bpjs",
  organisationId: null,
  regionCode,
});

describe.each(backends)("Monev report on the Sanggau demo [%s]", (backend) => {
  let t: TestDatabase;
  let today: string;
  let report: MonevReport;
  let dir: string;
  beforeAll(async () => {
    t = await freshDatabase(backend);
    await loadSanggauDemo(t.db, { seed: 2025, today: "2026-01-15", actor: systemActor("demo") });
    today = (await businessClock(t.db))();
    report = await monevReport(t.db, { regionCode: "61.03", period: "2025-07" }, test, today);
    dir = mkdtempSync(join(tmpdir(), "pantau-monev-"));
  }, 240_000);
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  it("reads July 2025 on the business date and agrees with coverageAt and the breakdowns", async () => {
    expect(today).toBe(SANGGAU.snapshotDate);
    expect(report).toMatchObject({
      regionCode: "61.03",
      regionName: "Kabupaten Sanggau",
      branchName: "BPJS Ketenagakerjaan Cabang Sanggau",
      period: "2025-07",
      date: "2025-07-30",
      issuedOn: "2025-07-30",
      headline: { known: 12_320, protected: 4_519, percent: 36.68, target: 58.65, gap: 2_707 },
    });
    const q = { scope: "region" as const, id: "61.03", date: "2025-07-30" };
    expect(report.headline.unreported).toEqual((await coverageAt(t.db, q, test)).unreported);
    expect(report.byDistrict).toEqual(await coverageBreakdown(t.db, q, "district", test));
    expect(report.byDistrict).toHaveLength(15);
    expect(report.trend.map((p) => p.month)).toEqual([
      "2025-01",
      "2025-02",
      "2025-03",
      "2025-04",
      "2025-05",
      "2025-06",
      "2025-07",
    ]);
    expect(report.trend.at(-1)).toMatchObject({ known: 12_320, protected: 4_519 });
    // Each worker counts once per funding source they work under, so the groups cover at least the total.
    expect(new Set(report.byFundingSource.map((r) => r.name))).toEqual(
      new Set(["APBD", "APBN", "DAK", "Swasta"]),
    );
    expect(report.byFundingSource.reduce((s, r) => s + r.known, 0)).toBeGreaterThanOrEqual(12_320);
    expect(report.byContractor.every((r) => r.protected <= r.known)).toBe(true);
    // Contractors by their NIB and work units by their code, as people know them (the key is the id).
    const codes = new Map(
      (await t.db.selectFrom("organisation").select(["id", "code"]).execute()).map((o) => [
        String(o.id),
        o.code,
      ]),
    );
    for (const r of [...report.byContractor, ...report.byWorkUnit])
      expect(r.code, r.name).toBe(r.key === "-" ? "-" : codes.get(r.key));
    expect(report.byContractor.every((r) => /^\d{13}$/.test(r.code))).toBe(true);
    expect(report.byWorkUnit.map((r) => r.code)).toContain("PUPR");
  });

  it("lists unregistered working projects, arrears and open cases by step as on the date", async () => {
    expect(report.unregistered.length).toBeGreaterThan(0);
    for (const p of report.unregistered) {
      expect(p.spmkDate <= report.date).toBe(true);
      expect(p.contractValue).toBeGreaterThan(0);
      expect(p.contractor).not.toMatch(/^\d+$/);
    }
    expect(report.arrears.length).toBeGreaterThan(0);
    for (const a of report.arrears) {
      expect(a.dueDate < report.date).toBe(true);
      expect(a.paid).toBeLessThan(a.amount);
      expect(a.outstanding).toBe(a.amount - a.paid);
    }
    const open = (await listCases(t.db, test, report.date, { status: "open" })).filter(
      (c) => c.regencyCode === "61.03" && c.openedOn <= report.date,
    );
    expect(report.cases.map((c) => c.step)).toEqual([
      "open",
      "warning_1",
      "warning_2",
      "sanction_recommended",
      "referred",
    ]);
    expect(report.cases.reduce((s, c) => s + c.open, 0)).toBe(open.length);
    expect(report.cases.reduce((s, c) => s + c.overdue, 0)).toBe(open.filter((c) => c.overdue).length);
    expect(report.cases.every((c) => c.open > 0)).toBe(true);
  });

  it("reads a finished month on its last day", async () => {
    const june = await monevReport(t.db, { regionCode: "61.03", period: "2025-06" }, test, today);
    const c = await coverageAt(t.db, { scope: "region", id: "61.03", date: "2025-06-30" }, test);
    expect(june.date).toBe("2025-06-30");
    expect(june.headline).toMatchObject({ known: c.known, protected: c.protected, percent: c.percent });
    expect(june.trend).toHaveLength(6);
    // Cases as they stood on 30 June, from their history: the 40 opened on 31 May were all still open
    // (14 were resolved only in July), 8 had been warned, 4 of them twice, 2 recommended for sanction.
    expect(june.cases.map((c) => [c.step, c.open])).toEqual([
      ["open", 32],
      ["warning_1", 4],
      ["warning_2", 2],
      ["sanction_recommended", 2],
      ["referred", 0],
    ]);
  });

  it("lets BPJS officers of the region and admins export, and nobody else", async () => {
    const input = { regionCode: "61.03", period: "2025-07" };
    expect((await monevReport(t.db, input, bpjs("61"), today)).headline.known).toBe(12_320);
    await expect(monevReport(t.db, input, bpjs("61.05"), today)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      monevReport(t.db, input, { ...bpjs("61.03"), role: "opd", organisationId: 1 }, today),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      monevReport(t.db, { regionCode: "61.03.01", period: "2025-07" }, test, today),
    ).rejects.toMatchObject({ code: "REGION_NOT_REGENCY" });
    // A regency code that names no regency is said of the request's `region` field.
    await expect(
      monevReport(t.db, { regionCode: "61.99", period: "2025-07" }, test, today),
    ).rejects.toMatchObject({ code: "SCOPE_NOT_FOUND", details: { field: "region" } });
    await expect(
      monevReport(t.db, { regionCode: "61.03", period: "2025-08" }, test, today),
    ).rejects.toMatchObject({ code: "PERIOD_IN_FUTURE" });
    await expect(
      monevReport(t.db, { regionCode: "61.03", period: "2025-13" }, test, today),
    ).rejects.toMatchObject({ code: "PERIOD_INVALID" });
  });

  it("writes an XLSX whose summary cells are coverageAt's figures, with number formats and frozen headers", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await renderMonevXlsx(report)) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      "Ringkasan",
      "Tren",
      "Kecamatan",
      "OPD",
      "Sumber dana",
      "Penyedia",
      "Belum terdaftar",
      "Tunggakan",
      "Kasus",
      "Rencana",
    ]);
    const summary = wb.getWorksheet("Ringkasan") as ExcelJS.Worksheet;
    const cellFor = (label: string) => {
      let found: ExcelJS.Cell | undefined;
      summary.eachRow((row) => {
        if (row.getCell(1).value === label) found = row.getCell(2);
      });
      if (!found) throw new Error(`no row labelled ${label}`);
      return found;
    };
    const expected: [string, number, string][] = [
      ["Pekerja diketahui (dilaporkan)", 12_320, NUM_FMT.count],
      ["Pekerja terlindungi (JKK + JKM)", 4_519, NUM_FMT.count],
      ["Cakupan", 36.68, NUM_FMT.percent],
      ["Target", 58.65, NUM_FMT.percent],
      ["Kekurangan menuju target (pekerja)", 2_707, NUM_FMT.count],
    ];
    for (const [label, value, numFmt] of expected) {
      expect(cellFor(label).value, label).toBe(value);
      expect(cellFor(label).numFmt, label).toBe(numFmt);
    }
    expect(cellFor("Total tunggakan iuran").numFmt).toBe(NUM_FMT.rupiah);
    expect(cellFor("Total tunggakan iuran").value).toBe(
      report.arrears.reduce((s, a) => s + a.outstanding, 0),
    );

    const districts = wb.getWorksheet("Kecamatan") as ExcelJS.Worksheet;
    expect(districts.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(districts.getRow(1).font?.bold).toBe(true);
    expect(districts.getRow(1).getCell(2).value).toBe("Kecamatan");
    expect(districts.rowCount).toBe(16);
    expect(districts.getRow(2).getCell(3).numFmt).toBe(NUM_FMT.count);
    expect(districts.getRow(2).getCell(5).numFmt).toBe(NUM_FMT.percent);
    expect(districts.getColumn(2).width).toBeGreaterThan(20);
    const arrearsSheet = wb.getWorksheet("Tunggakan") as ExcelJS.Worksheet;
    expect(arrearsSheet.rowCount).toBe(report.arrears.length + 1);
    expect(arrearsSheet.getRow(2).getCell(8).numFmt).toBe(NUM_FMT.rupiah);
    // The planner's actions, one row each, ending with the gap closed.
    const plan = wb.getWorksheet("Rencana") as ExcelJS.Worksheet;
    expect(report.plan.reached).toBe(true);
    expect(plan.rowCount).toBe(report.plan.actions.length + 1);
    expect(plan.getRow(plan.rowCount).getCell(6).value).toBe(0);
    expect(cellFor("Bulan target tercapai (laju saat ini)").value).toBe("tidak tahun ini");
    expect(cellFor("Perkiraan cakupan akhir tahun (laju saat ini)").value).toBe(37.42);
    // A funding source is named, not coded ("private" is no word an officer writes), and the projects
    // without a work unit have no code to show (a "-" would be escaped as a formula: "'-").
    const column = (sheet: string, n: number) =>
      (wb.getWorksheet(sheet) as ExcelJS.Worksheet).getColumn(n).values.filter((v) => v !== undefined);
    const [sourceHeader, ...sources] = column("Sumber dana", 1);
    expect([sourceHeader, sources.sort()]).toEqual(["Sumber dana", ["APBD", "APBN", "DAK", "Swasta"]]);
    const units = wb.getWorksheet("OPD") as ExcelJS.Worksheet;
    const noUnit = units.getRows(2, units.rowCount - 1)?.find((r) => r.getCell(2).value === "(tanpa OPD)");
    expect(noUnit?.getCell(1).value).toBe("");
    const contractors = wb.getWorksheet("Penyedia") as ExcelJS.Worksheet;
    expect(contractors.getRow(1).getCell(1).value).toBe("NIB");
    expect(contractors.getRow(2).getCell(1).value).toBe(report.byContractor[0]?.code);
  });

  it("writes an A4 PDF in Indonesian with the figures, page numbers and a rendered first page", async () => {
    const pdf = await renderMonevPdf(report);
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const file = join(dir, "monev.pdf");
    writeFileSync(file, pdf);
    const { stdout: text } = await run("pdftotext", ["-enc", "UTF-8", file, "-"]);
    for (const s of [
      "BPJS KETENAGAKERJAAN CABANG SANGGAU",
      "Kabupaten Sanggau",
      "Periode Juli 2025",
      "Diterbitkan 30 Juli 2025",
      "12.320",
      "4.519",
      "36,68 %",
      "58,65 %",
      "2.707",
      "Halaman 1 dari",
      "Rencana menutup kekurangan",
      "target tidak tercapai tahun ini",
      "cakupan akhir tahun diperkirakan 37,42 %",
      report.byContractor[0]?.code ?? "no contractor row", // the NIB column
    ]) {
      expect(text, s).toContain(s);
    }
    // Package codes and OPD codes are what officers search by: none is broken across lines.
    for (const code of [
      ...report.arrears.map((a) => a.code),
      ...report.unregistered.map((p) => p.code),
      ...report.byWorkUnit.map((u) => u.code).filter((c) => c !== "-"),
    ])
      expect(text, code).toContain(code);
    const { stdout: info } = await run("pdfinfo", [file]);
    const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
    expect(pages).toBeGreaterThan(1);
    expect(text).toContain(`Halaman ${pages} dari ${pages}`);
    expect(info).toMatch(/Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/);

    mkdirSync(SCREENSHOTS, { recursive: true });
    const prefix = join(SCREENSHOTS, `monev-${backend}`);
    await run("pdftoppm", ["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", file, prefix]);
    expect(statSync(`${prefix}.png`).size).toBeGreaterThan(0);
  });
});
