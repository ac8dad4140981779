import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays } from "../../src/domain/dates.js";
import { composeNik, type NikErrorCode, nikMessage, parseNik, type Sex } from "../../src/domain/nik.js";

/**
 * Fuzzing parseNik with what real files and forms carry: digits of other scripts (a phone keyboard set to
 * Arabic, a full-width IME), blanks of every kind, invisible marks, lone surrogates and megabyte strings.
 * test/domain/nik.test.ts holds the worked examples; here an independent reading of DESIGN.md §2 says,
 * for every string, which answer is the right one, and parseNik must give exactly that answer.
 */

/** Kemendagri's province codes (Kepmendagri 100.1.1-6117/2022), written out again here. */
const PROVINCES = [
  ...["11", "12", "13", "14", "15", "16", "17", "18", "19", "21"],
  ...["31", "32", "33", "34", "35", "36", "51", "52", "53", "61", "62", "63", "64", "65"],
  ...["71", "72", "73", "74", "75", "76", "81", "82", "91", "92", "93", "94", "95", "96"],
];

/** DESIGN.md §2 read afresh, with the checks in parseNik's documented order; null = a valid NIK. */
function expectedCode(input: string, today: string): NikErrorCode | null {
  // Blanks (what trim would remove) anywhere are not part of the number: "6103 0112 0385 0012".
  const s = [...input].filter((ch) => ch.trim() !== "").join("");
  if (s === "") return "NIK_REQUIRED";
  // A spreadsheet's number in scientific notation (one digit, an optional fraction, E+ and the exponent).
  if (/^[0-9](?:[.,][0-9]+)?[eE]\+[0-9]{1,2}$/.test(s)) return "NIK_SCIENTIFIC";
  // Only ASCII 0–9: '٦' or '６' are digits to Unicode, not to the population register.
  if ([...s].some((ch) => ch < "0" || ch > "9")) return "NIK_NOT_DIGITS";
  if (s.length !== 16) return "NIK_LENGTH";
  const part = (from: number, to: number) => Number(s.slice(from, to));
  if (!PROVINCES.includes(s.slice(0, 2)) || part(2, 4) === 0 || part(4, 6) === 0) return "NIK_REGION_INVALID";
  const rawDay = part(6, 8);
  const day = rawDay > 40 ? rawDay - 40 : rawDay;
  const month = part(8, 10);
  const yy = part(10, 12);
  const year = 2000 + yy <= Number(today.slice(0, 4)) ? 2000 + yy : 1900 + yy;
  // Years here are 1900–2099, where Date.UTC is a plain Gregorian calendar.
  const date = new Date(Date.UTC(year, month - 1, day));
  if (
    day < 1 ||
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  )
    return "NIK_INVALID_DATE";
  if (date.toISOString().slice(0, 10) > today) return "NIK_FUTURE_DATE";
  if (s.slice(12) === "0000") return "NIK_SERIAL_ZERO";
  return null;
}

/** parseNik's answer must be exactly the expected one, and a valid NIK must come back whole. */
function checkAgainstOracle(input: string, today: string): void {
  const result = parseNik(input, today);
  const expected = expectedCode(input, today);
  if (expected === null) {
    expect(result.ok, `expected ${JSON.stringify(input)} to be accepted`).toBe(true);
    if (!result.ok) return;
    const v = result.value;
    expect(v.nik).toBe([...input].filter((ch) => ch.trim() !== "").join(""));
    expect(composeNik({ ...v, serial: Number(v.serial) })).toBe(v.nik);
    expect(v.sex).toBe(Number(v.nik.slice(6, 8)) > 40 ? "F" : "M");
  } else {
    expect(result.ok, `expected ${JSON.stringify(input)} to be refused with ${expected}`).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe(expected);
    expect(result.message).toEqual(nikMessage(result.code));
  }
}

