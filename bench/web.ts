/**
 * `npm run bench:web`: how fast the overview renders for a BPJS officer on the Sanggau demo, in
 * headless Chromium against the real server (PGlite, as `npm start` runs it). Each round is a cold
 * browser context (no cache), so it pays for the JavaScript, the API queries and the charts. The
 * baseline, measured in the same run, is the public check page: the same bundle with no data to fetch.
 */
import type { BrowserContext, Page } from "playwright-core";
import { FIRST_PAGE_BUDGET_BYTES } from "../src/cli/build-web.js";
import { openDatabase } from "../src/db/connection.js";
import { migrateToLatest } from "../src/db/migrate.js";
import { loadSanggauDemo } from "../src/demo/load.js";
import { SANGGAU } from "../src/demo/sanggau.js";
import { systemActor } from "../src/services/actor.js";
import { chromiumPresent, launchChromium, startDashboard } from "../test/support/dashboard.js";
import { benchDatabase } from "./database.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const TARGET_MS = 1000;

if (!chromiumPresent) throw new Error("bench:web needs Debian's Chromium at /usr/bin/chromium");

// PGlite in memory, as `npm start` runs; a PostgreSQL server instead when DATABASE_URL is set.
const postgres = process.env.DATABASE_URL ? await benchDatabase("bench:web") : null;
const database = postgres ?? (await openDatabase({ memory: true }));
const backend = postgres ? "PostgreSQL" : "PGlite";
if (!postgres) await migrateToLatest(database.db);
console.log("Memuat demo Sanggau…");
await loadSanggauDemo(database.db, { seed: 2025, today: "2026-01-01", actor: systemActor("bench") });
const server = await startDashboard(database.db);
const browser = await launchChromium();

// One sign-in (the login route is rate limited); every round starts a cold context with its cookie.
const signIn = await browser.newContext();
const login = await signIn.request.post(`${server.url}/api/v1/auth/login`, {
  data: { email: "bpjs@demo.pantau.id", password: "sanggau-2025" },
});
if (!login.ok()) throw new Error(`login failed: ${login.status()}`);
const session = await signIn.storageState();
await signIn.close();

const signedInContext = (): Promise<BrowserContext> =>
  browser.newContext({ locale: "id-ID", viewport: { width: 1280, height: 900 }, storageState: session });

/** Milliseconds from navigation to `ready`, and the JavaScript bytes that crossed the wire. */
async function timeLoad(path: string, ready: (page: Page) => Promise<number>) {
  const context = await signedInContext();
  const page = await context.newPage();
  let scriptBytes = 0;
  page.on("requestfinished", async (request) => {
    if (request.resourceType() === "script") scriptBytes += (await request.sizes()).responseBodySize;
  });
  await page.goto(`${server.url}${path}`, { waitUntil: "commit" });
  const ms = await ready(page);
  await context.close();
  return { ms, scriptBytes };
}

/** The few browser globals the readiness checks touch (this file is type-checked for Node). */
type PageGlobals = {
  document: {
    querySelector(selector: string): { textContent: string | null } | null;
    querySelectorAll(selector: string): { length: number };
  };
  performance: { now(): number };
  __ready?: number;
};

/**
 * Each check runs in the page on every animation frame and notes the first frame on which the page is
 * complete, so the time is the browser's own since navigation start, not the driver's polling.
 */
async function readyTime(page: Page, check: () => boolean): Promise<number> {
  await page.waitForFunction(check, undefined, { polling: "raf" });
  return (await page.evaluate(() => (globalThis as unknown as PageGlobals).__ready)) as number;
}

/** The overview is complete when its figures, all four charts and the plan table are on screen. */
const overviewReady = (page: Page) =>
  readyTime(page, () => {
    const g = globalThis as unknown as PageGlobals;
    const ok =
      g.document.querySelector("[data-testid=kpis]") !== null &&
      g.document.querySelectorAll("canvas").length >= 4 &&
      g.document.querySelector("section.card:last-of-type tbody tr") !== null &&
      g.document.querySelector("[role=status].state") === null;
    if (ok) g.__ready ??= g.performance.now();
    return ok;
  });
const baselineReady = (page: Page) =>
  readyTime(page, () => {
    const g = globalThis as unknown as PageGlobals;
    const ok = g.document.querySelector("main h1")?.textContent?.startsWith("Cek perlindungan") === true;
    if (ok) g.__ready ??= g.performance.now();
    return ok;
  });

const overviewPath = `/?date=${SANGGAU.snapshotDate}`;
await timeLoad(overviewPath, overviewReady); // warm the server's query plans once, as a running server has them
const overview: number[] = [];
const baseline: number[] = [];
let scriptBytes = 0;
for (let i = 0; i < ROUNDS; i++) {
  const o = await timeLoad(overviewPath, overviewReady);
  overview.push(o.ms);
  scriptBytes = o.scriptBytes;
  baseline.push((await timeLoad("/cek", baselineReady)).ms);
}
await browser.close();
await server.close();
await (postgres ? postgres.drop() : database.close());

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const worst = (xs: number[]) => Math.max(...xs);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
console.log(`\nbench:web — ${ROUNDS} cold loads each, headless Chromium, Sanggau demo on ${backend}`);
console.log(
  `  ringkasan / overview (figures + 4 charts + plan table): median ${median(overview).toFixed(0)} ms, worst ${worst(overview).toFixed(0)} ms`,
);
console.log(
  `  baseline: cek perlindungan (same bundle, no data): median ${median(baseline).toFixed(0)} ms, worst ${worst(baseline).toFixed(0)} ms`,
);
console.log(`  ratio overview / baseline: ${(median(overview) / median(baseline)).toFixed(2)}`);
console.log(
  `  JavaScript transferred for the overview: ${kb(scriptBytes)} (budget ${kb(FIRST_PAGE_BUDGET_BYTES)} gzip)`,
);
console.log(
  `  target: overview under ${TARGET_MS} ms — ${median(overview) < TARGET_MS ? "met" : "NOT met"} (median)`,
);
