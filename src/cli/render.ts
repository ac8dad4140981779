import { formatDate, formatNumber, formatPercent, type Lang } from "../domain/format.js";
import { displayName } from "../domain/regions.js";
import type { RowError } from "../domain/worker-report.js";
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
    name: "Nama",
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
    name: "Name",
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
          ["", L.name, L.knownShort, L.protectedShort, L.coverage],
          ...breakdown.map((r) => [
            r.key,
            r.name,
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
