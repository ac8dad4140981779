import { z } from "zod";

/**
 * zod's own messages (a missing field, a wrong type, a text too long) in both languages, as every other
 * refusal is: Indonesian from its `id` locale, then English. A schema's own message is kept as written.
 * Imported for its effect by every module that parses input, before any parse.
 */
const indonesian = z.locales.id().localeError;
const english = z.locales.en().localeError;
const text = (m: ReturnType<typeof english>) => (typeof m === "string" ? m : m?.message);

z.config({
  localeError: (issue) => {
    const id = text(indonesian(issue));
    const en = text(english(issue));
    return id && en && id !== en ? `${id} / ${en}` : (en ?? id);
  },
});
