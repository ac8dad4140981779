import { type IsoDate, isIsoDate, toIsoDate, yearsOld } from "./dates.js";
import type { Bilingual } from "./errors.js";
import { formatDate } from "./format.js";
import { nikMismatches, parseNik, type Sex } from "./nik.js";
import { HIDDEN_CHARACTERS_MESSAGE, hasHiddenCharacters } from "./text.js";

/**
 * Worker reports are events: a worker joins a project on a date, or leaves it on a date
 * (Permenaker 44/2015: changes of workers are reported). This module validates raw rows and decides
 * what each event does to a project's assignments, without touching storage.
 */
export type WorkerEvent =
  | {
      kind: "join";
      nik: string;
      name: string;
      birthDate: IsoDate;
      sex: Sex;
      date: IsoDate;
      eventId: string | null;
    }
  | { kind: "leave"; nik: string; date: IsoDate; eventId: string | null };

export interface RowError {
  /** 1-based position in the batch or file (the header line of a file is row 1, data starts at 2). */
  row: number;
  field: string;
  code: string;
  message: Bilingual;
}

export interface RawWorkerRow {
  nik?: unknown;
  name?: unknown;
  birthDate?: unknown;
  sex?: unknown;
  event?: unknown;
  date?: unknown;
  eventId?: unknown;
}

// Maps, not object literals: a lookup of "constructor" or "__proto__" must find nothing.
const EVENT_KINDS = new Map<string, "join" | "leave">([
  ["join", "join"],
  ["masuk", "join"],
  ["leave", "leave"],
  ["keluar", "leave"],
]);
/** Sex as forms and the KTP write it: L/P, Laki-laki/Perempuan, and the English M/F. */
const SEXES = new Map<string, Sex>([
  ["m", "M"],
  ["l", "M"],
  ["lk", "M"],
  ["laki-laki", "M"],
  ["laki laki", "M"],
  ["pria", "M"],
  ["male", "M"],
  ["f", "F"],
  ["p", "F"],
  ["pr", "F"],
  ["perempuan", "F"],
  ["wanita", "F"],
  ["female", "F"],
]);

const text = (v: unknown): string => (v === undefined || v === null ? "" : String(v).trim());

export const rowError = (row: number, field: string, code: string, id: string, en: string): RowError => ({
  row,
  field,
  code,
  message: { id, en },
});

/** PostgreSQL text cannot hold NUL (U+0000): a cell that carries one is an error of its row and field. */
export const nulInText = (row: number, field: string): RowError =>
  rowError(row, field, "TEXT_INVALID", "Teks berisi karakter NUL", "Text contains a NUL character");

/**
 * Month names as dates are written by hand, in both languages, long and short ("Juli", "Jul", "Agu",
 * "August"): the names formatDate prints, from the same Intl data, and the short forms Intl lacks.
 */
const MONTHS: ReadonlyMap<string, number> = (() => {
  const names = new Map<string, number>([
    ["agt", 8],
    ["ags", 8],
    ["sept", 9],
  ]);
  for (const locale of ["id-ID", "en-GB"])
    for (const month of ["long", "short"] as const) {
      const format = new Intl.DateTimeFormat(locale, { month, timeZone: "UTC" });
      for (let m = 1; m <= 12; m++)
        names.set(
          format
            .format(Date.UTC(2025, m - 1, 1))
            .toLowerCase()
            .replace(/\.$/, ""),
          m,
        );
    }
  return names;
})();

/**
 * Accept ISO dates and the ways Indonesian spreadsheets and clerks write a day: DD/MM/YYYY, DD-MM-YYYY,
 * DD.MM.YYYY, and with the month's name, "28 Juli 2025" or "28-Jul-2025".
 */
export function parseDate(value: unknown): IsoDate | null {
  const s = text(value);
  if (isIsoDate(s)) return s;
  const numeric = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/.exec(s);
  const named = /^(\d{1,2})[\s.-]+(\p{L}+)\.?[\s.-]+(\d{4})$/u.exec(s);
  const month = numeric ? Number(numeric[3]) : named && MONTHS.get((named[2] as string).toLowerCase());
  const [day, year] = numeric ? [numeric[1], numeric[4]] : named ? [named[1], named[3]] : [];
  if (!month || !day || !year) return null;
  const iso = toIsoDate(Number(year), month, Number(day));
  return isIsoDate(iso) ? iso : null;
}

/**
 * The minimum age for employment is 15 (UU 20/1999, ratifying ILO Convention 138 with that age; UU
 * 13/2003 ps. 68–69 allow only light work to a child of 13–15, which building work is not). A NIK that
 * makes a worker younger on the join date is a mistyped NIK far more often than a child on the site;
 * either way the row is refused, and the contractor told what to check.
 */
export const MINIMUM_WORKING_AGE = 15;

