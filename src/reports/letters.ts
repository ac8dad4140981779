import PDFDocument from "pdfkit";
import type { IsoDate } from "../domain/dates.js";
import { formatDate, formatRupiah } from "../domain/format.js";
import { regencyGovernment } from "../domain/regions.js";
import { terbilangRupiah } from "../domain/terbilang.js";

/**
 * Enforcement letters as PDF (A4, Bahasa Indonesia): written warnings I and II, the sanction
 * recommendation to the district and the referral to the state prosecutor, filled with the case facts.
 * The referral carries its special power of attorney (Surat Kuasa Khusus) as an attachment, since the
 * prosecutor acts in civil matters for the state or a state body only under one (UU 16/2004 ps. 30
 * ayat (2)).
 */
export type LetterKind = "warning_1" | "warning_2" | "sanction_recommended" | "referred";

const TITLES: Record<LetterKind, string> = {
  warning_1: "TEGURAN TERTULIS I",
  warning_2: "TEGURAN TERTULIS II",
  sanction_recommended: "REKOMENDASI PENGENAAN SANKSI ADMINISTRATIF",
  referred: "PERMOHONAN BANTUAN HUKUM (SURAT KUASA KHUSUS) ATAS TUNGGAKAN IURAN",
};

export interface LetterFacts {
  kind: LetterKind;
  number: string;
  issuedOn: IsoDate;
  branchName: string;
  regencyName: string;
  addressee: string;
  /** The prosecutor's office a referral goes to (the case's), which the power of attorney names. */
  prosecutor: string | null;
  contractor: { name: string; code: string };
  /** The findings by project (`code` null: the contractor as a whole), as the last compliance check saw them. */
  findings: { code: string | null; name: string; items: { description: string; legalBasis: string }[] }[];
  /** The day of that check: the findings' figures (days, amounts) are as of then, not of the letter. */
  checkedOn: IsoDate | null;
  unprotectedWorkers: number;
  arrears: number;
  deadline: IsoDate | null;
}

function body(f: LetterFacts): string[] {
  const intro: Record<LetterKind, string> = {
    warning_1: `Berdasarkan hasil pemantauan kepatuhan pada aplikasi Pantau Jakon, ${f.contractor.name} (NIB ${f.contractor.code}) belum memenuhi kewajiban kepesertaan BPJS Ketenagakerjaan bagi pekerja jasa konstruksi sebagai berikut:`,
    warning_2: `Menindaklanjuti Teguran Tertulis I yang belum dipenuhi, dengan ini kami sampaikan Teguran Tertulis II kepada ${f.contractor.name} (NIB ${f.contractor.code}) atas ketidakpatuhan berikut:`,
    sanction_recommended: `Sampai batas waktu Teguran Tertulis II, ${f.contractor.name} (NIB ${f.contractor.code}) belum memenuhi kewajibannya. Kami merekomendasikan kepada Pemerintah ${f.regencyName} pengenaan sanksi administratif, termasuk tidak mendapat pelayanan publik tertentu seperti pembayaran termin berikutnya, sesuai PP 86/2013, atas:`,
    referred: `Sehubungan dengan tunggakan iuran ${f.contractor.name} (NIB ${f.contractor.code}) yang tidak diselesaikan setelah teguran dan rekomendasi sanksi, kami mohon bantuan Jaksa Pengacara Negara untuk penagihan atas:`,
  };
  return [intro[f.kind]];
}

/**
 * What the letter asks of its addressee. A warning asks the contractor to comply by the deadline; the
 * recommendation asks the Bupati to act on it and says what follows if the contractor still does not;
 * the referral asks for the prosecutor's help in its opening, and sets the contractor no deadline.
 */
function closing(f: LetterFacts): string | null {
  if (!f.deadline) return null;
  const by = formatDate(f.deadline);
  if (f.kind === "sanction_recommended") {
    const next =
      f.arrears > 0
        ? "tunggakan iuran yang belum dilunasi akan kami serahkan kepada Jaksa Pengacara Negara untuk ditagih"
        : "kami akan menyampaikan langkah penegakan kepatuhan berikutnya";
    return `Kami mohon Bapak/Ibu ${regencyGovernment(f.regencyName).head} berkenan menindaklanjuti rekomendasi ini melalui perangkat daerah terkait. ${f.contractor.name} tetap wajib memenuhi kewajiban tersebut; apabila sampai tanggal ${by} belum dipenuhi, ${next}.`;
  }
  return `Kami minta kewajiban tersebut dipenuhi paling lambat tanggal ${by}. Apabila tidak dipenuhi, akan dilakukan langkah penegakan kepatuhan berikutnya sesuai peraturan perundang-undangan.`;
}

