import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays } from "../../src/domain/dates.js";
import {
  composeNik,
  maskNik,
  NIK_PROVINCES,
  type NikErrorCode,
  type NikResult,
  nikMessage,
  nikMismatches,
  type ParsedNik,
  parseNik,
  type Sex,
} from "../../src/domain/nik.js";

const TODAY = "2025-07-30";

function parsedOk(input: string, today = TODAY): ParsedNik {
  const result = parseNik(input, today);
  if (!result.ok) throw new Error(`expected ${input} to parse, got ${result.code}`);
  return result.value;
}

function failure(result: NikResult): { code: NikErrorCode; id: string; en: string } {
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result.value)}`);
  return { code: result.code, id: result.message.id, en: result.message.en };
}

describe("parseNik: valid NIKs", () => {
  it("reads region, birth date, sex and serial of a man's NIK", () => {
    expect(parseNik("6103011203850012", TODAY)).toEqual({
      ok: true,
      value: {
        nik: "6103011203850012",
        regionCode: "61.03.01",
        birthDate: "1985-03-12",
        sex: "M",
        serial: "0012",
      },
    });
  });

  it("subtracts 40 from the day of a woman's NIK", () => {
    // Day 52 = 12 + 40.
    expect(parsedOk("6103015203850012")).toEqual({
      nik: "6103015203850012",
      regionCode: "61.03.01",
      birthDate: "1985-03-12",
      sex: "F",
      serial: "0012",
    });
    expect(parsedOk("6103214101900001")).toMatchObject({
      regionCode: "61.03.21",
      birthDate: "1990-01-01",
      sex: "F",
    });
    expect(parsedOk("6103017101900001")).toMatchObject({ birthDate: "1990-01-31", sex: "F" });
  });

  it("drops blanks around and between the digits: a NIK written in groups is the same NIK", () => {
    expect(parsedOk("  6103011203850012\t").nik).toBe("6103011203850012");
    expect(parsedOk("6103 0112 0385 0012").nik).toBe("6103011203850012");
    expect(parsedOk("610301 120385 0012\u00a0").nik).toBe("6103011203850012");
  });

  it("knows every province of the Kemendagri list, and only those", async () => {
    const csv = await readFile(
      fileURLToPath(new URL("../../node_modules/idn-area-data/data/provinces.csv", import.meta.url)),
      "utf8",
    );
    const listed = csv
      .trim()
      .split(/\r?\n/)
      .slice(1)
      .map((line) => line.split(",")[0]);
    expect([...NIK_PROVINCES].sort()).toEqual(listed.sort());
    for (const pp of NIK_PROVINCES) expect(parsedOk(`${pp}03011203850012`).regionCode).toBe(`${pp}.03.01`);
  });

  it("accepts someone born today and serial 9999", () => {
    expect(parsedOk("6103013007259999")).toMatchObject({ birthDate: "2025-07-30", serial: "9999" });
  });
});

describe("parseNik: rejections, each with an Indonesian and an English message", () => {
  const cases: [NikErrorCode, string, string, string][] = [
    ["NIK_REQUIRED", "", "NIK wajib diisi", "NIK is required"],
    ["NIK_REQUIRED", "   ", "NIK wajib diisi", "NIK is required"],
    [
      "NIK_SCIENTIFIC",
      "6,10301E+15",
      "NIK tersimpan sebagai angka dalam notasi ilmiah (mis. 6,10301E+15), sehingga digitnya hilang: format kolom NIK sebagai Teks, lalu ketik ulang NIK-nya",
      "The NIK was saved as a number in scientific notation (e.g. 6.10301E+15), which loses its digits: format the NIK column as Text, then type the NIK again",
    ],
    ["NIK_SCIENTIFIC", "9.171014506900012E+15", expect.any(String), expect.any(String)],
    ["NIK_NOT_DIGITS", "6103-01120385001", "NIK hanya boleh berisi angka", "NIK must contain digits only"],
    ["NIK_NOT_DIGITS", "6103.0112.0385.0012", "NIK hanya boleh berisi angka", "NIK must contain digits only"],
    ["NIK_NOT_DIGITS", "61030112038500l2", "NIK hanya boleh berisi angka", "NIK must contain digits only"],
    ["NIK_LENGTH", "610301120385001", "NIK harus 16 digit", "NIK must be 16 digits long"],
    ["NIK_LENGTH", "61030112038500123", "NIK harus 16 digit", "NIK must be 16 digits long"],
    [
      "NIK_REGION_INVALID",
      "1003011203850012",
      "Kode wilayah pada NIK (6 digit pertama) tidak valid",
      "The region part of the NIK (first 6 digits) is invalid",
    ],
    [
      "NIK_REGION_INVALID",
      "2003011203850012",
      "Kode wilayah pada NIK (6 digit pertama) tidak valid",
      "The region part of the NIK (first 6 digits) is invalid",
    ],
    [
      "NIK_REGION_INVALID",
      "9903011203850012",
      "Kode wilayah pada NIK (6 digit pertama) tidak valid",
      "The region part of the NIK (first 6 digits) is invalid",
    ],
    [
      "NIK_REGION_INVALID",
      "6100011203850012",
      "Kode wilayah pada NIK (6 digit pertama) tidak valid",
      "The region part of the NIK (first 6 digits) is invalid",
    ],
    [
      "NIK_REGION_INVALID",
      "6103001203850012",
      "Kode wilayah pada NIK (6 digit pertama) tidak valid",
      "The region part of the NIK (first 6 digits) is invalid",
    ],
    [
      "NIK_INVALID_DATE",
      "6103013102850012",
      "Tanggal lahir pada NIK (digit 7–12) bukan tanggal yang ada",
      "The birth date in the NIK (digits 7–12) is not a real date",
    ],
    [
      "NIK_FUTURE_DATE",
      "6103013107250012",
      "Tanggal lahir pada NIK berada di masa depan",
      "The birth date in the NIK lies in the future",
    ],
    [
      "NIK_SERIAL_ZERO",
      "6103011203850000",
      "Nomor urut NIK (4 digit terakhir) tidak boleh 0000",
      "The NIK serial (last 4 digits) cannot be 0000",
    ],
  ];

  it.each(cases)("%s for %j", (code, input, id, en) => {
    expect(failure(parseNik(input, TODAY))).toEqual({ code, id, en });
    expect(nikMessage(code)).toEqual({ id, en });
  });

  it.each([
    ["6103013102850012", "31 February"],
    ["6103013203850012", "day 32"],
    ["6103017203850012", "day 72 (a woman's day 32)"],
    ["6103016902850012", "a woman's 29 February 1985"],
    ["6103010003850012", "day 00"],
    ["6103014003850012", "day 40: neither a man's nor a woman's day"],
    ["6103011213850012", "month 13"],
    ["6103011200850012", "month 00"],
    ["6103013104850012", "31 April"],
  ])("NIK_INVALID_DATE for %s (%s)", (input) => {
    expect(failure(parseNik(input, TODAY)).code).toBe("NIK_INVALID_DATE");
  });
});

describe("parseNik: two-digit year", () => {
  it.each([
    ["6103010101050001", "2025-07-30", "2005-01-01"],
    ["6103010101250001", "2025-07-30", "2025-01-01"],
    ["6103010101260001", "2025-07-30", "1926-01-01"],
    ["6103010101700001", "2025-07-30", "1970-01-01"],
    ["6103010101990001", "2025-07-30", "1999-01-01"],
    ["6103010101000001", "2025-07-30", "2000-01-01"],
    ["6103010101050001", "1999-12-31", "1905-01-01"],
    ["6103010101000001", "1999-12-31", "1900-01-01"],
    ["6103010101000001", "2000-01-01", "2000-01-01"],
  ])("%s checked on %s was born on %s", (nik, today, birthDate) => {
    expect(parsedOk(nik, today).birthDate).toBe(birthDate);
  });

  it("a date later this year is in the future, not a century ago", () => {
    expect(failure(parseNik("6103013107250012", "2025-07-30")).code).toBe("NIK_FUTURE_DATE");
    expect(parsedOk("6103013107250012", "2025-07-31").birthDate).toBe("2025-07-31");
  });
});

describe("parseNik: leap years", () => {
  it("29 February 2000 exists (2000 is divisible by 400)", () => {
    expect(parsedOk("6103012902000012")).toMatchObject({ birthDate: "2000-02-29", sex: "M" });
    expect(parsedOk("6103016902000012")).toMatchObject({ birthDate: "2000-02-29", sex: "F" });
  });

  it("29 February 1900 does not (1900 is divisible by 100, not 400)", () => {
    // Checked in 1999, year 00 is read as 1900.
    expect(failure(parseNik("6103012902000012", "1999-12-31")).code).toBe("NIK_INVALID_DATE");
  });

  it("29 February of other years follows the four-year rule", () => {
    expect(parsedOk("6103012902840012").birthDate).toBe("1984-02-29");
    expect(failure(parseNik("6103012902850012", TODAY)).code).toBe("NIK_INVALID_DATE");
  });
});

describe("nikMismatches", () => {
  const parsed = parsedOk("6103011203850012");

  it("flags nothing when declarations agree or are absent", () => {
    expect(nikMismatches(parsed, { birthDate: "1985-03-12", sex: "M" })).toEqual([]);
    expect(nikMismatches(parsed, {})).toEqual([]);
    expect(nikMismatches(parsed, { birthDate: null, sex: null })).toEqual([]);
  });

  it("flags a different birth date and a different sex, with messages", () => {
    expect(nikMismatches(parsed, { birthDate: "1985-03-13" })).toEqual([
      {
        code: "NIK_BIRTH_DATE_MISMATCH",
        message: { id: "Tanggal lahir tidak sesuai dengan NIK", en: "Birth date does not match the NIK" },
      },
    ]);
    expect(nikMismatches(parsed, { sex: "F" })).toEqual([
      {
        code: "NIK_SEX_MISMATCH",
        message: { id: "Jenis kelamin tidak sesuai dengan NIK", en: "Sex does not match the NIK" },
      },
    ]);
    expect(nikMismatches(parsed, { birthDate: "1986-03-12", sex: "F" }).map((m) => m.code)).toEqual([
      "NIK_BIRTH_DATE_MISMATCH",
      "NIK_SEX_MISMATCH",
    ]);
  });
});

describe("maskNik and composeNik", () => {
  it("masks the birth date digits and keeps regency and serial readable", () => {
    expect(maskNik("6103011203850012")).toBe("6103••••••••0012");
  });

  it("masks short strings completely", () => {
    expect(maskNik("12345678")).toBe("••••••••");
    expect(maskNik("123")).toBe("•••");
    expect(maskNik("")).toBe("");
  });

  it("composes a NIK from its parts, adding 40 to a woman's day", () => {
    expect(composeNik({ regionCode: "61.03.01", birthDate: "1985-03-12", sex: "M", serial: 12 })).toBe(
      "6103011203850012",
    );
    expect(composeNik({ regionCode: "61.03.01", birthDate: "1985-03-12", sex: "F", serial: 12 })).toBe(
      "6103015203850012",
    );
    expect(composeNik({ regionCode: "61.03.21", birthDate: "2001-01-05", sex: "M", serial: 1 })).toBe(
      "6103210501010001",
    );
  });
});

describe("NIK properties", () => {
  const twoDigits = (min: number) => fc.integer({ min, max: 99 }).map((n) => String(n).padStart(2, "0"));
  const today = fc
    .date({
      min: new Date("2000-01-01T00:00:00Z"),
      max: new Date("2099-12-31T00:00:00Z"),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10));
  // Up to ~98.5 years back: inside the 100-year window a two-digit year can express.
  const parts = fc.record({
    today,
    daysAgo: fc.integer({ min: 0, max: 36_000 }),
    region: fc.tuple(fc.constantFrom(...NIK_PROVINCES), twoDigits(1), twoDigits(1)).map((p) => p.join(".")),
    sex: fc.constantFrom<Sex>("M", "F"),
    serial: fc.integer({ min: 1, max: 9999 }),
  });

  it("composeNik → parseNik gives back every part", () => {
    fc.assert(
      fc.property(parts, ({ today: t, daysAgo, region, sex, serial }) => {
        const birthDate = addDays(t, -daysAgo);
        const nik = composeNik({ regionCode: region, birthDate, sex, serial });
        expect(nik).toMatch(/^\d{16}$/);
        expect(parseNik(nik, t)).toEqual({
          ok: true,
          value: { nik, regionCode: region, birthDate, sex, serial: String(serial).padStart(4, "0") },
        });
      }),
    );
  });

  it("parseNik → composeNik gives back the same 16 digits", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[1-9]\d{5}[0-7]\d[01]\d{7}$/), today, (nik, t) => {
        const result = parseNik(nik, t);
        if (result.ok) {
          const v = result.value;
          expect(composeNik({ ...v, serial: Number(v.serial) })).toBe(nik);
          expect(v.sex).toBe(Number(nik.slice(6, 8)) > 40 ? "F" : "M");
          expect(v.birthDate <= t).toBe(true);
        }
      }),
    );
  });

  it("parseNik never throws and always answers with a known code and its messages", () => {
    const codes: NikErrorCode[] = [
      "NIK_REQUIRED",
      "NIK_NOT_DIGITS",
      "NIK_LENGTH",
      "NIK_REGION_INVALID",
      "NIK_INVALID_DATE",
      "NIK_FUTURE_DATE",
      "NIK_SERIAL_ZERO",
    ];
    const input = fc.oneof(
      fc.string(),
      fc.string({ unit: "binary" }),
      fc.stringMatching(/^\s*\d{14,18}\s*$/),
    );
    fc.assert(
      fc.property(input, today, (s, t) => {
        const result = parseNik(s, t);
        if (result.ok) {
          expect(result.value.nik).toMatch(/^\d{16}$/);
          expect(result.value.nik).toBe(s.replace(/\s/g, ""));
        } else {
          expect(codes).toContain(result.code);
          expect(result.message).toEqual(nikMessage(result.code));
        }
      }),
    );
  });

  it("masking keeps the length and hides every middle character", () => {
    fc.assert(
      fc.property(fc.oneof(fc.stringMatching(/^\d{16}$/), fc.string({ maxLength: 30 })), (s) => {
        const masked = maskNik(s);
        expect(masked.length).toBe(s.length);
        if (s.length <= 8) {
          expect(masked).toBe("•".repeat(s.length));
        } else {
          expect(masked.slice(0, 4)).toBe(s.slice(0, 4));
          expect(masked.slice(-4)).toBe(s.slice(-4));
          expect(masked.slice(4, -4)).toBe("•".repeat(s.length - 8));
        }
      }),
    );
  });

  it("a 16-digit NIK never shows its birth-date digits once masked", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{16}$/), (nik) => {
        expect(maskNik(nik).slice(4, 12)).toBe("••••••••");
        expect(maskNik(nik).replace(/•/g, "")).toBe(nik.slice(0, 4) + nik.slice(12));
      }),
    );
  });
});
