import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays } from "../../src/domain/dates.js";
import { composeNik } from "../../src/domain/nik.js";
import {
  type ApplyResult,
  applyWorkerEvents,
  parseDate,
  type RawWorkerRow,
  type RowError,
  type Stint,
  type StintChange,
  validateWorkerRow,
  type WorkerEvent,
} from "../../src/domain/worker-report.js";

const TODAY = "2025-07-30";
const BUDI = "6103011203850012"; // man, born 1985-03-12
const SITI = "6103215506900003"; // woman, born 1990-06-15
const PROJECT = { startDate: "2025-01-01", endDate: "2025-12-31" };

const join = (nik: string, date: string, row: number) => ({
  row,
  event: {
    kind: "join",
    nik,
    name: "Pekerja",
    birthDate: "1985-03-12",
    sex: "M",
    date,
    eventId: null,
  } as WorkerEvent,
});
const leave = (nik: string, date: string, row: number) => ({
  row,
  event: { kind: "leave", nik, date, eventId: null } as WorkerEvent,
});
const state = (entries: Record<string, Stint[]>) => new Map(Object.entries(entries));
const codes = (r: ApplyResult) => r.errors.map((e) => e.code);

/** What the storage layer does with the changes: open a stint, or close the open one. */
function applyChanges(current: ReadonlyMap<string, readonly Stint[]>, changes: readonly StintChange[]) {
  const next = new Map<string, Stint[]>();
  for (const [nik, list] of current)
    next.set(
      nik,
      list.map((s) => ({ ...s })),
    );
  for (const c of changes) {
    const list = next.get(c.nik) ?? [];
    if (c.op === "open") list.push({ id: null, joinedOn: c.joinedOn, leftOn: null });
    else {
      const open = list.find((s) => s.leftOn === null && s.joinedOn === c.joinedOn);
      if (!open) throw new Error(`close without an open stint: ${JSON.stringify(c)}`);
      open.leftOn = c.leftOn;
    }
    next.set(c.nik, list);
  }
  return next;
}

describe("parseDate", () => {
  it.each([
    ["2025-07-01", "2025-07-01"],
    ["01/07/2025", "2025-07-01"],
    ["1/7/2025", "2025-07-01"],
    ["12-03-1985", "1985-03-12"],
    [" 29/02/2024 ", "2024-02-29"],
    ["28.07.2025", "2025-07-28"],
    ["28 Juli 2025", "2025-07-28"],
    ["28 juli 2025", "2025-07-28"],
    ["1 Agustus 2025", "2025-08-01"],
    ["17-Agu-2025", "2025-08-17"],
    ["17 Agt. 2025", "2025-08-17"],
    ["5 Mei 2025", "2025-05-05"],
    ["31 Des 2024", "2024-12-31"],
    ["28 July 2025", "2025-07-28"],
    ["28-Jul-2025", "2025-07-28"],
    ["3 Sept 2025", "2025-09-03"],
    ["12 Maret 1985", "1985-03-12"],
  ])("reads %j as %s", (raw, iso) => {
    expect(parseDate(raw)).toBe(iso);
  });

  it.each([
    "",
    "31/02/2025",
    "2025/07/01",
    "07/2025",
    "kemarin",
    "29/02/2025",
    "28/07-2025",
    "31 Juni 2025",
    "28 Juliii 2025",
    "28 Juli 25",
    "Juli 2025",
    "28 constructor 2025",
    45_838,
    null,
    undefined,
  ])("refuses %j", (raw) => {
    expect(parseDate(raw)).toBeNull();
  });
});