/** Digits that Unicode calls digits (\p{Nd} and look-alikes) but a NIK may not contain, one per 0–9. */
const FOREIGN_DIGITS = [
  0x0660, // Arabic-Indic ٠
  0x06f0, // Extended Arabic-Indic (Persian) ۰
  0x0966, // Devanagari ०
  0x09e6, // Bengali ০
  0x0e50, // Thai ๐
  0xff10, // full-width ０
  0x1d7ce, // mathematical bold 𝟎 (outside the BMP: a surrogate pair)
  0x2080, // subscript ₀
];
const foreignDigit = (d: number, block: number) =>
  String.fromCodePoint((FOREIGN_DIGITS[block] as number) + d);

/** Blanks that String.prototype.trim removes (and a BOM, which a CSV may leave on the first cell); a NIK may carry them anywhere. */
const TRIMMED = [" ", "\t", "\n", "\r", "\v", "\f", "\u00a0", "\u2003", "\u3000", "\u2028", "\ufeff"];
/** Marks that look like nothing but are not blanks: a NIK carrying one is not 16 digits. */
const INVISIBLE = ["\u200b", "\u200f", "\u202e", "\u0301", "\u0000", "\u00ad", "\u2060", "\ud83d", "🙂"];

const TODAY = fc
  .date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2099-12-31T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

const twoDigits = (min: number, max = 99) => fc.integer({ min, max }).map((n) => String(n).padStart(2, "0"));

/** Valid NIKs built from their parts, with the `today` that makes them valid. */
const validNik = fc
  .record({
    today: TODAY,
    daysAgo: fc.integer({ min: 0, max: 36_000 }),
    region: fc.tuple(fc.constantFrom(...PROVINCES), twoDigits(1), twoDigits(1)).map((p) => p.join(".")),
    sex: fc.constantFrom<Sex>("M", "F"),
    serial: fc.integer({ min: 1, max: 9999 }),
  })
  .map(({ today, daysAgo, region, sex, serial }) => ({
    today,
    nik: composeNik({ regionCode: region, birthDate: addDays(today, -daysAgo), sex, serial }),
  }));

/** One small change to a valid NIK: each kind keeps it valid or breaks it in one known way. */
const mutation = fc.oneof(
  fc.record({
    kind: fc.constant("foreign-digit" as const),
    at: fc.nat(15),
    block: fc.nat(FOREIGN_DIGITS.length - 1),
  }),
  fc.record({ kind: fc.constant("all-foreign" as const), block: fc.nat(FOREIGN_DIGITS.length - 1) }),
  fc.record({
    kind: fc.constant("wrap" as const),
    left: fc.array(fc.constantFrom(...TRIMMED), { maxLength: 4 }).map((a) => a.join("")),
    right: fc.array(fc.constantFrom(...TRIMMED), { maxLength: 4 }).map((a) => a.join("")),
  }),
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.integer({ min: 0, max: 16 }),
    text: fc.constantFrom(...TRIMMED, ...INVISIBLE, "-", ".", "'", "=", "١"),
  }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(15) }),
  fc.record({ kind: fc.constant("duplicate" as const), at: fc.nat(15) }),
  fc.record({ kind: fc.constant("replace" as const), at: fc.nat(15), digit: fc.nat(9) }),
);

function mutate(nik: string, m: typeof mutation extends fc.Arbitrary<infer T> ? T : never): string {
  switch (m.kind) {
    case "foreign-digit":
      return nik.slice(0, m.at) + foreignDigit(Number(nik[m.at]), m.block) + nik.slice(m.at + 1);
    case "all-foreign":
      return [...nik].map((d) => foreignDigit(Number(d), m.block)).join("");
    case "wrap":
      return m.left + nik + m.right;
    case "insert":
      return nik.slice(0, m.at) + m.text + nik.slice(m.at);
    case "delete":
      return nik.slice(0, m.at) + nik.slice(m.at + 1);
    case "duplicate":
      return nik.slice(0, m.at + 1) + nik.slice(m.at);
    case "replace":
      return nik.slice(0, m.at) + String(m.digit) + nik.slice(m.at + 1);
  }
}

