import { describe, expect, it } from "vitest";
import { hasHiddenCharacters } from "../../src/domain/text.js";

describe("text people read", () => {
  it.each([
    ["a right-to-left override", "CV \u202eAKSAM"],
    ["a left-to-right isolate", "CV \u2066MASKA\u2069"],
    ["the Arabic letter mark", "\u061cBNI-0001"],
    ["a zero-width space", "BNI-\u200b0001"],
    ["a word joiner", "BNI-0001\u2060"],
    ["a zero-width no-break space", "\ufeffBNI-0001"],
    ["a soft hyphen", "Budi\u00adSantoso"],
    ["a tag character", "Budi\u{e0041}"],
    ["a line separator", "Budi\u2028Santoso"],
    ["an escape", "Budi\u001b[31m"],
    ["NUL", "Budi\u0000"],
    ["a line break", "Budi\nSantoso"],
  ])("refuses %s in a name or reference", (_, text) => {
    expect(hasHiddenCharacters(text)).toBe(true);
  });

  it.each([
    "Budi Santoso",
    "Ni Luh Putu Ayu",
    "Nguyễn Văn Bình",
    "محمد بن عبد الله",
    "Ṣāliḥ bin ʿUmar",
    "CV Karya Kapuas (Persero) — Tbk.",
    "61.03/PUPR/2025/0001",
  ])("takes %s as it is", (text) => {
    expect(hasHiddenCharacters(text)).toBe(false);
  });

  it("lets a note have lines and tabs, but nothing else hidden", () => {
    expect(hasHiddenCharacters("Dibayar lunas\r\n\tmelalui JPN", { lines: true })).toBe(false);
    expect(hasHiddenCharacters("Dibayar\u200b", { lines: true })).toBe(true);
    expect(hasHiddenCharacters("\u202eselesai", { lines: true })).toBe(true);
  });
});
