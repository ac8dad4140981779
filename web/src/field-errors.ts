import { useState } from "react";
import { useFormat } from "./i18n.js";

export type Format = ReturnType<typeof useFormat>;

/**
 * What to say about a field, put into words when shown, from the page's current formats: a form keeps
 * these rather than the words, so its errors follow a language switch made after they appeared.
 */
export type Saying = (f: Format) => string;

/** A form's field errors: set as sayings, read as words in the current language. */
export function useFieldErrors<F extends string>() {
  const format = useFormat();
  const [sayings, setSayings] = useState<Partial<Record<F, Saying>>>({});
  const errors: Partial<Record<F, string>> = {};
  for (const field in sayings) {
    const say = sayings[field];
    if (say) errors[field] = say(format);
  }
  return [errors, setSayings] as const;
}

/** A saying of one translated message: `saying("targets.required")`. */
export const saying =
  (key: string, vars?: Record<string, unknown>): Saying =>
  ({ t }) =>
    t(key, vars);
