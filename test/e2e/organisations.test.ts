import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { listOrganisations } from "../../src/services/organisations.js";
import { checkPage, demoInChromium, settle } from "../support/browser-suite.js";
import { chromiumPresent } from "../support/dashboard.js";

type Organisation = Awaited<ReturnType<typeof listOrganisations>>[number];

/**
 * The admin's organisations page (/organisasi) in Debian's Chromium against the real server and the
 * Sanggau demo: the organisations by kind, one added through the form (refused first beside the field at
 * fault), one whose kind and code exist said so and left unchanged; and no other role is let in.
 */

describe.skipIf(!chromiumPresent)("the admin's organisations in Chromium", () => {
  const app = demoInChromium();

  async function organisations(page: Page, kind?: string): Promise<Organisation[]> {
    const res = await page.request.get(`${app.url}/api/v1/organisations${kind ? `?kind=${kind}` : ""}`);
    expect(res.status()).toBe(200);
    return (await res.json()) as Organisation[];
  }

  const OPD = "OPD (perangkat daerah)";

  it("an admin reads the organisations by kind, adds one through the form and finds it in the table", async () => {
    const { context, page } = await app.signedIn("admin");
    await page.getByRole("navigation").getByRole("link", { name: "Organisasi" }).click();
    await page.getByRole("heading", { name: "Organisasi", level: 1 }).waitFor();
    await checkPage(page, "admin-organisations");
    const table = page.getByTestId("organisations");
    const rows = table.locator("tbody tr");
    const all = await organisations(page);
    expect(await rows.count()).toBe(all.length);
    expect(await page.getByText(`${all.length} data`).count()).toBe(1);
    // Each with its kind in words and its regency.
    expect(await rows.filter({ hasText: "KEJARI-SANGGAU" }).locator("td").allTextContents()).toEqual([
      "Kejaksaan Negeri Sanggau",
      "Kejaksaan / pengawas ketenagakerjaan",
      "KEJARI-SANGGAU",
      "61.03",
    ]);

    // One kind only, kept in the address.
    await page.getByLabel("Tampilkan").selectOption({ label: OPD });
    await expect.poll(() => new URL(page.url()).searchParams.get("kind")).toBe("work_unit");
    const units = await organisations(page, "work_unit");
    expect(units.length).toBeGreaterThan(1);
    await expect.poll(() => rows.count()).toBe(units.length);
    expect(await rows.locator("td:nth-child(2)").allTextContents()).toEqual(units.map(() => OPD));
    expect(await rows.locator("td:nth-child(3)").allTextContents()).toEqual(units.map((o) => o.code));

    const form = page.getByRole("form", { name: "Tambah organisasi" });
    const code = form.getByLabel("Kode", { exact: true });
    const regency = form.getByLabel("Kabupaten/kota");
    const add = form.getByRole("button", { name: "Tambah organisasi" });
    expect(await form.getByLabel("Jenis").inputValue()).toBe("work_unit");
    // What is missing is named beside its field before anything is sent; a work unit needs its regency.
    await add.click();
    expect(await page.locator("#code-error").textContent()).toBe("Wajib diisi.");
    expect(await page.locator("#name-error").textContent()).toBe("Wajib diisi.");
    expect(await page.locator("#regencyCode-error").textContent()).toBe("Wajib diisi.");
    expect(await code.getAttribute("aria-invalid")).toBe("true");
    expect(await page.evaluate("document.activeElement?.name"), "the first field at fault has focus").toBe(
      "code",
    );

    await code.fill("DPMPTSP");
    await form.getByLabel("Nama").fill("Dinas Penanaman Modal dan PTSP Kabupaten Sanggau");
    // A sub-district is not a regency: refused before sending.
    await regency.fill("61.03.01");
    await add.click();
    expect(await page.locator("#regencyCode-error").textContent()).toBe(
      "Tulis kode kabupaten/kota Kemendagri, mis. 61.03.",
    );
    // A regency that does not exist is the server's refusal, said beside the field.
    await regency.fill("61.99");
    await add.click();
    await page.locator("#regencyCode-error").getByText("Kode kabupaten/kota 61.99 tidak dikenal.").waitFor();
    expect(await regency.getAttribute("aria-invalid")).toBe("true");
    expect(await page.evaluate("document.activeElement?.name"), "focus on the field at fault").toBe(
      "regencyCode",
    );
    expect((await organisations(page, "work_unit")).map((o) => o.code)).not.toContain("DPMPTSP");

    await regency.fill("61.03");
    await add.click();
    await form
      .getByRole("status")
      .getByText(`${OPD} “Dinas Penanaman Modal dan PTSP Kabupaten Sanggau” (DPMPTSP) ditambahkan.`)
      .waitFor();
    const added = rows.filter({ hasText: "DPMPTSP" });
    await added.waitFor();
    expect(await added.locator("td").allTextContents()).toEqual([
      "Dinas Penanaman Modal dan PTSP Kabupaten Sanggau",
      OPD,
      "DPMPTSP",
      "61.03",
    ]);
    expect(await rows.count()).toBe(units.length + 1);
    expect(await organisations(page, "work_unit")).toContainEqual({
      id: expect.any(Number),
      kind: "work_unit",
      code: "DPMPTSP",
      name: "Dinas Penanaman Modal dan PTSP Kabupaten Sanggau",
      regencyCode: "61.03",
    });
    expect(await code.inputValue(), "the form is emptied for the next one").toBe("");

    // A kind and code that exist: the page says which organisation holds them, and nothing changes.
    const pupr = units.find((o) => o.code === "PUPR") as Organisation;
    expect(pupr).toBeDefined();
    await code.fill("PUPR");
    await form.getByLabel("Nama").fill("Dinas PUPR Kedua");
    await regency.fill("61.03");
    await add.click();
    const exists = form.getByRole("status").locator(".notice");
    await exists.waitFor();
    expect(await exists.textContent()).toBe(
      `Sudah ada ${OPD} dengan kode PUPR: “${pupr.name}”, kabupaten/kota 61.03. Tidak ada yang ditambahkan atau diubah; pakai kode lain, atau organisasi yang sudah ada.`,
    );
    expect(await form.getByRole("status").locator(".success").count()).toBe(0);
    const after = await organisations(page, "work_unit");
    expect(after).toHaveLength(units.length + 1);
    expect(after.find((o) => o.code === "PUPR")).toEqual(pupr);

    // A contractor may have no regency; the list shown moves to the kind just added.
    await form.getByLabel("Jenis").selectOption({ label: "Penyedia jasa konstruksi" });
    expect(await page.locator("#regencyCode-error").textContent()).toContain("Boleh kosong");
    await code.fill("9120009876543");
    await regency.fill("");
    await form.getByLabel("Nama").fill("CV Uji Organisasi Kapuas");
    await add.click();
    await form.getByRole("status").getByText("ditambahkan").waitFor();
    await expect.poll(() => new URL(page.url()).searchParams.get("kind")).toBe("contractor");
    const contractor = rows.filter({ hasText: "9120009876543" });
    await contractor.waitFor();
    expect(await contractor.locator("td").allTextContents()).toEqual([
      "CV Uji Organisasi Kapuas",
      "Penyedia jasa konstruksi",
      "9120009876543",
      "–",
    ]);
    expect((await organisations(page, "contractor")).find((o) => o.code === "9120009876543")).toMatchObject({
      regencyCode: null,
    });
    // Emptied for the next one, of the same kind.
    expect(await code.inputValue()).toBe("");
    expect(await form.getByLabel("Jenis").inputValue()).toBe("contractor");
    // A prosecutor's office needs its regency: cases there are referred to it.
    await form.getByLabel("Jenis").selectOption({ label: "Kejaksaan / pengawas ketenagakerjaan" });
    await code.fill("KEJARI-KETAPANG");
    await form.getByLabel("Nama").fill("Kejaksaan Negeri Ketapang");
    await add.click();
    expect(await page.locator("#regencyCode-error").textContent()).toBe("Wajib diisi.");
    await checkPage(page, "admin-organisations-added");

    // The users page offers the new work unit to an account of its role.
    await page.getByRole("navigation").getByRole("link", { name: "Pengguna" }).click();
    const userForm = page.getByRole("form", { name: "Tambah pengguna" });
    await userForm.getByLabel("Peran").selectOption({ label: "OPD" });
    await userForm
      .getByLabel("Organisasi")
      .locator("option", { hasText: "Dinas Penanaman Modal dan PTSP Kabupaten Sanggau (DPMPTSP, 61.03)" })
      .waitFor({ state: "attached" });

    // The page's own words come with its chunk, in both languages.
    await page.getByRole("navigation").getByRole("link", { name: "Organisasi" }).click();
    await settle(page);
    await page.getByRole("button", { name: "Switch to English" }).click();
    await page.getByRole("heading", { name: "Organisations", level: 1 }).waitFor();
    expect(await rows.filter({ hasText: "DPMPTSP" }).locator("td").nth(1).textContent()).toBe(
      "Work unit (OPD)",
    );
    expect(await page.getByRole("navigation").getByRole("link", { name: "Organisations" }).count()).toBe(1);
    await context.close();
  }, 180_000);

  it("no other role is offered the page, opens it, or adds an organisation through the API", async () => {
    const { context, page } = await app.signedIn("bpjs");
    expect(await page.getByRole("navigation").getByRole("link", { name: "Organisasi" }).count()).toBe(0);
    await page.goto(`${app.url}/organisasi`);
    await page.getByRole("alert").getByText("Peran Anda tidak dapat membuka halaman ini.").waitFor();
    expect(await page.getByRole("form", { name: "Tambah organisasi" }).count()).toBe(0);

    const refused = await page.request.post(`${app.url}/api/v1/organisations`, {
      data: { kind: "work_unit", code: "E2E-DITOLAK", name: "Dinas Tidak Sah", regencyCode: "61.03" },
    });
    expect(refused.status()).toBe(403);
    expect(refused.headers()["content-type"]).toContain("application/problem+json");
    expect((await organisations(page, "work_unit")).map((o) => o.code)).not.toContain("E2E-DITOLAK");
    await context.close();
  }, 120_000);
});