describe("validateWorkerRow: valid rows", () => {
  it("a join in English with ISO dates", () => {
    expect(
      validateWorkerRow(
        {
          event: "join",
          nik: BUDI,
          name: " Budi Santoso ",
          birthDate: "1985-03-12",
          sex: "M",
          date: "2025-07-01",
          eventId: "e-1",
        },
        2,
        TODAY,
      ),
    ).toEqual({
      ok: true,
      event: {
        kind: "join",
        nik: BUDI,
        name: "Budi Santoso",
        birthDate: "1985-03-12",
        sex: "M",
        date: "2025-07-01",
        eventId: "e-1",
      },
    });
  });

  it("a join in Indonesian: masuk, L/P, DD/MM/YYYY", () => {
    expect(
      validateWorkerRow(
        { event: "MASUK", nik: BUDI, name: "Budi", birthDate: "12/03/1985", sex: "L", date: "01/07/2025" },
        3,
        TODAY,
      ),
    ).toEqual({
      ok: true,
      event: {
        kind: "join",
        nik: BUDI,
        name: "Budi",
        birthDate: "1985-03-12",
        sex: "M",
        date: "2025-07-01",
        eventId: null,
      },
    });
    const siti = validateWorkerRow(
      { event: "masuk", nik: SITI, name: "Siti", birthDate: "15-06-1990", sex: "p", date: "30/07/2025" },
      4,
      TODAY,
    );
    expect(siti).toMatchObject({
      ok: true,
      event: { kind: "join", sex: "F", birthDate: "1990-06-15", date: "2025-07-30" },
    });
  });

  it("a join without declared birth date or sex takes both from the NIK", () => {
    expect(
      validateWorkerRow({ event: "join", nik: SITI, name: "Siti", date: "2025-07-01" }, 2, TODAY),
    ).toMatchObject({
      ok: true,
      event: { birthDate: "1990-06-15", sex: "F" },
    });
  });

  it("a leave (keluar) needs only NIK and date", () => {
    expect(validateWorkerRow({ event: "keluar", nik: ` ${BUDI} `, date: "15/07/2025" }, 5, TODAY)).toEqual({
      ok: true,
      event: { kind: "leave", nik: BUDI, date: "2025-07-15", eventId: null },
    });
    expect(
      validateWorkerRow({ event: "Leave", nik: BUDI, date: "2025-07-15", name: "", sex: "X" }, 5, TODAY),
    ).toMatchObject({
      ok: true,
      event: { kind: "leave" },
    });
  });
});

