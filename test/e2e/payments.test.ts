import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { formatDate, formatRupiah } from "../../src/domain/format.js";
import { addUser } from "../../src/services/accounts.js";
import { type Actor, systemActor } from "../../src/services/actor.js";
import { recordPayment } from "../../src/services/payments.js";
import { registerProject } from "../../src/services/projects.js";
import { fileRegistration, registerWithBpjs } from "../../src/services/registrations.js";
import { checkPage, demoInChromium, demoLogin, SHOTS, settle } from "../support/browser-suite.js";
import { chromiumPresent, signIn } from "../support/dashboard.js";

/**
 * Contribution payments in Debian's Chromium against the real server and the Sanggau demo: a contractor
 * records a payment on its project page, where it waits for the BPJS branch and does not count; the
 * branch officer confirms one claim in the queue at /pembayaran (the paid amount grows by exactly its
 * amount) and rejects another with a reason, which the contractor then reads on its project page.
 */

const UNREGISTERED = "61.03/PUPR/2025/E2E-DAFTAR";

interface OwedProject {
  id: number;
  name: string;
  contractor: string;
  registrationNo: string | null;
  contributionAmount: number | null;
  paidAmount: number;
}

describe.skipIf(!chromiumPresent)("contribution payments in Chromium", () => {
  const app = demoInChromium(async (db) => {
    // The demo contractor's projects are paid, wait for the branch, or register after the demo's date:
    // one more of its projects, registered in June and not yet paid, is what these tests pay.
    const contractor = await db
      .selectFrom("app_user")
      .innerJoin("organisation", "organisation.id", "app_user.organisation_id")
      .select(["organisation.code", "organisation.name"])
      .where("app_user.email", "=", demoLogin("contractor"))
      .executeTakeFirstOrThrow();
    const project = await registerProject(
      db,
      {
        code: "61.03/PUPR/2025/E2E-BAYAR",
        name: "Rehabilitasi Jembatan Sungai Sekayam",
        districtCode: "61.03.07",
        workUnitCode: "PUPR",
        contractorNib: contractor.code,
        contractorName: contractor.name,
        fundingSource: "APBD",
        workType: "road",
        contractValue: 1_500_000_000,
        spkDate: "2025-06-02",
        spmkDate: "2025-06-09",
        endDate: "2025-12-19",
      },
      systemActor("test"),
    );
    await registerWithBpjs(
      db,
      project.id,
      { basis: "contract_value", registeredOn: "2025-06-05" },
      systemActor("test"),
    );
    // And one it has not registered yet, of DESIGN.md §8's worked example: Rp 2 miliar owes Rp 2.950.000.
    await registerProject(
      db,
      {
        code: UNREGISTERED,
        name: "Pembangunan Puskesmas Pembantu Entikong",
        districtCode: "61.03.21",
        workUnitCode: "PUPR",
        contractorNib: contractor.code,
        contractorName: contractor.name,
        fundingSource: "DAK",
        workType: "building",
        contractValue: 2_000_000_000,
        spkDate: "2025-07-21",
        spmkDate: "2025-07-28",
        endDate: "2025-12-20",
      },
      systemActor("test"),
    );
  });

  /** A fact of the project page's registration card, by its label ("Dibayar"), as shown. */
  const fact = (page: Page, label: string) =>
    page.locator(`xpath=//dt[normalize-space()="${label}"]/following-sibling::dd[1]`);

  const paymentRow = (page: Page, reference: string) =>
    page.getByTestId("payments").locator("tbody tr", { hasText: reference });
  const claimRow = (page: Page, reference: string) =>
    page.getByTestId("payment-claims").locator("tbody tr", { hasText: reference });

  /**
   * One of the signed-in contractor's registered projects that still owes contributions and has no claim
   * waiting (the demo files some for the branch), with its figures now, by the API. Each test reads
   * them afresh, so that none depends on what another paid.
   */
  async function owedProject(page: Page): Promise<OwedProject> {
    const today = (await app.getJson<{ today: string }>(page, "/api/v1/me")).today;
    const list = await app.getJson<{ items: OwedProject[] }>(page, "/api/v1/projects?pageSize=200");
    for (const p of list.items) {
      if (p.registrationNo === null || (p.contributionAmount ?? 0) - p.paidAmount < 3) continue;
      const detail = await app.getJson<{ certificate: { pendingAmount: number; registeredOn: string } }>(
        page,
        `/api/v1/projects/${p.id}`,
      );
      // Paid today, into the account its registration opened (the demo registers some after its date).
      if (detail.certificate.pendingAmount === 0 && detail.certificate.registeredOn <= today) return p;
    }
    throw new Error("the demo contractor has no registered project owing contributions with no claim");
  }

  /** The contractor records a payment through the project page's form and sees that it waits. */
  async function recordAsContractor(page: Page, project: OwedProject, amount: number, reference: string) {
    const today = (await app.getJson<{ today: string }>(page, "/api/v1/me")).today;
    await page.goto(`${app.url}/proyek/${project.id}`);
    await settle(page);
    expect(await fact(page, "Dibayar").textContent()).toBe(formatRupiah(project.paidAmount));
    const form = page.getByRole("form", { name: "Catat pembayaran" });
    await form.getByLabel("Jumlah (Rp)").fill(`${formatRupiah(amount)},00`); // as a transfer slip writes it
    expect(await page.locator("#amount-error").textContent()).toBe(`Terbaca: ${formatRupiah(amount)}`);
    await form.getByLabel("Referensi").fill(reference);
    await form.getByRole("button", { name: "Catat pembayaran" }).click();
    // The first answer shown, success or refusal, so that a refusal fails the test with its reason.
    const answer = form.locator(".success, .error, .hint.bad:not(:empty)").first();
    await answer.waitFor();
    expect(await answer.textContent()).toBe("Pembayaran dicatat, menunggu konfirmasi BPJS.");
    expect(await answer.locator("xpath=..").getAttribute("role")).toBe("status");

    const row = paymentRow(page, reference);
    await row.getByText("Menunggu konfirmasi BPJS").waitFor();
    const cells = await row.locator("td").allTextContents();
    expect(cells).toEqual([formatDate(today), formatRupiah(amount), reference, "Menunggu konfirmasi BPJS"]);
    // A claim does not count: the paid amount stays, the claim shows beside it.
    await expect.poll(() => fact(page, "Menunggu konfirmasi BPJS").textContent()).toBe(formatRupiah(amount));
    expect(await fact(page, "Dibayar").textContent()).toBe(formatRupiah(project.paidAmount));
    const detail = await app.getJson<{ certificate: { paidAmount: number; pendingAmount: number } }>(
      page,
      `/api/v1/projects/${project.id}`,
    );
    expect(detail.certificate).toMatchObject({ paidAmount: project.paidAmount, pendingAmount: amount });
  }

  it("a contractor's payment waits for the branch; once confirmed it counts, by exactly its amount", async () => {
    const contractor = await app.signedIn("contractor");
    const project = await owedProject(contractor.page);
    const outstanding = (project.contributionAmount ?? 0) - project.paidAmount;
    const amount = Math.floor(outstanding / 3);
    const reference = "TRF-E2E-KONFIRMASI";

    // Refusals come back beside the field they are about.
    await contractor.page.goto(`${app.url}/proyek/${project.id}`);
    await settle(contractor.page);
    const form = contractor.page.getByRole("form", { name: "Catat pembayaran" });
    await form.getByLabel("Jumlah (Rp)").fill(String(outstanding + 1));
    await form.getByLabel("Referensi").fill("TRF-E2E-TERLALU-BESAR");
    await form.getByRole("button", { name: "Catat pembayaran" }).click();
    await contractor.page.locator("#amount-error").getByText("melebihi sisa iuran").waitFor();
    expect(await contractor.page.locator("#amount-error").textContent()).toContain(formatRupiah(outstanding));
    expect(await form.getByLabel("Jumlah (Rp)").getAttribute("aria-invalid")).toBe("true");
    await form.getByLabel("Jumlah (Rp)").fill("12,5");
    await form.getByRole("button", { name: "Catat pembayaran" }).click();
    expect(await contractor.page.locator("#amount-error").textContent()).toBe(
      "Tulis jumlah rupiah tanpa sen, mis. 1.500.000.",
    );

    await recordAsContractor(contractor.page, project, amount, reference);
    await contractor.page.screenshot({ path: join(SHOTS, "contractor-payment-pending.png"), fullPage: true });
    // The contractor sees its claim in the queue, and cannot decide it.
    await contractor.page.getByRole("navigation").getByRole("link", { name: "Pembayaran" }).click();
    await contractor.page.getByRole("heading", { name: "Pembayaran iuran" }).waitFor();
    await settle(contractor.page);
    expect(await claimRow(contractor.page, reference).textContent()).toContain(formatRupiah(amount));
    expect(await contractor.page.getByRole("button", { name: /^(Konfirmasi|Tolak) / }).count()).toBe(0);

    const officer = await app.signedIn("bpjs");
    await officer.page.getByRole("navigation").getByRole("link", { name: "Pembayaran" }).click();
    await officer.page.getByRole("heading", { name: "Pembayaran iuran" }).waitFor();
    await checkPage(officer.page, "bpjs-payments");
    const claim = claimRow(officer.page, reference);
    const cells = await claim.locator("td").allTextContents();
    expect(cells[0]).toContain(project.name);
    expect(cells[1]).toBe(project.contractor);
    expect(cells[3]).toBe(formatRupiah(amount));
    expect(cells[4]).toBe(reference);
    expect(cells[6], "what the registration still owes").toBe(formatRupiah(outstanding));
    await claim.getByRole("button", { name: `Konfirmasi ${reference}`, exact: true }).click();
    await officer.page
      .getByRole("status")
      .getByText(
        `Pembayaran ${reference} sebesar ${formatRupiah(amount)} untuk ${project.name} dikonfirmasi dan kini dihitung.`,
      )
      .waitFor();
    await expect.poll(() => claimRow(officer.page, reference).count()).toBe(0);
    await officer.page.getByRole("radio", { name: "Dikonfirmasi" }).check();
    await claimRow(officer.page, reference).waitFor();

    // The project page now counts it.
    await claimRow(officer.page, reference).getByRole("link", { name: project.name }).click();
    await paymentRow(officer.page, reference).waitFor();
    await settle(officer.page);
    expect(await paymentRow(officer.page, reference).locator("td").last().textContent()).toBe("Dikonfirmasi");
    expect(await fact(officer.page, "Dibayar").textContent()).toBe(formatRupiah(project.paidAmount + amount));
    expect(await fact(officer.page, "Menunggu konfirmasi BPJS").count()).toBe(0);
    await officer.page.screenshot({ path: join(SHOTS, "bpjs-payment-confirmed.png"), fullPage: true });

    await contractor.page.goto(`${app.url}/proyek/${project.id}`);
    await settle(contractor.page);
    expect(await paymentRow(contractor.page, reference).locator("td").last().textContent()).toBe(
      "Dikonfirmasi",
    );
    expect(await fact(contractor.page, "Dibayar").textContent()).toBe(
      formatRupiah(project.paidAmount + amount),
    );
    const after = await app.getJson<{ certificate: { paidAmount: number; pendingAmount: number } }>(
      contractor.page,
      `/api/v1/projects/${project.id}`,
    );
    expect(after.certificate).toMatchObject({ paidAmount: project.paidAmount + amount, pendingAmount: 0 });
    await officer.context.close();
    await contractor.context.close();
  }, 180_000);

  it("a rejected payment never counts, and the contractor reads why on its project page", async () => {
    const contractor = await app.signedIn("contractor");
    const project = await owedProject(contractor.page);
    const amount = Math.floor(((project.contributionAmount ?? 0) - project.paidAmount) / 2);
    const reference = "TRF-E2E-TOLAK";
    const reason = "Transfer tidak ditemukan di rekening iuran BPJS";
    await recordAsContractor(contractor.page, project, amount, reference);

    const officer = await app.signedIn("bpjs");
    await officer.page.goto(`${app.url}/pembayaran`);
    await settle(officer.page);
    const claim = claimRow(officer.page, reference);
    await claim.getByRole("button", { name: `Tolak ${reference}`, exact: true }).click();
    const why = claim.getByLabel("Alasan penolakan");
    expect(await officer.page.evaluate("document.activeElement?.name"), "the reason has focus").toBe(
      "reason",
    );
    // Cancel puts the buttons back; a reason is required, three characters at least.
    await claim.getByRole("button", { name: "Batal" }).click();
    expect(await why.count()).toBe(0);
    await claim.getByRole("button", { name: `Tolak ${reference}`, exact: true }).click();
    await why.fill("ok");
    await claim.getByRole("button", { name: `Kirim penolakan ${reference}`, exact: true }).click();
    expect(await claim.locator(".hint.bad").textContent()).toBe("Tulis alasannya, minimal 3 karakter.");
    expect(await why.getAttribute("aria-invalid")).toBe("true");
    await why.fill(reason);
    await claim.getByRole("button", { name: `Kirim penolakan ${reference}`, exact: true }).click();
    await officer.page
      .getByRole("status")
      .getByText(`Pembayaran ${reference} sebesar ${formatRupiah(amount)} untuk ${project.name} ditolak.`)
      .waitFor();
    await expect.poll(() => claimRow(officer.page, reference).count()).toBe(0);
    await officer.page.getByRole("radio", { name: "Ditolak" }).check();
    const rejected = claimRow(officer.page, reference);
    await rejected.waitFor();
    expect(await rejected.locator("td").last().textContent()).toBe(reason);
    await checkPage(officer.page, "bpjs-payments-rejected");

    await contractor.page.goto(`${app.url}/proyek/${project.id}`);
    await settle(contractor.page);
    expect(await paymentRow(contractor.page, reference).locator("td").allTextContents()).toEqual([
      expect.any(String),
      formatRupiah(amount),
      reference,
      `Ditolak: ${reason}`,
    ]);
    expect(await fact(contractor.page, "Dibayar").textContent()).toBe(formatRupiah(project.paidAmount));
    expect(await fact(contractor.page, "Menunggu konfirmasi BPJS").count()).toBe(0);
    await checkPage(contractor.page, "contractor-payment-rejected");
    await officer.context.close();
    await contractor.context.close();
  }, 180_000);

  it("a contractor files its project's registration, which counts once the branch verifies it in its queue", async () => {
    const { context, page } = await app.signedIn("contractor");
    const today = (await app.getJson<{ today: string }>(page, "/api/v1/me")).today;
    const list = await app.getJson<{ items: { id: number; code: string; name: string }[] }>(
      page,
      `/api/v1/projects?q=${encodeURIComponent(UNREGISTERED)}`,
    );
    const project = list.items.find((p) => p.code === UNREGISTERED) as { id: number; name: string };
    await page.goto(`${app.url}/proyek/${project.id}`);
    await settle(page);
    const form = page.getByRole("form", { name: "Daftarkan ke BPJS Ketenagakerjaan" });
    // A contractor registers on the day it does so: the date is said, not asked, and not as if it were
    // registered already.
    expect(await form.getByText(`Tanggal pendaftaran: ${formatDate(today)}`).count()).toBe(1);
    expect(await form.getByText("Didaftarkan").count()).toBe(0);
    expect(await form.locator("input[type=date]").count()).toBe(0);
    expect(await form.getByText("berlaku setelah diverifikasi petugas BPJS cabang").count()).toBe(1);
    expect(await page.getByText("Pembayaran iuran dapat dicatat setelah proyek didaftarkan").count()).toBe(1);
    await form.getByRole("button", { name: "Daftarkan ke BPJS Ketenagakerjaan" }).click();
    // The form goes with the filing: what happened is said, and focus moves there, not to the page's top.
    const filed = page.getByRole("status").filter({ hasText: "Pendaftaran dikirim ke BPJS Ketenagakerjaan" });
    await filed.waitFor();
    expect(await filed.textContent()).toBe("Pendaftaran dikirim ke BPJS Ketenagakerjaan untuk diverifikasi.");
    await page.waitForFunction('document.activeElement?.getAttribute("role") === "status"');

    // Filed: it waits, with what it will owe (DESIGN §8's worked example), and nothing is registered yet.
    const waiting = page.getByText("menunggu verifikasi BPJS Ketenagakerjaan");
    await waiting.waitFor();
    expect(await waiting.textContent()).toBe(
      `Pendaftaran dikirim ${formatDate(today)} dan menunggu verifikasi BPJS Ketenagakerjaan. Iuran yang akan ditagih: Rp 2.950.000. Pekerja terlindungi setelah pendaftaran diverifikasi.`,
    );
    expect(await page.getByRole("form", { name: "Daftarkan ke BPJS Ketenagakerjaan" }).count()).toBe(0);
    expect(await fact(page, "Nomor pendaftaran").count()).toBe(0);
    await checkPage(page, "contractor-registration-filed");

    // The branch verifies it from its queue.
    const officer = await app.signedIn("bpjs");
    await officer.page.getByRole("navigation").getByRole("link", { name: "Pendaftaran" }).click();
    await officer.page.getByRole("heading", { name: "Pendaftaran proyek ke BPJS" }).waitFor();
    await checkPage(officer.page, "bpjs-registrations");
    const row = officer.page
      .getByTestId("registration-claims")
      .locator("tbody tr", { hasText: project.name });
    const cells = await row.locator("td").allTextContents();
    expect(cells.slice(2, 7)).toEqual([
      "Rp 2.000.000.000",
      formatDate("2025-07-28"),
      formatDate(today),
      "Nilai kontrak",
      "Rp 2.950.000",
    ]);
    await row.getByRole("button", { name: `Verifikasi ${project.name}`, exact: true }).click();
    const said = officer.page.getByRole("status").locator(".success");
    await said.waitFor();
    expect(await said.textContent()).toMatch(
      new RegExp(`^Pendaftaran ${project.name} diverifikasi: JK-6103-2025-\\d{6}\\.$`),
    );
    await expect.poll(() => row.count()).toBe(0);
    await officer.context.close();

    // Registered from the day it was filed, as the contractor now reads.
    await page.reload();
    await fact(page, "Nomor pendaftaran").waitFor();
    expect(await fact(page, "Nomor pendaftaran").textContent()).toMatch(/^JK-6103-2025-\d{6}$/);
    expect(await fact(page, "Didaftarkan").textContent()).toBe(formatDate(today));
    expect(await fact(page, "Jumlah").textContent()).toBe("Rp 2.950.000");
    // Rp 2 miliar reaches four of the rate table's five tiers.
    expect(await page.locator("tfoot tr", { hasText: "JKK + JKM" }).locator("td").textContent()).toBe(
      "Rp 2.950.000 (4 lapisan)",
    );
    expect(await page.getByText("Sisa iuran: Rp 2.950.000.").count()).toBe(1);
    const certificate = await app.getJson<{ registeredOn: string; contribution: { total: number } }>(
      page,
      `/api/v1/projects/${project.id}/certificate`,
    );
    expect(certificate).toMatchObject({ registeredOn: today, contribution: { total: 2_950_000 } });
    await checkPage(page, "contractor-registered");
    await context.close();
  }, 120_000);

  it("counts the contribution's tiers the contract value reaches, one or several, in both languages", async () => {
    // Two of the demo's registered projects: one within the first tier (to Rp 100 juta), one reaching four.
    const registered = (above: number, upTo: number) =>
      app.db
        .selectFrom("project as p")
        .innerJoin("project_registration as r", "r.project_id", "p.id")
        .select("p.id")
        .where("p.regency_code", "=", "61.03")
        .where("r.basis", "=", "contract_value")
        .where("p.contract_value", ">", above)
        .where("p.contract_value", "<=", upTo)
        .orderBy("p.id")
        .executeTakeFirstOrThrow();
    const one = await registered(0, 100_000_000);
    const four = await registered(1_000_000_000, 5_000_000_000);
    const { context, page } = await app.signedIn("bpjs");
    const tiers = page.locator("tfoot tr", { hasText: "JKK + JKM" }).locator("td");
    const said = async (id: number) => {
      await page.goto(`${app.url}/proyek/${id}`);
      await tiers.waitFor();
      return tiers.textContent();
    };
    expect(await said(one.id)).toMatch(/^Rp [\d.]+ \(1 lapisan\)$/);
    expect(await said(four.id)).toMatch(/^Rp [\d.]+ \(4 lapisan\)$/);
    await page.getByRole("button", { name: "Switch to English" }).click();
    await page.getByRole("button", { name: "Ganti ke Bahasa Indonesia" }).waitFor();
    expect(await said(one.id)).toMatch(/^Rp [\d,]+ \(1 tier\)$/);
    expect(await said(four.id)).toMatch(/^Rp [\d,]+ \(4 tiers\)$/);
    await context.close();
  });

  it("tells a work unit holding a contractor's instalment what the contractor has paid that waits for the branch", async () => {
    const { context, page } = await app.signedIn("opd");
    const held = (await app.getJson<{ id: number; cleared: boolean }[]>(page, "/api/v1/contractors")).filter(
      (c) => !c.cleared,
    );
    let found: { id: number; awaitingConfirmation: number } | undefined;
    for (const c of held) {
      const answer = await app.getJson<{ awaitingConfirmation: number }>(
        page,
        `/api/v1/contractors/${c.id}/clearance`,
      );
      if (answer.awaitingConfirmation > 0) {
        found = { id: c.id, awaitingConfirmation: answer.awaitingConfirmation };
        break;
      }
    }
    expect(found, "a held contractor of the demo with a transfer waiting for the branch").toBeDefined();
    await page.goto(`${app.url}/penyedia/${found?.id}`);
    const line = page.getByTestId("awaiting-confirmation");
    await line.waitFor();
    expect(await line.textContent()).toBe(
      `Penyedia ini mencatat pembayaran iuran ${formatRupiah(found?.awaitingConfirmation ?? 0)} yang masih menunggu konfirmasi BPJS; tunggakannya baru hilang setelah dikonfirmasi.`,
    );
    await checkPage(page, "opd-clearance-awaiting");
    await context.close();
  }, 120_000);
  it("a contractor downloads the certificate of a project paid in full, and is told when it is not issued yet", async () => {
    const { context, page } = await app.signedIn("contractor");
    const list = await app.getJson<{ items: OwedProject[] }>(page, "/api/v1/projects?pageSize=200");
    const paid = list.items.find(
      (p) => p.registrationNo !== null && p.paidAmount >= (p.contributionAmount ?? Number.POSITIVE_INFINITY),
    ) as OwedProject;
    expect(paid, "a demo project of this contractor paid in full").toBeDefined();
    await page.goto(`${app.url}/proyek/${paid.id}`);
    const link = page.getByRole("link", { name: "Unduh sertifikat (PDF)" });
    await link.waitFor();
    const download = await page.request.get(`${app.url}${await link.getAttribute("href")}`);
    expect(download.headers()["content-type"]).toBe("application/pdf");
    expect(download.headers()["content-disposition"]).toContain(`sertifikat-${paid.registrationNo}.pdf`);
    expect((await download.body()).subarray(0, 5).toString()).toBe("%PDF-");

    const owed = await owedProject(page);
    await page.goto(`${app.url}/proyek/${owed.id}`);
    expect(await fact(page, "Sertifikat kepesertaan").textContent()).toBe("terbit setelah iuran lunas");
    expect(await page.getByRole("link", { name: "Unduh sertifikat (PDF)" }).count()).toBe(0);
    await context.close();
  });

  it("an officer overseeing several regencies narrows both queues to one, kept in the address with the status", async () => {
    // Beside the demo's claims in Sanggau (61.03), a contractor of Ketapang (61.04) files a registration
    // and reports a payment; the officer here oversees the whole province (61).
    const db = app.db;
    const ketapang = {
      districtCode: "61.04.01",
      workUnitCode: null,
      contractorNib: "9120007654321",
      contractorName: "CV Ketapang Jaya Konstruksi",
      fundingSource: "APBD",
      workType: "road",
      contractValue: 800_000_000,
      spkDate: "2025-07-01",
      spmkDate: "2025-07-07",
      endDate: "2025-12-15",
    } as const;
    const paid = await registerProject(
      db,
      { ...ketapang, code: "61.04/E2E/2025/BAYAR", name: "Peningkatan Jalan Desa Sungai Awan" },
      systemActor("test"),
    );
    const filed = await registerProject(
      db,
      { ...ketapang, code: "61.04/E2E/2025/DAFTAR", name: "Pembangunan Dermaga Kendawangan" },
      systemActor("test"),
    );
    const contractor: Actor = {
      kind: "user",
      label: "test:ketapang",
      role: "contractor",
      organisationId: paid.contractor_id,
      regionCode: null,
      userId: null,
    };
    await registerWithBpjs(
      db,
      paid.id,
      { basis: "contract_value", registeredOn: "2025-07-03" },
      systemActor("test"),
    );
    await recordPayment(
      db,
      paid.id,
      { paidOn: "2025-07-20", amount: 500_000, reference: "TRF-E2E-KETAPANG" },
      contractor,
    );
    await fileRegistration(db, filed.id, { basis: "contract_value", registeredOn: "2025-07-07" }, contractor);
    const branch = await db
      .selectFrom("organisation")
      .select("id")
      .where("kind", "=", "bpjs_branch")
      .executeTakeFirstOrThrow();
    await addUser(
      db,
      {
        email: "kanwil@e2e.test",
        name: "Petugas Wilayah Kalimantan Barat",
        role: "bpjs",
        organisationId: branch.id,
        regionCode: "61",
        password: "seluruh-provinsi-61",
      },
      systemActor("test"),
    );
    const { context, page } = await app.newPage();
    await signIn(page, app.url, "kanwil@e2e.test", "seluruh-provinsi-61");
    const inSanggau = await app.getJson<{ reference: string }[]>(page, "/api/v1/payment-claims?region=61.03");
    expect(inSanggau.length).toBeGreaterThan(0);

    await page.getByRole("navigation").getByRole("link", { name: "Pembayaran" }).click();
    await page.getByRole("heading", { name: "Pembayaran iuran" }).waitFor();
    await settle(page);
    const rows = page.getByTestId("payment-claims").locator("tbody tr");
    // Unfiltered, both regencies wait in the queue.
    await claimRow(page, "TRF-E2E-KETAPANG").waitFor();
    expect(await rows.count()).toBe(inSanggau.length + 1);
    const region = page.getByLabel("Kode wilayah");
    expect(await region.inputValue()).toBe("");

    // One regency: only its claims, and the address says so.
    await region.fill("61.04");
    await page.getByRole("button", { name: "Tampilkan", exact: true }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("region")).toBe("61.04");
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().locator("td").nth(4).textContent()).toBe("TRF-E2E-KETAPANG");
    await checkPage(page, "bpjs-payments-region");
    // A sub-district narrows it to the projects there: Ketapang's claim is in 61.04.01, none in 61.04.02.
    await region.fill("61.04.01");
    await page.getByRole("button", { name: "Tampilkan", exact: true }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("region")).toBe("61.04.01");
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().locator("td").nth(4).textContent()).toBe("TRF-E2E-KETAPANG");
    await region.fill("61.04.02");
    await page.getByRole("button", { name: "Tampilkan", exact: true }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("region")).toBe("61.04.02");
    await expect.poll(() => claimRow(page, "TRF-E2E-KETAPANG").count()).toBe(0);

    await region.fill("61.03");
    await page.getByRole("button", { name: "Tampilkan", exact: true }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("region")).toBe("61.03");
    // Coming from an empty sub-district, the rows arrive after the address changes: wait for them.
    await expect
      .poll(() => rows.locator("td:nth-child(5)").allTextContents())
      .toEqual(inSanggau.map((c) => c.reference));

    // Another status keeps the region, and the region another status.
    await page.getByRole("radio", { name: "Ditolak" }).check();
    await expect.poll(() => new URL(page.url()).searchParams.get("status")).toBe("rejected");
    expect(new URL(page.url()).searchParams.get("region")).toBe("61.03");
    expect(await region.inputValue()).toBe("61.03");

    // A code that is none of the three is refused beside the field: the filter stays as it was.
    await region.fill("61.3");
    await page.getByRole("button", { name: "Tampilkan", exact: true }).click();
    expect(await page.locator("#region-error").textContent()).toBe(
      "Tulis kode provinsi (61), kabupaten/kota (61.03) atau kecamatan (61.03.01).",
    );
    expect(await region.getAttribute("aria-invalid")).toBe("true");
    expect(new URL(page.url()).searchParams.get("region")).toBe("61.03");

    // All regions again, still on the status chosen.
    await page.getByRole("button", { name: "Semua wilayah" }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("region")).toBeNull();
    expect(new URL(page.url()).searchParams.get("status")).toBe("rejected");
    await expect.poll(() => region.inputValue()).toBe("");
    expect(await region.getAttribute("aria-invalid")).toBeNull();
    await page.getByRole("radio", { name: "Menunggu konfirmasi" }).check();
    await claimRow(page, "TRF-E2E-KETAPANG").waitFor();

    // The registrations' queue, opened from an address with a region, shows that region's filings only.
    await page.goto(`${app.url}/pendaftaran?region=61.04`);
    await page.getByRole("heading", { name: "Pendaftaran proyek ke BPJS" }).waitFor();
    await settle(page);
    expect(await page.getByLabel("Kode wilayah").inputValue()).toBe("61.04");
    const filings = page.getByTestId("registration-claims").locator("tbody tr");
    expect(await filings.count()).toBe(1);
    expect(await filings.first().locator("td").first().textContent()).toContain(
      "Pembangunan Dermaga Kendawangan",
    );
    await checkPage(page, "bpjs-registrations-region");
    await page.getByLabel("Kode wilayah").fill("61.03");
    await page.getByRole("button", { name: "Tampilkan", exact: true }).click();
    await expect.poll(() => filings.filter({ hasText: "Pembangunan Dermaga Kendawangan" }).count()).toBe(0);
    const sanggauFilings = await app.getJson<unknown[]>(page, "/api/v1/registration-claims?region=61.03");
    await expect.poll(() => filings.count()).toBe(sanggauFilings.length);
    await context.close();

    // A contractor's queue is its own claims: no region to choose.
    const own = await app.signedIn("contractor");
    await own.page.goto(`${app.url}/pembayaran?region=61.04`);
    await own.page.getByRole("heading", { name: "Pembayaran iuran" }).waitFor();
    await settle(own.page);
    expect(await own.page.getByLabel("Kode wilayah").count()).toBe(0);
    expect(await claimRow(own.page, "TRF-E2E-KETAPANG").count()).toBe(0);
    await own.context.close();
  }, 180_000);

  it("on a phone the branch reaches each claim's decision without scrolling sideways", async () => {
    const { context, page } = await app.newPage(390);
    await signIn(page, app.url, demoLogin("bpjs"));
    for (const [path, decision, shot] of [
      ["/pembayaran", /^Konfirmasi /, "bpjs-payments-phone"],
      ["/pendaftaran", /^Verifikasi /, "bpjs-registrations-phone"],
    ] as const) {
      await page.goto(`${app.url}${path}`);
      await settle(page);
      // Each row is a card of its cells, each named by its column; the decision ends the card, in view.
      const first = page.getByRole("button", { name: decision }).first();
      const box = await first.boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= 390, `${path}: the decision is on screen`).toBe(true);
      expect(await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")).toBe(true);
      const wrap = page.locator(".table-wrap").first();
      expect(
        await wrap.evaluate((el) => el.scrollWidth <= el.clientWidth),
        `${path}: nothing to the side`,
      ).toBe(true);
      // Still a table to a screen reader, its column headers read with each cell.
      expect(await page.getByRole("columnheader", { name: "Proyek" }).count()).toBe(1);
      await checkPage(page, shot);
    }
    await context.close();

    // At a desk the queue stays a table with its header row.
    const desk = await app.signedIn("bpjs");
    await desk.page.goto(`${app.url}/pembayaran`);
    await settle(desk.page);
    expect(await desk.page.getByRole("columnheader", { name: "Proyek" }).isVisible()).toBe(true);
    await desk.context.close();
  }, 120_000);

  it("once the contractor's claims cover all it owes, the project page says they wait for the branch instead of offering the form", async () => {
    const contractorOrg = await app.db
      .selectFrom("app_user")
      .innerJoin("organisation", "organisation.id", "app_user.organisation_id")
      .select(["organisation.code", "organisation.name"])
      .where("app_user.email", "=", demoLogin("contractor"))
      .executeTakeFirstOrThrow();
    // A project of its own, registered and owing, so that no other test's payments meet this one.
    const project = await registerProject(
      app.db,
      {
        code: "61.03/PUPR/2025/E2E-LUNAS-KLAIM",
        name: "Pembangunan Talud Sungai Kapuas",
        districtCode: "61.03.01",
        workUnitCode: "PUPR",
        contractorNib: contractorOrg.code,
        contractorName: contractorOrg.name,
        fundingSource: "APBD",
        workType: "water",
        contractValue: 400_000_000,
        spkDate: "2025-06-02",
        spmkDate: "2025-06-09",
        endDate: "2025-11-28",
      },
      systemActor("test"),
    );
    await registerWithBpjs(
      app.db,
      project.id,
      { basis: "contract_value", registeredOn: "2025-06-05" },
      systemActor("test"),
    );
    const contractor = await app.signedIn("contractor");
    const detail = await app.getJson<{ contributionAmount: number; certificate: { paidAmount: number } }>(
      contractor.page,
      `/api/v1/projects/${project.id}`,
    );
    const owed = detail.contributionAmount - detail.certificate.paidAmount;
    expect(owed).toBeGreaterThan(0);
    await contractor.page.goto(`${app.url}/proyek/${project.id}`);
    await settle(contractor.page);
    const form = contractor.page.getByRole("form", { name: "Catat pembayaran" });
    await form.getByLabel("Jumlah (Rp)").fill(String(owed));
    await form.getByLabel("Referensi").fill("TRF-E2E-SELURUH");
    await form.getByRole("button", { name: "Catat pembayaran" }).click();
    // Nothing is left that a claim could pay: no form, but why, and what was just done keeps focus.
    const notice = contractor.page.getByTestId("payments-pending-cover");
    await notice.waitFor();
    expect(await notice.textContent()).toBe(
      `Pembayaran ${formatRupiah(owed)} yang menunggu konfirmasi BPJS cabang sudah menutup seluruh sisa iuran: tidak ada lagi yang perlu dibayar sekarang.`,
    );
    expect(await form.count()).toBe(0);
    await paymentRow(contractor.page, "TRF-E2E-SELURUH").getByText("Menunggu konfirmasi BPJS").waitFor();
    await contractor.page.waitForFunction(
      `document.activeElement?.getAttribute("role") === "status" &&
        document.activeElement.textContent === "Pembayaran dicatat, menunggu konfirmasi BPJS."`,
    );
    await checkPage(contractor.page, "contractor-payment-claims-cover");

    // The branch is sent to its queue, where it confirms or rejects them.
    const officer = await app.signedIn("bpjs");
    await officer.page.goto(`${app.url}/proyek/${project.id}`);
    const told = officer.page.getByTestId("payments-pending-cover");
    await told.waitFor();
    expect(await told.textContent()).toContain("Konfirmasi atau tolak di halaman Pembayaran iuran.");
    await told.getByRole("link", { name: "Pembayaran iuran" }).click();
    await officer.page.getByRole("heading", { name: "Pembayaran iuran" }).waitFor();
    await claimRow(officer.page, "TRF-E2E-SELURUH").waitFor();
    await Promise.all([contractor.context.close(), officer.context.close()]);
  }, 120_000);
});