/** 16 characters, mostly ASCII digits with now and then another script's digit or a blank. */
const nikShaped = fc
  .array(
    fc.oneof(
      { weight: 20, arbitrary: fc.nat(9).map(String) },
      {
        weight: 1,
        arbitrary: fc.tuple(fc.nat(9), fc.nat(FOREIGN_DIGITS.length - 1)).map(([d, b]) => foreignDigit(d, b)),
      },
      { weight: 1, arbitrary: fc.constantFrom(...TRIMMED, ...INVISIBLE) },
    ),
    { minLength: 14, maxLength: 18 },
  )
  .map((chars) => chars.join(""));

const anyString = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme" }),
  fc.string({ unit: "binary" }), // lone surrogates included
  fc.string({ unit: fc.constantFrom(...TRIMMED, ...INVISIBLE, "0", "1", "6", "٦", "６") }),
  nikShaped,
  fc.stringMatching(/^[1-9]\d{5}[0-7]\d[01]\d{7}$/),
);

describe("parseNik under fuzzing", () => {
  it("gives exactly the expected answer for any string, and never throws", () => {
    fc.assert(
      fc.property(anyString, TODAY, (input, today) => checkAgainstOracle(input, today)),
      { numRuns: 3000 },
    );
  });

  it("keeps a valid NIK valid only under changes that leave its 16 ASCII digits intact", () => {
    fc.assert(
      fc.property(validNik, mutation, ({ nik, today }, m) => {
        expect(parseNik(nik, today).ok).toBe(true);
        const changed = mutate(nik, m);
        checkAgainstOracle(changed, today);
        const result = parseNik(changed, today);
        if (m.kind === "wrap") expect(result).toMatchObject({ ok: true, value: { nik } });
        if (m.kind === "foreign-digit" || m.kind === "all-foreign")
          expect(result).toMatchObject({ ok: false, code: "NIK_NOT_DIGITS" });
        if (m.kind === "insert")
          expect(result).toMatchObject(
            TRIMMED.includes(m.text) ? { ok: true, value: { nik } } : { ok: false, code: "NIK_NOT_DIGITS" },
          );
        if (m.kind === "delete" || m.kind === "duplicate")
          expect(result).toMatchObject({ ok: false, code: "NIK_LENGTH" });
      }),
      { numRuns: 2000 },
    );
  });

  it("refuses a valid NIK written in another script's digits as not digits", () => {
    const valid = "6103011203850012";
    expect(parseNik(valid, "2025-07-30").ok).toBe(true);
    expect(parseNik("٦١٠٣٠١١٢٠٣٨٥٠٠١٢", "2025-07-30")).toMatchObject({ ok: false, code: "NIK_NOT_DIGITS" });
    expect(parseNik("６１０３０１１２０３８５００１２", "2025-07-30")).toMatchObject({
      ok: false,
      code: "NIK_NOT_DIGITS",
    });
  });

  it("answers megabyte strings at once, with the right code", () => {
    const today = "2025-07-30";
    const huge: [string, NikErrorCode | "ok"][] = [
      ["6".repeat(1_000_000), "NIK_LENGTH"],
      ["٦".repeat(1_000_000), "NIK_NOT_DIGITS"],
      [" ".repeat(1_000_000), "NIK_REQUIRED"],
      ["\u3000".repeat(1_000_000), "NIK_REQUIRED"],
      [`${"1".repeat(999_999)}x`, "NIK_NOT_DIGITS"],
      [`${" ".repeat(500_000)}6103011203850012${"\t".repeat(500_000)}`, "ok"],
      [`6103011203850012${"\u0301".repeat(1_000_000)}`, "NIK_NOT_DIGITS"],
      ["🙂".repeat(500_000), "NIK_NOT_DIGITS"],
    ];
    for (const [input, code] of huge) {
      const started = performance.now();
      const result = parseNik(input, today);
      expect(performance.now() - started, `${code} took too long`).toBeLessThan(500);
      if (code === "ok") expect(result).toMatchObject({ ok: true, value: { nik: "6103011203850012" } });
      else expect(result).toMatchObject({ ok: false, code });
      checkAgainstOracle(input, today);
    }
  });
});
