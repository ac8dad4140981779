import { describe, expect, it } from "vitest";
import { type LetterFacts, renderLetter } from "../../src/reports/letters.js";
import { pdfText } from "../support/pdf.js";

const facts = (projects: number): LetterFacts => ({
  kind: "warning_1",
  number: "0001/TEG-I/BPJSTK-6103/VII/2025",
  issuedOn: "2025-07-30",
  branchName: "BPJS Ketenagakerjaan Cabang Sanggau",
  regencyName: "Kabupaten Sanggau",
  addressee: "Pimpinan CV Uji",
  prosecutor: null,
  contractor: { name: "CV Uji", code: "9120000000001" },
  findings: Array.from({ length: projects }, (_, i) => ({
    code: `61.03/PUPR/2025/${String(i + 1).padStart(4, "0")}`,
    name: `Proyek ${i + 1}`,
    items: [
      {
        description: `Iuran proyek 61.03/PUPR/2025/${String(i + 1).padStart(4, "0")} menunggak 27 hari`,
        legalBasis: "UU 24/2011 ps. 19 ayat (1); PP 44/2015 ps. 22",
      },
    ],
  })),
  checkedOn: "2025-07-28",
  unprotectedWorkers: 12,
  arrears: 2_950_000,
  deadline: "2025-08-11",
});

describe("escalation letters", () => {
  it("keep the place, date, office and signatory on one page, however long the list of findings", async () => {
    for (let projects = 1; projects <= 24; projects++) {
      const pages = pdfText(await renderLetter(facts(projects))).split("\f");
      const signed = pages.find((page) => page.includes("Kepala Kantor Cabang")) as string;
      expect(signed, `${projects} projects`).toContain("Sanggau, 30 Juli 2025");
      expect(signed.indexOf("Sanggau, 30 Juli 2025"), `${projects} projects`).toBeLessThan(
        signed.indexOf("Kepala Kantor Cabang"),
      );
    }
  });

  it("head every page after the first with the letter's title, number and page count", async () => {
    const pages = pdfText(await renderLetter(facts(24)))
      .split("\f")
      .filter((page) => page.trim());
    expect(pages.length).toBeGreaterThan(1);
    expect(pages[0]).not.toContain("halaman 1");
    pages.slice(1).forEach((page, i) => {
      expect(page.replace(/\s+/g, " ")).toContain(
        `TEGURAN TERTULIS I Nomor 0001/TEG-I/BPJSTK-6103/VII/2025 — halaman ${i + 2} dari ${pages.length}`,
      );
    });
  });

  it("ask each addressee for what is theirs to do", async () => {
    const text = async (kind: LetterFacts["kind"], extra: Partial<LetterFacts> = {}) =>
      pdfText(await renderLetter({ ...facts(1), kind, ...extra })).replace(/\s+/g, " ");
    expect(await text("warning_2")).toContain(
      "Kami minta kewajiban tersebut dipenuhi paling lambat tanggal 11 Agustus 2025",
    );
    const sanction = await text("sanction_recommended", { addressee: "Bupati Sanggau", arrears: 0 });
    expect(sanction).toContain("Kami mohon Bapak/Ibu Bupati berkenan menindaklanjuti rekomendasi ini");
    expect(sanction).toContain(
      "CV Uji tetap wajib memenuhi kewajiban tersebut; apabila sampai tanggal 11 Agustus 2025 belum dipenuhi, kami akan menyampaikan langkah penegakan kepatuhan berikutnya.",
    );
    expect(sanction).not.toContain("Jaksa");
    const referral = await text("referred", { deadline: null });
    expect(referral).not.toContain("paling lambat");
    expect(referral).toContain("Jaksa Pengacara Negara");
  });

  it("address and date a city's letters to its Wali Kota and by its own name", async () => {
    const pontianak = pdfText(
      await renderLetter({
        ...facts(1),
        kind: "sanction_recommended",
        regencyName: "Kota Pontianak",
        addressee: "Wali Kota Pontianak",
      }),
    ).replace(/\s+/g, " ");
    expect(pontianak).toContain("Kami mohon Bapak/Ibu Wali Kota berkenan menindaklanjuti rekomendasi ini");
    expect(pontianak).toContain("Pontianak, 30 Juli 2025");
    expect(pontianak).not.toContain("Bupati");
    expect(pontianak).not.toContain("Kota Pontianak, 30 Juli 2025");
  });

  it("attach the special power of attorney to a referral, on a page of its own, and to no other letter", async () => {
    const referral = pdfText(
      await renderLetter({
        ...facts(2),
        kind: "referred",
        number: "0007/JPN/BPJSTK-6103/VIII/2025",
        addressee: "Kepala Kejaksaan Negeri Sanggau",
        prosecutor: "Kejaksaan Negeri Sanggau",
        deadline: null,
      }),
    )
      .split("\f")
      .map((page) => page.replace(/\s+/g, " "));
    expect(referral[0]).toContain("Lampiran : 1 (satu) berkas — Surat Kuasa Khusus");
    const skk = referral.findIndex((page) => page.includes("SURAT KUASA KHUSUS Nomor: SKK/"));
    expect(skk, "a page of its own, after the letter's signature").toBeGreaterThan(0);
    expect(referral.slice(0, skk).join(" ")).toContain("Kepala Kantor Cabang");
    const power = referral.slice(skk).join(" ");
    expect(power).toContain("Lampiran surat Nomor 0007/JPN/BPJSTK-6103/VIII/2025 tanggal 30 Juli 2025");
    expect(power).toContain("Nomor: SKK/0007/JPN/BPJSTK-6103/VIII/2025");
    expect(power).toContain("Jabatan : Kepala Kantor Cabang, BPJS Ketenagakerjaan Cabang Sanggau");
    expect(power).toContain("Kepala Kejaksaan Negeri Sanggau selaku Jaksa Pengacara Negara");
    expect(power).toContain(
      "menagih tunggakan iuran Jaminan Kecelakaan Kerja dan Jaminan Kematian CV Uji (NIB 9120000000001) sebesar Rp 2.950.000 (dua juta sembilan ratus lima puluh ribu rupiah) atas proyek:",
    );
    expect(power).toContain("1. 61.03/PUPR/2025/0001 — Proyek 1");
    expect(power).toContain("2. 61.03/PUPR/2025/0002 — Proyek 2");
    expect(power).toContain("Pasal 30 ayat (2) Undang-Undang Nomor 16 Tahun 2004");
    for (const said of ["PENERIMA KUASA", "PEMBERI KUASA", "Meterai Rp10.000", "Sanggau, 30 Juli 2025"])
      expect(power).toContain(said);

    for (const kind of ["warning_1", "warning_2", "sanction_recommended"] as const) {
      const letter = pdfText(await renderLetter({ ...facts(2), kind })).replace(/\s+/g, " ");
      expect(letter, kind).toMatch(/Lampiran : ?– Perihal/);
      expect(letter, kind).not.toContain("SURAT KUASA KHUSUS");
    }
  });
});
