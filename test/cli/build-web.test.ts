import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { webUpToDate } from "../../src/cli/build-web.js";

/**
 * `npm start` rebuilds the dashboard when its build is missing or older than its sources: after a
 * `git pull`, an old build would serve yesterday's pages against today's server.
 */
describe("whether the dashboard's build is current", () => {
  const root = mkdtempSync(join(tmpdir(), "pantau-web-"));
  const dist = join(root, "dist");
  const src = join(root, "src");
  const at = (path: string, seconds: number) => utimesSync(path, seconds, seconds);
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("is not current without a build, current after one, and stale once a source is newer", () => {
    mkdirSync(join(src, "pages"), { recursive: true });
    writeFileSync(join(src, "pages", "targets.tsx"), "export {}");
    at(join(src, "pages", "targets.tsx"), 1_000);
    at(join(src, "pages"), 1_000);
    at(src, 1_000);
    expect(webUpToDate(dist, [src])).toBe(false);

    mkdirSync(dist);
    writeFileSync(join(dist, "index.html"), "<!doctype html>");
    at(join(dist, "index.html"), 2_000);
    expect(webUpToDate(dist, [src, join(root, "missing.ts")])).toBe(true);

    // A page edited (or pulled) after the build, deep in the tree.
    at(join(src, "pages", "targets.tsx"), 3_000);
    expect(webUpToDate(dist, [src])).toBe(false);
  });
});