describe("validateWorkerRow: errors name the row and the field", () => {
  const validJoin: RawWorkerRow = {
    event: "join",
    nik: BUDI,
    name: "Budi",
    birthDate: "1985-03-12",
    sex: "M",
    date: "2025-07-01",
  };
  const errorsOf = (raw: RawWorkerRow, row = 7): RowError[] => {
    const r = validateWorkerRow(raw, row, TODAY);
    if (r.ok) throw new Error(`expected errors, got ${JSON.stringify(r.event)}`);
    return r.errors;
  };
  const fieldsAndCodes = (raw: RawWorkerRow) => errorsOf(raw).map((e) => [e.field, e.code]);

  it.each([
    [{ event: "transfer" }, "event", "EVENT_INVALID"],
    [{ event: undefined }, "event", "EVENT_INVALID"],
    [{ nik: undefined }, "nik", "NIK_REQUIRED"],
    [{ nik: "12345" }, "nik", "NIK_LENGTH"],
    [{ nik: "6103-011203850012" }, "nik", "NIK_NOT_DIGITS"],
    [{ nik: "6103011203850000" }, "nik", "NIK_SERIAL_ZERO"],
    [{ date: "30/02/2025" }, "date", "DATE_INVALID"],
    [{ date: "" }, "date", "DATE_INVALID"],
    [{ date: "2025-07-31" }, "date", "DATE_IN_FUTURE"],
    [{ name: "" }, "name", "NAME_INVALID"],
    [{ name: "x".repeat(201) }, "name", "NAME_INVALID"],
    [{ name: "Budi\u0000" }, "name", "TEXT_INVALID"],
    // "Budi" shown as "iduB": a right-to-left override would let one worker's name read as another's.
    [{ name: "\u202eiduB" }, "name", "TEXT_INVALID"],
    [{ name: "Budi\nSantoso" }, "name", "TEXT_INVALID"],
    [{ birthDate: "1985-02-30" }, "birthDate", "DATE_INVALID"],
    [{ sex: "X" }, "sex", "SEX_INVALID"],
    [{ birthDate: "1985-03-13" }, "birthDate", "NIK_BIRTH_DATE_MISMATCH"],
    [{ sex: "P" }, "sex", "NIK_SEX_MISMATCH"],
  ] as [RawWorkerRow, string, string][])("%j → %s %s", (patch, field, code) => {
    const errors = errorsOf({ ...validJoin, ...patch }, 7);
    expect(errors.map((e) => [e.field, e.code])).toEqual([[field, code]]);
    expect(errors[0]?.row).toBe(7);
    expect(errors[0]?.message.id.length).toBeGreaterThan(0);
    expect(errors[0]?.message.en.length).toBeGreaterThan(0);
  });

  it("a name in any script, with its accents, is fine", () => {
    for (const name of ["Ni Luh Putu Ayu", "Ṣāliḥ bin ʿUmar", "محمد", "Nguyễn Văn Bình"])
      expect(validateWorkerRow({ ...validJoin, name }, 2, TODAY).ok, name).toBe(true);
  });

  it("a name of exactly 200 characters is fine", () => {
    expect(validateWorkerRow({ ...validJoin, name: "x".repeat(200) }, 2, TODAY).ok).toBe(true);
  });

  it("reports every wrong field of a row at once", () => {
    expect(fieldsAndCodes({ event: "join", nik: "123", name: "", sex: "X", date: "besok" })).toEqual([
      ["nik", "NIK_LENGTH"],
      ["date", "DATE_INVALID"],
      ["name", "NAME_INVALID"],
      ["sex", "SEX_INVALID"],
    ]);
    expect(fieldsAndCodes({ event: "pindah", nik: "", date: "" })).toEqual([
      ["event", "EVENT_INVALID"],
      ["nik", "NIK_REQUIRED"],
      ["date", "DATE_INVALID"],
    ]);
  });

  it("gives the NIK's own bilingual message", () => {
    expect(errorsOf({ ...validJoin, nik: "12345" })[0]?.message).toEqual({
      id: "NIK harus 16 digit",
      en: "NIK must be 16 digits long",
    });
  });

  // Object.prototype names must not pass as an event kind or a sex. Regression: before 2d425c6 the
  // lookups were object literals, so EVENT_KINDS["constructor"] found an inherited property.
  it.each(["constructor", "__proto__"])("event %j is EVENT_INVALID, not a valid event", (event) => {
    expect(fieldsAndCodes({ ...validJoin, event })).toEqual([["event", "EVENT_INVALID"]]);
  });

  it.each(["constructor", "__proto__"])("sex %j is SEX_INVALID", (sex) => {
    expect(fieldsAndCodes({ ...validJoin, sex })).toEqual([["sex", "SEX_INVALID"]]);
  });
});

describe("validateWorkerRow: the minimum working age (15, UU 20/1999)", () => {
  const joinOf = (birthDate: string, date: string) =>
    validateWorkerRow(
      {
        event: "join",
        nik: composeNik({ regionCode: "61.03.01", birthDate, sex: "M", serial: 12 }),
        name: "Andi",
        date,
      },
      4,
      TODAY,
    );

  it("refuses a join whose NIK makes the worker 14 on the join date, saying the age and what to check", () => {
    const r = joinOf("2010-07-02", "2025-07-01");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      {
        row: 4,
        field: "nik",
        code: "NIK_BELOW_WORKING_AGE",
        message: {
          id: "Menurut NIK ini pekerja lahir 2 Juli 2010, berumur 14 tahun pada tanggal masuk: periksa NIK-nya. Usia minimum untuk bekerja 15 tahun (UU 20/1999; UU 13/2003 ps. 68–69).",
          en: "By this NIK the worker was born on 2 July 2010 and is 14 on the join date: check the NIK. The minimum age for employment is 15 (UU 20/1999; UU 13/2003 art. 68–69).",
        },
      },
    ]);
  });

  it("accepts a worker who turns 15 on the join date", () => {
    expect(joinOf("2010-07-01", "2025-07-01").ok).toBe(true);
  });

  it("property: a join is refused for its age exactly when the worker is under 15 that day", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9_000 }), fc.integer({ min: 0, max: 200 }), (daysOld, back) => {
        const date = addDays(TODAY, -back);
        const birthDate = addDays(date, -daysOld);
        const r = joinOf(birthDate, date);
        const refused = !r.ok && r.errors.some((e) => e.code === "NIK_BELOW_WORKING_AGE");
        // Born on or before the same day 15 years earlier (29 February counting as 1 March).
        const fifteenth = `${Number(date.slice(0, 4)) - 15}${date.slice(4)}`;
        expect(refused).toBe(birthDate > fifteenth);
      }),
    );
  });

  it("asks nothing of a leave: the age was weighed when the worker joined", () => {
    const nik = composeNik({ regionCode: "61.03.01", birthDate: "2015-01-01", sex: "M", serial: 3 });
    expect(validateWorkerRow({ event: "leave", nik, date: "2025-07-01" }, 2, TODAY).ok).toBe(true);
  });
});

