import { type IsoDate, isCalendarDate, toIsoDate } from "./dates.js";
import type { Bilingual } from "./errors.js";

/**
 * NIK (Nomor Induk Kependudukan), 16 digits: PP KK CC (province, regency, sub-district of issue),
 * DD MM YY (birth date, 40 added to the day for women), SSSS (serial, from 0001).
 * Source: Permendagri 72/2019 on the KTP-el; UU 24/2013 on population administration.
 * A NIK is personal data (UU 27/2022): callers show `maskNik` and never log it.
 */
export type Sex = "M" | "F";

export interface ParsedNik {
  nik: string;
  /** `PP.KK.CC`, the sub-district that issued the NIK. */
  regionCode: string;
  birthDate: IsoDate;
  sex: Sex;
  serial: string;
}

export type NikErrorCode =
  | "NIK_REQUIRED"
  | "NIK_SCIENTIFIC"
  | "NIK_NOT_DIGITS"
  | "NIK_LENGTH"
  | "NIK_REGION_INVALID"
  | "NIK_INVALID_DATE"
  | "NIK_FUTURE_DATE"
  | "NIK_SERIAL_ZERO";

export type NikMismatchCode = "NIK_BIRTH_DATE_MISMATCH" | "NIK_SEX_MISMATCH";

const MESSAGES: Record<NikErrorCode | NikMismatchCode, Bilingual> = {
  NIK_REQUIRED: { id: "NIK wajib diisi", en: "NIK is required" },
  NIK_SCIENTIFIC: {
    id: "NIK tersimpan sebagai angka dalam notasi ilmiah (mis. 6,10301E+15), sehingga digitnya hilang: format kolom NIK sebagai Teks, lalu ketik ulang NIK-nya",
    en: "The NIK was saved as a number in scientific notation (e.g. 6.10301E+15), which loses its digits: format the NIK column as Text, then type the NIK again",
  },
  NIK_NOT_DIGITS: { id: "NIK hanya boleh berisi angka", en: "NIK must contain digits only" },
  NIK_LENGTH: { id: "NIK harus 16 digit", en: "NIK must be 16 digits long" },
  NIK_REGION_INVALID: {
    id: "Kode wilayah pada NIK (6 digit pertama) tidak valid",
    en: "The region part of the NIK (first 6 digits) is invalid",
  },
  NIK_INVALID_DATE: {
    id: "Tanggal lahir pada NIK (digit 7–12) bukan tanggal yang ada",
    en: "The birth date in the NIK (digits 7–12) is not a real date",
  },
  NIK_FUTURE_DATE: {
    id: "Tanggal lahir pada NIK berada di masa depan",
    en: "The birth date in the NIK lies in the future",
  },
  NIK_SERIAL_ZERO: {
    id: "Nomor urut NIK (4 digit terakhir) tidak boleh 0000",
    en: "The NIK serial (last 4 digits) cannot be 0000",
  },
  NIK_BIRTH_DATE_MISMATCH: {
    id: "Tanggal lahir tidak sesuai dengan NIK",
    en: "Birth date does not match the NIK",
  },
  NIK_SEX_MISMATCH: { id: "Jenis kelamin tidak sesuai dengan NIK", en: "Sex does not match the NIK" },
};

export function nikMessage(code: NikErrorCode | NikMismatchCode): Bilingual {
  return MESSAGES[code];
}

export type NikResult =
  | { ok: true; value: ParsedNik }
  | { ok: false; code: NikErrorCode; message: Bilingual };

/**
 * The province codes a NIK can start with: the 38 provinces of Kepmendagri 100.1.1-6117/2022 (the same
 * list as idn-area-data's provinces.csv, checked by test/domain/nik.test.ts). Papua's older NIKs start
 * with 91 or 94, both still in it.
 */
export const NIK_PROVINCES: ReadonlySet<string> = new Set(
  "11 12 13 14 15 16 17 18 19 21 31 32 33 34 35 36 51 52 53 61 62 63 64 65 71 72 73 74 75 76 81 82 91 92 93 94 95 96".split(
    " ",
  ),
);

