import { describe, expect, it } from "vitest";
import { renderCoverage } from "../../src/cli/render.js";
import type { CoverageReport, CoverageRow } from "../../src/services/coverage.js";

const report: CoverageReport = {
  scope: { kind: "region", id: "61.03", name: "KABUPATEN SANGGAU" },
  date: "2025-07-30",
  known: 12_320,
  protected: 4_519,
  percent: 36.68,
  target: { percent: 58.65, source: "RKC 2025" },
  gap: 2_707,
  unreported: { projects: 3, estimatedWorkers: 41 },
};
const byWorkUnit: CoverageRow[] = [
  { key: "7", code: "PUPR", name: "Dinas PUPR", known: 900, protected: 450, percent: 50 },
  { key: "-", code: "-", name: "(tanpa OPD)", known: 100, protected: 10, percent: 10 },
];

describe("pantau coverage --by", () => {
  it("names each group by the code people know, never the internal id, in the chosen language", () => {
    const id = renderCoverage(report, byWorkUnit, "id").split("\n");
    const en = renderCoverage(report, byWorkUnit, "en").split("\n");
    expect(id.find((l) => l.includes("Dinas PUPR"))).toMatch(/^PUPR\s+Dinas PUPR\s+900\s+450\s+50,00 %$/);
    expect(id.some((l) => /^Kode\s+Nama/.test(l))).toBe(true);
    expect(id.some((l) => /^\s+\(tanpa OPD\)/.test(l))).toBe(true);
    expect(en.some((l) => /^\s+\(no work unit\)\s+100\s+10\s+10\.00 %$/.test(l))).toBe(true);
    expect([...id, ...en].some((l) => /^7\s/.test(l))).toBe(false);
  });
});
