import { readFile } from "node:fs/promises";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { sql } from "kysely";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { nikVault } from "../../src/db/nik-vault.js";
import { SANGGAU } from "../../src/demo/sanggau.js";
import { formatDate } from "../../src/domain/format.js";
import { protectsOn, workingOnDate } from "../../src/services/coverage-sql.js";
import { publicCheck } from "../../src/services/public-check.js";
import { checkPage, demoInChromium, demoLogin, SHOTS, settle } from "../support/browser-suite.js";
import { chromiumPresent, signIn } from "../support/dashboard.js";

/**
 * The dashboard in Debian's Chromium against the real server and the Sanggau demo: every role walks
 * every page it may open (screenshot and axe-core check of each), a contractor reports a worker and
 * uploads a CSV with errors, an officer escalates a case, and a worker runs the public check.
 */
const DATE = SANGGAU.snapshotDate;

describe.skipIf(!chromiumPresent)("dashboard in Chromium", () => {
  const app = demoInChromium();

  async function firstId(page: Page, path: string, pick: (body: never) => number | undefined) {
    const res = await page.request.get(`${app.url}${path}`);
    expect(res.status(), path).toBe(200);
    const id = pick((await res.json()) as never);
    expect(id, `an id from ${path}`).toBeTypeOf("number");
    return id as number;
  }

  // First, before any test below reports workers and changes the figures.
  it("shows the demo's headline figures in Indonesian formats, and in English on request", async () => {
    const { context, page } = await app.newPage();
    await signIn(page, app.url, demoLogin("bpjs"));
    await page.goto(`${app.url}/`);
    await settle(page);
    await page.locator("canvas").nth(3).waitFor();
    const kpis = await page.getByTestId("kpis").textContent();
    for (const figure of ["12.320", "4.519", "36,68 %", "58,65 %", "2.707"]) expect(kpis).toContain(figure);
    expect(await page.getByTestId("headline").textContent()).toContain(
      "Dari total 12.320 pekerja jasa konstruksi, baru 4.519 yang terdaftar",
    );
    expect(await page.locator(".scope-name").textContent()).toContain("30 Juli 2025");
    const plan = await page.getByTestId("plan").textContent();
    expect(plan).toMatch(
      /^\d+ tindakan, mulai dari yang paling besar dampaknya, menutup kekurangan 2\.707 pekerja/,
    );
    expect(plan).toContain("target tidak tercapai tahun ini");
    // One click to the Monev report of the month shown.
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "PDF" }).click();
    const pdf = await download;
    expect(pdf.suggestedFilename()).toBe("monev-61.03-2025-07.pdf");
    expect((await readFile(await pdf.path())).subarray(0, 5).toString()).toBe("%PDF-");

    await page.getByRole("button", { name: "Switch to English" }).click();
    await page.getByRole("heading", { name: "Coverage overview" }).waitFor();
    const english = await page.getByTestId("kpis").textContent();
    for (const figure of ["12,320", "4,519", "36.68 %", "58.65 %"]) expect(english).toContain(figure);
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    // The projects without a work unit (private ones) are named in English too.
    const units = page.locator("figure", {
      has: page.locator("figcaption", { hasText: "Coverage by work unit" }),
    });
    const names = await units.locator("tbody tr td:first-child, tbody tr th:first-child").allTextContents();
    expect(names).toContain("(no work unit)");
    expect(names).not.toContain("(tanpa OPD)");
    await context.close();
  }, 120_000);

  const BRANCH_PAGES = [
    "overview",
    "projects",
    "project",
    "report",
    "registrations",
    "payments",
    "contractors",
    "contractor",
    "cases",
    "case",
    "targets",
    "check",
  ] as const;
  const ROLE_PAGES = {
    admin: [...BRANCH_PAGES, "users", "organisations"],
    bpjs: BRANCH_PAGES,
    opd: ["overview", "projects", "project", "contractors", "contractor", "targets", "check"],
    contractor: [
      "overview",
      "projects",
      "project",
      "report",
      "registrations",
      "payments",
      "contractors",
      "contractor",
      "tokens",
      "check",
    ],
    enforcer: ["cases", "case", "check"],
  } as const;
  const NAV = {
    overview: "Ringkasan",
    projects: "Proyek",
    report: "Lapor pekerja",
    registrations: "Pendaftaran",
    payments: "Pembayaran",
    contractors: "Penyedia jasa",
    cases: "Kasus",
    targets: "Target",
    tokens: "Token API",
    users: "Pengguna",
    organisations: "Organisasi",
  } as const;

  for (const [role, pages] of Object.entries(ROLE_PAGES)) {
    it(`${role}: sees only its pages in the menu, and every page renders with no serious accessibility fault`, async () => {
      const { context, page } = await app.newPage();
      await signIn(page, app.url, demoLogin(role));
      const menu = await page.getByRole("navigation").getByRole("link").allInnerTexts();
      const allowed = Object.entries(NAV)
        .filter(([key]) => (pages as readonly string[]).includes(key))
        .map(([, label]) => label);
      expect(menu).toEqual([...allowed, "Cek perlindungan"]);

      const paths: Record<string, () => Promise<string>> = {
        overview: async () => `/?date=${DATE}`,
        projects: async () => "/proyek",
        project: async () =>
          `/proyek/${await firstId(page, "/api/v1/projects?pageSize=1", (b: { items: { id: number }[] }) => b.items[0]?.id)}`,
        report: async () => "/lapor",
        registrations: async () => "/pendaftaran",
        payments: async () => "/pembayaran",
        contractors: async () => "/penyedia",
        contractor: async () =>
          `/penyedia/${await firstId(page, "/api/v1/contractors", (b: { id: number }[]) => b[0]?.id)}`,
        cases: async () => "/kasus",
        case: async () => `/kasus/${await firstId(page, "/api/v1/cases", (b: { id: number }[]) => b[0]?.id)}`,
        targets: async () => "/target",
        tokens: async () => "/token",
        users: async () => "/pengguna",
        organisations: async () => "/organisasi",
        check: async () => "/cek",
      };
      for (const name of pages) {
        await page.goto(`${app.url}${await paths[name]?.()}`);
        await checkPage(page, `${role}-${name}`);
      }
      await context.close();
    }, 180_000);
  }

  it("names every reason a work unit is told to hold a contractor's payment, also those on projects it does not own", async () => {
    const { context, page } = await app.newPage();
    await signIn(page, app.url, demoLogin("opd"));
    // A contractor held back by findings on other owners' projects only: the work unit sees none of them.
    const id = await firstId(
      page,
      "/api/v1/contractors",
      (b: { id: number; cleared: boolean; blockingFindings: number }[]) =>
        b.find((c) => !c.cleared && c.blockingFindings === 0)?.id,
    );
    const answer = await page.request.get(`${app.url}/api/v1/contractors/${id}/clearance`);
    const reasons = ((await answer.json()) as { reasons: { summary: { id: string } }[] }).reasons;
    expect(reasons.length).toBeGreaterThan(0);
    await page.goto(`${app.url}/penyedia/${id}`);
    const table = page.getByRole("region", { name: "Alasan penahanan" });
    await table.waitFor();
    expect(await table.locator("tbody tr td:first-child").allInnerTexts()).toEqual(
      reasons.map((r) => r.summary.id),
    );
    await context.close();
  });

  it("lets a work unit ask about a contractor on none of its projects, by NIB", async () => {
    const { context, page } = await app.newPage();
    await signIn(page, app.url, demoLogin("opd"));
    const stranger = await sql<{ id: number; code: string; name: string }>`
      select o.id, o.code, o.name from organisation o
      where o.kind = 'contractor' and not exists (
        select 1 from project p join app_user u on u.organisation_id = p.work_unit_id
        where p.contractor_id = o.id and u.email = ${demoLogin("opd")})
      order by o.id limit 1`.execute(app.db);
    const other = stranger.rows[0] as { id: number; code: string; name: string };
    // Not among the work unit's contractors, so it cannot be opened; but it may be asked about.
    expect((await page.request.get(`${app.url}/api/v1/contractors/${other.id}`)).status()).toBe(404);
    const expected = (await (
      await page.request.get(`${app.url}/api/v1/clearance?nib=${other.code}`)
    ).json()) as {
      cleared: boolean;
      reasons: { summary: { id: string } }[];
    };
    await page.goto(`${app.url}/penyedia`);
    await page.getByLabel("NIB penyedia jasa").fill(other.code);
    await page.getByRole("button", { name: "Periksa" }).click();
    const answer = page.getByTestId("clearance-by-nib");
    await answer.getByText(`${other.name} (NIB ${other.code})`).waitFor();
    expect(await answer.locator("p").first().locator(".badge").textContent()).toBe(
      expected.cleared ? "Boleh dibayar" : "Tahan pembayaran",
    );
    if (!expected.cleared)
      expect(await answer.locator("tbody tr td:first-child").allInnerTexts()).toEqual(
        expected.reasons.map((r) => r.summary.id),
      );
    expect(await page.evaluate("document.activeElement?.dataset.testid")).toBe("clearance-by-nib");
    await checkPage(page, "opd-clearance-by-nib");
    // An NIB that cannot be one, and one nobody has, are said beside the field, in the page's language.
    const field = page.getByLabel("NIB penyedia jasa");
    await field.fill("912");
    await page.getByRole("button", { name: "Periksa" }).click();
    await page.locator("#nib-error").getByText("NIB terdiri dari 13 angka.").waitFor();
    expect(await answer.textContent()).toBe("");
    await field.fill("0000000000000");
    await page.getByRole("button", { name: "Periksa" }).click();
    await page.locator("#nib-error").getByText("Tidak ada penyedia jasa dengan NIB 0000000000000.").waitFor();
    expect(await page.evaluate("document.activeElement?.name")).toBe("nib");
    await context.close();
  });

  it("refuses a wrong password on the login page, and sends a signed-out visitor there from a page that needs a login", async () => {
    const { context, page } = await app.newPage();
    await page.goto(`${app.url}/proyek`);
    await page.getByRole("heading", { name: "Masuk ke Pantau Jakon" }).waitFor();
    expect(new URL(page.url()).searchParams.get("next")).toBe("/proyek");
    await checkPage(page, "login");
    await page.getByLabel("Email").fill(demoLogin("bpjs"));
    await page.getByLabel("Kata sandi").fill("salah-sandi");
    await page.getByRole("button", { name: "Masuk", exact: true }).click();
    await page.getByText("Email atau kata sandi salah.").waitFor();
    // Focus stays on the button pressed (kept enabled while the answer was awaited), not the page's top.
    expect(await page.evaluate("document.activeElement?.textContent")).toBe("Masuk");
    await context.close();
  });

  it("offers no retry for what a retry cannot change (a project one may not see), but does where it may pass", async () => {
    const { context, page } = await app.newPage();
    await signIn(page, app.url, demoLogin("contractor"));
    // Another contractor's project is not found for this one.
    const other = await sql<{ id: number }>`
      select p.id from project p where p.contractor_id <> (
        select organisation_id from app_user where email = ${demoLogin("contractor")})
      order by p.id limit 1`.execute(app.db);
    const id = other.rows[0]?.id as number;
    for (const path of [`/proyek/${id}`, "/proyek/999999"]) {
      await page.goto(`${app.url}${path}`);
      const alert = page.getByRole("alert");
      await alert.getByText("tidak ditemukan").waitFor();
      expect(await alert.getByRole("button", { name: "Coba lagi" }).count(), path).toBe(0);
    }
    // A server error or a rate limit may pass: asked again once by itself, then offered, it works.
    const own = await contractorProject();
    for (const status of [503, 429]) {
      const path = `${app.url}/api/v1/projects/${own.id}`;
      await page.route(path, (route) =>
        route.fulfill({
          status,
          contentType: "application/problem+json",
          body: JSON.stringify({ type: "about:blank", title: `Gangguan ${status}`, status }),
        }),
      );
      await page.goto(`${app.url}/proyek/${own.id}`);
      const retry = page.getByRole("alert").getByRole("button", { name: "Coba lagi" });
      await retry.waitFor();
      await page.unroute(path);
      await retry.click();
      await page.getByRole("heading", { level: 1, name: own.name }).waitFor();
    }
    await context.close();
  });

  it("refuses an overview date after today beside the field, and shows no figures for one", async () => {
    const { context, page } = await app.newPage();
    await signIn(page, app.url, demoLogin("bpjs"));
    await page.goto(`${app.url}/`);
    await settle(page);
    const asOf = page.getByLabel("Per tanggal");
    expect(await asOf.getAttribute("max")).toBe(DATE);
    await asOf.fill("2030-01-01");
    await page.getByRole("button", { name: "Tampilkan" }).click();
    const said = page.locator("#overview-date-error");
    await expect.poll(() => said.textContent()).toBe(`Pilih tanggal sampai hari ini (${formatDate(DATE)}).`);
    expect(await asOf.getAttribute("aria-invalid")).toBe("true");
    expect(await page.evaluate("document.activeElement?.name")).toBe("date");
    expect(new URL(page.url()).searchParams.get("date")).toBeNull();
    // An earlier date clears it and is shown.
    await asOf.fill("2025-06-30");
    expect(await said.textContent()).toBe("");
    await page.getByRole("button", { name: "Tampilkan" }).click();
    await expect.poll(() => page.locator(".scope-name").textContent()).toContain("30 Juni 2025");
    // Typed into the address, a later date is refused the same way, with no figures.
    await page.goto(`${app.url}/?date=2030-01-01`);
    await expect.poll(() => said.textContent()).toBe(`Pilih tanggal sampai hari ini (${formatDate(DATE)}).`);
    await settle(page);
    expect(await page.getByTestId("kpis").count()).toBe(0);
    await context.close();
  });

  it("pages through all the projects a branch officer may report on, saying how many there are", async () => {
    const { context, page } = await app.newPage();
    await signIn(page, app.url, demoLogin("bpjs"));
    const all = (await (await page.request.get(`${app.url}/api/v1/projects?pageSize=1`)).json()) as {
      total: number;
    };
    expect(all.total).toBeGreaterThan(20);
    const pages = Math.ceil(all.total / 20);
    await page.goto(`${app.url}/lapor`);
    await settle(page);
    expect(await page.getByText(`${all.total} data`).count()).toBe(1);
    const pager = page.getByRole("navigation", { name: `Halaman 1 dari ${pages}` });
    expect(await page.locator("ul.cards li").count()).toBe(20);
    const firstPage = await page.locator("ul.cards li a").allTextContents();
    await pager.getByRole("button", { name: "Berikutnya" }).click();
    await page.getByRole("navigation", { name: `Halaman 2 dari ${pages}` }).waitFor();
    expect(new URL(page.url()).searchParams.get("page")).toBe("2");
    // The pager says page 2 at once; the list shows page 1 until page 2 arrives.
    await expect.poll(() => page.locator("ul.cards li a").allTextContents()).not.toEqual(firstPage);
    await settle(page);
    await checkPage(page, "bpjs-report-page-2");

    // The contractors' list names the two figures of its projects column.
    await page.goto(`${app.url}/penyedia`);
    await settle(page);
    expect(await page.getByRole("columnheader", { name: "Proyek (aktif/total)" }).count()).toBe(1);
    await context.close();
  });

  it("is keyboard navigable: the first Tab reaches the skip link, which moves focus to the content", async () => {
    const { context, page } = await app.newPage();
    await page.goto(`${app.url}/cek`);
    await settle(page);
    await page.keyboard.press("Tab");
    expect(await page.evaluate("document.activeElement?.textContent")).toBe("Lewati ke isi");
    await page.keyboard.press("Enter");
    expect(await page.evaluate("document.activeElement?.id")).toBe("main");
    await context.close();
  });

  async function contractorProject(): Promise<{ id: number; name: string }> {
    const row = await sql<{ id: number; name: string }>`
      select p.id, p.name from project p join app_user u on u.organisation_id = p.contractor_id
      where u.email = ${demoLogin("contractor")} and p.spmk_date <= ${DATE}::date and p.end_date >= ${DATE}::date
      order by p.id limit 1`.execute(app.db);
    expect(row.rows[0], "the demo contractor has a project running on the scenario date").toBeDefined();
    return row.rows[0] as { id: number; name: string };
  }

  const assignmentsOf = async (projectId: number, niks: string[]) =>
    (
      await sql<{ nik_sealed: string }>`
        select pe.nik_sealed from assignment a join person pe on pe.id = a.person_id
        where a.project_id = ${projectId} and pe.nik_hash in (${sql.join(niks.map((n) => nikVault().hash(n)))})`.execute(
        app.db,
      )
    ).rows.map((r) => nikVault().open(r.nik_sealed));

  it("lets a contractor report a worker from a phone, with instant NIK validation", async () => {
    const project = await contractorProject();
    const { context, page } = await app.newPage(390);
    await signIn(page, app.url, demoLogin("contractor"));
    await page.goto(`${app.url}/lapor/${project.id}`);
    await settle(page);
    // The header leaves the screen to the form: name, language and logout on one line, then the menu.
    const header = await page.locator("header.top").boundingBox();
    expect(header?.height, "the header's height on a 900 px phone screen").toBeLessThan(900 / 4);
    const logout = await page.getByRole("button", { name: "Keluar", exact: true }).boundingBox();
    expect(logout && logout.y + logout.height).toBeLessThan(60);

    const nik = page.getByLabel("NIK (16 digit)");
    await nik.fill("61030112059");
    await nik.blur();
    expect(await page.locator("#nik-message").textContent()).toBe("NIK harus 16 digit");
    expect(await nik.getAttribute("aria-invalid")).toBe("true");
    await nik.fill("6103011299909876");
    expect(await page.locator("#nik-message").textContent()).toContain("bukan tanggal yang ada");
    await nik.fill("6103011205909876");
    expect(await page.locator("#nik-message").textContent()).toBe("NIK valid: lahir 12 Mei 1990, Laki-laki");

    await page.getByLabel("Nama lengkap").fill("Budi Prasetyo");
    await page.getByRole("button", { name: "Kirim laporan" }).click();
    await page.getByText("1 diterima, 0 duplikat, 0 ditolak").waitFor();
    expect(await assignmentsOf(project.id, ["6103011205909876"])).toEqual(["6103011205909876"]);

    // A NIK that makes the worker a child is refused before sending, saying the age it implies.
    await nik.fill("6103010103150005");
    await page.getByLabel("Nama lengkap").fill("Anak Uji");
    await page.getByRole("button", { name: "Kirim laporan" }).click();
    await page
      .locator("#nik-message")
      .getByText("berumur 10 tahun pada tanggal masuk", { exact: false })
      .waitFor();
    expect(await assignmentsOf(project.id, ["6103010103150005"])).toEqual([]);

    // A leave of someone not on the project: the server's reason, not "a valid NIK", under the field.
    await page.getByRole("radio", { name: "Keluar" }).check();
    await nik.fill("6103011205909899");
    await page.getByRole("button", { name: "Kirim laporan" }).click();
    await page.getByText("0 diterima, 0 duplikat, 1 ditolak").waitFor();
    expect(await page.locator("#nik-message").textContent()).toContain("tidak sedang terdaftar");
    // Marked and focused as a refusal found in the browser is.
    expect(await nik.getAttribute("aria-invalid")).toBe("true");
    expect(await page.evaluate("document.activeElement?.name")).toBe("nik");
    // Typing again clears the answer about the NIK sent.
    await nik.fill("610301120590989");
    expect(await page.locator("#nik-message").textContent()).not.toContain("tidak sedang terdaftar");
    await page.getByRole("radio", { name: "Masuk kerja" }).check();

    // A phone screen: nothing wider than the viewport except the tables, which scroll in their own box.
    expect(await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")).toBe(true);
    // The workers on site are cards here: the button to report one gone is in view, not off to the right.
    const leave = await page
      .getByRole("button", { name: /^Keluarkan / })
      .first()
      .boundingBox();
    expect(leave && leave.x + leave.width).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(SHOTS, "contractor-report-phone.png"), fullPage: true });
    await context.close();
  }, 120_000);

  it("shows the lists on a phone as cards with every column in view, and keeps their sorting", async () => {
    const { context, page } = await app.signedIn("admin", 390);
    const sideways = async (path: string) => {
      await page.goto(`${app.url}${path}`);
      await settle(page);
      expect(await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path).toBe(
        true,
      );
      const wraps = await page.locator(".table-wrap:has(table.stacked)").all();
      expect(wraps.length, `${path}: a stacked list`).toBeGreaterThan(0);
      for (const wrap of wraps)
        expect(
          await wrap.evaluate((el) => el.scrollWidth <= el.clientWidth),
          `${path}: nothing to the side`,
        ).toBe(true);
    };
    for (const path of ["/penyedia", "/pengguna", "/organisasi", "/target", "/"]) await sideways(path);

    // A project registered on its contract value: its contribution tier by tier, in cards too, totals last.
    const registered = await app.db
      .selectFrom("project_registration")
      .select("project_id")
      .where("basis", "=", "contract_value")
      .orderBy("project_id")
      .executeTakeFirstOrThrow();
    await sideways(`/proyek/${registered.project_id}`);
    const tiers = page.getByRole("region", { name: "Perhitungan iuran per lapisan nilai kontrak" });
    expect(await tiers.locator('tbody td[data-label="Tarif JKK"]').count()).toBe(5);
    const total = tiers.locator("tfoot tr", { hasText: "JKK + JKM" });
    const totalBox = await total.boundingBox();
    expect(totalBox && totalBox.x >= 0 && totalBox.x + totalBox.width <= 390).toBe(true);
    expect(await total.textContent()).toMatch(/^JKK \+ JKMRp [\d.]+ \(\d lapisan\)$/);

    await sideways("/proyek");
    // The last column, a project's BPJS registration, is named beside its value inside the card.
    const firstCard = page.locator("table.stacked tbody tr").first();
    const registration = firstCard.locator('td[data-label="Pendaftaran BPJS"]');
    const box = await registration.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
    // Still a table to a screen reader, its column headers read with each cell.
    expect(await page.getByRole("columnheader", { name: /Nilai kontrak/ }).count()).toBe(1);
    // The sort buttons stay above the cards, and sort.
    const byValue = page.getByRole("button", { name: "Nilai kontrak", exact: true });
    expect(await byValue.isVisible()).toBe(true);
    await byValue.click();
    await page.waitForURL(/sort=contract_value&order=asc/);
    const values = () =>
      page
        .locator('table.stacked td[data-label="Nilai kontrak"]')
        .evaluateAll((cells) => cells.map((c) => Number((c.textContent ?? "").replace(/\D/g, ""))));
    // The list is the previous one until the sorted page arrives.
    await expect
      .poll(async () => {
        const shown = await values();
        return shown.length > 1 && shown.every((v, i) => i === 0 || (shown[i - 1] as number) <= v);
      })
      .toBe(true);
    await checkPage(page, "admin-projects-phone");
    await context.close();
  }, 120_000);

  it("records a worker's leave only under that worker's NIK, refusing another's before sending", async () => {
    const project = await contractorProject();
    const { context, page } = await app.newPage();
    await signIn(page, app.url, demoLogin("contractor"));
    await page.goto(`${app.url}/lapor/${project.id}`);
    await settle(page);
    const nik = page.getByLabel("NIK (16 digit)");
    const send = page.getByRole("button", { name: "Kirim laporan" });
    for (const [number, name] of [
      ["6103012304880031", "Agus Salim E2E"],
      ["6103016304880032", "Rina Wati E2E"],
    ] as const) {
      await nik.fill(number);
      await page.getByLabel("Nama lengkap").fill(name);
      await send.click();
      await page.getByText("1 diterima, 0 duplikat, 0 ditolak").waitFor();
      // Focus stays on the button pressed while the report is sent, not dropped to the page's top.
      expect(await page.evaluate("document.activeElement?.textContent")).toBe("Kirim laporan");
    }
    const workers = page.getByRole("region", { name: "Pekerja saat ini" });
    await workers.getByRole("cell", { name: "Rina Wati E2E", exact: true }).waitFor();

    // Agus is chosen to leave, and Rina's NIK typed: refused beside the field, nothing sent.
    await workers.getByRole("button", { name: "Keluarkan Agus Salim E2E" }).click();
    expect(await page.evaluate("document.activeElement?.name")).toBe("nik");
    let sent = 0;
    page.on("request", (r) => {
      if (r.url().endsWith(`/api/v1/projects/${project.id}/reports`)) sent++;
    });
    await nik.fill("6103016304880032");
    const said = "NIK ini bukan NIK Agus Salim E2E (6103••••••••0031). Periksa kembali angkanya.";
    expect(await page.locator("#nik-message").textContent()).toBe(said);
    expect(await nik.getAttribute("aria-invalid")).toBe("true");
    await send.click();
    expect(await page.evaluate("document.activeElement?.name")).toBe("nik");
    expect(await page.locator("#nik-message").textContent()).toBe(said);
    expect(await page.getByText("Laporan diproses").count()).toBe(0);
    expect(sent).toBe(0);
    const leftOn = async (number: string) =>
      (
        await sql<{ left_on: string | null }>`
          select a.left_on from assignment a join person pe on pe.id = a.person_id
          where a.project_id = ${project.id} and pe.nik_hash = ${nikVault().hash(number)}`.execute(app.db)
      ).rows;
    expect(await leftOn("6103016304880032")).toEqual([{ left_on: null }]);

    // Agus's own NIK is sent, and Agus alone leaves.
    await nik.fill("6103012304880031");
    expect(await nik.getAttribute("aria-invalid")).toBe("false");
    await send.click();
    await page.getByText("1 diterima, 0 duplikat, 0 ditolak").waitFor();
    expect(sent).toBe(1);
    // Leaving today, Agus is still listed for the day, with nothing more to report.
    const leave = (name: string) => workers.getByRole("button", { name: `Keluarkan ${name}` });
    await expect.poll(() => leave("Agus Salim E2E").count()).toBe(0);
    expect(await leave("Rina Wati E2E").count()).toBe(1);
    expect(await leftOn("6103012304880031")).toEqual([{ left_on: DATE }]);
    expect(await leftOn("6103016304880032")).toEqual([{ left_on: null }]);
    await context.close();
  }, 120_000);

  it("uploads a CSV with errors: the good rows are kept, each bad row is listed with its field and reason", async () => {
    const project = await contractorProject();
    const { context, page } = await app.newPage();
    await signIn(page, app.url, demoLogin("contractor"));
    await page.goto(`${app.url}/lapor/${project.id}`);
    await settle(page);
    let uploads = 0;
    page.on("request", (r) => {
      if (r.url().endsWith(`/api/v1/projects/${project.id}/uploads`)) uploads++;
    });
    // No file chosen: said beside the field, and nothing is sent.
    const file = page.getByLabel("Berkas");
    await page.getByRole("button", { name: "Unggah" }).click();
    await expect
      .poll(() => page.locator("#file-error").textContent())
      .toBe("Pilih berkas CSV atau XLSX dahulu.");
    expect(await file.getAttribute("aria-invalid")).toBe("true");
    expect(uploads).toBe(0);
    // An empty file is sent, and its refusal headed as a refused upload, not as data that did not load,
    // its reason said once (not again under the field's key).
    await file.setInputFiles({ name: "kosong.csv", mimeType: "text/csv", buffer: Buffer.alloc(0) });
    expect(await page.locator("#file-error").textContent()).toBe("");
    await page.getByRole("button", { name: "Unggah" }).click();
    const refused = page.getByRole("alert").filter({ hasText: "Berkas kosong" });
    await refused.waitFor();
    expect(uploads).toBe(1);
    expect(await refused.locator("strong").textContent()).toBe("Berkas ditolak:");
    expect(await refused.getByText("Berkas kosong").count()).toBe(1);
    expect(await refused.locator("li, code").count()).toBe(0);
    expect(await page.getByText("Gagal memuat data").count()).toBe(0);
    const csv = [
      "nik,nama,tanggal_lahir,jenis_kelamin,peristiwa,tanggal",
      "6103011205909877,Andi Wijaya,1990-05-12,L,masuk,2025-07-29",
      "12345,Salah NIK,1990-01-01,L,masuk,2025-07-29",
      "6103015205909878,Siti Aminah,1990-05-12,P,masuk,2025-07-29",
      "6103011205909879,Tanggal Salah,1990-05-12,L,masuk,2099-01-01",
    ].join("\n");
    await page
      .getByLabel("Berkas")
      .setInputFiles({ name: "pekerja.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.getByRole("button", { name: "Unggah" }).click();
    await page.getByText("2 diterima, 0 duplikat, 2 ditolak").waitFor();
    expect(await page.evaluate("document.activeElement?.textContent")).toBe("Unggah");
    expect(await refused.count()).toBe(0);

    const rows = await page.getByTestId("row-errors").locator("tbody tr").allInnerTexts();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/nik\s+NIK harus 16 digit/);
    expect(rows[1]).toMatch(/tanggal\s+Tanggal berada di masa depan/);
    expect(
      await assignmentsOf(project.id, ["6103011205909877", "6103015205909878", "6103011205909879"]),
    ).toEqual(expect.arrayContaining(["6103011205909877", "6103015205909878"]));
    expect(await assignmentsOf(project.id, ["6103011205909879"])).toEqual([]);

    const href = await page.getByRole("link", { name: "Unduh daftar kesalahan (CSV)" }).getAttribute("href");
    const errors = await page.request.get(`${app.url}${href}`);
    expect(errors.status()).toBe(200);
    const text = await errors.text();
    expect(text).toContain("NIK harus 16 digit");
    expect(text).not.toContain("6103011205909877"); // accepted rows are not in the error file
    // The same list as a workbook, downloaded as the browser downloads it.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Unduh daftar kesalahan (Excel)" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^laporan-\d+-kesalahan\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(await download.path());
    const sheet = workbook.getWorksheet("Kesalahan") as ExcelJS.Worksheet;
    expect(sheet.rowCount).toBe(3);
    expect((sheet.getRow(2).values as unknown[]).slice(1, 6)).toEqual([
      expect.any(Number),
      "nik",
      "nik",
      "NIK_LENGTH",
      "NIK harus 16 digit",
    ]);
    await page.screenshot({ path: join(SHOTS, "contractor-upload-errors.png"), fullPage: true });

    // A row sent again is one duplicate, in English too ("1 duplicate", not "1 duplicates").
    await file.setInputFiles({
      name: "lagi.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(csv.split("\n").slice(0, 2).join("\n")),
    });
    await page.getByRole("button", { name: "Unggah" }).click();
    await page.getByText("0 diterima, 1 duplikat, 0 ditolak").waitFor();
    await page.getByRole("button", { name: "Switch to English" }).click();
    await page.getByText("Report processed: 0 accepted, 1 duplicate, 0 rejected.", { exact: true }).waitFor();
    await context.close();
  }, 120_000);

  it("lets a BPJS officer open a case from the board, send the first warning, download its letter and close the case with its outcome", async () => {
    const { context, page } = await app.newPage();
    await signIn(page, app.url, demoLogin("bpjs"));
    await page.goto(`${app.url}/kasus`);
    await settle(page);
    // Overdue cases come first in their column.
    const firstInWarning2 = page
      .locator("section.column")
      .filter({ hasText: "Teguran II" })
      .locator("li")
      .first();
    expect(await firstInWarning2.getAttribute("class")).toContain("overdue");

    await page.locator("section.column").filter({ hasText: "Dibuka" }).locator("li a").first().click();
    const opened = page.getByRole("heading", { level: 1, name: /· Dibuka$/ });
    await opened.waitFor();
    const contractor = ((await opened.textContent()) ?? "").split(" · ")[0];
    // A step is for good: one press asks, naming it and the contractor, with focus on the answer.
    await page.getByRole("button", { name: "Kirim Teguran I" }).click();
    const asked = page.getByRole("group", {
      name: `Kirim Teguran I untuk ${contractor}? Langkah ini tercatat dan tidak dapat dibatalkan.`,
    });
    await asked.waitFor();
    expect(await page.evaluate("document.activeElement?.textContent")).toBe("Ya, kirim Teguran I");
    // Cancelled, nothing is sent and focus is back on the step.
    await asked.getByRole("button", { name: "Batal" }).click();
    await expect.poll(() => page.evaluate("document.activeElement?.textContent")).toBe("Kirim Teguran I");
    expect(await page.locator("ol.timeline li").count()).toBe(1);
    await page.getByRole("button", { name: "Kirim Teguran I" }).click();
    await page.getByRole("button", { name: "Ya, kirim Teguran I" }).click();
    await page.getByText("Kasus kini pada langkah: Teguran I").waitFor();
    await page.waitForFunction('document.activeElement?.getAttribute("role") === "status"');
    const letter = page.getByRole("link", { name: "Unduh PDF" });
    await letter.waitFor();
    const pdf = await page.request.get(`${app.url}${await letter.getAttribute("href")}`);
    expect(pdf.headers()["content-type"]).toContain("application/pdf");
    expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");
    await page.screenshot({ path: join(SHOTS, "bpjs-case-warned.png"), fullPage: true });

    // Closing a case records its outcome: without one the page asks for it and nothing is sent.
    const note = page.getByLabel("Catatan");
    await page.getByRole("button", { name: "Tutup kasus" }).click();
    expect(await page.locator("#case-note-hint").textContent()).toBe(
      "Tulis hasil akhir kasus sebelum menyelesaikan atau menutupnya.",
    );
    expect(await note.getAttribute("aria-invalid")).toBe("true");
    expect(await page.evaluate("document.activeElement?.tagName")).toBe("TEXTAREA");
    await note.fill("Penyedia membayar tunggakan setelah teguran I");
    await page.getByRole("button", { name: "Tutup kasus" }).click();
    await page.getByRole("button", { name: "Ya, tutup kasus" }).click();
    // A closed case has no next action: the heading and the timeline say what became of it.
    await page.getByRole("heading", { level: 1, name: /· Ditutup$/ }).waitFor();
    // The form went with the last step; what happened is still said, and focus is on it.
    const told = page.getByRole("status").filter({ hasText: "Kasus kini pada langkah: Ditutup" });
    await told.waitFor();
    expect(await page.evaluate("document.activeElement?.getAttribute('role')")).toBe("status");
    const closing = page.locator("ol.timeline li", { hasText: "Ditutup" });
    expect(await closing.locator(".muted").textContent()).toBe(
      "Penyedia membayar tunggakan setelah teguran I",
    );

    // Asked for, closed cases come under the board, which stays as it was.
    await page.goto(`${app.url}/kasus`);
    await settle(page);
    const closedCases = page.getByRole("region", { name: "Kasus tertutup" });
    expect(await closedCases.count()).toBe(0);
    await page.getByLabel("Tampilkan juga kasus tertutup").check();
    await closedCases
      .locator("section.column")
      .filter({ hasText: "Ditutup" })
      .getByRole("link", { name: contractor })
      .first()
      .waitFor();
    expect(await page.getByRole("heading", { level: 2, name: /^Dibuka \d/ }).count()).toBe(1);
    expect(new URL(page.url()).search).toBe("?status=closed");
    await context.close();
  }, 120_000);

  it("answers the public check without a login", async () => {
    // One worker protected on the scenario date and one working without protection, found by the
    // coverage rule's own SQL; the service confirms each before the browser asks.
    const protectingStint = sql`select 1 from assignment a
      join project p on p.regency_code = a.regency_code and p.id = a.project_id
      left join project_registration r on r.regency_code = p.regency_code and r.project_id = p.id
      where a.person_id = pe.id and ${workingOnDate(DATE)} and ${protectsOn(DATE)}`;
    const workerWhere = async (protectedNow: boolean) => {
      const row = await sql<{ nik_sealed: string; birth_date: string }>`
        select pe.nik_sealed, pe.birth_date from person pe
        where exists (select 1 from assignment a where a.person_id = pe.id and ${workingOnDate(DATE)})
          and ${protectedNow ? sql`exists (${protectingStint})` : sql`not exists (${protectingStint})`}
        order by pe.id limit 1`.execute(app.db);
      const found = row.rows[0] as { nik_sealed: string; birth_date: string };
      const person = { nik: nikVault().open(found.nik_sealed), birth_date: found.birth_date };
      const answer = await publicCheck(app.db, { nik: person.nik, birthDate: person.birth_date }, DATE);
      expect(answer.protected).toBe(protectedNow);
      return { ...person, answer };
    };
    const covered = await workerWhere(true);
    const uncovered = await workerWhere(false);

    const { context, page } = await app.newPage(390);
    await page.goto(`${app.url}/cek`);
    for (const [person, expected] of [
      [covered, `Terlindungi sampai ${formatDate(covered.answer.until as string)}.`],
      [uncovered, "Belum terlindungi hari ini"],
    ] as const) {
      await page.getByLabel("NIK (16 digit)").fill(person.nik);
      await page.getByLabel("Tanggal lahir").fill(person.birth_date);
      await page.getByRole("button", { name: "Periksa" }).click();
      await page.getByTestId("check-answer").filter({ hasText: expected }).waitFor();
    }
    // A NIK pasted as it is often written, in groups, is the same NIK: the field keeps all 16 digits.
    await page.getByLabel("NIK (16 digit)").fill("");
    await page.getByLabel("NIK (16 digit)").focus();
    await page.keyboard.insertText(covered.nik.replace(/(\d{4})(?=\d)/g, "$1 "));
    expect(await page.getByLabel("NIK (16 digit)").inputValue()).toBe(covered.nik);
    await page.getByLabel("Tanggal lahir").fill(covered.birth_date);
    await page.getByRole("button", { name: "Periksa" }).click();
    await page
      .getByTestId("check-answer")
      .filter({ hasText: `Terlindungi sampai ${formatDate(covered.answer.until as string)}.` })
      .waitFor();
    // The answer is said with focus kept on the button pressed, not dropped to the page's top.
    expect(await page.evaluate("document.activeElement?.textContent")).toBe("Periksa");
    // A typo is said as such beside the NIK, where focus goes, and nothing is asked of the server.
    let asked = 0;
    page.on("request", (r) => {
      if (r.url().endsWith("/api/v1/public/check")) asked++;
    });
    await page.getByLabel("NIK (16 digit)").fill(covered.nik.slice(0, 4));
    await page.getByRole("button", { name: "Periksa" }).click();
    await expect.poll(() => page.locator("#check-nik-message").textContent()).toBe("NIK harus 16 digit");
    expect(await page.evaluate("document.activeElement?.name")).toBe("nik");
    expect(await page.getByTestId("check-answer").count()).toBe(0);
    expect(asked).toBe(0);
    // The server's refusal of a field is said beside that field by its label, not as "birthDate:" under
    // "Gagal memuat data" (that heading is for data that did not load).
    await page.getByLabel("NIK (16 digit)").fill(covered.nik);
    await page.getByLabel("Tanggal lahir").fill("1970-01-01");
    await page.getByRole("button", { name: "Periksa" }).click();
    // The server says why in both languages ("… / …"); the page shows the half of its own language.
    await expect
      .poll(() => page.locator("#birthDate-error").textContent())
      .toBe("Tanggal lahir tidak sesuai dengan NIK");
    expect(asked).toBe(1);
    expect(await page.getByLabel("Tanggal lahir").getAttribute("aria-invalid")).toBe("true");
    expect(await page.evaluate("document.activeElement?.name")).toBe("birthDate");
    expect(await page.getByText("Gagal memuat data").count()).toBe(0);
    expect(await page.getByText("birthDate").count()).toBe(0);
    await page.getByRole("button", { name: "Switch to English" }).click();
    await expect
      .poll(() => page.locator("#birthDate-error").textContent())
      .toBe("Birth date does not match the NIK");
    await page.getByRole("button", { name: "Ganti ke Bahasa Indonesia" }).click();
    await page.screenshot({ path: join(SHOTS, "public-check-phone.png"), fullPage: true });
    await context.close();
  }, 120_000);
});