/** "Label : value" with the colons one under another, as a letter's heading lines are set. */
function labelled(doc: PDFKit.PDFDocument, label: string, value: string, indent = 0): void {
  const x = doc.page.margins.left + indent;
  const y = doc.y;
  doc.text(label, x, y, { lineBreak: false });
  doc.text(`: ${value}`, x + 56, y, { width: doc.page.width - doc.page.margins.right - x - 56 });
  doc.x = doc.page.margins.left;
}

/**
 * The Surat Kuasa Khusus attached to a referral, on a page of its own: the branch head gives the
 * prosecutor's office power to collect the arrears the letter lists, in and out of court, with payment
 * to BPJS Ketenagakerjaan. The signatories' names are written on paper, as the letter's own.
 */
function powerOfAttorney(doc: PDFKit.PDFDocument, f: LetterFacts): void {
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const prosecutor = f.prosecutor ?? "Kejaksaan Negeri";
  doc.addPage();
  doc
    .fontSize(8)
    .text(`Lampiran surat Nomor ${f.number} tanggal ${formatDate(f.issuedOn)}`, { align: "right" });
  doc.moveDown(1.5).font("Helvetica-Bold").fontSize(12).text("SURAT KUASA KHUSUS", { align: "center" });
  doc.font("Helvetica").fontSize(10).text(`Nomor: SKK/${f.number}`, { align: "center" });
  doc.moveDown();
  const paragraph = (text: string) => doc.text(text, left, doc.y, { width, align: "justify" }).moveDown(0.6);
  paragraph("Yang bertanda tangan di bawah ini:");
  labelled(doc, "Nama", "........................................................", 14);
  labelled(doc, "Jabatan", `Kepala Kantor Cabang, ${f.branchName}`, 14);
  doc.moveDown(0.6);
  paragraph(
    "dalam hal ini bertindak untuk dan atas nama Badan Penyelenggara Jaminan Sosial Ketenagakerjaan, selanjutnya disebut PEMBERI KUASA; dengan ini memberi kuasa dengan hak substitusi kepada:",
  );
  doc.font("Helvetica-Bold").text(`Kepala ${prosecutor}`, left + 14);
  doc.font("Helvetica").text("selaku Jaksa Pengacara Negara, selanjutnya disebut PENERIMA KUASA.", left + 14);
  doc.moveDown(0.6).font("Helvetica-Bold").text("K H U S U S", left, doc.y, { width, align: "center" });
  doc.font("Helvetica").moveDown(0.6);
  paragraph(
    `untuk dan atas nama PEMBERI KUASA menagih tunggakan iuran Jaminan Kecelakaan Kerja dan Jaminan Kematian ${f.contractor.name} (NIB ${f.contractor.code}) sebesar ${formatRupiah(f.arrears)} (${terbilangRupiah(f.arrears)}) atas proyek:`,
  );
  f.findings.forEach((project, i) => {
    doc.text(
      `${i + 1}. ${project.code ? `${project.code} — ${project.name}` : project.name}`,
      left + 14,
      doc.y,
      {
        width: width - 14,
      },
    );
  });
  doc.moveDown(0.6);
  paragraph(
    "baik di dalam maupun di luar pengadilan, termasuk memanggil dan mengadakan pertemuan dengan pihak tersebut, mengadakan perundingan dan perdamaian, serta membuat dan menandatangani surat yang diperlukan, dengan ketentuan pembayaran dilakukan ke rekening BPJS Ketenagakerjaan.",
  );
  paragraph(
    "Kuasa ini diberikan berdasarkan Pasal 30 ayat (2) Undang-Undang Nomor 16 Tahun 2004 tentang Kejaksaan Republik Indonesia sebagaimana telah diubah dengan Undang-Undang Nomor 11 Tahun 2021.",
  );
  doc.moveDown();
  const signatureHeight = doc.currentLineHeight(true) * 8;
  if (doc.y + signatureHeight > doc.page.height - doc.page.margins.bottom) doc.addPage();
  doc.text(`${regencyGovernment(f.regencyName).place}, ${formatDate(f.issuedOn)}`, left, doc.y, {
    width,
    align: "right",
  });
  doc.moveDown(0.6);
  // Receiver on the left, giver on the right (over a Rp10.000 duty stamp, UU 10/2020), side by side.
  const half = width / 2;
  const top = doc.y;
  doc.text("PENERIMA KUASA", left, top, { width: half, align: "center" });
  doc.text(`Kepala ${prosecutor}`, left, doc.y, { width: half, align: "center" });
  doc.text("PEMBERI KUASA", left + half, top, { width: half, align: "center" });
  doc.text(`Kepala Kantor Cabang, ${f.branchName}`, left + half, doc.y, { width: half, align: "center" });
  const stamp = doc.y + doc.currentLineHeight(true);
  doc
    .fontSize(7)
    .text("Meterai Rp10.000", left + half, stamp, { width: half, align: "center" })
    .fontSize(10);
  const names = stamp + doc.currentLineHeight(true) * 3;
  doc.text("(........................................)", left, names, { width: half, align: "center" });
  doc.text("(........................................)", left + half, names, {
    width: half,
    align: "center",
  });
  doc.x = left;
}

