import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import fc from "fast-check";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/connection.js";
import { nikVault } from "../../src/db/nik-vault.js";
import {
  importProjects,
  importWorkers,
  PROJECT_COLUMNS,
  PROJECT_REQUIRED,
  WORKER_COLUMNS,
  WORKER_REQUIRED,
} from "../../src/services/imports.js";
import { readTable } from "../../src/services/tabular.js";
import { reportWorkers } from "../../src/services/worker-reports.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";
import { actor, createProject, joinRow, TODAY } from "../support/fixtures.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "pantau-import-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

/**
 * Import a workbook as a clerk's Excel holds it: a "Pekerja" sheet, its header row, then `rows` as cell
 * values (an empty row is a blank line, still counted in the row numbers).
 */
async function importWorkbook(db: Db, name: string, rows: unknown[][]) {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Pekerja");
  sheet.addRow(["Kode Proyek", "NIK", "Nama", "Tanggal Lahir", "Jenis Kelamin", "Peristiwa", "Tanggal"]);
  for (const row of rows) sheet.addRow(row);
  const path = join(dir, name);
  await workbook.xlsx.writeFile(path);
  return importWorkers(db, readTable(path, WORKER_COLUMNS, WORKER_REQUIRED), {
    today: TODAY,
    actor,
    source: "xlsx",
  });
}

const GOOD_WORKERS = `kode_proyek,nik,nama,tanggal_lahir,jenis_kelamin,peristiwa,tanggal
61.03/PUPR/2025/T001,6103011203850001,Budi Santoso,12/03/1985,L,masuk,2025-04-01
61.03/PUPR/2025/T001,6103015203900002,Siti Aminah,1990-03-12,P,masuk,01/04/2025
61.03/PUPR/2025/T001,6103011203850001,Budi Santoso,,,keluar,2025-05-15
`;

