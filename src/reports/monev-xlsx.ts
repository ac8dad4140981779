import ExcelJS from "exceljs";
import { formatDate, formatMonth } from "../domain/format.js";
import { shownCode } from "../domain/monev.js";
import { PLAN_STEP_LABELS } from "../domain/planner.js";
import type { CoverageRow } from "../services/coverage.js";
import type { MonevReport } from "../services/monev.js";
import { neutraliseWorkbook } from "./formula-guard.js";

/**
 * The Monev report as a workbook: a "Ringkasan" sheet of labelled headline figures, then one sheet per
 * breakdown or list. Figures are real numbers with number formats, so officers can sum and chart them.
 */
export const NUM_FMT = {
  count: "#,##0",
  /** Coverage is stored as the percentage itself (36.68), as the API and the PDF give it. */
  percent: '0.00"%"',
  rupiah: '"Rp "#,##0',
  date: "dd/mm/yyyy",
} as const;

type Kind = keyof typeof NUM_FMT | "text";

interface Column<T> {
  header: string;
  width: number;
  kind: Kind;
  value: (row: T) => string | number | Date | null;
}

const asDate = (iso: string) => new Date(`${iso}T00:00:00Z`);

function addTable<T>(wb: ExcelJS.Workbook, name: string, columns: Column<T>[], rows: readonly T[]): void {
  const ws = wb.addWorksheet(name, { views: [{ state: "frozen", ySplit: 1 }] });
  ws.columns = columns.map((c, i) => ({
    key: `c${i}`,
    width: c.width,
    ...(c.kind === "text" ? {} : { style: { numFmt: NUM_FMT[c.kind] } }),
  }));
  const header = ws.addRow(columns.map((c) => c.header));
  header.font = { bold: true };
  header.alignment = { vertical: "middle", wrapText: true };
  header.eachCell((cell) => {
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE2EFDA" } };
    cell.border = { bottom: { style: "thin" } };
  });
  for (const row of rows) ws.addRow(columns.map((c) => c.value(row)));
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
}

/**
 * A breakdown's columns: its code where the group has one worth reading (not a funding source's, which
 * is its name, or "private"), then its name.
 */
const coverageColumns = (
  keyHeader: string | null,
  nameHeader: string,
  keyWidth = 12,
): Column<MonevReport["byDistrict"][number]>[] => [
  ...(keyHeader
    ? [
        {
          header: keyHeader,
          width: keyWidth,
          kind: "text" as const,
          value: (r: CoverageRow) => shownCode(r.code),
        },
      ]
    : []),
  { header: nameHeader, width: 40, kind: "text", value: (r) => r.name },
  { header: "Pekerja diketahui", width: 14, kind: "count", value: (r) => r.known },
  { header: "Pekerja terlindungi", width: 14, kind: "count", value: (r) => r.protected },
  { header: "Cakupan (%)", width: 12, kind: "percent", value: (r) => r.percent },
];

/** The three columns that name a project in every list of projects. */
const projectColumns = <T extends { code: string; name: string; contractor: string }>(): Column<T>[] => [
  { header: "Kode paket", width: 24, kind: "text", value: (p) => p.code },
  { header: "Nama paket", width: 44, kind: "text", value: (p) => p.name },
  { header: "Penyedia jasa", width: 32, kind: "text", value: (p) => p.contractor },
];

