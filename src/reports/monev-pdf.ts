import PDFDocument from "pdfkit";
import { formatDate, formatMonth, formatNumber, formatPercent, formatRupiah } from "../domain/format.js";
import { shownCode } from "../domain/monev.js";
import { PLAN_STEP_LABELS } from "../domain/planner.js";
import type { CoverageRow } from "../services/coverage.js";
import type { MonevReport } from "../services/monev.js";

/**
 * The Monev report as PDF (A4, Bahasa Indonesia): title, headline figures, a bar chart of coverage per
 * sub-district against the target, each breakdown and list as a table, "Halaman n dari N" on every page.
 */
const MARGIN = 48;
const FOOTER = 28;
const GREEN = "#2e7d32";
const GREY = "#9e9e9e";
const RED = "#c62828";

type Doc = PDFKit.PDFDocument;

interface Col {
  header: string;
  width: number;
  align?: "left" | "right";
}

const contentWidth = (doc: Doc) => doc.page.width - doc.page.margins.left - doc.page.margins.right;
const bottomLimit = (doc: Doc) => doc.page.height - doc.page.margins.bottom;

function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > bottomLimit(doc)) doc.addPage();
}

function heading(doc: Doc, text: string): void {
  ensureSpace(doc, 60);
  doc.moveDown(0.8);
  doc.font("Helvetica-Bold").fontSize(11).fillColor("black").text(text, MARGIN);
  doc.moveDown(0.3);
}

/** A table whose columns share the page width by weight; the header repeats on each new page. */
function table(doc: Doc, cols: Col[], rows: string[][], empty = "Tidak ada."): void {
  const total = cols.reduce((s, c) => s + c.width, 0);
  const widths = cols.map((c) => (c.width / total) * contentWidth(doc));
  const pad = 3;
  const rowHeight = (cells: string[], font: string) => {
    doc.font(font).fontSize(8);
    return (
      Math.max(...cells.map((t, i) => doc.heightOfString(t, { width: (widths[i] ?? 0) - 2 * pad }))) + 2 * pad
    );
  };
  const drawRow = (cells: string[], font: string, fill: string | null) => {
    const h = rowHeight(cells, font);
    const y = doc.y;
    if (fill) doc.rect(MARGIN, y, contentWidth(doc), h).fill(fill);
    let x = MARGIN;
    doc.font(font).fontSize(8).fillColor("black");
    cells.forEach((t, i) => {
      const w = widths[i] ?? 0;
      doc.text(t, x + pad, y + pad, { width: w - 2 * pad, align: cols[i]?.align ?? "left" });
      x += w;
    });
    doc
      .moveTo(MARGIN, y + h)
      .lineTo(MARGIN + contentWidth(doc), y + h)
      .lineWidth(0.3)
      .strokeColor("#bdbdbd")
      .stroke();
    doc.x = MARGIN;
    doc.y = y + h;
  };
  const header = () =>
    drawRow(
      cols.map((c) => c.header),
      "Helvetica-Bold",
      "#e2efda",
    );
  ensureSpace(
    doc,
    rowHeight(
      cols.map((c) => c.header),
      "Helvetica-Bold",
    ) + 20,
  );
  header();
  if (rows.length === 0) {
    doc
      .font("Helvetica-Oblique")
      .fontSize(8)
      .text(empty, MARGIN + pad, doc.y + pad);
    doc.x = MARGIN;
    return;
  }
  for (const cells of rows) {
    if (doc.y + rowHeight(cells, "Helvetica") > bottomLimit(doc)) {
      doc.addPage();
      header();
    }
    drawRow(cells, "Helvetica", null);
  }
}

