import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { buildWeb } from "../../src/cli/build-web.js";
import type { Db } from "../../src/db/connection.js";
import { buildApp } from "../../src/http/app.js";
import { businessClock } from "../../src/services/settings.js";

/** Debian's Chromium (installed by .ci/run); the e2e suite and bench:web drive it with playwright-core. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const chromiumPresent = existsSync(CHROMIUM);

/**
 * The real server (API + dashboard) on a free loopback port, on the business clock of `db`. The
 * dashboard is built from the current source into a directory of its own, removed on close, so a
 * browser test never runs against a stale bundle nor races `pantau serve` building web/dist.
 */
export async function startDashboard(db: Db): Promise<{ url: string; close: () => Promise<void> }> {
  const webRoot = await mkdtemp(join(tmpdir(), "pantau-web-"));
  await buildWeb(() => {}, webRoot);
  const app = await buildApp({ db, config: { logLevel: "warn" }, today: await businessClock(db), webRoot });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await app.close();
      await rm(webRoot, { recursive: true, force: true });
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    // Root in CI has no user namespace for the sandbox; the pages are our own, served on loopback.
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"],
  });
}

/** Sign in through the login form, as a person would, and wait for the signed-in header. */
export async function signIn(
  page: Page,
  baseUrl: string,
  email: string,
  password = "sanggau-2025",
): Promise<void> {
  await page.goto(`${baseUrl}/masuk`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Kata sandi").fill(password);
  await page.getByRole("button", { name: "Masuk", exact: true }).click();
  await page.getByRole("button", { name: "Keluar" }).waitFor();
}