export async function renderMonevXlsx(r: MonevReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "Pantau Jakon";
  wb.title = `Laporan Monev ${r.regionName} ${r.period}`;
  wb.created = asDate(r.issuedOn);

  const sum = wb.addWorksheet("Ringkasan");
  sum.columns = [{ width: 44 }, { width: 22 }, { width: 40 }];
  sum.getCell("A1").value = "LAPORAN MONITORING DAN EVALUASI KEPESERTAAN JASA KONSTRUKSI";
  sum.getCell("A1").font = { bold: true, size: 13 };
  sum.getCell("A2").value = `${r.regionName} (${r.regionCode}) — ${r.branchName}`;
  sum.getCell("A3").value =
    `Periode ${r.period}, posisi ${formatDate(r.date)}; diterbitkan ${formatDate(r.issuedOn)}`;
  const lines: [string, number | string | Date | null, Kind, string?][] = [
    ["Kabupaten/kota", r.regionName, "text"],
    ["Kode wilayah", r.regionCode, "text"],
    ["Kantor cabang BPJS Ketenagakerjaan", r.branchName, "text"],
    ["Periode", r.period, "text"],
    ["Posisi data per tanggal", asDate(r.date), "date"],
    ["Tanggal terbit", asDate(r.issuedOn), "date"],
    ["Pekerja diketahui (dilaporkan)", r.headline.known, "count"],
    ["Pekerja terlindungi (JKK + JKM)", r.headline.protected, "count"],
    ["Cakupan", r.headline.percent, "percent"],
    ["Target", r.headline.target, "percent", r.headline.targetSource ?? undefined],
    ["Kekurangan menuju target (pekerja)", r.headline.gap, "count"],
    ["Proyek berjalan belum melapor pekerja", r.headline.unreported.projects, "count"],
    [
      "Perkiraan pekerja proyek belum melapor",
      r.headline.unreported.estimatedWorkers,
      "count",
      "perkiraan dari nilai kontrak, tidak termasuk angka di atas",
    ],
    ["Proyek berjalan belum terdaftar BPJS", r.unregistered.length, "count"],
    ["Proyek menunggak iuran", r.arrears.length, "count"],
    ["Total tunggakan iuran", r.arrears.reduce((s, a) => s + a.outstanding, 0), "rupiah"],
    ["Kasus terbuka", r.cases.reduce((s, c) => s + c.open, 0), "count"],
    ["Kasus melewati tenggat", r.cases.reduce((s, c) => s + c.overdue, 0), "count"],
    ["Tindakan dalam rencana menutup kekurangan", r.plan.actions.length, "count"],
    ["Cakupan bila rencana dijalankan", r.plan.after.percent, "percent"],
    ["Perkiraan cakupan akhir tahun (laju saat ini)", r.plan.forecast.yearEndPercent, "percent"],
    [
      "Bulan target tercapai (laju saat ini)",
      r.plan.forecast.targetMonth ? formatMonth(r.plan.forecast.targetMonth) : "tidak tahun ini",
      "text",
    ],
  ];
  lines.forEach(([label, value, kind, note], i) => {
    const row = sum.getRow(5 + i);
    row.getCell(1).value = label;
    row.getCell(1).font = { bold: true };
    const cell = row.getCell(2);
    cell.value = value ?? "–";
    if (kind !== "text" && value !== null) cell.numFmt = NUM_FMT[kind];
    cell.alignment = { horizontal: "right" };
    if (note) row.getCell(3).value = note;
  });

  addTable(
    wb,
    "Tren",
    [
      { header: "Bulan", width: 10, kind: "text", value: (t) => t.month },
      { header: "Tanggal", width: 12, kind: "date", value: (t) => asDate(t.date) },
      { header: "Pekerja diketahui", width: 14, kind: "count", value: (t) => t.known },
      { header: "Pekerja terlindungi", width: 14, kind: "count", value: (t) => t.protected },
      { header: "Cakupan (%)", width: 12, kind: "percent", value: (t) => t.percent },
      { header: "Target (%)", width: 12, kind: "percent", value: () => r.headline.target },
    ],
    r.trend,
  );
  addTable(wb, "Kecamatan", coverageColumns("Kode", "Kecamatan"), r.byDistrict);
  addTable(wb, "OPD", coverageColumns("Kode", "OPD (perangkat daerah)"), r.byWorkUnit);
  addTable(wb, "Sumber dana", coverageColumns(null, "Sumber dana"), r.byFundingSource);
  addTable(wb, "Penyedia", coverageColumns("NIB", "Penyedia jasa", 16), r.byContractor);
  addTable(
    wb,
    "Belum terdaftar",
    [
      ...projectColumns(),
      { header: "Nilai kontrak", width: 20, kind: "rupiah", value: (p) => p.contractValue },
      { header: "Tanggal SPMK", width: 13, kind: "date", value: (p) => asDate(p.spmkDate) },
      { header: "Hari berjalan", width: 10, kind: "count", value: (p) => p.daysWorking },
    ],
    r.unregistered,
  );
  addTable(
    wb,
    "Tunggakan",
    [
      ...projectColumns(),
      { header: "Jatuh tempo", width: 13, kind: "date", value: (a) => asDate(a.dueDate) },
      { header: "Hari terlambat", width: 10, kind: "count", value: (a) => a.daysOverdue },
      { header: "Iuran terutang", width: 18, kind: "rupiah", value: (a) => a.amount },
      { header: "Dibayar", width: 18, kind: "rupiah", value: (a) => a.paid },
      { header: "Tunggakan", width: 18, kind: "rupiah", value: (a) => a.outstanding },
    ],
    r.arrears,
  );
  addTable(
    wb,
    "Kasus",
    [
      { header: "Tahap eskalasi", width: 34, kind: "text", value: (c) => c.label },
      { header: "Kasus terbuka", width: 14, kind: "count", value: (c) => c.open },
      { header: "Melewati tenggat", width: 16, kind: "count", value: (c) => c.overdue },
    ],
    r.cases,
  );
  addTable(
    wb,
    "Rencana",
    [
      ...projectColumns(),
      {
        header: "Tindakan",
        width: 40,
        kind: "text",
        value: (a) => a.steps.map((step) => PLAN_STEP_LABELS[step]).join(" + "),
      },
      { header: "Pekerja terlindungi", width: 14, kind: "count", value: (a) => a.gained },
      { header: "Sisa kekurangan", width: 14, kind: "count", value: (a) => a.gapAfter },
    ],
    r.plan.actions,
  );
  // Names come from users: none may open as a formula (formula-guard.ts).
  neutraliseWorkbook(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