describe("validateWorkerRow properties", () => {
  const cell = fc.oneof(
    fc.string(),
    fc.constantFrom(
      "join",
      "leave",
      "masuk",
      "keluar",
      "L",
      "P",
      "M",
      "F",
      "2025-07-01",
      "01/07/2025",
      BUDI,
      SITI,
    ),
    fc.integer(),
    fc.constant(undefined),
    fc.constant(null),
  );
  const raw = fc.record(
    { nik: cell, name: cell, birthDate: cell, sex: cell, event: cell, date: cell, eventId: cell },
    { requiredKeys: [] },
  );

  it("never throws; errors carry the row and a known field; events are well-formed", () => {
    const fields = ["event", "nik", "date", "name", "birthDate", "sex"];
    fc.assert(
      fc.property(raw, fc.integer({ min: 1, max: 1_000_000 }), (r, row) => {
        const result = validateWorkerRow(r, row, TODAY);
        if (result.ok) {
          expect(["join", "leave"]).toContain(result.event.kind);
          expect(result.event.nik).toMatch(/^\d{16}$/);
          expect(result.event.date <= TODAY).toBe(true);
        } else {
          expect(result.errors.length).toBeGreaterThan(0);
          for (const e of result.errors) {
            expect(e.row).toBe(row);
            expect(fields).toContain(e.field);
          }
        }
      }),
    );
  });
});

