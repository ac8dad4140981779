import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { AxeBuilder } from "@axe-core/playwright";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import type { Db } from "../../src/db/connection.js";
import { loadSanggauDemo } from "../../src/demo/load.js";
import { DEMO_LOGINS } from "../../src/demo/users.js";
import { systemActor } from "../../src/services/actor.js";
import { launchChromium, signIn, startDashboard } from "./dashboard.js";
import { freshDatabase, type TestDatabase } from "./databases.js";

/** Where the browser suites keep a screenshot of each page they check (ignored by git). */
export const SHOTS = join(import.meta.dirname, "..", "e2e", "screenshots");

export const demoLogin = (role: string) => DEMO_LOGINS.find((l) => l.role === role)?.email as string;

export interface DemoInChromium {
  db: Db;
  url: string;
  /** A fresh browser context in Indonesian, on Jakarta's clock; a script error on the page fails the test. */
  newPage(width?: number): Promise<{ context: BrowserContext; page: Page }>;
  /** A new page signed in as the demo's user of `role`. */
  signedIn(role: string, width?: number): Promise<{ context: BrowserContext; page: Page }>;
  /** An API answer read with the page's session; anything but 200 fails the test. */
  getJson<T>(page: Page, path: string): Promise<T>;
}

/**
 * A browser suite's setup: the Sanggau demo in a fresh embedded database (with `prepare` adding the
 * suite's own rows), served by the real server, and Debian's Chromium; all closed after the suite.
 */
export function demoInChromium(prepare?: (db: Db) => Promise<void>): DemoInChromium {
  let t: TestDatabase;
  let server: { url: string; close: () => Promise<void> };
  let browser: Browser;
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    t = await freshDatabase("pglite");
    await loadSanggauDemo(t.db, { seed: 2025, today: "2026-01-15", actor: systemActor("demo") });
    await prepare?.(t.db);
    server = await startDashboard(t.db);
    browser = await launchChromium();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.close();
  });
  return {
    get db() {
      return t.db;
    },
    get url() {
      return server.url;
    },
    async newPage(width = 1280) {
      const context = await browser.newContext({
        locale: "id-ID",
        timezoneId: "Asia/Jakarta",
        viewport: { width, height: 900 },
      });
      const page = await context.newPage();
      page.on("pageerror", (e) => {
        throw e;
      });
      return { context, page };
    },
    async signedIn(role, width) {
      const opened = await this.newPage(width);
      await signIn(opened.page, server.url, demoLogin(role));
      return opened;
    },
    async getJson<T>(page: Page, path: string): Promise<T> {
      const res = await page.request.get(`${server.url}${path}`);
      expect(res.status(), path).toBe(200);
      return (await res.json()) as T;
    },
  };
}

/** Wait until no loading indicator is left and the network is quiet. */
export async function settle(page: Page): Promise<void> {
  await page.waitForLoadState("networkidle");
  // Counted from outside the page: a string predicate is evaluated inside it, which its CSP may refuse.
  await expect.poll(() => page.locator("[role=status].state").count(), { timeout: 30_000 }).toBe(0);
}

/** A page as a user meets it: loaded, no error shown, a heading, and no serious axe-core fault. */
export async function checkPage(page: Page, name: string): Promise<void> {
  await settle(page);
  const failures = await page.locator(".error[role=alert]").allInnerTexts();
  expect(failures, `${name}: error on page`).toEqual([]);
  await expect(page.locator("h1").first().isVisible(), `${name}: has a heading`).resolves.toBe(true);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = axe.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(serious, `${name}: axe-core serious violations`).toEqual([]);
}
