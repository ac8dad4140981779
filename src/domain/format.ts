import type { IsoDate } from "./dates.js";

/** Indonesian formats by default (Rp 1.234.567, 36,68 %, 30 Juli 2025), English on request. */
export type Lang = "id" | "en";
const LOCALE: Record<Lang, string> = { id: "id-ID", en: "en-GB" };

export function formatNumber(n: number, lang: Lang = "id"): string {
  return n.toLocaleString(LOCALE[lang], { maximumFractionDigits: 0 });
}

export function formatRupiah(n: number, lang: Lang = "id"): string {
  // Intl puts a no-break space after "Rp"; a plain space prints and greps the same everywhere.
  return `Rp ${formatNumber(n, lang)}`;
}

export function formatPercent(percent: number | null, lang: Lang = "id"): string {
  if (percent === null) return "–";
  return `${percent.toLocaleString(LOCALE[lang], { minimumFractionDigits: 2, maximumFractionDigits: 2 })} %`;
}

export function formatDate(date: IsoDate, lang: Lang = "id"): string {
  return new Date(`${date}T00:00:00Z`).toLocaleDateString(LOCALE[lang], {
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  });
}

/** A monthly period `YYYY-MM` as officers write it: "Juli 2025", or "Jul 25" for a chart axis. */
export function formatMonth(period: string, lang: Lang = "id", short = false): string {
  return new Date(`${period}-01T00:00:00Z`).toLocaleDateString(LOCALE[lang], {
    month: short ? "short" : "long",
    year: short ? "2-digit" : "numeric",
    timeZone: "UTC",
  });
}
