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
});