describe.each(backends)("file imports [%s]", (backend) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await freshDatabase(backend);
    await createProject(t.db);
  });
  afterEach(async () => {
    await t.close();
  });

  const importFile = (path: string) =>
    importWorkers(t.db, readTable(path, WORKER_COLUMNS, WORKER_REQUIRED), {
      today: TODAY,
      actor,
      source: "csv",
    });
  const counts = async () => ({
    persons: (await t.db.selectFrom("person").select("id").execute()).length,
    assignments: await t.db.selectFrom("assignment").select(["joined_on", "left_on"]).orderBy("id").execute(),
    events: (await t.db.selectFrom("report_event").select("id").execute()).length,
  });

  it("imports a CSV with Indonesian headers and dates, and a second import adds nothing", async () => {
    const path = file("good.csv", GOOD_WORKERS);
    expect(await importFile(path)).toMatchObject({
      rows: 3,
      accepted: 3,
      duplicates: 0,
      rejected: 0,
      errors: [],
    });
    const after = await counts();
    expect(after.assignments).toEqual([
      { joined_on: "2025-04-01", left_on: "2025-05-15" },
      { joined_on: "2025-04-01", left_on: null },
    ]);
    expect(await importFile(path)).toMatchObject({ accepted: 0, rejected: 0 });
    expect(await counts()).toEqual(after);
  });

  it("takes a file over many projects in one pass, as if each project's rows were reported on their own", async () => {
    // Rows of three projects, joins and leaves of six workers on a few days: many are refused (leave
    // while not on the project, a second join while on it, a date outside the contract), some repeat.
    const row = fc.record({
      p: fc.nat(2),
      n: fc.integer({ min: 1, max: 6 }),
      kind: fc.constantFrom("masuk", "keluar"),
      date: fc.constantFrom("2025-01-15", "2025-04-01", "2025-04-20", "2025-05-15", "2025-06-30"),
    });
    await fc.assert(
      // Files are written a few rows at a time, so that slices follow slices: each slice is checked and
      // keyed while the one before it is written.
      fc.asyncProperty(
        fc.array(row, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 12 }),
        async (raws, sliceRows) => {
          const [bulk, single] = [await freshDatabase(backend), await freshDatabase(backend)];
          try {
            const codes = ["B1", "B2", "B3"];
            const ids: number[][] = [[], []];
            for (const [i, db] of [bulk, single].entries())
              for (const code of codes) ids[i]?.push((await createProject(db.db, { code })).id);
            const record = (r: (typeof raws)[number]) => ({
              ...joinRow(r.n, r.date),
              event: r.kind,
              projectCode: codes[r.p] as string,
            });
            // Two files, so that the second meets the stints the first recorded.
            const half = Math.ceil(raws.length / 2);
            const result = { accepted: 0, duplicates: 0, errors: [] as string[] };
            const expected = { accepted: 0, duplicates: 0, errors: [] as string[] };
            for (const [part, offset] of [
              [raws.slice(0, half), 0],
              [raws.slice(half), half],
            ] as const) {
              if (part.length === 0) continue; // a file of its header alone is refused (FILE_EMPTY)
              const csv = [
                "kode_proyek,nik,nama,peristiwa,tanggal",
                ...part.map((r) => {
                  const x = record(r);
                  return `${x.projectCode},${x.nik},${x.name},${x.event},${x.date}`;
                }),
              ].join("\n");
              const path = file(`many-${offset}.csv`, csv);
              const imported = await importWorkers(
                bulk.db,
                readTable(path, WORKER_COLUMNS, WORKER_REQUIRED),
                {
                  today: TODAY,
                  actor,
                  source: "csv",
                  sliceRows,
                },
              );
              result.accepted += imported.accepted;
              result.duplicates += imported.duplicates;
              result.errors.push(...imported.errors.map((e) => `${offset + e.row}:${e.field}:${e.code}`));
              for (const [p, code] of codes.entries()) {
                const own = part.map((r, i) => ({ r, row: i + 2 })).filter(({ r }) => r.p === p);
                if (own.length === 0) continue;
                // The same rows and row numbers, as one batch of that project.
                const answer = await reportWorkers(
                  single.db,
                  ids[1]?.[p] as number,
                  {
                    idempotencyKey: `single-${code}-${offset}`,
                    source: "csv",
                    rows: own.map(({ r, row }) => ({ row, raw: record(r) })),
                    today: TODAY,
                  },
                  actor,
                );
                expected.accepted += answer.accepted;
                expected.duplicates += answer.duplicates;
                expected.errors.push(...answer.errors.map((e) => `${offset + e.row}:${e.field}:${e.code}`));
              }
            }
            expect(result.accepted).toBe(expected.accepted);
            expect(result.duplicates).toBe(expected.duplicates);
            expect(result.errors.sort()).toEqual(expected.errors.sort());
            const stints = async (db: TestDatabase) =>
              (
                await db.db
                  .selectFrom("assignment as a")
                  .innerJoin("project as p", "p.id", "a.project_id")
                  .innerJoin("person as w", "w.id", "a.person_id")
                  .select(["p.code", "w.nik_sealed", "a.joined_on", "a.left_on"])
                  .execute()
              )
                .map(
                  ({ nik_sealed, ...s }) =>
                    `${s.code}|${nikVault().open(nik_sealed)}|${s.joined_on}|${s.left_on}`,
                )
                .sort();
            expect(await stints(bulk)).toEqual(await stints(single));
            // The last file again changes nothing (an earlier one might: a leave it was refused can now be
            // valid after the later file's join).
            const before = await stints(bulk);
            const last = half < raws.length ? half : 0;
            const again = await importWorkers(
              bulk.db,
              readTable(join(dir, `many-${last}.csv`), WORKER_COLUMNS, WORKER_REQUIRED),
              { today: TODAY, actor, source: "csv", sliceRows },
            );
            expect(again.accepted).toBe(0);
            expect(await stints(bulk)).toEqual(before);
          } finally {
            await bulk.close();
            await single.close();
          }
        },
      ),
      { numRuns: 10 },
    );
  }, 300_000);

  it("writes nothing of a file that breaks after some of its rows were staged, and imports the next one", async () => {
    // Two rows per staging statement: the break comes four statements into the file.
    const good = GOOD_WORKERS.trim().split("\n");
    const rows = Array.from({ length: 8 }, (_, i) => {
      const nik = `61030112038500${String(i + 10).padStart(2, "0")}`;
      return `61.03/PUPR/2025/T001,${nik},Pekerja ${i},1985-03-12,L,masuk,2025-04-01`;
    });
    const broken = file(
      "broken.csv",
      [good[0], ...rows, '61.03/PUPR/2025/T001,"6103011203850099,Putus'].join("\n"),
    );
    const before = await counts();
    await expect(
      importWorkers(t.db, readTable(broken, WORKER_COLUMNS, WORKER_REQUIRED), {
        today: TODAY,
        actor,
        source: "csv",
        sliceRows: 2,
      }),
    ).rejects.toMatchObject({ code: "FILE_MALFORMED", details: { line: 10 } });
    expect(await counts()).toEqual(before);
    expect(await importFile(file("after-broken.csv", GOOD_WORKERS))).toMatchObject({
      accepted: 3,
      rejected: 0,
    });
  });

  it("reads the semicolon CSV that Excel writes in Indonesian, in UTF-8 and UTF-16", async () => {
    const semicolons = GOOD_WORKERS.replaceAll(",", ";").replace("Budi Santoso;12", '"Santoso, Budi";12');
    const utf8 = file("excel-id.csv", semicolons);
    expect(await importFile(utf8)).toMatchObject({ rows: 3, accepted: 3, rejected: 0 });
    expect(await t.db.selectFrom("person").select("name").orderBy("name").execute()).toEqual([
      { name: "Santoso, Budi" },
      { name: "Siti Aminah" },
    ]);
    const utf16 = join(dir, "excel-id-16.csv");
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(semicolons, "utf16le")]));
    expect(await importFile(utf16)).toMatchObject({ rows: 3, accepted: 0, duplicates: 3, rejected: 0 });
  });

  it("tells the delimiter by the header's characters, not its bytes (the fuzz suite's UTF-16 case)", async () => {
    // U+1EC71 is D83B DC71 in UTF-16: a byte 0x3B, which is ";" only in UTF-8.
    const text = '\u{1ec71}\n"=CMD|\' /C calc\'!A0",""\n';
    const read = async (bytes: Buffer) => {
      const path = join(dir, "delimiter.csv");
      writeFileSync(path, bytes);
      try {
        for await (const _ of readTable(path, WORKER_COLUMNS, WORKER_REQUIRED)) return "read";
        return "empty";
      } catch (e) {
        return (e as { code?: string }).code;
      }
    };
    expect(await read(Buffer.from(text, "utf8"))).toBe("FILE_COLUMNS_MISSING");
    expect(await read(Buffer.from(`\ufeff${text}`, "utf16le"))).toBe("FILE_COLUMNS_MISSING");
    expect(await read(Buffer.from(`\ufeff${text}`, "utf16le").swap16())).toBe("FILE_COLUMNS_MISSING");
  });

  it("names each bad row and field and leaves the database unchanged for them", async () => {
    const path = file(
      "bad.csv",
      `project_code,nik,name,birth_date,sex,event,date
61.03/PUPR/2025/T001,6103011203850001,Budi,1985-03-12,L,join,2025-04-01
61.03/PUPR/2025/T001,61030112038500,Pendek,,L,join,2025-04-01
61.03/PUPR/2025/T001,6103013102850003,Tanggal Salah,,L,join,2025-04-01
NOPE,6103011203850004,Tanpa Proyek,,L,join,2025-04-01
61.03/PUPR/2025/T001,6103011203850005,Budi,1985-03-12,P,join,2025-04-01
61.03/PUPR/2025/T001,6103011203850006,,,,datang,2025-02-30
"61.03/PUPR/2025/T001","6103011203850007","Koma, Dalam Nama",,,join,2025-04-01
`,
    );
    const result = await importFile(path);
    expect(result).toMatchObject({ rows: 7, accepted: 2, rejected: 5 });
    expect(result.errors.map((e) => `${e.row}:${e.field}:${e.code}`)).toEqual([
      "3:nik:NIK_LENGTH",
      "4:nik:NIK_INVALID_DATE",
      "5:projectCode:PROJECT_NOT_FOUND",
      "6:sex:NIK_SEX_MISMATCH",
      "7:date:DATE_INVALID",
      "7:event:EVENT_INVALID",
    ]);
    expect((await counts()).persons).toBe(2);
    expect(await t.db.selectFrom("person").select("name").orderBy("name").execute()).toEqual([
      { name: "Budi" },
      { name: "Koma, Dalam Nama" },
    ]);
  });

  it("reads an XLSX file with real date cells, and reports a missing column by name", async () => {
    const result = await importWorkbook(t.db, "workers.xlsx", [
      [
        "61.03/PUPR/2025/T001",
        "6103011203850001",
        "Budi",
        new Date(Date.UTC(1985, 2, 12)),
        "L",
        "masuk",
        new Date(Date.UTC(2025, 3, 1)),
      ],
      [],
      ["61.03/PUPR/2025/T001", "6103011203850002", "Agus", null, "L", "masuk", "2025-13-01"],
    ]);
    expect(result).toMatchObject({ rows: 2, accepted: 1, rejected: 1 });
    expect(result.errors.map((e) => `${e.row}:${e.field}`)).toEqual(["4:date"]);

    const noNik = file("no-nik.csv", "project_code,name,event,date\nX,Budi,join,2025-04-01\n");
    await expect(importFile(noNik)).rejects.toMatchObject({
      code: "FILE_COLUMNS_MISSING",
      details: { missing: ["nik"] },
    });
    await expect(importFile(file("x.pdf", "%PDF"))).rejects.toMatchObject({ code: "FILE_TYPE_UNSUPPORTED" });
  });

  it("refuses a NIK an XLSX holds as a number, whose digits are lost, and reads sex as the KTP writes it", async () => {
    // Typed into Excel as numbers: 9171014506900013 is kept as …0012, 6103011107890125 as …0120.
    const result = await importWorkbook(t.db, "numbers.xlsx", [
      [
        "61.03/PUPR/2025/T001",
        Number("9171014506900013"), // what a number cell holds: 9171014506900012
        "Maria",
        null,
        "Perempuan",
        "masuk",
        "2025-04-01",
      ],
      ["61.03/PUPR/2025/T001", 6103011107890120, "Yosef", null, "Laki-laki", "masuk", "2025-04-01"],
      ["61.03/PUPR/2025/T001", "6103011203850003", "Agus", null, "Laki-laki", "masuk", "2025-04-01"],
      ["61.03/PUPR/2025/T001", "6103015203850004", "Sari", null, "Perempuan", "masuk", "2025-04-01"],
    ]);
    expect(result).toMatchObject({ rows: 4, accepted: 2, rejected: 2 });
    expect(result.errors.map((e) => `${e.row}:${e.field}:${e.code}`)).toEqual([
      "2:nik:NIK_SCIENTIFIC",
      "3:nik:NIK_SCIENTIFIC",
    ]);
    expect(result.errors[0]?.message.id).toContain("format kolom NIK sebagai Teks");
    // Nobody is stored under the digits the spreadsheet made up.
    expect(
      (await t.db.selectFrom("person").select("name").orderBy("name").execute()).map((p) => p.name),
    ).toEqual(["Agus", "Sari"]);
  });

  it("imports projects from procurement data, row errors by field, and is idempotent", async () => {
    const path = file(
      "projects.csv",
      `kode_paket,nama_paket,kode_kecamatan,kode_opd,nib,nama_penyedia,sumber_dana,jenis_pekerjaan,nilai_kontrak,tanggal_spk,tanggal_spmk,tanggal_selesai
61.03/DINKES/2025/9001,Rehabilitasi Puskesmas Balai,61.03.12,DINKES,9120009990001,CV Bina Balai,APBD,building,850000000,2025-04-01,2025-04-07,2025-09-30
61.03/DINKES/2025/9002,Tanpa Nilai,61.03.12,DINKES,9120009990001,CV Bina Balai,APBD,building,,2025-04-01,2025-04-07,2025-09-30
61.03/DINKES/2025/9003,Kecamatan Salah,61.03.99,DINKES,9120009990001,CV Bina Balai,APBD,building,100000000,2025-04-01,2025-04-07,2025-09-30
61.03/DINKES/2025/9004,Terbalik,61.03.12,DINKES,9120009990001,CV Bina Balai,hibah,building,100000000,2025-04-01,2025-03-07,2025-09-30
`,
    );
    const run = () => importProjects(t.db, readTable(path, PROJECT_COLUMNS, PROJECT_REQUIRED), { actor });
    const first = await run();
    expect(first).toMatchObject({ rows: 4, accepted: 1, rejected: 3 });
    expect(first.errors.map((e) => `${e.row}:${e.field}`)).toEqual([
      "3:contractValue",
      "4:districtCode",
      "5:fundingSource",
      "5:spmkDate",
    ]);
    const second = await run();
    expect(second).toMatchObject({ accepted: 0, duplicates: 1, rejected: 3 });
    expect((await t.db.selectFrom("project").select("code").execute()).map((p) => p.code).sort()).toEqual([
      "61.03/DINKES/2025/9001",
      "61.03/PUPR/2025/T001",
    ]);
    // Each half of a refusal in its own column, without the field's name (the `field` column has it).
    const funding = first.errors.find((e) => e.field === "fundingSource");
    expect(funding?.message.id).toMatch(/^Pilihan tidak valid/);
    expect(funding?.message.en).toMatch(/^Invalid option/);
  });

  it("reads project rows as spreadsheets write them, and says when a code is recorded with other data", async () => {
    const header =
      "kode_paket,nama_paket,kode_kecamatan,kode_opd,nib,nama_penyedia,sumber_dana,jenis_pekerjaan,nilai_kontrak,tanggal_spk,tanggal_spmk,tanggal_selesai";
    const path = file(
      "projects-id.csv",
      `${header}
61.03/SWASTA/2025/1,Gudang Balai,61.03.12,,9120009990002,PT Gudang Balai,Swasta,Gedung,Rp 1.500.000.000,01/07/2025,07/07/2025,30/12/2025
61.03/PUPR/2025/2,Jembatan Kapuas,61.03.01,PUPR,9120009990003,CV Jembatan,apbd,Jalan dan jembatan,"2,000,000,000",2025-07-01,2025-07-07,2025-12-30
61.03/PUPR/2025/T001,Peningkatan Jalan Ruas Kapuas,61.03.01,PUPR,9120001234567,CV Karya Kapuas Mandiri,APBD,road,2000000000,03/03/2025,10/03/2025,31/10/2025
61.03/PUPR/2025/T001,Jalan Lain,61.03.01,PUPR,9120001234567,CV Karya Kapuas Mandiri,APBD,road,2500000000,03/03/2025,10/03/2025,31/10/2025
`,
    );
    const result = await importProjects(t.db, readTable(path, PROJECT_COLUMNS, PROJECT_REQUIRED), { actor });
    expect(result).toMatchObject({ rows: 4, accepted: 2, duplicates: 1, rejected: 1 });
    // The fixture's own project, as recorded, is a duplicate; with another name and value it is refused.
    expect(result.errors).toEqual([
      {
        row: 5,
        field: "code",
        code: "PROJECT_EXISTS",
        message: {
          id: "Kode paket 61.03/PUPR/2025/T001 sudah tercatat dengan data lain (nama_paket, nilai_kontrak): baris ini tidak mengubahnya; perbaiki di halaman proyek selama belum terdaftar di BPJS",
          en: "Package code 61.03/PUPR/2025/T001 is recorded with other data (name, contractValue): this row does not change it; correct it on the project's page while it is not registered with BPJS",
        },
      },
    ]);
    const stored = await t.db
      .selectFrom("project")
      .select(["code", "funding_source", "work_type", "contract_value", "spk_date", "end_date"])
      .where("code", "in", ["61.03/SWASTA/2025/1", "61.03/PUPR/2025/2"])
      .orderBy("code")
      .execute();
    expect(stored).toEqual([
      {
        code: "61.03/PUPR/2025/2",
        funding_source: "APBD",
        work_type: "road",
        contract_value: 2_000_000_000,
        spk_date: "2025-07-01",
        end_date: "2025-12-30",
      },
      {
        code: "61.03/SWASTA/2025/1",
        funding_source: "private",
        work_type: "building",
        contract_value: 1_500_000_000,
        spk_date: "2025-07-01",
        end_date: "2025-12-30",
      },
    ]);
  });
});
