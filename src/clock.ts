import type { IsoDate } from "./domain/dates.js";

/** Today's date in UTC as YYYY-MM-DD: the one place the application reads the clock for business dates. */
export const todayIso = (): IsoDate => new Date().toISOString().slice(0, 10);
