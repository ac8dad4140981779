import { existsSync, readdirSync, statSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, gzipSync } from "node:zlib";

export const WEB_ROOT = fileURLToPath(new URL("../../web", import.meta.url));
export const WEB_DIST = join(WEB_ROOT, "dist");
/** Lighthouse-style budget for the JavaScript the first page loads, gzipped (issue 6). */
export const FIRST_PAGE_BUDGET_BYTES = 300 * 1024;
/** Chunks the overview (the first page after signing in) loads lazily before it is complete. */
const FIRST_PAGE_LAZY = ["src/components/chart.tsx"];

/** What the dashboard is built from: its own sources and the domain code it shares with the server. */
const WEB_SOURCES = [
  join(WEB_ROOT, "src"),
  join(WEB_ROOT, "index.html"),
  join(WEB_ROOT, "vite.config.ts"),
  fileURLToPath(new URL("../domain", import.meta.url)),
];

/** The newest modification time under a file or directory, in milliseconds. */
function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), stat.mtimeMs);
}

/**
 * Is web/dist built, and from the sources as they are now? After a `git pull` an old build would serve
 * yesterday's dashboard (pages missing, calls the server no longer answers), so `npm start` rebuilds it.
 */
export function webUpToDate(dist = WEB_DIST, sources: readonly string[] = WEB_SOURCES): boolean {
  const index = join(dist, "index.html");
  if (!existsSync(index)) return false;
  const built = statSync(index).mtimeMs;
  return sources.every((source) => !existsSync(source) || newest(source) <= built);
}

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
}

/**
 * The JavaScript a browser fetches to show the first page completely: the entry chunk, everything it
 * imports statically, and the chart chunk the overview loads right after its figures. Other pages'
 * chunks load only when their route is opened and are left out.
 */
export async function firstPageScripts(dist = WEB_DIST): Promise<{ file: string; gzipBytes: number }[]> {
  const manifest = JSON.parse(await readFile(join(dist, ".vite", "manifest.json"), "utf8")) as Record<
    string,
    ManifestChunk
  >;
  const files = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const k of chunk.imports ?? []) visit(k);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
  for (const key of FIRST_PAGE_LAZY) visit(key);
  return Promise.all(
    [...files].map(async (file) => ({ file, gzipBytes: gzipSync(await readFile(join(dist, file))).length })),
  );
}

/**
 * Build the dashboard with Vite (into web/dist, or `outDir`) and print the first page's gzipped
 * JavaScript against its budget.
 */
export async function buildWeb(
  log: (line: string) => void = console.log,
  outDir = WEB_DIST,
): Promise<{ gzipBytes: number; withinBudget: boolean }> {
  const { build } = await import("vite");
  await build({ configFile: join(WEB_ROOT, "vite.config.ts"), logLevel: "warn", build: { outDir } });
  await precompress(join(outDir, "assets"));
  const scripts = await firstPageScripts(outDir);
  const gzipBytes = scripts.reduce((s, f) => s + f.gzipBytes, 0);
  for (const f of scripts) log(`  ${f.file}  ${(f.gzipBytes / 1024).toFixed(1)} kB gzip`);
  const withinBudget = gzipBytes <= FIRST_PAGE_BUDGET_BYTES;
  log(
    `JS halaman pertama / first-page JS: ${(gzipBytes / 1024).toFixed(1)} kB gzip, ` +
      `batas / budget ${FIRST_PAGE_BUDGET_BYTES / 1024} kB: ${withinBudget ? "OK" : "MELEBIHI / OVER"}`,
  );
  return { gzipBytes, withinBudget };
}

/** Gzip and Brotli copies of the assets, which @fastify/static serves to browsers that accept them. */
async function precompress(dir: string): Promise<void> {
  for (const file of await readdir(dir)) {
    if (!/\.(js|css)$/.test(file)) continue;
    const body = await readFile(join(dir, file));
    await writeFile(join(dir, `${file}.gz`), gzipSync(body, { level: 9 }));
    await writeFile(join(dir, `${file}.br`), brotliCompressSync(body));
  }
}