/** Render a letter; resolves to the PDF bytes. */
export function renderLetter(f: LetterFacts): Promise<Buffer> {
  const doc = new PDFDocument({
    size: "A4",
    margin: 56,
    bufferPages: true, // to head each page after the first once the number of pages is known
    info: { Title: `${TITLES[f.kind]} ${f.number}`, Author: f.branchName },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));

  doc.font("Helvetica-Bold").fontSize(13).text(f.branchName.toUpperCase(), { align: "center" });
  doc
    .font("Helvetica")
    .fontSize(9)
    .text("Pantau Jakon — pemantauan kepesertaan pekerja jasa konstruksi", { align: "center" });
  doc.moveDown(1.2).fontSize(10);
  labelled(doc, "Nomor", f.number);
  labelled(doc, "Tanggal", formatDate(f.issuedOn));
  labelled(doc, "Lampiran", f.kind === "referred" ? "1 (satu) berkas — Surat Kuasa Khusus" : "–");
  labelled(doc, "Perihal", TITLES[f.kind]);
  doc.moveDown();
  doc.text("Kepada Yth.");
  doc.font("Helvetica-Bold").text(f.addressee);
  doc.font("Helvetica").text(f.regencyName);
  doc.moveDown();
  for (const p of body(f)) doc.text(p, { align: "justify" });
  doc.moveDown(0.5);
  if (f.checkedOn)
    doc
      .fontSize(9)
      .text(`Keadaan menurut pemeriksaan kepatuhan tanggal ${formatDate(f.checkedOn)}:`)
      .fontSize(10);
  // Each project once, its findings under it; wrapped lines keep their indent.
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const indented = (text: string, by: number) => doc.text(text, left + by, doc.y, { width: width - by });
  f.findings.forEach((project, i) => {
    doc.font("Helvetica-Bold");
    indented(`${i + 1}. ${project.code ? `${project.code} — ${project.name}` : project.name}`, 0);
    doc.font("Helvetica");
    for (const x of project.items) {
      indented(`• ${x.description}`, 14);
      doc.fontSize(8);
      indented(`Dasar hukum: ${x.legalBasis}`, 22);
      doc.fontSize(10);
    }
  });
  doc.x = left;
  doc.moveDown(0.5);
  if (f.unprotectedWorkers > 0)
    doc.text(`Jumlah pekerja yang belum terlindungi: ${f.unprotectedWorkers.toLocaleString("id-ID")} orang.`);
  if (f.arrears > 0) {
    doc.text(`Jumlah tunggakan iuran: ${formatRupiah(f.arrears)} (${terbilangRupiah(f.arrears)}).`);
  }
  doc.moveDown(0.5);
  const request = closing(f);
  if (request) doc.text(request, { align: "justify" });
  doc.moveDown(2);
  // The place, date, office and signatory stay together: a signatory alone on a page signs nothing.
  const signatureHeight = doc.currentLineHeight(true) * 6;
  if (doc.y + signatureHeight > doc.page.height - doc.page.margins.bottom) doc.addPage();
  doc.text(`${regencyGovernment(f.regencyName).place}, ${formatDate(f.issuedOn)}`, { align: "right" });
  doc.text(f.branchName, { align: "right" });
  doc.moveDown(3);
  doc.text("Kepala Kantor Cabang", { align: "right" });
  if (f.kind === "referred") powerOfAttorney(doc, f);
  // A page that has come loose from the first still says which letter it belongs to.
  const pages = doc.bufferedPageRange();
  for (let i = 1; i < pages.count; i++) {
    doc.switchToPage(pages.start + i);
    doc
      .fontSize(8)
      .text(`${TITLES[f.kind]} Nomor ${f.number} — halaman ${i + 1} dari ${pages.count}`, left, 28, {
        width,
        align: "right",
        lineBreak: false,
      });
  }
  doc.end();
  return done;
}
