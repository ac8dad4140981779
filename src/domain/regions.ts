import { DomainError } from "./errors.js";

/**
 * Kemendagri region codes: province `61` → regency `61.03` → sub-district (kecamatan) `61.03.01`
 * → village `61.03.01.2001`. The tree itself is data (loaded from `idn-area-data` at migrate time);
 * this module only knows the shape of the codes. Codes are not contiguous, so never derive them.
 */
export type RegionLevel = "province" | "regency" | "district" | "village";

export interface Region {
  code: string;
  parentCode: string | null;
  level: RegionLevel;
  name: string;
}

const LEVELS: readonly { level: RegionLevel; pattern: RegExp }[] = [
  { level: "province", pattern: /^\d{2}$/ },
  { level: "regency", pattern: /^\d{2}\.\d{2}$/ },
  { level: "district", pattern: /^\d{2}\.\d{2}\.\d{2}$/ },
  { level: "village", pattern: /^\d{2}\.\d{2}\.\d{2}\.\d{4}$/ },
];

/** The level of a well-formed code, or null when the code has no Kemendagri shape. */
export function regionLevel(code: string): RegionLevel | null {
  return LEVELS.find((l) => l.pattern.test(code))?.level ?? null;
}

export function parseRegionCode(code: string): {
  code: string;
  level: RegionLevel;
  parentCode: string | null;
} {
  const level = regionLevel(code);
  if (!level || code.split(".").some((part) => /^0+$/.test(part))) {
    throw new DomainError(
      "REGION_CODE_INVALID",
      `Kode wilayah tidak valid: "${code}" / invalid region code "${code}"`,
      { code },
    );
  }
  return { code, level, parentCode: parentOf(code) };
}

export function parentOf(code: string): string | null {
  const cut = code.lastIndexOf(".");
  return cut < 0 ? null : code.slice(0, cut);
}

/** The regency (kabupaten/kota) a code lies in: the distribution key of every large table. */
export function regencyOf(code: string): string {
  const level = parseRegionCode(code).level;
  if (level === "province") {
    throw new DomainError("REGION_NOT_IN_REGENCY", `Provinsi ${code} tidak berada di satu kabupaten/kota`, {
      code,
    });
  }
  return code.slice(0, 5);
}

/** True when `code` equals `ancestor` or lies beneath it in the tree. */
export function isWithin(code: string, ancestor: string): boolean {
  return code === ancestor || code.startsWith(`${ancestor}.`);
}

/** Region code of the place that issued a NIK: its first six digits as `PP.KK.CC`. */
export function regionCodeFromDigits(pp: string, kk: string, cc: string): string {
  return `${pp}.${kk}.${cc}`;
}

/** Children of a region, by name, from a list of regions (e.g. Sanggau's 15 sub-districts). */
export function childrenOf(regions: readonly Region[], parentCode: string): Region[] {
  return regions.filter((r) => r.parentCode === parentCode).sort((a, b) => a.code.localeCompare(b.code));
}

/** Title-case an upper-case Kemendagri name ("KABUPATEN SANGGAU" → "Kabupaten Sanggau"). */
export function displayName(name: string): string {
  return name
    .toLowerCase()
    .replace(/(^|[\s\-(/])(\p{L})/gu, (_, sep: string, ch: string) => sep + ch.toUpperCase());
}

/**
 * The head of a regency's government and the short name of the place, as letters address and date
 * them: a kabupaten has a Bupati, a kota a Wali Kota (UU 23/2014 ps. 59 ayat (2)); Jakarta's
 * administrative ones too ("Kota Administrasi Jakarta Pusat" → Wali Kota Jakarta Pusat).
 */
export function regencyGovernment(name: string): { head: "Bupati" | "Wali Kota"; place: string } {
  const place = name.replace(/^(Kabupaten|Kota)( Administrasi)? /i, "");
  return { head: /^Kota /i.test(name) ? "Wali Kota" : "Bupati", place };
}
