import type { Locator } from "playwright-core";
import { describe, expect, it } from "vitest";
import { checkPage, demoInChromium, settle } from "../support/browser-suite.js";
import { chromiumPresent, signIn } from "../support/dashboard.js";

/**
 * The working tools beside the figures, in Debian's Chromium against the real server and the Sanggau
 * demo: a contractor's API tokens (created once, used by a program, revoked), the coverage targets the
 * branch sets and a work unit reads, and the compliance check the branch runs from the cases page.
 */

/** A form under a table stands apart from the table's last row, not flush against it. */
async function expectGapBelow(above: Locator, below: Locator): Promise<void> {
  const [a, b] = await Promise.all([above.boundingBox(), below.boundingBox()]);
  expect(a && b && b.y - (a.y + a.height)).toBeGreaterThanOrEqual(16);
}

describe.skipIf(!chromiumPresent)("tokens, targets and the compliance check in Chromium", () => {
  const app = demoInChromium();

  it("a contractor creates an API token, a program reports with it, and once revoked it no longer works", async () => {
    const { context, page } = await app.signedIn("contractor");
    await page.getByRole("navigation").getByRole("link", { name: "Token API" }).click();
    await page.getByRole("heading", { name: "Token API", level: 1 }).waitFor();
    await checkPage(page, "contractor-tokens");

    // A name is asked for before anything is sent (spaces are no name), and the reader is taken to it.
    await page.getByLabel("Nama token").fill("   ");
    await page.getByRole("button", { name: "Buat token" }).click();
    expect(await page.locator("#name-error").textContent()).toBe("Beri nama token ini.");
    expect(await page.getByLabel("Nama token").getAttribute("aria-invalid")).toBe("true");
    expect(await page.evaluate("document.activeElement?.name")).toBe("name");

    await page.getByLabel("Nama token").fill("Aplikasi absensi E2E");
    await page.getByRole("button", { name: "Buat token" }).click();
    const shown = page.getByTestId("new-token");
    await shown.waitFor();
    const said = page.getByRole("status").filter({ hasText: "dibuat" });
    expect(await said.textContent()).toBe(
      "Token “Aplikasi absensi E2E” dibuat. Salin sekarang: token ini tidak akan ditampilkan lagi.",
    );
    // Focus moves to what happened, so a screen reader says it.
    expect(await said.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    const secret = (await shown.locator("code").textContent()) ?? "";
    expect(secret).toMatch(/^pj_\S{20,}$/);
    expect(await shown.locator("pre").textContent()).toContain(`authorization: Bearer ${secret}`);

    // The list shows its prefix only, never the secret, and that it is active and unused.
    const row = page.getByTestId("tokens").locator("tbody tr", { hasText: "Aplikasi absensi E2E" });
    await row.waitFor();
    const cells = await row.locator("td").allTextContents();
    expect(cells[1]).toBe(`${secret.slice(0, 10)}…`);
    expect(cells[3]).toBe("Belum pernah");
    expect(cells[4]).toBe("Aktif");
    expect(await page.getByTestId("tokens").textContent()).not.toContain(secret);

    // A program (no cookie) uses the token as the example says, and reports a worker joining a project.
    const bearer = { authorization: `Bearer ${secret}`, cookie: "" };
    const program = await context.request.fetch(`${app.url}/api/v1/projects?pageSize=1&sort=spmk_date`, {
      headers: bearer,
    });
    expect(program.status()).toBe(200);
    const project = ((await program.json()) as { items: { id: number; spmkDate: string }[] }).items[0];
    expect(project).toBeDefined();
    const report = await context.request.fetch(`${app.url}/api/v1/projects/${project?.id}/reports`, {
      method: "POST",
      headers: { ...bearer, "idempotency-key": "e2e-token-join" },
      data: {
        events: [
          {
            event: "join",
            nik: "6103011203859871",
            name: "Budi Santoso",
            birthDate: "1985-03-12",
            sex: "L",
            date: project?.spmkDate,
          },
        ],
      },
    });
    expect(await report.json()).toMatchObject({ accepted: 1, rejected: 0 });
    await page.reload();
    await settle(page);
    expect(await row.locator("td").nth(3).textContent(), "last used").not.toBe("Belum pernah");

    // The page's own words come with its chunk, in both languages.
    await page.getByRole("button", { name: "Switch to English" }).click();
    await page.getByRole("heading", { name: "API tokens", level: 1 }).waitFor();
    expect(await row.locator("td").nth(4).textContent()).toBe("Active");
    await page.getByRole("button", { name: "Ganti ke Bahasa Indonesia" }).click();
    await page.getByRole("heading", { name: "Token API", level: 1 }).waitFor();

    // Revoking asks once more, then the token stops working at once.
    await row.getByRole("button", { name: "Cabut" }).click();
    await row.getByText("Cabut “Aplikasi absensi E2E”?").waitFor();
    await row.getByRole("button", { name: "Ya, cabut" }).click();
    await page.getByText("Token “Aplikasi absensi E2E” dicabut.").waitFor();
    await expect.poll(() => row.locator("td").nth(4).textContent()).toMatch(/^Dicabut /);
    const after = await context.request.fetch(`${app.url}/api/v1/projects?pageSize=1`, { headers: bearer });
    expect(after.status()).toBe(401);
    await context.close();
  });

  it("the branch sets a regional target, refused beside the field it is about, and a work unit reads it", async () => {
    const officer = await app.signedIn("bpjs");
    await officer.page.getByRole("navigation").getByRole("link", { name: "Target" }).click();
    await officer.page.getByRole("heading", { name: "Target cakupan", level: 1 }).waitFor();
    await checkPage(officer.page, "bpjs-targets");
    const table = officer.page.getByTestId("targets");
    // The demo's target, by its region's name.
    expect(await table.locator("tbody tr", { hasText: "2025" }).locator("td").allTextContents()).toEqual([
      "2025",
      "Wilayah",
      "Kabupaten Sanggau61.03",
      "58,65 %",
      expect.any(String),
    ]);

    const form = officer.page.getByRole("form", { name: "Tetapkan target" });
    await expectGapBelow(table, form);
    expect(await form.getByLabel("Kode wilayah").inputValue()).toBe("61.03");
    // The year the dashboard works in (the demo's scenario date), and the next one set here.
    const me = (await (await officer.page.request.get(`${app.url}/api/v1/me`)).json()) as { today: string };
    expect(await form.getByLabel("Tahun").inputValue()).toBe(me.today.slice(0, 4));
    await form.getByLabel("Tahun").fill("2026");
    // A percentage the page cannot read is refused before sending.
    await form.getByLabel("Target").fill("101");
    await form.getByRole("button", { name: "Tetapkan target" }).click();
    expect(await officer.page.locator("#percent-error").textContent()).toContain("antara 0 dan 100");
    // Another region is the server's refusal: the officer oversees Sanggau only.
    await form.getByLabel("Target").fill("62,5");
    await form.getByLabel("Kode wilayah").fill("61.05");
    await form.getByRole("button", { name: "Tetapkan target" }).click();
    await form.getByRole("alert").getByText("Tidak berwenang").waitFor();
    // A sub-district code that does not exist is named beside its field.
    await form.getByLabel("Kode wilayah").fill("61.03.99");
    await form.getByRole("button", { name: "Tetapkan target" }).click();
    await officer.page.locator("#id-error").getByText("61.03.99").waitFor();

    await form.getByLabel("Kode wilayah").fill("61.03");
    await form.getByLabel("Sumber").fill("Rencana Kerja Cabang 2026");
    await form.getByRole("button", { name: "Tetapkan target" }).click();
    // The button keeps focus while the target is saved (it is not disabled, which would drop focus).
    expect(await officer.page.evaluate("document.activeElement?.textContent")).toBe("Tetapkan target");
    await expect
      .poll(() => form.getByRole("status").textContent())
      .toBe("Target Kabupaten Sanggau tahun 2026 ditetapkan 62,50 %.");
    const set = table.locator("tbody tr", { hasText: "2026" });
    await set.waitFor();
    expect(await set.locator("td").allTextContents()).toEqual([
      "2026",
      "Wilayah",
      "Kabupaten Sanggau61.03",
      "62,50 %",
      "Rencana Kerja Cabang 2026",
    ]);
    const api = await officer.page.request.get(`${app.url}/api/v1/targets`);
    expect(await api.json()).toContainEqual({
      scope: "region",
      id: "61.03",
      name: "Kabupaten Sanggau",
      year: 2026,
      percent: 62.5,
      source: "Rencana Kerja Cabang 2026",
    });

    // A work unit reads the same targets and is offered no form.
    const opd = await app.signedIn("opd");
    await opd.page.goto(`${app.url}/target`);
    await opd.page.getByRole("heading", { name: "Target cakupan", level: 1 }).waitFor();
    await settle(opd.page);
    await opd.page.getByTestId("targets").locator("tbody tr", { hasText: "62,50 %" }).waitFor();
    expect(await opd.page.getByRole("form", { name: "Tetapkan target" }).count()).toBe(0);
    // Its overview (2025), with no target of its own, measures it against the regency's 58,65 %.
    await opd.page.getByRole("navigation").getByRole("link", { name: "Ringkasan" }).click();
    await expect
      .poll(() => opd.page.getByTestId("kpis").textContent())
      .toContain("58,65 % (target kabupaten/kota)");
    // And a contractor is not offered the page at all.
    const contractor = await app.signedIn("contractor");
    expect(await contractor.page.getByRole("navigation").getByRole("link", { name: "Target" }).count()).toBe(
      0,
    );
    await Promise.all([officer.context.close(), opd.context.close(), contractor.context.close()]);
  });

  it("an admin sets a work unit's and a project's target by name, never by internal id", async () => {
    const { context, page } = await app.signedIn("admin");
    await page.goto(`${app.url}/target`);
    const form = page.getByRole("form", { name: "Tetapkan target" });
    await form.waitFor();
    await settle(page);
    await form.getByLabel("Cakupan").selectOption({ label: "OPD" });
    const units = await app.getJson<{ id: number; name: string; code: string }[]>(
      page,
      "/api/v1/organisations?kind=work_unit",
    );
    // The work units are offered by name; a name typed in any case is read as the one it matches.
    await expect.poll(() => page.locator("#id-suggestions option").count()).toBe(units.length);
    const dinkes = units.find((u) => u.code === "DINKES") as { id: number; name: string };
    await form.getByLabel("OPD", { exact: true }).fill("dinas kesehatan");
    expect(await page.locator("#id-error").textContent()).toBe("Dipilih: Dinas Kesehatan (DINKES, 61.03).");
    await form.getByLabel("Tahun").fill("2026");
    await form.getByLabel("Target").fill("45");
    await form.getByRole("button", { name: "Tetapkan target" }).click();
    await expect
      .poll(() => form.getByRole("status").textContent())
      .toBe("Target Dinas Kesehatan tahun 2026 ditetapkan 45,00 %.");
    expect(await app.getJson<unknown[]>(page, "/api/v1/targets")).toContainEqual(
      expect.objectContaining({ scope: "work_unit", id: String(dinkes.id), year: 2026, percent: 45 }),
    );

    // A project is found by a search as its name is typed; its choice puts its id in the field.
    await form.getByLabel("Cakupan").selectOption({ label: "Proyek" });
    expect(await form.getByLabel("Proyek", { exact: true }).inputValue()).toBe("");
    await form.getByLabel("Proyek", { exact: true }).fill("Drainase");
    await expect.poll(() => page.locator("#id-suggestions option").count()).toBeGreaterThan(0);
    const option = page.locator("#id-suggestions option").first();
    const [id, label] = [await option.getAttribute("value"), await option.textContent()];
    await form.getByLabel("Proyek", { exact: true }).fill(id as string);
    await expect.poll(() => page.locator("#id-error").textContent()).toBe(`Dipilih: ${label}.`);
    // Text that matches nothing is refused before anything is sent.
    await form.getByLabel("Proyek", { exact: true }).fill("tidak ada proyek seperti ini");
    await form.getByRole("button", { name: "Tetapkan target" }).click();
    await page
      .locator("#id-error")
      .getByText("Tidak ada yang cocok dengan “tidak ada proyek seperti ini”: pilih dari daftar.")
      .waitFor();
    await context.close();
  });

  it("the branch runs the compliance check from the cases page and reads what it found", async () => {
    const { context, page } = await app.signedIn("bpjs");
    await page.getByRole("navigation").getByRole("link", { name: "Kasus" }).click();
    await page.getByRole("heading", { name: "Pemeriksaan kepatuhan" }).waitFor();
    await checkPage(page, "bpjs-compliance-run");
    expect(await page.getByLabel("Kode kabupaten").inputValue()).toBe("61.03");
    await page.getByLabel("Periksa ulang semua proyek").check();
    const answer = page.waitForResponse((r) => r.url().endsWith("/api/v1/compliance/runs"));
    await page.getByRole("button", { name: "Jalankan pemeriksaan" }).click();
    const summary = (await (await answer).json()) as {
      projects: number;
      opened: number;
      byRule: Record<string, { high: number; medium: number; low: number }>;
    };
    const said = page.locator(".success", { hasText: "Pemeriksaan" });
    await said.waitFor();
    expect(summary.projects).toBeGreaterThan(0);
    expect(await said.textContent()).toContain(`${summary.projects} proyek diperiksa`);
    // The open findings by rule, as the server counted them.
    const arrears = page.getByTestId("run-by-rule").locator("tbody tr", { hasText: "3. Iuran menunggak" });
    expect(await arrears.locator("td").allTextContents()).toEqual([
      "3. Iuran menunggak",
      String(summary.byRule.ARREARS?.high ?? 0),
      String(summary.byRule.ARREARS?.medium ?? 0),
      String(summary.byRule.ARREARS?.low ?? 0),
    ]);
    // A regency outside the officer's region is refused.
    await page.getByLabel("Kode kabupaten").fill("61.05");
    await page.getByRole("button", { name: "Jalankan pemeriksaan" }).click();
    await page.getByRole("alert").getByText("Tidak berwenang").waitFor();
    // A code typed afterwards is not the one refused: its own fault is said, the refusal gone.
    await page.getByLabel("Kode kabupaten").fill("abc");
    await expect.poll(() => page.getByText("Tidak berwenang").count()).toBe(0);
    await page.getByRole("button", { name: "Jalankan pemeriksaan" }).click();
    await expect
      .poll(() => page.locator("#regencyCode-error").textContent())
      .toBe("Tulis kode kabupaten Kemendagri, mis. 61.03.");
    expect(await page.getByText("Tidak berwenang").count()).toBe(0);
    await context.close();
  });

  it("an admin adds an officer, who signs in; disabling ends the officer's session, and a new password replaces the old", async () => {
    const admin = await app.signedIn("admin");
    await admin.page.getByRole("navigation").getByRole("link", { name: "Pengguna" }).click();
    await admin.page.getByRole("heading", { name: "Pengguna", level: 1 }).waitFor();
    await checkPage(admin.page, "admin-users");
    // The admin's own row offers nothing that could lock them out.
    const own = admin.page.getByTestId("users").locator("tbody tr", { hasText: "(Anda)" });
    expect(await own.getByRole("button").count()).toBe(0);

    const form = admin.page.getByRole("form", { name: "Tambah pengguna" });
    await expectGapBelow(admin.page.getByTestId("users"), form);
    await form.getByLabel("Peran").selectOption({ label: "BPJS Ketenagakerjaan" });
    await form.getByRole("button", { name: "Tambah pengguna" }).click();
    // Each missing field is named beside it before anything is sent, the first one focused.
    expect(await admin.page.locator("#name-error").textContent()).toBe("Wajib diisi.");
    expect(await admin.page.evaluate("document.activeElement?.name")).toBe("name");
    expect(await admin.page.locator("#organisationId-error").textContent()).toBe("Wajib diisi.");
    // A select at fault is drawn as an input at fault is.
    const organisation = form.getByLabel("Organisasi");
    expect(await organisation.getAttribute("aria-invalid")).toBe("true");
    const border = (field: Locator) =>
      field.evaluate((el) => el.ownerDocument.defaultView?.getComputedStyle(el).borderTopColor);
    expect(await border(organisation)).toBe(await border(form.getByLabel("Nama")));
    expect(await border(organisation)).toBe("rgb(179, 38, 30)");
    expect(await admin.page.locator("#regionCode-error").textContent()).toBe("Wajib diisi.");
    expect(await admin.page.locator("#password-error").textContent()).toBe("Kata sandi minimal 10 karakter.");

    await form.getByLabel("Nama").fill("Petugas Baru E2E");
    await form.getByLabel("Email").fill("petugas.baru@e2e.test");
    const branch = form.getByLabel("Organisasi");
    await expect.poll(() => branch.locator("option").count()).toBeGreaterThan(1);
    await branch.selectOption({ index: 1 });
    await form.getByLabel("Wilayah kerja").fill("61.03");
    await form.getByLabel("Kata sandi awal").fill("mulai-kerja-2026");
    await form.getByRole("button", { name: "Tambah pengguna" }).click();
    await form.getByText("Pengguna petugas.baru@e2e.test ditambahkan.").waitFor();
    // Focus stayed on the button pressed, not dropped to the page's top while the answer was awaited.
    expect(await admin.page.evaluate("document.activeElement?.textContent")).toBe("Tambah pengguna");
    // The same e-mail again: refused beside its field, where focus goes.
    await form.getByLabel("Nama").fill("Petugas Baru E2E");
    await form.getByLabel("Email").fill("petugas.baru@e2e.test");
    await branch.selectOption({ index: 1 });
    await form.getByLabel("Wilayah kerja").fill("61.03");
    await form.getByLabel("Kata sandi awal").fill("mulai-kerja-2026");
    await form.getByRole("button", { name: "Tambah pengguna" }).click();
    await admin.page.locator("#email-error").getByText("sudah ada").waitFor();
    expect(await admin.page.evaluate("document.activeElement?.name")).toBe("email");
    const row = admin.page.getByTestId("users").locator("tbody tr", { hasText: "petugas.baru@e2e.test" });
    await row.waitFor();
    expect((await row.locator("td").allTextContents()).slice(1, 5)).toEqual([
      "BPJS Ketenagakerjaan",
      expect.stringContaining("BPJS"),
      "61.03",
      "Aktif",
    ]);

    // The new officer signs in and works.
    const officer = await app.newPage();
    await signIn(officer.page, app.url, "petugas.baru@e2e.test", "mulai-kerja-2026");
    expect((await officer.page.request.get(`${app.url}/api/v1/me`)).status()).toBe(200);

    // Disabled: the officer's session ends at once.
    await row.getByRole("button", { name: "Nonaktifkan" }).click();
    const disabledSaid = admin.page.getByText("Petugas Baru E2E dinonaktifkan; sesinya berakhir.");
    await disabledSaid.waitFor();
    // The row's button changes with the answer: focus goes to what happened, not to the page's top.
    expect(await disabledSaid.evaluate((el) => el.parentElement === el.ownerDocument.activeElement)).toBe(
      true,
    );
    await expect.poll(() => row.locator("td").nth(4).textContent()).toBe("Nonaktif");
    expect((await officer.page.request.get(`${app.url}/api/v1/me`)).status()).toBe(401);

    // Enabled again with a new password: the old one no longer opens the account.
    await row.getByRole("button", { name: "Aktifkan" }).click();
    await expect.poll(() => row.locator("td").nth(4).textContent()).toBe("Aktif");
    await row.getByRole("button", { name: "Kata sandi baru: Petugas Baru E2E" }).click();
    const password = row.getByLabel("Kata sandi baru", { exact: true });
    await password.fill("pendek");
    await row.getByRole("button", { name: "Simpan kata sandi" }).click();
    expect(await row.locator(".hint.bad").first().textContent()).toBe("Kata sandi minimal 10 karakter.");
    await password.fill("sandi-baru-2026");
    await row.getByRole("button", { name: "Simpan kata sandi" }).click();
    await admin.page.getByText("Kata sandi Petugas Baru E2E diganti; sesinya berakhir.").waitFor();
    const login = (pw: string) =>
      officer.page.request.post(`${app.url}/api/v1/auth/login`, {
        data: { email: "petugas.baru@e2e.test", password: pw },
      });
    expect((await login("mulai-kerja-2026")).status()).toBe(401);
    expect((await login("sandi-baru-2026")).status()).toBe(200);
    await Promise.all([admin.context.close(), officer.context.close()]);
  });
});