function belowWorkingAge(row: number, birthDate: IsoDate, joinedOn: IsoDate): RowError | null {
  const age = yearsOld(birthDate, joinedOn);
  if (age >= MINIMUM_WORKING_AGE) return null;
  const [born, bornEn] = [formatDate(birthDate, "id"), formatDate(birthDate, "en")];
  return rowError(
    row,
    "nik",
    "NIK_BELOW_WORKING_AGE",
    `Menurut NIK ini pekerja lahir ${born}, berumur ${age} tahun pada tanggal masuk: periksa NIK-nya. Usia minimum untuk bekerja 15 tahun (UU 20/1999; UU 13/2003 ps. 68–69).`,
    `By this NIK the worker was born on ${bornEn} and is ${age} on the join date: check the NIK. The minimum age for employment is 15 (UU 20/1999; UU 13/2003 art. 68–69).`,
  );
}

/** Validate one raw row into an event, or say which fields are wrong and why. */
export function validateWorkerRow(
  raw: RawWorkerRow,
  row: number,
  today: IsoDate,
): { ok: true; event: WorkerEvent } | { ok: false; errors: RowError[] } {
  const errors: RowError[] = [];
  const kind = EVENT_KINDS.get(text(raw.event).toLowerCase());
  if (!kind) {
    errors.push(
      rowError(
        row,
        "event",
        "EVENT_INVALID",
        "Jenis laporan harus 'masuk' atau 'keluar'",
        "Event must be 'join' or 'leave'",
      ),
    );
  }
  const nik = parseNik(text(raw.nik), today);
  if (!nik.ok) errors.push({ row, field: "nik", code: nik.code, message: nik.message });
  const date = parseDate(raw.date);
  if (!date) {
    errors.push(
      rowError(
        row,
        "date",
        "DATE_INVALID",
        "Tanggal tidak valid (tulis DD/MM/YYYY, mis. 28/07/2025 atau 28 Juli 2025)",
        "Invalid date (write DD/MM/YYYY, e.g. 28/07/2025 or 28 July 2025)",
      ),
    );
  } else if (date > today) {
    errors.push(
      rowError(row, "date", "DATE_IN_FUTURE", "Tanggal berada di masa depan", "The date lies in the future"),
    );
  }
  const eventId = text(raw.eventId) || null;

  if (kind === "join") {
    const name = text(raw.name);
    if (name === "" || name.length > 200) {
      errors.push(
        rowError(
          row,
          "name",
          "NAME_INVALID",
          "Nama wajib diisi (maks. 200 huruf)",
          "Name is required (max 200)",
        ),
      );
    } else if (name.includes("\0")) {
      errors.push(nulInText(row, "name")); // this row refused, rather than the whole batch by the database
    } else if (hasHiddenCharacters(name)) {
      errors.push(
        rowError(row, "name", "TEXT_INVALID", HIDDEN_CHARACTERS_MESSAGE.id, HIDDEN_CHARACTERS_MESSAGE.en),
      );
    }
    const birthDateText = text(raw.birthDate);
    const birthDate = birthDateText === "" ? null : parseDate(birthDateText);
    if (birthDateText !== "" && !birthDate) {
      errors.push(
        rowError(
          row,
          "birthDate",
          "DATE_INVALID",
          "Tanggal lahir tidak valid (tulis DD/MM/YYYY, mis. 12/03/1985 atau 12 Maret 1985)",
          "Invalid birth date (write DD/MM/YYYY, e.g. 12/03/1985 or 12 March 1985)",
        ),
      );
    }
    const sexText = text(raw.sex).toLowerCase();
    const sex = sexText === "" ? null : SEXES.get(sexText);
    if (sex === undefined) {
      errors.push(
        rowError(
          row,
          "sex",
          "SEX_INVALID",
          "Jenis kelamin harus L (laki-laki) atau P (perempuan)",
          "Sex must be M or F (L or P in Indonesian)",
        ),
      );
    }
    if (nik.ok) {
      for (const m of nikMismatches(nik.value, { birthDate, sex: sex ?? null })) {
        errors.push({ row, field: m.code === "NIK_SEX_MISMATCH" ? "sex" : "birthDate", ...m });
      }
      if (date) {
        const below = belowWorkingAge(row, nik.value.birthDate, date);
        if (below) errors.push(below);
      }
    }
    if (errors.length > 0 || !nik.ok || !date) return { ok: false, errors };
    return {
      ok: true,
      event: {
        kind,
        nik: nik.value.nik,
        name,
        birthDate: nik.value.birthDate,
        sex: nik.value.sex,
        date,
        eventId,
      },
    };
  }
  if (errors.length > 0 || !nik.ok || !date || !kind) return { ok: false, errors };
  return { ok: true, event: { kind, nik: nik.value.nik, date, eventId } };
}

