import type { Lang } from "./format.js";

/**
 * Whole rupiah as people type them: 1500000, or grouped in thousands the way the language writes them
 * (1.500.000 in Indonesian, 1,500,000 in English), with or without "Rp". Sen are not paid. A payment on
 * the project page and a contract value on the new-project form are read the same way.
 */
export function parseRupiah(text: string, lang: Lang): number | null {
  // Zero sen as transfer slips write them: "1.500.000,00" or "1.500.000,-" (Indonesian), "1,500,000.00".
  const noSen = lang === "id" ? /(,00|,-)$/ : /\.00$/;
  const digits = text
    .trim()
    .replace(/^Rp\.?\s*/i, "")
    .replace(noSen, "");
  const grouped = lang === "id" ? /^\d{1,3}(\.\d{3})+$/ : /^\d{1,3}(,\d{3})+$/;
  if (!/^\d+$/.test(digits) && !grouped.test(digits)) return null;
  const n = Number(digits.replace(/[.,]/g, ""));
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}
