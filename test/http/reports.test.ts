import { Writable } from "node:stream";
import ExcelJS from "exceljs";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatDate, formatRupiah } from "../../src/domain/format.js";
import { buildApp } from "../../src/http/app.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";
import { addContractorUser, createProject, joinRow, leaveRow, registerAndPay } from "../support/fixtures.js";
import { pdfText } from "../support/pdf.js";

const PASSWORD = "reports-pass-123";

describe.each(backends)("worker reports over HTTP [%s]", (backend) => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let cookie: string;
  let projectId: number;
  const logs: string[] = [];
  beforeAll(async () => {
    t = await freshDatabase(backend);
    const project = await createProject(t.db);
    projectId = project.id;
    await registerAndPay(t.db, project, {
      registeredOn: "2025-03-05",
      paidOn: "2025-03-10",
      reference: "P1",
    });
    await addContractorUser(t.db, project, "penyedia@test.id", PASSWORD);
    const logStream = new Writable({
      write(chunk, _enc, done) {
        logs.push(String(chunk));
        done();
      },
    });
    // A day inside the project, so its workers are protected "today" for the public check.
    app = await buildApp({ db: t.db, config: { logLevel: "trace" }, today: () => "2025-06-01", logStream });
    const login = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "penyedia@test.id", password: PASSWORD },
    });
    cookie = String(login.headers["set-cookie"]).split(";")[0] as string;
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  const post = (key: string | null, events: unknown[]) =>
    app.inject({
      method: "POST",
      url: `/api/v1/projects/${projectId}/reports`,
      headers: { cookie, ...(key ? { "idempotency-key": key } : {}) },
      payload: { events },
    });
  const assignmentCount = async () => (await t.db.selectFrom("assignment").select("id").execute()).length;

  it("replaying one batch 100 times leaves exactly one set of assignments and returns the first answer", async () => {
    const events = Array.from({ length: 5 }, (_, i) => joinRow(i + 1, "2025-04-01"));
    const first = await post("replay-key-0001", events);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ accepted: 5, rejected: 0, replayed: false });
    for (let i = 0; i < 100; i++) {
      const again = await post("replay-key-0001", events);
      expect(again.json()).toEqual({ ...first.json(), replayed: true });
    }
    expect(await assignmentCount()).toBe(5);
  });

  it("gives one effect for concurrent submissions of one key", async () => {
    const events = Array.from({ length: 10 }, (_, i) => joinRow(50 + i, "2025-04-02"));
    const before = await assignmentCount();
    const answers = await Promise.all(Array.from({ length: 8 }, () => post("concurrent-key-1", events)));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(8).fill(200));
    expect(answers.filter((a) => a.json().replayed === false)).toHaveLength(1);
    expect(await assignmentCount()).toBe(before + 10);
  });

  it("refuses an oversized batch with 413 and a missing key with 400, changing nothing", async () => {
    const before = await assignmentCount();
    const big = Array.from({ length: 1001 }, (_, i) => joinRow(1000 + i, "2025-04-01"));
    const tooBig = await post("too-big-key-1", big);
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.headers["content-type"]).toMatch(/problem\+json/);
    expect(tooBig.json().code).toBe("BATCH_TOO_LARGE");
    const noKey = await post(null, [joinRow(7, "2025-04-01")]);
    expect(noKey.statusCode).toBe(400);
    expect(noKey.json().errors[0].field).toContain("idempotency-key");
    // Said as what to send, not as a schema's type error.
    expect(noKey.json().errors[0].message).toMatch(
      /^Header Idempotency-Key wajib: .* \/ the Idempotency-Key header is required/,
    );
    const shortKey = await post("abc", [joinRow(7, "2025-04-01")]);
    expect(shortKey.json().errors[0].message).toBe(noKey.json().errors[0].message);
    expect(await assignmentCount()).toBe(before);
  });

  it("returns row errors as JSON and as a downloadable CSV and workbook", async () => {
    const res = await post("errors-key-01", [
      joinRow(300, "2025-04-01"),
      { event: "join", nik: "123", name: "X", date: "2025-04-01" },
    ]);
    const body = res.json();
    expect(body).toMatchObject({ accepted: 1, rejected: 1 });
    expect(body.errors[0]).toMatchObject({ row: 2, field: "nik", code: "NIK_LENGTH" });
    const csv = await app.inject({
      method: "GET",
      url: `/api/v1/projects/${projectId}/reports/${body.batchId}/errors.csv`,
      headers: { cookie },
    });
    expect(csv.headers["content-type"]).toMatch(/text\/csv/);
    expect(csv.body).toBe(
      // A byte-order mark first, for Excel on Windows to read UTF-8 as UTF-8.
      "\uFEFFrow,field,kolom,code,pesan,message\n2,nik,nik,NIK_LENGTH,NIK harus 16 digit,NIK must be 16 digits long\n",
    );
    // The same rows as a workbook, which an Indonesian Excel opens in columns too.
    const xlsx = await app.inject({
      method: "GET",
      url: `/api/v1/projects/${projectId}/reports/${body.batchId}/errors.xlsx`,
      headers: { cookie },
    });
    expect(xlsx.headers["content-type"]).toBe(
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    expect(xlsx.headers["content-disposition"]).toBe(
      `attachment; filename="laporan-${body.batchId}-kesalahan.xlsx"`,
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet("Kesalahan") as ExcelJS.Worksheet;
    expect(
      sheet
        .getSheetValues()
        .slice(1)
        .map((row) => (row as unknown[]).slice(1)),
    ).toEqual([
      ["row", "field", "kolom", "code", "pesan", "message"],
      [2, "nik", "nik", "NIK_LENGTH", "NIK harus 16 digit", "NIK must be 16 digits long"],
    ]);
  });

  it("accepts a CSV upload with Indonesian headers and reports its bad rows", async () => {
    const boundary = "----b";
    const csv = `nik,nama,peristiwa,tanggal\n${joinRow(400, "").nik},Ahmad,masuk,2025-04-03\n${joinRow(401, "").nik},Budi,masuk,2025-99-03\n`;
    const res = await app.inject({
      method: "POST",
      url: `/api/v1/projects/${projectId}/uploads`,
      headers: { cookie, "content-type": `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.csv"\r\n\r\n${csv}\r\n--${boundary}--\r\n`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ accepted: 1, rejected: 1, errors: [{ row: 3, field: "date" }] });
  });

  it("answers a damaged multipart body with a 400 naming the file, not a server error", async () => {
    for (const payload of [
      "garbage",
      '--zzz\r\nContent-Disposition: form-data; name="file"; filename="p.csv"\r\n\r\nnik,nama\r\n',
    ]) {
      const res = await app.inject({
        method: "POST",
        url: `/api/v1/projects/${projectId}/uploads`,
        headers: { cookie, "content-type": "multipart/form-data; boundary=zzz" },
        payload,
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        code: "UPLOAD_MALFORMED",
        errors: [{ field: "file", message: expect.stringContaining("multipart") }],
      });
    }
  });

  it("says in both languages why a file is refused: another kind, no file, no header, a missing column", async () => {
    const send = (part: string) =>
      app.inject({
        method: "POST",
        url: `/api/v1/projects/${projectId}/uploads`,
        headers: { cookie, "content-type": "multipart/form-data; boundary=----d" },
        payload: `${part}------d--\r\n`,
      });
    const file = (name: string, body: string) =>
      `------d\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n\r\n${body}\r\n`;
    const answers = {
      "daftar.pdf": await send(file("daftar.pdf", "%PDF-1.7")),
      "no file": await send('------d\r\nContent-Disposition: form-data; name="note"\r\n\r\nhalo\r\n'),
      "empty.csv": await send(file("empty.csv", "")),
      "header-only.csv": await send(file("header-only.csv", "nik,nama,peristiwa,tanggal\r\n\r\n")),
      "no-nik.csv": await send(file("no-nik.csv", "nama,peristiwa,tanggal\nBudi,masuk,2025-04-03")),
      "no-dates.csv": await send(file("no-dates.csv", `nik,nama\n${joinRow(402, "").nik},Budi`)),
      "over 10 MB": await send(file("big.csv", `nik,nama\n${"x".repeat(10 * 1024 * 1024)}`)),
      "not multipart": await app.inject({
        method: "POST",
        url: `/api/v1/projects/${projectId}/uploads`,
        headers: { cookie, "content-type": "application/json" },
        payload: { file: "nik,nama" },
      }),
    };
    expect(
      Object.fromEntries(Object.entries(answers).map(([k, r]) => [k, [r.statusCode, r.json().title]])),
    ).toEqual({
      "daftar.pdf": [
        415,
        "Jenis berkas .pdf tidak didukung; pakai .csv atau .xlsx / .pdf files are not supported; use .csv or .xlsx",
      ],
      "no file": [400, "Tidak ada berkas pada field `file` / no file in the `file` field"],
      "empty.csv": [
        400,
        "Berkas kosong: tidak ada baris judul kolom / the file is empty: it has no header row",
      ],
      "header-only.csv": [
        400,
        "Berkas hanya berisi judul kolom, tanpa baris data / the file has only its header row, no data rows",
      ],
      "no-nik.csv": [400, "Kolom wajib tidak ada: nik / required columns missing: nik"],
      "no-dates.csv": [
        400,
        "Kolom wajib tidak ada: peristiwa, tanggal / required columns missing: event, date",
      ],
      "over 10 MB": [413, "Berkas melebihi 10 MB / file too large"],
      "not multipart": [
        406,
        "Unggahan harus multipart/form-data dengan berkas pada field `file` / an upload must be multipart/form-data with the file in the `file` field",
      ],
    });
    expect(answers["over 10 MB"].json().code).toBe("FILE_TOO_LARGE");
  });

  it("refuses upload rows that name another project, in the answer and in its error CSV", async () => {
    const boundary = "----c";
    const csv = `kode_proyek,nik,nama,peristiwa,tanggal\n61.03/PUPR/2025/T001,${joinRow(410, "").nik},Ahmad,masuk,2025-04-03\nLAIN/1,${joinRow(411, "").nik},Budi,masuk,2025-04-03\n`;
    const res = await app.inject({
      method: "POST",
      url: `/api/v1/projects/${projectId}/uploads`,
      headers: { cookie, "content-type": `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.csv"\r\n\r\n${csv}\r\n--${boundary}--\r\n`,
    });
    const body = res.json();
    expect(body).toMatchObject({
      accepted: 1,
      rejected: 1,
      errors: [{ row: 3, field: "projectCode", code: "PROJECT_MISMATCH" }],
    });
    const errors = await app.inject({
      method: "GET",
      url: `/api/v1/projects/${projectId}/reports/${body.batchId}/errors.csv`,
      headers: { cookie },
    });
    expect(errors.body).toContain("3,projectCode,kode_proyek,PROJECT_MISMATCH");
  });

  it("answers the public check with yes/no and the end date only, naming no project", async () => {
    const check = (nik: string, birthDate: string) =>
      app.inject({ method: "POST", url: "/api/v1/public/check", payload: { nik, birthDate } });
    const yes = await check(joinRow(1, "").nik, "1985-03-12");
    expect(yes.json()).toEqual({ protected: true, until: "2025-10-31" });
    const unknown = await check(joinRow(999, "").nik, "1985-03-12");
    expect(unknown.json()).toEqual({ protected: false, until: null });
    // A typing error is said as such, not answered "not protected": the input alone shows it.
    const short = await check("6103", "1985-03-12");
    expect(short.statusCode).toBe(422);
    expect(short.json()).toMatchObject({ code: "NIK_LENGTH", errors: [{ field: "nik" }] });
    const wrongBirth = await check(joinRow(1, "").nik, "1985-03-13");
    expect(wrongBirth.statusCode).toBe(422);
    expect(wrongBirth.json()).toMatchObject({
      code: "NIK_BIRTH_DATE_MISMATCH",
      errors: [{ field: "birthDate" }],
    });
  });

  it("lets the contractor download its participation certificate as a PDF once paid in full", async () => {
    // One worker has left by the day it is printed: reported, but no longer working.
    expect((await post("certificate-leave", [leaveRow(1, "2025-05-27")])).json()).toMatchObject({
      accepted: 1,
    });
    const res = await app.inject({
      method: "GET",
      url: `/api/v1/projects/${projectId}/certificate.pdf`,
      headers: { cookie },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("application/pdf");
    const data = (
      await app.inject({
        method: "GET",
        url: `/api/v1/projects/${projectId}/certificate`,
        headers: { cookie },
      })
    ).json();
    expect(res.headers["content-disposition"]).toBe(
      `attachment; filename="sertifikat-${data.registrationNo}.pdf"`,
    );
    const text = pdfText(res.rawPayload).replace(/\s+/g, " ");
    for (const said of [
      "SERTIFIKAT KEPESERTAAN",
      `Nomor pendaftaran: ${data.registrationNo}`,
      "61.03/PUPR/2025/T001",
      "Peningkatan Jalan Ruas Kapuas",
      "CV Karya Kapuas Mandiri (NIB 9120001234567)",
      "Kecamatan Kapuas, Kabupaten Sanggau",
      "Rp 2.000.000.000",
      `${formatDate(data.coverageStart)} sampai dengan ${formatDate(data.coverageEnd)}`,
      `Jumlah iuran ${formatRupiah(data.contribution.total)}`,
      `dibayar lunas pada ${formatDate(data.certificateIssuedOn)}`,
      "Dicetak 1 Juni 2025",
      // The work unit uses the contractor's services; the workers' employer is the contractor.
      "Pengguna jasa (OPD)",
      "halaman Cek perlindungan (/cek)",
    ])
      expect(text).toContain(said);
    // Those reported by the day it is printed, and those of them still working then (the page's list).
    const workers = (
      await app.inject({ method: "GET", url: `/api/v1/projects/${projectId}/workers`, headers: { cookie } })
    ).json() as { joinedOn: string; leftOn: string | null }[];
    const by = workers.filter((w) => w.joinedOn <= "2025-06-01");
    const working = by.filter((w) => w.leftOn === null || w.leftOn >= "2025-06-01");
    expect(by.length).toBeGreaterThan(working.length);
    expect(text).toContain(
      `sampai 1 Juni 2025 telah dilaporkan ${by.length} pekerja, ${working.length} di antaranya bekerja pada tanggal itu.`,
    );
  });

  it("never writes a NIK, a password or a session token to the logs", async () => {
    const all = logs.join("");
    expect(all).toContain("request completed");
    // Every NIK this suite sent (serials 1–1,000 and the uploads) is absent, and so is any 16-digit run.
    const withoutTimings = all.replace(/"(time|responseTime)":[\d.]+/g, "");
    expect(withoutTimings).not.toMatch(/(?<!\d)\d{16}(?!\d)/);
    expect(all).not.toContain(joinRow(1, "").nik);
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain(cookie.split("=")[1] as string);
  });

  it("refuses a wrong password with 401 and slows down guessing with 429", async () => {
    const attempt = () =>
      app.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        payload: { email: "penyedia@test.id", password: "salah-salah-salah" },
      });
    const statuses = [];
    for (let i = 0; i < 11; i++) statuses.push((await attempt()).statusCode);
    expect(statuses.slice(0, 9)).toEqual(Array(9).fill(401));
    expect(statuses.at(-1)).toBe(429);
  });
});
