import Holidays from "date-holidays";
import { addDays, type IsoDate } from "./dates.js";

/**
 * Indonesian working days for the registration deadlines of Permenaker 44/2015 (14 working days after
 * the SPK; 7 for changes of workers): Monday to Friday, minus national holidays (`date-holidays`, ID)
 * and the *cuti bersama* days the government adds each year, which are data passed in (a setting).
 */
const holidays = new Holidays("ID");
const cache = new Map<number, Set<IsoDate>>();

function publicHolidays(year: number): Set<IsoDate> {
  let set = cache.get(year);
  if (!set) {
    set = new Set(
      holidays
        .getHolidays(year)
        .filter((h) => h.type === "public")
        .map((h) => h.date.slice(0, 10)),
    );
    cache.set(year, set);
  }
  return set;
}

export function isWorkingDay(date: IsoDate, extraHolidays: ReadonlySet<IsoDate> = new Set()): boolean {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  return !publicHolidays(Number(date.slice(0, 4))).has(date) && !extraHolidays.has(date);
}

/** The date `n` working days after `date` (the day itself does not count). */
export function addWorkingDays(
  date: IsoDate,
  n: number,
  extraHolidays: ReadonlySet<IsoDate> = new Set(),
): IsoDate {
  let d = date;
  for (let left = n; left > 0; ) {
    d = addDays(d, 1);
    if (isWorkingDay(d, extraHolidays)) left -= 1;
  }
  return d;
}

/** Working days after `from` up to and including `to` (0 when `to` is not later). */
export function workingDaysBetween(
  from: IsoDate,
  to: IsoDate,
  extraHolidays: ReadonlySet<IsoDate> = new Set(),
): number {
  let count = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(d, extraHolidays)) count += 1;
  return count;
}
