/**
 * Text that names something (a person, a company, a project, a reference) is shown to other people, in
 * tables, letters and PDFs. Control characters, the invisible marks that reorder text (Unicode bidi
 * overrides, isolates and marks: "Trojan Source", CVE-2021-42574) and the invisible ones that change
 * nothing on screen (zero-width spaces and joiners, the soft hyphen, tag characters) would let one name
 * or payment reference read as another there, and no real name contains them. NUL, which PostgreSQL
 * cannot store, is among them. Line breaks are allowed only where text has lines (a case note).
 */
const INVISIBLE =
  "\\u007f-\\u009f\\u00ad\\u061c\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u206f\\ufeff\\ufff9-\\ufffb\\u{e0000}-\\u{e007f}";
const HIDDEN = new RegExp(`[\\u0000-\\u001f${INVISIBLE}]`, "u");
const HIDDEN_IN_LINES = new RegExp(`[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f${INVISIBLE}]`, "u");

export const hasHiddenCharacters = (text: string, opts: { lines?: boolean } = {}): boolean =>
  (opts.lines ? HIDDEN_IN_LINES : HIDDEN).test(text);

export const HIDDEN_CHARACTERS_MESSAGE = {
  id: "Teks berisi karakter kendali, pembalik arah atau karakter tak terlihat",
  en: "Text contains control, direction-override or invisible characters",
} as const;