/** One stint of a worker on a project. */
export interface Stint {
  id: number | null;
  joinedOn: IsoDate;
  leftOn: IsoDate | null;
}

export type StintChange =
  | { op: "open"; nik: string; joinedOn: IsoDate; row: number }
  | { op: "close"; nik: string; stintId: number | null; joinedOn: IsoDate; leftOn: IsoDate; row: number };

export interface ApplyResult {
  changes: StintChange[];
  /** Rows that repeat something already recorded: accepted, and they change nothing. */
  duplicates: number[];
  errors: RowError[];
}

/**
 * Apply events to the current stints of one project, in date order (a join before a leave on the same
 * day), whatever order the rows came in, so that replaying a batch or a file changes nothing.
 * Rules (docs/architecture.md): a join opens a stint unless one already starts that day (duplicate),
 * covers that day, or starts later (the new, open-ended stint would overlap it); a leave closes the
 * open stint on or after its join date, and a leave already recorded that day is a duplicate; every
 * date must lie in the project's working period [startDate, endDate]. Stints never overlap.
 */
export function applyWorkerEvents(
  events: readonly { row: number; event: WorkerEvent }[],
  current: ReadonlyMap<string, readonly Stint[]>,
  project: { startDate: IsoDate; endDate: IsoDate },
): ApplyResult {
  const stints = new Map<string, Stint[]>();
  for (const [nik, list] of current)
    stints.set(
      nik,
      list.map((s) => ({ ...s })),
    );
  const result: ApplyResult = { changes: [], duplicates: [], errors: [] };
  const ordered = [...events].sort(
    (a, b) =>
      a.event.date.localeCompare(b.event.date) || kindOrder(a.event) - kindOrder(b.event) || a.row - b.row,
  );

  for (const { row, event } of ordered) {
    if (event.date < project.startDate || event.date > project.endDate) {
      result.errors.push(
        rowError(
          row,
          "date",
          "DATE_OUTSIDE_CONTRACT",
          `Tanggal di luar masa kerja proyek (${formatDate(project.startDate)} s.d. ${formatDate(project.endDate)})`,
          `Date outside the project's working period (${formatDate(project.startDate, "en")} to ${formatDate(project.endDate, "en")})`,
        ),
      );
      continue;
    }
    const list = stints.get(event.nik) ?? [];
    if (event.kind === "join") {
      const covering = list.find(
        (s) => s.joinedOn <= event.date && (s.leftOn === null || event.date <= s.leftOn),
      );
      const later = list.find((s) => s.joinedOn > event.date);
      if (list.some((s) => s.joinedOn === event.date)) {
        result.duplicates.push(row);
      } else if (covering) {
        result.errors.push(
          rowError(
            row,
            "date",
            "WORKER_ALREADY_ON_PROJECT",
            `Pekerja sudah terdaftar di proyek ini sejak ${formatDate(covering.joinedOn)}`,
            `Worker is already on this project since ${formatDate(covering.joinedOn, "en")}`,
          ),
        );
      } else if (later) {
        result.errors.push(
          rowError(
            row,
            "date",
            "STINT_OVERLAP",
            `Pekerja sudah tercatat masuk lagi pada ${formatDate(later.joinedOn)}; laporkan tanggal keluar sebelum itu lebih dulu`,
            `Worker already joined again on ${formatDate(later.joinedOn, "en")}; report the leave before that first`,
          ),
        );
      } else {
        list.push({ id: null, joinedOn: event.date, leftOn: null });
        stints.set(event.nik, list);
        result.changes.push({ op: "open", nik: event.nik, joinedOn: event.date, row });
      }
      continue;
    }
    const open = list.find((s) => s.leftOn === null);
    if (list.some((s) => s.leftOn === event.date)) {
      result.duplicates.push(row);
    } else if (!open) {
      result.errors.push(
        rowError(
          row,
          "nik",
          "WORKER_NOT_ON_PROJECT",
          "Pekerja tidak sedang terdaftar di proyek ini",
          "Worker is not currently on this project",
        ),
      );
    } else if (event.date < open.joinedOn) {
      result.errors.push(
        rowError(
          row,
          "date",
          "LEAVE_BEFORE_JOIN",
          `Tanggal keluar sebelum tanggal masuk (${formatDate(open.joinedOn)})`,
          `Leave date is before the join date (${formatDate(open.joinedOn, "en")})`,
        ),
      );
    } else {
      open.leftOn = event.date;
      result.changes.push({
        op: "close",
        nik: event.nik,
        stintId: open.id,
        joinedOn: open.joinedOn,
        leftOn: event.date,
        row,
      });
    }
  }
  result.duplicates.sort((a, b) => a - b);
  result.errors.sort((a, b) => a.row - b.row);
  return result;
}

const kindOrder = (e: WorkerEvent) => (e.kind === "join" ? 0 : 1);
