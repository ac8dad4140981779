import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { listOrganisations } from "../../src/services/organisations.js";
import type { ProjectSummary as Project } from "../../src/services/project-views.js";
import { registerProject } from "../../src/services/projects.js";
import { fileRegistration, rejectRegistrationClaim } from "../../src/services/registrations.js";
import { checkPage, demoInChromium, settle } from "../support/browser-suite.js";
import { chromiumPresent } from "../support/dashboard.js";
import { projectInput, userActor } from "../support/fixtures.js";

type Organisation = Awaited<ReturnType<typeof listOrganisations>>[number];

/**
 * Registering a new project from the dashboard (/proyek/baru) in Debian's Chromium against the real
 * server and the Sanggau demo: a contractor files one under its own company and lands on its page, a
 * work unit files its own package, the server's refusals (an unknown sub-district, a code already used,
 * an unknown work unit, a place outside the user's regency or region) are said beside their field with
 * focus on it, and a role that may not register projects has no way in.
 */

describe.skipIf(!chromiumPresent)("registering a new project in Chromium", () => {
  const app = demoInChromium();

  const projectsNamed = async (page: Page, q: string) =>
    (await app.getJson<{ items: Project[] }>(page, `/api/v1/projects?q=${encodeURIComponent(q)}`)).items;

  const focused = (page: Page) => page.evaluate("document.activeElement?.name");

  /** From the Proyek page, by its link, to the form (checking the list page with the link on the way). */
  async function openForm(page: Page, shot?: string): Promise<void> {
    await page.getByRole("navigation").getByRole("link", { name: "Proyek" }).click();
    await page.getByRole("heading", { name: "Proyek", level: 1 }).waitFor();
    if (shot) await checkPage(page, shot);
    await page.getByRole("link", { name: "Daftarkan proyek baru" }).click();
    await page.getByRole("heading", { name: "Daftarkan proyek baru", level: 1 }).waitFor();
    await settle(page);
  }

  it("a contractor registers a project under its own company, refused first beside each field at fault", async () => {
    const { context, page } = await app.signedIn("contractor");
    const me = await app.getJson<{ organisationId: number }>(page, "/api/v1/me");
    const [company] = await app.getJson<Organisation[]>(page, "/api/v1/organisations?kind=contractor");
    expect(company?.id).toBe(me.organisationId);
    const before = await app.getJson<{ total: number; items: Project[] }>(
      page,
      "/api/v1/projects?pageSize=1",
    );
    const taken = before.items[0] as Project;

    await openForm(page, "contractor-projects");
    await checkPage(page, "contractor-new-project");
    const form = page.getByRole("form", { name: "Daftarkan proyek baru" });
    // The company is the contractor's own, filled in and not typed.
    await form.getByText(`${company?.name} (NIB ${company?.code}), perusahaan Anda.`).waitFor();
    expect(await form.getByLabel("NIB penyedia jasa").count()).toBe(0);
    expect(await form.getByLabel("Nama penyedia jasa").count()).toBe(0);
    const submit = form.getByRole("button", { name: "Daftarkan proyek" });

    // What is missing is named beside its field before anything is sent, and the first has focus.
    await submit.click();
    expect(await page.locator("#code-error").textContent()).toBe("Wajib diisi.");
    expect(await page.locator("#name-error").textContent()).toBe("Wajib diisi.");
    expect(await page.locator("#districtCode-error").textContent()).toBe("Wajib diisi.");
    expect(await page.locator("#fundingSource-error").textContent()).toBe("Pilih salah satu.");
    expect(await page.locator("#workType-error").textContent()).toBe("Pilih salah satu.");
    expect(await page.locator("#contractValue-error").textContent()).toBe("Wajib diisi.");
    expect(await page.locator("#spkDate-error").textContent()).toBe("Wajib diisi.");
    expect(await form.getByLabel("Kode paket").getAttribute("aria-invalid")).toBe("true");
    expect(await focused(page), "the first field at fault has focus").toBe("code");

    const code = "61.03/PUPR/2025/E2E-01";
    const name = "Peningkatan Jalan Uji E2E Kapuas";
    await form.getByLabel("Kode paket").fill(code);
    await form.getByLabel("Nama proyek").fill(name);
    await form.getByLabel("Kecamatan", { exact: true }).fill("61.03.1");
    await form.getByLabel("Kode OPD pemilik paket").fill("PUPR");
    await form.getByLabel("Sumber dana").selectOption({ label: "APBD" });
    await form.getByLabel("Jenis pekerjaan").selectOption({ label: "Jalan dan jembatan" });
    await form.getByLabel("Nilai kontrak (Rp)").fill("2.000.000.000");
    expect(await page.locator("#contractValue-error").textContent()).toContain(
      "Dibaca sebagai Rp 2.000.000.000.",
    );
    await form.getByLabel("Tanggal SPK").fill("2025-08-11");
    await form.getByLabel("Tanggal SPMK (mulai kerja)").fill("2025-08-01");
    await form.getByLabel("Tanggal selesai").fill("2025-12-20");
    await submit.click();
    // A sub-district code's shape and the dates' order are checked before sending.
    expect(await page.locator("#districtCode-error").textContent()).toBe(
      "Pilih nama kecamatan dari daftar, atau tulis kodenya: tiga pasang angka, mis. 61.03.01.",
    );
    expect(await page.locator("#spmkDate-error").textContent()).toBe(
      "SPMK tidak boleh sebelum SPK (11 Agustus 2025).",
    );
    expect(await focused(page)).toBe("districtCode");
    await form.getByLabel("Tanggal SPK").fill("2025-07-28");

    // A sub-district that does not exist: the server's refusal, beside the field, with focus.
    await form.getByLabel("Kecamatan", { exact: true }).fill("61.03.99");
    await submit.click();
    await page
      .locator("#districtCode-error")
      .getByText("Tidak ada kecamatan dengan kode 61.03.99.")
      .waitFor();
    expect(await form.getByLabel("Kecamatan", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    expect(await focused(page)).toBe("districtCode");
    expect(await page.locator(".error[role=alert]").count(), "said beside the field only").toBe(0);

    // The regency's sub-districts are offered by name once its code is typed; a name typed is read as its
    // code and said where it lies.
    expect(await page.locator("#districtCode-suggestions option").count()).toBe(15);
    expect(await page.locator('#districtCode-suggestions option[value="61.03.12"]').textContent()).toBe(
      "Balai",
    );
    // A name typed alone is looked for across the country, each namesake offered with where it lies.
    await form.getByLabel("Kecamatan", { exact: true }).fill("kapuas");
    await page
      .locator('#districtCode-suggestions option[value="61.03.01"]', {
        hasText: "Kapuas — Kabupaten Sanggau, Kalimantan Barat",
      })
      .waitFor({ state: "attached" });
    expect(await page.locator("#districtCode-error").textContent()).toBe(
      "Kecamatan Kapuas, Kabupaten Sanggau, Kalimantan Barat.",
    );

    // A work unit the project's regency does not have.
    await form.getByLabel("Kode OPD pemilik paket").fill("DINAS-TIDAK-ADA");
    await submit.click();
    await page
      .locator("#workUnitCode-error")
      .getByText("Tidak ada OPD dengan kode DINAS-TIDAK-ADA di kabupaten/kota 61.03.")
      .waitFor();
    expect(await focused(page)).toBe("workUnitCode");
    await form.getByLabel("Kode OPD pemilik paket").fill("PUPR");

    // A code already used in the regency (here the contractor's own project).
    await form.getByLabel("Kode paket").fill(taken.code);
    await submit.click();
    await page
      .locator("#code-error")
      .getByText(`Kode ${taken.code} sudah dipakai proyek lain di kabupaten/kota ini.`, { exact: false })
      .waitFor();
    expect(await form.getByLabel("Kode paket").getAttribute("aria-invalid")).toBe("true");
    expect(await focused(page)).toBe("code");
    expect((await app.getJson<{ total: number }>(page, "/api/v1/projects?pageSize=1")).total).toBe(
      before.total,
    );
    await checkPage(page, "contractor-new-project-refused");

    // Typing again takes the message away; sent, the project's page opens and says what comes next.
    await form.getByLabel("Kode paket").fill(code);
    expect(await page.locator("#code-error").textContent()).not.toContain("sudah dipakai");
    await submit.click();
    await page.getByRole("heading", { name, level: 1 }).waitFor();
    const id = Number(new URL(page.url()).pathname.split("/").pop());
    expect(new URL(page.url()).pathname).toBe(`/proyek/${id}`);
    const said = page.getByRole("status").filter({ hasText: "tercatat" });
    expect(await said.textContent()).toBe(
      `Proyek ${code} tercatat. Langkah berikutnya: daftarkan ke BPJS Ketenagakerjaan (Pendaftaran dan iuran), sebelum pekerjaan dimulai.`,
    );
    expect(await said.evaluate((el) => el === el.ownerDocument.activeElement), "focus on what happened").toBe(
      true,
    );
    const facts = page.locator("dl.facts").first();
    expect(await facts.textContent()).toContain("Rp 2.000.000.000");
    expect(await facts.textContent()).toContain("Kapuas");
    expect(await facts.textContent()).toContain("Dinas Pekerjaan Umum dan Penataan Ruang");
    expect(await facts.textContent()).toContain("1 Agustus 2025 – 20 Desember 2025");
    // Not registered with BPJS yet: the contractor's form to do so is on the page.
    await page.getByRole("button", { name: "Daftarkan ke BPJS Ketenagakerjaan" }).waitFor();
    await checkPage(page, "contractor-new-project-added");

    // Recorded as sent, under the contractor's own company.
    const project = await app.getJson<Project>(page, `/api/v1/projects/${id}`);
    expect(project).toMatchObject({
      code,
      name,
      districtCode: "61.03.01",
      workUnit: "Dinas Pekerjaan Umum dan Penataan Ruang",
      contractor: company?.name,
      contractorId: me.organisationId,
      fundingSource: "APBD",
      workType: "road",
      contractValue: 2_000_000_000,
      spkDate: "2025-07-28",
      spmkDate: "2025-08-01",
      endDate: "2025-12-20",
      registrationNo: null,
    });
    expect((await app.getJson<{ total: number }>(page, "/api/v1/projects?pageSize=1")).total).toBe(
      before.total + 1,
    );

    // Said once: a reload shows the page without it.
    await page.reload();
    await page.getByRole("heading", { name, level: 1 }).waitFor();
    await settle(page);
    expect(await page.getByText("tercatat.").count()).toBe(0);

    // The list has it.
    await page.getByRole("link", { name: "← Proyek" }).click();
    await page.getByLabel("Cari nama, kode atau penyedia").fill("Uji E2E Kapuas");
    await page.getByRole("button", { name: "Cari" }).click();
    await page.getByRole("link", { name }).waitFor();
    // A search that finds nothing says so, not that there is no data yet.
    await page.goto(`${app.url}/proyek?q=xyz`);
    await page.getByText("Tidak ada proyek yang cocok dengan “xyz”.", { exact: true }).waitFor();
    expect(await page.getByText("Belum ada data").count()).toBe(0);
    await page.getByRole("button", { name: "Switch to English" }).click();
    await page.getByText("No project matches “xyz”.", { exact: true }).waitFor();
    await context.close();
  }, 180_000);

  it("a work unit registers its own package: its unit filled in, a sub-district outside its regency refused", async () => {
    const { context, page } = await app.signedIn("opd");
    await openForm(page);
    await checkPage(page, "opd-new-project");
    const form = page.getByRole("form", { name: "Daftarkan proyek baru" });
    await form
      .getByText("OPD pemilik paket: Dinas Pekerjaan Umum dan Penataan Ruang (PUPR), OPD Anda.")
      .waitFor();
    expect(await form.getByLabel("Kode OPD pemilik paket").count()).toBe(0);
    expect(await page.locator("#districtCode-error").textContent()).toBe(
      "Nama atau kode Kemendagri kecamatan lokasi pekerjaan, mis. 61.03.01, di kabupaten/kota 61.03.",
    );

    const name = "Pembangunan Embung Uji E2E Mukok";
    await form.getByLabel("Kode paket").fill("61.03/PUPR/2025/E2E-02");
    await form.getByLabel("Nama proyek").fill(name);
    // Ketapang's first sub-district: not the work unit's regency.
    await form.getByLabel("Kecamatan", { exact: true }).fill("61.04.01");
    await form.getByLabel("Sumber dana").selectOption({ label: "DAK" });
    await form.getByLabel("Jenis pekerjaan").selectOption({ label: "Sumber daya air" });
    await form.getByLabel("NIB penyedia jasa").fill("9120005550001");
    await form.getByLabel("Nama penyedia jasa").fill("CV Uji Embung Mukok");
    await form.getByLabel("Nilai kontrak (Rp)").fill("Rp 750.000.000");
    await form.getByLabel("Tanggal SPK").fill("2025-09-01");
    await form.getByLabel("Tanggal SPMK (mulai kerja)").fill("2025-09-08");
    await form.getByLabel("Tanggal selesai").fill("2025-12-15");
    await form.getByRole("button", { name: "Daftarkan proyek" }).click();
    await page
      .locator("#districtCode-error")
      .getByText("Kecamatan 61.04.01 di luar kabupaten/kota OPD Anda (61.03).")
      .waitFor();
    expect(await focused(page)).toBe("districtCode");
    expect(await projectsNamed(page, "Uji E2E Mukok")).toEqual([]);

    // An NIB is 13 digits: said beside it before anything is sent.
    await form.getByLabel("Kecamatan", { exact: true }).fill("61.03.02");
    await form.getByLabel("NIB penyedia jasa").fill("912000555");
    await form.getByRole("button", { name: "Daftarkan proyek" }).click();
    await page.locator("#contractorNib-error").getByText("NIB terdiri dari 13 angka.").waitFor();
    expect(await focused(page)).toBe("contractorNib");
    await form.getByLabel("NIB penyedia jasa").fill("9120005550001");

    await form.getByRole("button", { name: "Daftarkan proyek" }).click();
    await page.getByRole("heading", { name, level: 1 }).waitFor();
    expect(await page.getByRole("status").filter({ hasText: "tercatat" }).textContent()).toBe(
      "Proyek 61.03/PUPR/2025/E2E-02 tercatat. Penyedia jasanya kini melihat proyek ini dan mendaftarkannya ke BPJS Ketenagakerjaan.",
    );
    const [project] = await projectsNamed(page, "Uji E2E Mukok");
    expect(project).toMatchObject({
      districtCode: "61.03.02",
      districtName: "Mukok",
      workUnit: "Dinas Pekerjaan Umum dan Penataan Ruang",
      contractor: "CV Uji Embung Mukok",
      fundingSource: "DAK",
      workType: "water",
      contractValue: 750_000_000,
    });
    expect(new URL(page.url()).pathname).toBe(`/proyek/${project?.id}`);
    // A work unit does not register with BPJS itself: no such form on its page.
    expect(await page.getByRole("button", { name: "Daftarkan ke BPJS Ketenagakerjaan" }).count()).toBe(0);
    await context.close();
  }, 180_000);

  it("the branch registers in its region only, with the known work units offered; in English too", async () => {
    const { context, page } = await app.signedIn("bpjs");
    await openForm(page);
    await checkPage(page, "bpjs-new-project");
    const form = page.getByRole("form", { name: "Daftarkan proyek baru" });
    // The region's work units are offered; a code typed is named, or said to be new.
    const units = await app.getJson<Organisation[]>(page, "/api/v1/organisations?kind=work_unit");
    expect(await page.locator("#workUnitCode-suggestions option").count()).toBe(units.length);
    await form.getByLabel("Kode OPD pemilik paket").fill("DINKES");
    expect(await page.locator("#workUnitCode-error").textContent()).toBe("OPD: Dinas Kesehatan.");
    await form.getByLabel("Kode OPD pemilik paket").fill("");

    await form.getByLabel("Kode paket").fill("61.04/SWASTA/2025/E2E-03");
    await form.getByLabel("Nama proyek").fill("Gudang Uji E2E Ketapang");
    await form.getByLabel("Kecamatan", { exact: true }).fill("61.04.01");
    await form.getByLabel("Sumber dana").selectOption({ label: "Swasta" });
    await form.getByLabel("Jenis pekerjaan").selectOption({ label: "Gedung" });
    await form.getByLabel("NIB penyedia jasa").fill("9120005550002");
    await form.getByLabel("Nama penyedia jasa").fill("PT Uji Gudang Ketapang");
    await form.getByLabel("Nilai kontrak (Rp)").fill("300000000");
    await form.getByLabel("Tanggal SPK").fill("2025-09-01");
    await form.getByLabel("Tanggal SPMK (mulai kerja)").fill("2025-09-02");
    await form.getByLabel("Tanggal selesai").fill("2025-11-30");
    await form.getByRole("button", { name: "Daftarkan proyek" }).click();
    await page
      .locator("#districtCode-error")
      .getByText("Kecamatan 61.04.01 di luar wilayah yang Anda awasi (61.03).")
      .waitFor();
    expect(await focused(page)).toBe("districtCode");

    // The page's own words come with its chunk, in both languages.
    await page.getByRole("button", { name: "Switch to English" }).click();
    await page.getByRole("heading", { name: "Register a new project", level: 1 }).waitFor();
    // A value typed is regrouped the way the language shown writes it, and read that way.
    expect(await page.getByLabel("Contract value (Rp)").inputValue()).toBe("300,000,000");
    expect(await page.locator("#contractValue-error").textContent()).toContain("Read as Rp 300,000,000.");
    // A refusal already shown follows the switch too, and one found in the browser after it is English.
    expect(await page.locator("#districtCode-error").textContent()).toBe(
      "Sub-district 61.04.01 is outside the region you oversee (61.03).",
    );
    const english = page.getByRole("form", { name: "Register a new project" });
    await english.getByLabel("Project", { exact: true }).fill("");
    await english.getByRole("button", { name: "Register the project" }).click();
    await page.locator("#name-error").getByText("Required.", { exact: false }).waitFor();
    await page.getByRole("button", { name: "Ganti ke Bahasa Indonesia" }).click();
    await page.locator("#name-error").getByText("Wajib diisi", { exact: false }).waitFor();
    await context.close();
  }, 180_000);

  it("a contractor corrects the contract value the branch rejected, and files the registration again", async () => {
    const { context, page } = await app.signedIn("contractor");
    const me = await app.getJson<{ organisationId: number; today: string }>(page, "/api/v1/me");
    const [company] = await app.getJson<Organisation[]>(page, "/api/v1/organisations?kind=contractor");
    const contractor = userActor("contractor", { label: "user:e2e", organisationId: me.organisationId });
    const branch = userActor("bpjs", { label: "user:e2e-bpjs", regionCode: "61.03" });
    const code = "61.03/PUPR/2025/E2E-EDIT";
    const project = await registerProject(
      app.db,
      projectInput({
        code,
        name: "Rehabilitasi Gedung Uji E2E",
        contractorNib: company?.code as string,
        contractorName: company?.name as string,
        workType: "building",
        spkDate: "2025-07-01",
        spmkDate: "2025-07-07",
        endDate: "2026-12-31",
      }),
      contractor,
    );
    const filed = await fileRegistration(
      app.db,
      project.id,
      { basis: "contract_value", registeredOn: me.today },
      contractor,
    );
    await rejectRegistrationClaim(app.db, filed.claimId as number, "Nilai kontrak tidak sesuai SPK.", branch);

    await page.goto(`${app.url}/proyek/${project.id}`);
    // The reason's own full stop is not doubled by the sentence around it.
    await page
      .getByText("ditolak BPJS: Nilai kontrak tidak sesuai SPK. Perbaiki dan daftarkan lagi.", {
        exact: false,
      })
      .waitFor();
    await page.getByRole("link", { name: "Perbaiki data proyek" }).click();
    await page.getByRole("heading", { name: "Perbaiki data proyek", level: 1 }).waitFor();
    await settle(page);
    const form = page.getByRole("form", { name: "Perbaiki data proyek" });
    // Filled in as recorded; the code and the contractor stay.
    await form.getByText(`Kode paket: ${code}.`).waitFor();
    await form.getByText(`${company?.name} (NIB ${company?.code}), perusahaan Anda.`).waitFor();
    expect(await form.getByLabel("Kode paket").count()).toBe(0);
    expect(await form.getByLabel("Nama proyek").inputValue()).toBe("Rehabilitasi Gedung Uji E2E");
    expect(await form.getByLabel("Nilai kontrak (Rp)").inputValue()).toBe("2.000.000.000");
    expect(await form.getByLabel("Kecamatan", { exact: true }).inputValue()).toBe("61.03.01");
    expect(await page.locator("#districtCode-error").textContent()).toBe(
      "Kecamatan Kapuas, Kabupaten Sanggau, Kalimantan Barat.",
    );
    expect(await form.getByLabel("Jenis pekerjaan").inputValue()).toBe("building");
    expect(await form.getByLabel("Tanggal SPMK (mulai kerja)").inputValue()).toBe("2025-07-07");
    await checkPage(page, "contractor-edit-project");

    // The regency stays: another regency's sub-district is refused beside its field.
    await form.getByLabel("Kecamatan", { exact: true }).fill("61.01.01");
    await form.getByLabel("Nilai kontrak (Rp)").fill("1.500.000.000");
    await form.getByRole("button", { name: "Simpan perbaikan" }).click();
    await page
      .locator("#districtCode-error")
      .getByText("Kecamatan 61.01.01 di luar kabupaten/kota proyek (61.03).")
      .waitFor();
    expect(await focused(page)).toBe("districtCode");
    expect((await app.getJson<Project>(page, `/api/v1/projects/${project.id}`)).contractValue).toBe(
      2_000_000_000,
    );

    await form.getByLabel("Kecamatan", { exact: true }).fill("Balai");
    await form.getByRole("button", { name: "Simpan perbaikan" }).click();
    await page.getByRole("heading", { name: "Rehabilitasi Gedung Uji E2E", level: 1 }).waitFor();
    const said = page.getByRole("status").filter({ hasText: "diperbaiki" });
    expect(await said.textContent()).toBe(
      `Data proyek ${code} diperbaiki. Langkah berikutnya: daftarkan ke BPJS Ketenagakerjaan (Pendaftaran dan iuran).`,
    );
    expect(await page.locator("dl.facts").first().textContent()).toContain("Rp 1.500.000.000");
    expect((await app.getJson<Project>(page, `/api/v1/projects/${project.id}`)).districtCode).toBe(
      "61.03.12",
    );

    // Filed again at the corrected value: it waits for the branch, and the data is no longer open.
    await page.getByRole("button", { name: "Daftarkan ke BPJS Ketenagakerjaan" }).click();
    await page.getByText("menunggu verifikasi BPJS Ketenagakerjaan", { exact: false }).waitFor();
    expect(await page.getByRole("link", { name: "Perbaiki data proyek" }).count()).toBe(0);
    const claim = await app.db
      .selectFrom("registration_claim")
      .select("contribution_amount")
      .where("project_id", "=", project.id)
      .where("status", "=", "pending")
      .executeTakeFirstOrThrow();
    // DESIGN §8's tiers on Rp 1,5 miliar: 0,24 % of 100 juta, 0,19 % of 400, 0,15 % of 500, 0,12 % of 500.
    expect(claim.contribution_amount).toBe(240_000 + 760_000 + 750_000 + 600_000);
    await page.goto(`${app.url}/proyek/${project.id}/ubah`);
    await page
      .getByText(
        "Pendaftaran proyek ini menunggu verifikasi BPJS cabang: data proyek dapat diperbaiki setelah diputuskan.",
      )
      .waitFor();
    expect(await page.getByRole("form").count()).toBe(0);
    await context.close();
  }, 180_000);

  it("a role that may not register projects has no link, no form, and is refused by the API", async () => {
    const { context, page } = await app.signedIn("enforcer");
    await settle(page);
    expect(await page.getByRole("navigation").getByRole("link", { name: "Proyek" }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "Daftarkan proyek baru" }).count()).toBe(0);
    await page.goto(`${app.url}/proyek`);
    await page.getByRole("alert").getByText("Peran Anda tidak dapat membuka halaman ini.").waitFor();
    expect(await page.getByRole("link", { name: "Daftarkan proyek baru" }).count()).toBe(0);
    await page.goto(`${app.url}/proyek/baru`);
    await page.getByRole("alert").getByText("Peran Anda tidak dapat membuka halaman ini.").waitFor();
    expect(await page.getByRole("form", { name: "Daftarkan proyek baru" }).count()).toBe(0);

    const refused = await page.request.post(`${app.url}/api/v1/projects`, {
      data: {
        code: "61.03/E2E/DITOLAK",
        name: "Proyek Tidak Sah",
        districtCode: "61.03.01",
        workUnitCode: null,
        contractorNib: "9120005550003",
        contractorName: "CV Tidak Sah",
        fundingSource: "private",
        workType: "building",
        contractValue: 100_000_000,
        spkDate: "2025-09-01",
        spmkDate: "2025-09-02",
        endDate: "2025-10-30",
      },
    });
    expect(refused.status()).toBe(403);
    expect(refused.headers()["content-type"]).toContain("application/problem+json");
    await context.close();
  }, 120_000);
});