/** A number as Excel writes a large one: `6,10301E+15`, `6.103011107890E+15`. */
const SCIENTIFIC = /^\d(?:[.,]\d+)?[eE]\+\d{1,2}$/;

const fail = (code: NikErrorCode): NikResult => ({ ok: false, code, message: MESSAGES[code] });

/**
 * Parse a NIK. The two-digit year is read as the most recent year not after `today`, so a NIK
 * with year 05 is 2005 when checked in 2025 and a NIK with year 70 is 1970.
 */
export function parseNik(input: string, today: IsoDate): NikResult {
  // Blanks anywhere are dropped: a NIK is often written in groups (6103 0112 0385 0012), and a
  // pasted one carries spaces around it.
  const nik = input.replace(/\s+/g, "");
  if (nik === "") return fail("NIK_REQUIRED");
  // A spreadsheet that held the NIK as a number writes it so, keeping 15 digits at most: not recoverable.
  if (SCIENTIFIC.test(nik)) return fail("NIK_SCIENTIFIC");
  if (!/^\d+$/.test(nik)) return fail("NIK_NOT_DIGITS");
  if (nik.length !== 16) return fail("NIK_LENGTH");

  const [pp, kk, cc] = [nik.slice(0, 2), nik.slice(2, 4), nik.slice(4, 6)];
  // Regency and sub-district parts are never 00.
  if (!NIK_PROVINCES.has(pp) || kk === "00" || cc === "00") return fail("NIK_REGION_INVALID");

  const rawDay = Number(nik.slice(6, 8));
  const month = Number(nik.slice(8, 10));
  const yy = Number(nik.slice(10, 12));
  const sex: Sex = rawDay > 40 ? "F" : "M";
  const day = sex === "F" ? rawDay - 40 : rawDay;

  const currentYear = Number(today.slice(0, 4));
  const century = 2000 + yy <= currentYear ? 2000 : 1900;
  const year = century + yy;
  if (!isCalendarDate(year, month, day)) return fail("NIK_INVALID_DATE");
  const birthDate = toIsoDate(year, month, day);
  if (birthDate > today) return fail("NIK_FUTURE_DATE");

  const serial = nik.slice(12);
  if (serial === "0000") return fail("NIK_SERIAL_ZERO");

  return { ok: true, value: { nik, regionCode: `${pp}.${kk}.${cc}`, birthDate, sex, serial } };
}

/** Differences between what a NIK encodes and what was declared beside it (flags, not rejections). */
export function nikMismatches(
  parsed: ParsedNik,
  declared: { birthDate?: IsoDate | null; sex?: Sex | null },
): { code: NikMismatchCode; message: Bilingual }[] {
  const found: NikMismatchCode[] = [];
  if (declared.birthDate && declared.birthDate !== parsed.birthDate) found.push("NIK_BIRTH_DATE_MISMATCH");
  if (declared.sex && declared.sex !== parsed.sex) found.push("NIK_SEX_MISMATCH");
  return found.map((code) => ({ code, message: MESSAGES[code] }));
}

/** The regency that issued a NIK, `PP.KK`: a person's home (their distribution key). */
export function issuingRegency(nik: string): string {
  return `${nik.slice(0, 2)}.${nik.slice(2, 4)}`;
}

/** `6103011203850012` → `6103••••••••0012`: the issuing regency and the serial stay readable. */
export function maskNik(nik: string): string {
  if (nik.length <= 8) return "•".repeat(nik.length);
  return nik.slice(0, 4) + "•".repeat(nik.length - 8) + nik.slice(-4);
}

/** Build a NIK from its parts (the demo generator and tests use it; women get 40 added to the day). */
export function composeNik(parts: {
  regionCode: string;
  birthDate: IsoDate;
  sex: Sex;
  serial: number;
}): string {
  const region = parts.regionCode.replaceAll(".", "");
  const day = Number(parts.birthDate.slice(8, 10)) + (parts.sex === "F" ? 40 : 0);
  const mm = parts.birthDate.slice(5, 7);
  const yy = parts.birthDate.slice(2, 4);
  return `${region}${String(day).padStart(2, "0")}${mm}${yy}${String(parts.serial).padStart(4, "0")}`;
}
