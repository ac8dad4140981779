import { RULES } from "../domain/compliance.js";
import { formatDate, formatNumber, formatPercent, type Lang } from "../domain/format.js";
import { displayName } from "../domain/regions.js";
import type { RowError } from "../domain/worker-report.js";
import type { RunSummary } from "../services/compliance.js";
import type { CoverageReport, CoverageRow } from "../services/coverage.js";
import type { ImportResult } from "../services/imports.js";

const LABELS = {
  id: {
    title: "Cakupan kepesertaan BPJS Ketenagakerjaan pekerja jasa konstruksi",
    known: "Pekerja diketahui (dilaporkan)",
    protected: "Pekerja terlindungi (JKK + JKM)",
    coverage: "Cakupan",
    target: "Target",
    gap: "Kekurangan menuju target (pekerja)",
    none: "belum ditetapkan",
    unreported: (p: string, w: string) =>
      `Proyek berjalan yang belum melapor pekerja: ${p} (perkiraan ${w} pekerja, tidak dihitung di atas)`,
    code: "Kode",
    name: "Nama",
    noWorkUnit: "(tanpa OPD)",
    knownShort: "Diketahui",
    protectedShort: "Terlindungi",
  },
  en: {
    title: "BPJS Ketenagakerjaan coverage of construction workers",
    known: "Workers known (reported)",
    protected: "Workers protected (JKK + JKM)",
    coverage: "Coverage",
    target: "Target",
    gap: "Gap to target (workers)",
    none: "not set",
    unreported: (p: string, w: string) =>
      `Working projects that reported no workers: ${p} (estimated ${w} workers, not counted above)`,
    code: "Code",
    name: "Name",
    noWorkUnit: "(no work unit)",
    knownShort: "Known",
    protectedShort: "Protected",
  },
} as const;

/** Columns padded to width; numbers right-aligned. */
function table(rows: readonly (readonly string[])[], rightAligned: readonly boolean[]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, c) => (rightAligned[c] ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0)))
        .join("  "),
    )
    .join("\n");
}

export function renderCoverage(
  report: CoverageReport,
  breakdown: readonly CoverageRow[] | null,
  lang: Lang,
): string {
  const L = LABELS[lang];
  const n = (v: number) => formatNumber(v, lang);
  const name = report.scope.kind === "region" ? displayName(report.scope.name) : report.scope.name;
  const lines = [
    `${L.title}`,
    `${name} (${report.scope.id}), ${formatDate(report.date, lang)}`,
    "",
    table(
      [
        [L.known, n(report.known)],
        [L.protected, n(report.protected)],
        [L.coverage, formatPercent(report.percent, lang)],
        [
          `${L.target} ${report.date.slice(0, 4)}`,
          report.target ? formatPercent(report.target.percent, lang) : L.none,
        ],
        [L.gap, report.gap === null ? "–" : n(report.gap)],
      ],
      [false, true],
    ),
    "",
    L.unreported(n(report.unreported.projects), n(report.unreported.estimatedWorkers)),
  ];
  if (breakdown) {
    lines.push(
      "",
      table(
        [
          // The code people know a group by (OPD code, NIB, package code), never the internal id.
          [L.code, L.name, L.knownShort, L.protectedShort, L.coverage],
          ...breakdown.map((r) => [
            r.key === "-" ? "" : r.code,
            r.key === "-" ? L.noWorkUnit : r.name,
            n(r.known),
            n(r.protected),
            formatPercent(r.percent, lang),
          ]),
        ],
        [false, false, true, true, true],
      ),
    );
  }
  return lines.join("\n");
}

export function renderImport(result: ImportResult, lang: Lang, shown = 50): string {
  const head =
    lang === "id"
      ? `${result.rows} baris: ${result.accepted} diterima, ${result.duplicates} duplikat (tidak mengubah apa pun), ${result.rejected} ditolak`
      : `${result.rows} rows: ${result.accepted} accepted, ${result.duplicates} duplicates (no change), ${result.rejected} rejected`;
  const lines = result.errors
    .slice(0, shown)
    .map((e: RowError) => `  baris/row ${e.row}, ${e.field}: ${e.message[lang]} [${e.code}]`);
  if (result.errors.length > shown) lines.push(`  … ${result.errors.length - shown} more`);
  return [head, ...lines].join("\n");
}

const RULE_NAMES: Record<string, { id: string; en: string }> = {
  UNREGISTERED: { id: "1 Bekerja tanpa terdaftar BPJS", en: "1 Working without BPJS registration" },
  LATE_REGISTRATION: { id: "2 Terlambat mendaftar", en: "2 Registered late" },
  ARREARS: { id: "3 Tunggakan iuran", en: "3 Contribution arrears" },
  UNDER_REPORTING: { id: "4 Pekerja kurang dilaporkan", en: "4 Workers under-reported" },
  UNPROTECTED_WORKERS: { id: "5 Pekerja tidak terlindungi > N hari", en: "5 Workers unprotected > N days" },
  REPEAT_OFFENDER: { id: "6 Pelanggaran berulang", en: "6 Repeat offender" },
};

export function renderCompliance(s: RunSummary, lang: Lang): string {
  const n = (v: number) => formatNumber(v, lang);
  const head =
    lang === "id"
      ? `Kepatuhan ${s.regencyCode}, ${formatDate(s.date, lang)}: ${n(s.projects)} proyek dievaluasi (${s.mode === "full" ? "penuh" : "yang berubah"}); temuan baru ${n(s.opened)}, diperbarui ${n(s.updated)}, selesai ${n(s.resolved)}; kasus baru ${n(s.casesOpened)}, kasus selesai ${n(s.casesResolved)}`
      : `Compliance ${s.regencyCode}, ${formatDate(s.date, lang)}: ${n(s.projects)} projects evaluated (${s.mode}); findings new ${n(s.opened)}, updated ${n(s.updated)}, resolved ${n(s.resolved)}; cases opened ${n(s.casesOpened)}, resolved ${n(s.casesResolved)}`;
  const rows = RULES.map((r) => {
    const c = s.byRule[r];
    return [RULE_NAMES[r]?.[lang] ?? r, n(c.high), n(c.medium), n(c.low), n(c.high + c.medium + c.low)];
  });
  const header =
    lang === "id"
      ? ["Aturan (temuan terbuka)", "Tinggi", "Sedang", "Rendah", "Jumlah"]
      : ["Rule (open findings)", "High", "Medium", "Low", "Total"];
  return [head, "", table([header, ...rows], [false, true, true, true, true])].join("\n");
}