describe("applyWorkerEvents", () => {
  it("a join opens a stint", () => {
    expect(applyWorkerEvents([join(BUDI, "2025-03-01", 2)], new Map(), PROJECT)).toEqual({
      changes: [{ op: "open", nik: BUDI, joinedOn: "2025-03-01", row: 2 }],
      duplicates: [],
      errors: [],
    });
  });

  it("replaying the same join is a duplicate, in the same batch or later", () => {
    const current = state({ [BUDI]: [{ id: 9, joinedOn: "2025-03-01", leftOn: null }] });
    expect(applyWorkerEvents([join(BUDI, "2025-03-01", 2)], current, PROJECT)).toEqual({
      changes: [],
      duplicates: [2],
      errors: [],
    });
    const batch = applyWorkerEvents(
      [join(BUDI, "2025-03-01", 2), join(BUDI, "2025-03-01", 3)],
      new Map(),
      PROJECT,
    );
    expect(batch.changes.map((c) => c.row)).toEqual([2]);
    expect(batch.duplicates).toEqual([3]);
  });

  it("a join while already on the project since another date is WORKER_ALREADY_ON_PROJECT", () => {
    const current = state({ [BUDI]: [{ id: 9, joinedOn: "2025-03-01", leftOn: null }] });
    const r = applyWorkerEvents([join(BUDI, "2025-04-01", 4)], current, PROJECT);
    expect(r.changes).toEqual([]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ row: 4, field: "date", code: "WORKER_ALREADY_ON_PROJECT" });
    expect(r.errors[0]?.message).toEqual({
      id: "Pekerja sudah terdaftar di proyek ini sejak 1 Maret 2025",
      en: "Worker is already on this project since 1 March 2025",
    });
  });

  it("a join inside a closed stint is WORKER_ALREADY_ON_PROJECT; after it, a new stint", () => {
    const current = state({ [BUDI]: [{ id: 9, joinedOn: "2025-03-01", leftOn: "2025-03-31" }] });
    expect(codes(applyWorkerEvents([join(BUDI, "2025-03-15", 2)], current, PROJECT))).toEqual([
      "WORKER_ALREADY_ON_PROJECT",
    ]);
    expect(applyWorkerEvents([join(BUDI, "2025-04-10", 2)], current, PROJECT).changes).toEqual([
      { op: "open", nik: BUDI, joinedOn: "2025-04-10", row: 2 },
    ]);
  });

  it("a leave closes the open stint, keeping its id", () => {
    const current = state({ [BUDI]: [{ id: 9, joinedOn: "2025-03-01", leftOn: null }] });
    expect(applyWorkerEvents([leave(BUDI, "2025-05-31", 2)], current, PROJECT)).toEqual({
      changes: [{ op: "close", nik: BUDI, stintId: 9, joinedOn: "2025-03-01", leftOn: "2025-05-31", row: 2 }],
      duplicates: [],
      errors: [],
    });
    // Join and leave on the same day: a one-day stint.
    expect(applyWorkerEvents([leave(BUDI, "2025-03-01", 2)], current, PROJECT).changes).toHaveLength(1);
  });

  it("the same leave twice is a duplicate", () => {
    const current = state({ [BUDI]: [{ id: 9, joinedOn: "2025-03-01", leftOn: null }] });
    const r = applyWorkerEvents(
      [leave(BUDI, "2025-05-31", 2), leave(BUDI, "2025-05-31", 3)],
      current,
      PROJECT,
    );
    expect(r.changes.map((c) => c.row)).toEqual([2]);
    expect(r.duplicates).toEqual([3]);
    expect(r.errors).toEqual([]);
  });

  it("a leave before the join date is LEAVE_BEFORE_JOIN", () => {
    const current = state({ [BUDI]: [{ id: 9, joinedOn: "2025-03-01", leftOn: null }] });
    const r = applyWorkerEvents([leave(BUDI, "2025-02-28", 2)], current, PROJECT);
    expect(r.changes).toEqual([]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ row: 2, field: "date", code: "LEAVE_BEFORE_JOIN" });
    expect(r.errors[0]?.message).toEqual({
      id: "Tanggal keluar sebelum tanggal masuk (1 Maret 2025)",
      en: "Leave date is before the join date (1 March 2025)",
    });
  });

  it("a leave with no stint, or only closed stints on other dates, is WORKER_NOT_ON_PROJECT", () => {
    const none = applyWorkerEvents([leave(SITI, "2025-05-31", 2)], new Map(), PROJECT);
    expect(none.errors).toEqual([
      {
        row: 2,
        field: "nik",
        code: "WORKER_NOT_ON_PROJECT",
        message: {
          id: "Pekerja tidak sedang terdaftar di proyek ini",
          en: "Worker is not currently on this project",
        },
      },
    ]);
    const closed = state({ [SITI]: [{ id: 1, joinedOn: "2025-03-01", leftOn: "2025-03-31" }] });
    expect(codes(applyWorkerEvents([leave(SITI, "2025-04-30", 2)], closed, PROJECT))).toEqual([
      "WORKER_NOT_ON_PROJECT",
    ]);
    expect(applyWorkerEvents([leave(SITI, "2025-03-31", 2)], closed, PROJECT).duplicates).toEqual([2]);
  });

  it("dates outside the contract period are DATE_OUTSIDE_CONTRACT; its first and last day are inside", () => {
    const r = applyWorkerEvents(
      [
        join(BUDI, "2024-12-31", 2),
        join(SITI, "2026-01-01", 3),
        join(BUDI, "2025-01-01", 4),
        leave(BUDI, "2025-12-31", 5),
      ],
      new Map(),
      PROJECT,
    );
    expect(r.errors.map((e) => [e.row, e.field, e.code])).toEqual([
      [2, "date", "DATE_OUTSIDE_CONTRACT"],
      [3, "date", "DATE_OUTSIDE_CONTRACT"],
    ]);
    expect(r.errors[0]?.message).toEqual({
      id: "Tanggal di luar masa kerja proyek (1 Januari 2025 s.d. 31 Desember 2025)",
      en: "Date outside the project's working period (1 January 2025 to 31 December 2025)",
    });
    expect(r.changes.map((c) => c.row)).toEqual([4, 5]);
  });

  it("a join and a leave in one batch open and close a new stint", () => {
    expect(
      applyWorkerEvents([join(SITI, "2025-03-01", 2), leave(SITI, "2025-04-15", 3)], new Map(), PROJECT),
    ).toEqual({
      changes: [
        { op: "open", nik: SITI, joinedOn: "2025-03-01", row: 2 },
        { op: "close", nik: SITI, stintId: null, joinedOn: "2025-03-01", leftOn: "2025-04-15", row: 3 },
      ],
      duplicates: [],
      errors: [],
    });
  });

  it("keeps workers apart and does not modify the current state it is given", () => {
    const current = state({ [BUDI]: [{ id: 9, joinedOn: "2025-03-01", leftOn: null }] });
    const r = applyWorkerEvents(
      [join(SITI, "2025-03-01", 2), leave(BUDI, "2025-04-01", 3)],
      current,
      PROJECT,
    );
    expect(r.changes.map((c) => [c.op, c.nik])).toEqual([
      ["open", SITI],
      ["close", BUDI],
    ]);
    expect(current.get(BUDI)).toEqual([{ id: 9, joinedOn: "2025-03-01", leftOn: null }]);
    expect(current.has(SITI)).toBe(false);
  });
});

