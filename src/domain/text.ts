/**
 * Text that names something (a person, a company, a project, a reference) is shown to other people, in
 * tables, letters and PDFs. Control characters and the invisible marks that reorder text (Unicode bidi
 * overrides and isolates, "Trojan Source", CVE-2021-42574) would let one name read as another there, and
 * no real name contains them. NUL, which PostgreSQL cannot store, is among them.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

export const hasHiddenCharacters = (text: string): boolean => HIDDEN.test(text);

export const HIDDEN_CHARACTERS_MESSAGE = {
  id: "Teks berisi karakter kendali atau pembalik arah yang tersembunyi",
  en: "Text contains hidden control or direction-override characters",
} as const;
