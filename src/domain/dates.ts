import { DomainError } from "./errors.js";
import { formatDate } from "./format.js";

/**
 * Calendar dates travel as ISO strings (YYYY-MM-DD): they compare correctly as strings, map 1:1 to
 * PostgreSQL `date`, and carry no time zone that could shift a day.
 */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `value` is a real calendar date written as YYYY-MM-DD. */
export function isIsoDate(value: string): value is IsoDate {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return isCalendarDate(y, mo, d);
}

/**
 * The days the system keeps records of. A project, registration, payment, case step or query dated
 * outside them is a typing error (a year 0025 for 2025), and the working-day rules walk every day from
 * one record date to another: from the year 1 that walk took minutes and held a server (issue found in
 * review). Birth dates are not record dates.
 */
export const FIRST_RECORD_DATE: IsoDate = "2000-01-01";
export const LAST_RECORD_DATE: IsoDate = "2099-12-31";

export const isRecordDate = (value: string): value is IsoDate =>
  isIsoDate(value) && value >= FIRST_RECORD_DATE && value <= LAST_RECORD_DATE;

export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Gregorian month lengths (Date.UTC would read years 0–99 as 1900–1999). */
export function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS[month - 1] ?? 0);
}

export function toIsoDate(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** Age in whole years on `on` of someone born on `birthDate` (a birthday on 29 February falls on 1 March). */
export function yearsOld(birthDate: IsoDate, on: IsoDate): number {
  const years = Number(on.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return on.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Months touched by the period [from, to], counting a partial month as one (used for wage-basis dues). */
export function monthsTouched(from: IsoDate, to: IsoDate): number {
  if (to < from) return 0;
  const [fy, fm] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  const [ty, tm] = [Number(to.slice(0, 4)), Number(to.slice(5, 7))];
  return (ty - fy) * 12 + (tm - fm) + 1;
}

export const minDate = (a: IsoDate, b: IsoDate): IsoDate => (a < b ? a : b);
export const maxDate = (a: IsoDate, b: IsoDate): IsoDate => (a > b ? a : b);

/** Something recorded as done (a registration, a payment) cannot be dated on a day that has not come. */
export function assertNotAhead(date: IsoDate, today: IsoDate, field: string): void {
  if (date > today)
    throw new DomainError(
      "DATE_IN_FUTURE",
      `Tanggal ${formatDate(date)} belum tiba / ${formatDate(date, "en")} lies in the future`,
      { field },
    );
}