describe("applyWorkerEvents: replaying a report changes nothing (DESIGN.md §2)", () => {
  function replay(batch: { row: number; event: WorkerEvent }[], current: Map<string, Stint[]>) {
    const first = applyWorkerEvents(batch, current, PROJECT);
    const second = applyWorkerEvents(batch, applyChanges(current, first.changes), PROJECT);
    return { first, second };
  }

  // Regression (before 2d425c6): with a later stint open, the earlier leave was checked against the
  // open stint's join date (LEAVE_BEFORE_JOIN) instead of being recognised as already recorded.
  it("re-uploading join, leave, re-join gives three duplicates", () => {
    const batch = [join(BUDI, "2025-01-05", 2), leave(BUDI, "2025-02-10", 3), join(BUDI, "2025-03-01", 4)];
    const { first, second } = replay(batch, new Map());
    expect(first.changes.map((c) => c.op)).toEqual(["open", "close", "open"]);
    expect(second).toEqual({ changes: [], duplicates: [2, 3, 4], errors: [] });
  });

  // Regression (before 2d425c6): a join dated before an existing stint opened an open-ended stint
  // overlapping it, and replaying the batch then closed that stint.
  it("a back-dated join does not open a stint overlapping a later one", () => {
    const current = state({ [BUDI]: [{ id: 9, joinedOn: "2025-03-01", leftOn: "2025-03-31" }] });
    const r = applyWorkerEvents([join(BUDI, "2025-02-01", 2)], current, PROJECT);
    expect(r.changes).toEqual([]);
    expect(r.errors.map((e) => [e.row, e.field])).toEqual([[2, "date"]]);
  });

  // Regression (before 2d425c6): rows were applied in file order, so a join listed before the leave
  // that ends the earlier stint was refused, then accepted when the same file was uploaded again.
  it("re-uploading a file whose rows are out of date order changes nothing the second time", () => {
    const current = state({ [BUDI]: [{ id: 9, joinedOn: "2025-01-05", leftOn: null }] });
    const { second } = replay([join(BUDI, "2025-03-01", 2), leave(BUDI, "2025-02-10", 3)], current);
    expect(second.changes).toEqual([]);
    // Same with a new worker whose leave row comes before the join row.
    const { second: again } = replay([leave(SITI, "2025-04-30", 2), join(SITI, "2025-03-01", 3)], new Map());
    expect(again.changes).toEqual([]);
  });

  const niks = [
    BUDI,
    SITI,
    composeNik({ regionCode: "61.03.20", birthDate: "1979-11-02", sex: "M", serial: 7 }),
  ];
  // Few dates, so that generated events often collide; offsets -3 and 368 lie outside the contract.
  const offsets = [-3, 0, 10, 20, 30, 45, 60, 364, 368];
  const day = fc.constantFrom(...offsets).map((o) => addDays(PROJECT.startDate, o));
  const inside = fc
    .constantFrom(...offsets.filter((o) => o >= 0 && o <= 364))
    .map((o) => addDays(PROJECT.startDate, o));

  /** A consistent starting state: per worker, stints in date order that never overlap, the last maybe open. */
  const currentState = fc
    .array(fc.tuple(fc.constantFrom(...niks), fc.uniqueArray(inside, { maxLength: 5 }), fc.boolean()), {
      maxLength: 3,
    })
    .map((entries) => {
      const m = new Map<string, Stint[]>();
      let id = 1;
      for (const [nik, dates, lastOpen] of entries) {
        if (m.has(nik) || dates.length === 0) continue;
        const sorted = [...dates].sort();
        const stints: Stint[] = [];
        // Pairs (join, leave) strictly apart so stints never touch; a lone last date is an open stint.
        for (let i = 0; i < sorted.length; i += 2) {
          const joinedOn = sorted[i] as string;
          const leftOn = sorted[i + 1] ?? null;
          stints.push({
            id: id++,
            joinedOn,
            leftOn: leftOn !== null && lastOpen && i + 2 >= sorted.length ? null : leftOn,
          });
          if (stints.at(-1)?.leftOn === null) break;
        }
        m.set(nik, stints);
      }
      return m;
    });

  const batch = fc
    .array(fc.tuple(fc.boolean(), fc.constantFrom(...niks), day), { maxLength: 8 })
    .map((events) =>
      events.map(([isJoin, nik, date], i) => (isJoin ? join(nik, date, i + 2) : leave(nik, date, i + 2))),
    );

  it("property: every row gets exactly one outcome, and every change lies inside the contract", () => {
    fc.assert(
      fc.property(batch, currentState, (b, current) => {
        const r = applyWorkerEvents(b, current, PROJECT);
        const rows = [...r.changes.map((c) => c.row), ...r.duplicates, ...r.errors.map((e) => e.row)].sort(
          (x, y) => x - y,
        );
        expect(rows).toEqual(b.map((e) => e.row));
        for (const c of r.changes) {
          const date = c.op === "open" ? c.joinedOn : c.leftOn;
          expect(date >= PROJECT.startDate && date <= PROJECT.endDate).toBe(true);
        }
        const next = applyChanges(current, r.changes);
        for (const list of next.values())
          expect(list.filter((s) => s.leftOn === null).length).toBeLessThanOrEqual(1);
      }),
    );
  });

  it("property: a worker's stints on one project never overlap", () => {
    fc.assert(
      fc.property(batch, currentState, (b, current) => {
        const next = applyChanges(current, applyWorkerEvents(b, current, PROJECT).changes);
        for (const list of next.values()) {
          const sorted = [...list].sort((x, y) => x.joinedOn.localeCompare(y.joinedOn));
          for (let i = 1; i < sorted.length; i++) {
            const before = sorted[i - 1] as Stint;
            expect(before.leftOn).not.toBeNull();
            expect((before.leftOn as string) < (sorted[i] as Stint).joinedOn).toBe(true);
          }
        }
      }),
    );
  });

  it("property: replaying a batch on the state it produced changes nothing", () => {
    fc.assert(
      fc.property(batch, currentState, (b, current) => {
        const { first, second } = replay(b, current);
        expect(second.changes).toEqual([]);
        // Every row accepted the first time (a change or a duplicate) is a duplicate now…
        const accepted = [...first.changes.map((c) => c.row), ...first.duplicates].sort((x, y) => x - y);
        for (const row of accepted) expect(second.duplicates).toContain(row);
        // …and a row refused now was refused the first time. (Its code may differ: a leave before any
        // stint is WORKER_NOT_ON_PROJECT, and LEAVE_BEFORE_JOIN once a later join has opened one.)
        const refusedFirst = new Set(first.errors.map((e) => e.row));
        for (const e of second.errors) expect(refusedFirst.has(e.row)).toBe(true);
      }),
    );
  });
});
