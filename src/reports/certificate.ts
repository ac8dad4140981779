import PDFDocument from "pdfkit";
import type { IsoDate } from "../domain/dates.js";
import { formatDate, formatNumber, formatRupiah } from "../domain/format.js";
import { terbilangRupiah } from "../domain/terbilang.js";

/**
 * The participation certificate (sertifikat kepesertaan) of a construction project, A4 in Bahasa
 * Indonesia: which project, registered under which number, protected for which period, and the
 * contribution paid in full, the condition on which it is issued (Permenaker 44/2015).
 */
export interface CertificateFacts {
  branchName: string;
  registrationNo: string;
  issuedOn: IsoDate;
  /** The day it is printed, on which `workers` are counted. */
  printedOn: IsoDate;
  project: {
    code: string;
    name: string;
    contractor: string;
    nib: string;
    workUnit: string | null;
    place: string;
    contractValue: number;
  };
  registeredOn: IsoDate;
  coverageStart: IsoDate;
  coverageEnd: IsoDate;
  basis: "contract_value" | "wage";
  contribution: { jkk: number; jkm: number; total: number };
  /**
   * Workers on the project on the day it is printed, and all it has reported by then: a finished project
   * has none working, but its workers were protected while they worked.
   */
  workers: { working: number; reported: number };
}

const BASIS = {
  contract_value: "nilai kontrak",
  wage: "upah pekerja yang dilaporkan",
} as const;

/** Render the certificate; resolves to the PDF bytes. */
export function renderCertificate(f: CertificateFacts): Promise<Buffer> {
  const doc = new PDFDocument({
    size: "A4",
    margin: 56,
    info: { Title: `Sertifikat Kepesertaan ${f.registrationNo}`, Author: f.branchName },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));

  doc.font("Helvetica-Bold").fontSize(13).text(f.branchName.toUpperCase(), { align: "center" });
  doc.font("Helvetica").fontSize(9).text("BPJS Ketenagakerjaan — program JKK dan JKM", { align: "center" });
  doc.moveDown(1.5);
  doc.font("Helvetica-Bold").fontSize(15).text("SERTIFIKAT KEPESERTAAN", { align: "center" });
  doc.font("Helvetica").fontSize(10).text("Pekerja Jasa Konstruksi", { align: "center" });
  doc.text(`Nomor pendaftaran: ${f.registrationNo}`, { align: "center" });
  doc.moveDown(1.5);
  doc.text("Dengan ini menerangkan bahwa pekerja pada proyek jasa konstruksi berikut:", { align: "justify" });
  doc.moveDown(0.5);
  const left = doc.page.margins.left;
  const valueAt = left + 140;
  const row = (label: string, value: string) => {
    const y = doc.y;
    doc.font("Helvetica").text(label, left, y, { width: 135 });
    doc
      .font("Helvetica-Bold")
      .text(value, valueAt, y, { width: doc.page.width - doc.page.margins.right - valueAt });
    doc.x = left;
  };
  row("Kode proyek", f.project.code);
  row("Nama proyek", f.project.name);
  row("Penyedia jasa", `${f.project.contractor} (NIB ${f.project.nib})`);
  // The work unit uses the contractor's services (pengguna jasa); the workers' employer is the contractor.
  if (f.project.workUnit) row("Pengguna jasa (OPD)", f.project.workUnit);
  row("Lokasi", f.project.place);
  row("Nilai kontrak", formatRupiah(f.project.contractValue));
  doc.moveDown(0.5);
  doc
    .font("Helvetica")
    .text(
      `terdaftar sebagai peserta program Jaminan Kecelakaan Kerja (JKK) dan Jaminan Kematian (JKM) BPJS Ketenagakerjaan sejak ${formatDate(f.registeredOn)}, dengan masa perlindungan:`,
      { align: "justify" },
    );
  doc.moveDown(0.5);
  doc
    .font("Helvetica-Bold")
    .fontSize(12)
    .text(`${formatDate(f.coverageStart)} sampai dengan ${formatDate(f.coverageEnd)}`, { align: "center" });
  doc.moveDown(0.5).fontSize(10);
  row("Dasar iuran", BASIS[f.basis]);
  row("Iuran JKK", formatRupiah(f.contribution.jkk));
  row("Iuran JKM", formatRupiah(f.contribution.jkm));
  row("Jumlah iuran", formatRupiah(f.contribution.total));
  doc
    .font("Helvetica")
    .fontSize(9)
    .text(`(${terbilangRupiah(f.contribution.total)})`)
    .fontSize(10);
  doc.moveDown(0.5);
  doc.text(
    `Iuran telah dibayar lunas pada ${formatDate(f.issuedOn)}. Perlindungan berlaku bagi setiap pekerja yang dilaporkan bekerja pada proyek ini selama masa perlindungan, sejak tanggal ia mulai bekerja sampai tanggal ia selesai; ${reportedSoFar(f)}. Pekerja dapat memeriksa perlindungannya sendiri dengan NIK pada halaman Cek perlindungan (/cek) aplikasi Pantau Jakon.`,
    { align: "justify" },
  );
  doc.moveDown(2);
  doc.text(`Dicetak ${formatDate(f.printedOn)}`, { align: "right" });
  doc.text(f.branchName, { align: "right" });
  doc.end();
  return done;
}

/** Who has been reported by the day it is printed; a project with no report yet says so plainly. */
function reportedSoFar(f: CertificateFacts): string {
  const by = formatDate(f.printedOn);
  return f.workers.reported === 0
    ? `sampai ${by} belum ada pekerja yang dilaporkan`
    : `sampai ${by} telah dilaporkan ${formatNumber(f.workers.reported)} pekerja, ${formatNumber(f.workers.working)} di antaranya bekerja pada tanggal itu`;
}
