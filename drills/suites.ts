import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { DrillContext, DrillRow } from "./drill.js";

/** The items 4–6 that are proved by tests rather than by processes: what each file injects. */
const SUITES: [file: string, faults: string][] = [
  [
    "test/fuzz/importers.test.ts",
    "random bytes, wrong encodings, broken quotes, huge cells, formulas, SQL, NUL",
  ],
  ["test/fuzz/nik.test.ts", "arbitrary strings, other scripts' digits, 1 M-character NIKs"],
  ["test/fuzz/routes.test.ts", "every route: wrong types, huge strings, __proto__, SQL, unicode"],
  ["test/fuzz/exports.test.ts", "formula injection in names written to CSV and XLSX"],
  ["test/http/logs.test.ts", "NIKs, passwords and tokens in requests; logs grepped"],
  ["test/http/security.test.ts", "fixation, CSRF, revoked tokens, rate limits, headers"],
  ["test/db/nik-vault.test.ts", "every table read for clear NIKs; a wrong key"],
  ["test/services/backup.test.ts", "round trips across engines; truncated, corrupt, foreign files"],
  ["test/services/audit.test.ts", "a tampered audit row"],
  ["test/db/data-dir-lock.test.ts", "a second process on one PGlite directory"],
];

interface VitestReport {
  testResults: { name: string; assertionResults: { status: string; fullName: string }[] }[];
}

/**
 * Drill 6: the test files that fuzz the inputs and check the security controls, backup and audit, run
 * by vitest on the embedded PGlite (CI runs them on PostgreSQL too). A line per file; any failed test
 * fails the drill.
 */
export async function suitesDrill(ctx: DrillContext): Promise<DrillRow[]> {
  const root = resolve(import.meta.dirname, "..");
  const output = join(ctx.dir, "suites.json");
  const { DATABASE_URL: _, ...env } = process.env;
  const code = await new Promise<number | null>((done) => {
    const child = spawn(
      process.execPath,
      [
        join(root, "node_modules", "vitest", "vitest.mjs"),
        "run",
        ...SUITES.map(([f]) => f),
        "--reporter=json",
        `--outputFile=${output}`,
      ],
      { cwd: root, env, stdio: "ignore" },
    );
    child.once("exit", done);
  });
  const report = JSON.parse(readFileSync(output, "utf8")) as VitestReport;
  return SUITES.map(([file, faults]) => {
    const results = report.testResults.find((r) => r.name.endsWith(file))?.assertionResults ?? [];
    const passed = results.filter((r) => r.status === "passed");
    const failed = results.filter((r) => r.status === "failed");
    return {
      scenario: `6 ${file.replace(/^test\//, "").replace(/\.test\.ts$/, "")}`,
      load: `${results.length} tests`,
      faults,
      failures: [
        ...(results.length === 0 ? [`no results (vitest exited ${code})`] : []),
        ...failed.map((r) => r.fullName),
      ],
      notes: failed.length === 0 ? [] : [`6: ${passed.length} of ${results.length} passed in ${file}`],
    };
  });
}