/** A breakdown as a table: its code where worth reading (`null`: none, as for funding sources), then its name. */
function coverageTable(
  doc: Doc,
  keyHeader: string | null,
  nameHeader: string,
  rows: CoverageRow[],
  keyWidth = 12,
): void {
  const key = keyHeader ? keyWidth : 0;
  table(
    doc,
    [
      ...(keyHeader ? [{ header: keyHeader, width: keyWidth }] : []),
      { header: nameHeader, width: 58 - key },
      { header: "Diketahui", width: 14, align: "right" },
      { header: "Terlindungi", width: 14, align: "right" },
      { header: "Cakupan", width: 14, align: "right" },
    ],
    rows.map((r) => [
      ...(keyHeader ? [shownCode(r.code)] : []),
      r.name,
      formatNumber(r.known),
      formatNumber(r.protected),
      formatPercent(r.percent),
    ]),
  );
}

/** Horizontal bars of coverage per sub-district on a 0–100 % scale, with the target as a dashed line. */
function districtChart(doc: Doc, r: MonevReport): void {
  const rows = [...r.byDistrict].sort((a, b) => (b.percent ?? 0) - (a.percent ?? 0));
  const labelWidth = 120;
  const valueWidth = 50;
  const barHeight = 12;
  const gap = 4;
  const chartWidth = contentWidth(doc) - labelWidth - valueWidth;
  const height = rows.length * (barHeight + gap) + 30;
  ensureSpace(doc, height + 10);
  const top = doc.y + 14;
  const left = MARGIN + labelWidth;
  doc.font("Helvetica").fontSize(7).fillColor(GREY);
  for (const tick of [0, 25, 50, 75, 100]) {
    const x = left + (tick / 100) * chartWidth;
    doc
      .moveTo(x, top - 4)
      .lineTo(x, top + rows.length * (barHeight + gap))
      .lineWidth(0.3)
      .strokeColor("#e0e0e0")
      .stroke();
    doc.text(`${tick} %`, x - 15, top - 13, { width: 30, align: "center", lineBreak: false });
  }
  rows.forEach((row, i) => {
    const y = top + i * (barHeight + gap);
    const pct = row.percent ?? 0;
    const reached = r.headline.target !== null && pct >= r.headline.target;
    doc
      .font("Helvetica")
      .fontSize(8)
      .fillColor("black")
      .text(row.name, MARGIN, y + 2, {
        width: labelWidth - 6,
        align: "right",
        lineBreak: false,
        ellipsis: true,
      });
    doc.rect(left, y, chartWidth, barHeight).fill("#f5f5f5");
    doc.rect(left, y, (Math.min(pct, 100) / 100) * chartWidth, barHeight).fill(reached ? GREEN : "#f9a825");
    doc.fillColor("black").text(formatPercent(row.percent), left + chartWidth + 4, y + 2, {
      width: valueWidth - 4,
      lineBreak: false,
    });
  });
  if (r.headline.target !== null) {
    const x = left + (r.headline.target / 100) * chartWidth;
    const bottom = top + rows.length * (barHeight + gap);
    doc
      .moveTo(x, top - 4)
      .lineTo(x, bottom)
      .lineWidth(1.2)
      .dash(3, { space: 2 })
      .strokeColor(RED)
      .stroke()
      .undash();
    doc
      .font("Helvetica-Bold")
      .fontSize(7)
      .fillColor(RED)
      .text(`Target ${formatPercent(r.headline.target)}`, x - 40, bottom + 2, {
        width: 80,
        align: "center",
        lineBreak: false,
      });
  }
  doc.fillColor("black");
  doc.x = MARGIN;
  doc.y = top + rows.length * (barHeight + gap) + 16;
}

