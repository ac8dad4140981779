import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pantauIn } from "../support/cli.js";

/** The real `pantau` command, in a directory of its own (the default output lands there). */
const pantau = (env: NodeJS.ProcessEnv, cwd: string, ...args: string[]) => pantauIn(cwd)(env, ...args);

describe("pantau report monev (the Sanggau demo)", () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "pantau-monev-cli-"));
    const { DATABASE_URL: _, ...rest } = process.env;
    env = { ...rest, PANTAU_DATA_DIR: join(dir, "data") };
    const demo = await pantau(env, dir, "demo");
    expect(demo.code).toBe(0);
  }, 180_000);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("documents itself", async () => {
    const res = await pantau(env, dir, "report", "monev", "--help");
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^Usage: pantau report monev/m);
    expect(res.stdout).toContain("--format");
  });

  it("writes monev-61.03-2025-07.xlsx by default, on the business date, and prints its path", async () => {
    const res = await pantau(env, dir, "report", "monev", "--region", "61.03", "--period", "2025-07");
    expect(res.code, res.stderr).toBe(0);
    const path = join(dir, "monev-61.03-2025-07.xlsx");
    expect(res.stdout.trim()).toBe(path);
    expect(res.stderr).toContain("Monev 61.03 2025-07 [");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(path) as unknown as ArrayBuffer);
    const values = (wb.getWorksheet("Ringkasan") as ExcelJS.Worksheet).getColumn(2).values;
    expect(values).toEqual(expect.arrayContaining([12_320, 4_519, 36.68, 58.65, 2_707]));
  }, 60_000);

  it("writes the PDF to --out", async () => {
    const out = join(dir, "laporan.pdf");
    const res = await pantau(
      env,
      dir,
      "report",
      "monev",
      "--period",
      "2025-07",
      "--format",
      "pdf",
      "--out",
      out,
    );
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout.trim()).toBe(out);
    expect(readFileSync(out).subarray(0, 5).toString()).toBe("%PDF-");
    expect(statSync(out).size).toBeGreaterThan(5_000);
  }, 60_000);

  it("refuses a malformed period and a month that has not begun, clearly", async () => {
    const bad = await pantau(env, dir, "report", "monev", "--period", "07-2025");
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("period must be YYYY-MM");
    const future = await pantau(env, dir, "report", "monev", "--period", "2025-09");
    expect(future.code).not.toBe(0);
    expect(future.stderr).toContain("PERIOD_IN_FUTURE");
  }, 60_000);
});
