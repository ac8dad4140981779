/** Every business-rule violation carries a stable code that the HTTP layer maps to a status (STYLE.md 3). */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "DomainError";
  }
}

/** A message in Bahasa Indonesia first, English second (the interface's two languages). */
export interface Bilingual {
  id: string;
  en: string;
}

/** Both languages in one line, as refusals carry them: "Indonesian / English". */
export const bilingual = (m: Bilingual): string => `${m.id} / ${m.en}`;

/** The two halves of a message `bilingual` wrote; a message without both is the same in each. */
export function halves(message: string): Bilingual {
  const at = message.indexOf(" / ");
  return at < 0 ? { id: message, en: message } : { id: message.slice(0, at), en: message.slice(at + 3) };
}

/** "Proyek 5 tidak ditemukan / Project 5 not found": what an unknown (or unseen) id answers. */
export const notFound = (code: string, what: Bilingual, id: unknown, details: Record<string, unknown> = {}) =>
  new DomainError(code, `${what.id} ${id} tidak ditemukan / ${what.en} ${id} not found`, details);