export function renderMonevPdf(r: MonevReport): Promise<Buffer> {
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN + FOOTER },
    bufferPages: true,
    info: {
      Title: `Laporan Monev ${r.regionName} ${formatMonth(r.period)}`,
      Author: r.branchName,
      Subject: "Monitoring dan evaluasi kepesertaan BPJS Ketenagakerjaan pekerja jasa konstruksi",
    },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));

  doc.font("Helvetica-Bold").fontSize(12).text(r.branchName.toUpperCase(), { align: "center" });
  doc.font("Helvetica").fontSize(9).text("Pantau Jakon — pemantauan kepesertaan pekerja jasa konstruksi", {
    align: "center",
  });
  doc.moveDown(1);
  doc
    .font("Helvetica-Bold")
    .fontSize(14)
    .text("LAPORAN MONITORING DAN EVALUASI (MONEV)", { align: "center" });
  doc
    .fontSize(11)
    .text("Kepesertaan BPJS Ketenagakerjaan (JKK dan JKM) Pekerja Jasa Konstruksi", { align: "center" });
  doc.text(`${r.regionName} — Periode ${formatMonth(r.period)}`, { align: "center" });
  doc.moveDown(0.5);
  doc
    .font("Helvetica")
    .fontSize(9)
    .text(`Posisi data per ${formatDate(r.date)} · Diterbitkan ${formatDate(r.issuedOn)}`, {
      align: "center",
    });

  heading(doc, "1. Ringkasan");
  const h = r.headline;
  const outstanding = r.arrears.reduce((s, a) => s + a.outstanding, 0);
  table(
    doc,
    [
      { header: "Uraian", width: 60 },
      { header: "Nilai", width: 40, align: "right" },
    ],
    [
      ["Pekerja diketahui (dilaporkan)", formatNumber(h.known)],
      ["Pekerja terlindungi (JKK + JKM)", formatNumber(h.protected)],
      ["Cakupan", formatPercent(h.percent)],
      [`Target ${r.period.slice(0, 4)}`, formatPercent(h.target)],
      ["Kekurangan menuju target (pekerja)", h.gap === null ? "–" : formatNumber(h.gap)],
      [
        "Proyek berjalan belum melapor pekerja (perkiraan pekerja, di luar angka di atas)",
        `${formatNumber(h.unreported.projects)} (± ${formatNumber(h.unreported.estimatedWorkers)})`,
      ],
      ["Proyek berjalan belum terdaftar BPJS", formatNumber(r.unregistered.length)],
      [
        "Proyek menunggak iuran / total tunggakan",
        `${formatNumber(r.arrears.length)} / ${formatRupiah(outstanding)}`,
      ],
      [
        "Kasus terbuka / melewati tenggat",
        `${formatNumber(r.cases.reduce((s, c) => s + c.open, 0))} / ${formatNumber(r.cases.reduce((s, c) => s + c.overdue, 0))}`,
      ],
    ],
  );

  heading(doc, "2. Cakupan per kecamatan terhadap target");
  districtChart(doc, r);

  heading(doc, "3. Tren bulanan");
  table(
    doc,
    [
      { header: "Bulan", width: 20 },
      { header: "Posisi", width: 20 },
      { header: "Diketahui", width: 20, align: "right" },
      { header: "Terlindungi", width: 20, align: "right" },
      { header: "Cakupan", width: 20, align: "right" },
    ],
    r.trend.map((t) => [
      formatMonth(t.month),
      formatDate(t.date),
      formatNumber(t.known),
      formatNumber(t.protected),
      formatPercent(t.percent),
    ]),
  );

  heading(doc, "4. Cakupan per kecamatan");
  coverageTable(doc, "Kode", "Kecamatan", r.byDistrict);
  heading(doc, "5. Cakupan per OPD");
  coverageTable(doc, "Kode", "OPD (perangkat daerah)", r.byWorkUnit, 16);
  heading(doc, "6. Cakupan per sumber dana");
  coverageTable(doc, null, "Sumber dana", r.byFundingSource);
  heading(doc, "7. Cakupan per penyedia jasa");
  coverageTable(doc, "NIB", "Penyedia jasa", r.byContractor, 16);

  heading(doc, "8. Proyek berjalan belum terdaftar BPJS Ketenagakerjaan");
  table(
    doc,
    [
      // A package code is what officers search by: wide enough to stay on one line ("61.03/DISPERTAN/2025/0252").
      { header: "Kode paket", width: 25 },
      { header: "Nama paket", width: 27 },
      { header: "Penyedia jasa", width: 20 },
      { header: "Nilai kontrak", width: 16, align: "right" },
      { header: "SPMK", width: 12 },
    ],
    r.unregistered.map((p) => [
      p.code,
      p.name,
      p.contractor,
      formatRupiah(p.contractValue),
      formatDate(p.spmkDate),
    ]),
  );

  heading(doc, "9. Tunggakan iuran");
  table(
    doc,
    [
      { header: "Kode paket", width: 25 },
      { header: "Penyedia jasa", width: 18 },
      { header: "Jatuh tempo", width: 12 },
      { header: "Iuran", width: 15, align: "right" },
      { header: "Dibayar", width: 14, align: "right" },
      { header: "Tunggakan", width: 16, align: "right" },
    ],
    r.arrears.map((a) => [
      a.code,
      a.contractor,
      formatDate(a.dueDate),
      formatRupiah(a.amount),
      formatRupiah(a.paid),
      formatRupiah(a.outstanding),
    ]),
  );

  heading(doc, "10. Kasus terbuka per tahap eskalasi");
  table(
    doc,
    [
      { header: "Tahap", width: 50 },
      { header: "Kasus terbuka", width: 25, align: "right" },
      { header: "Melewati tenggat", width: 25, align: "right" },
    ],
    r.cases.map((c) => [c.label, formatNumber(c.open), formatNumber(c.overdue)]),
  );

  heading(doc, "11. Rencana menutup kekurangan dan perkiraan akhir tahun");
  const { plan } = r;
  const forecast =
    plan.forecast.yearEndPercent === null
      ? ""
      : ` Dengan laju saat ini, cakupan akhir tahun diperkirakan ${formatPercent(plan.forecast.yearEndPercent)}; ${
          plan.forecast.targetMonth
            ? `target tercapai pada ${formatMonth(plan.forecast.targetMonth)}.`
            : "target tidak tercapai tahun ini."
        }`;
  doc
    .font("Helvetica")
    .fontSize(9)
    .fillColor("black")
    .text(
      (plan.reached
        ? `${formatNumber(plan.actions.length)} tindakan, mulai dari yang paling besar dampaknya, menutup kekurangan ${formatNumber(r.headline.gap ?? 0)} pekerja: cakupan menjadi ${formatPercent(plan.after.percent)}.`
        : `Semua tindakan yang masih mungkin pada tanggal ini belum cukup: cakupan paling tinggi ${formatPercent(plan.after.percent)}.`) +
        forecast,
      MARGIN,
      doc.y,
      { width: contentWidth(doc) },
    )
    .moveDown(0.5);
  table(
    doc,
    [
      { header: "Paket", width: 40 },
      { header: "Penyedia jasa", width: 25 },
      { header: "Tindakan", width: 25 },
      { header: "Pekerja terlindungi", width: 12, align: "right" },
      { header: "Sisa kekurangan", width: 12, align: "right" },
    ],
    plan.actions.map((a) => [
      `${a.name} (${a.code})`,
      a.contractor,
      a.steps.map((step) => PLAN_STEP_LABELS[step]).join(" + "),
      formatNumber(a.gained),
      formatNumber(a.gapAfter),
    ]),
  );

  // Page numbers once every page exists; the footer sits in the bottom margin, so no page is added.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Text below the bottom margin would make pdfkit start a new page: lift the margin while writing.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font("Helvetica")
      .fontSize(8)
      .fillColor(GREY)
      .text(`Laporan Monev ${r.regionName} ${formatMonth(r.period)}`, MARGIN, doc.page.height - MARGIN - 4, {
        width: contentWidth(doc) / 2,
        lineBreak: false,
      })
      .text(
        `Halaman ${i - range.start + 1} dari ${range.count}`,
        MARGIN + contentWidth(doc) / 2,
        doc.page.height - MARGIN - 4,
        { width: contentWidth(doc) / 2, align: "right", lineBreak: false },
      );
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
