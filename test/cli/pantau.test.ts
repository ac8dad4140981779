import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PANTAU_BIN, pantau } from "../support/cli.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";

const PROJECTS = `kode_paket,nama_paket,kode_kecamatan,kode_opd,nib,nama_penyedia,sumber_dana,jenis_pekerjaan,nilai_kontrak,tanggal_spk,tanggal_spmk,tanggal_selesai
61.03/PUPR/2025/C001,Peningkatan Jalan Ruas Entikong,61.03.21,PUPR,9120007770001,CV Duta Entikong Utama,APBD,road,2000000000,2025-03-03,2025-03-10,2025-10-31
`;
const GOOD = `project_code,nik,name,birth_date,sex,event,date
61.03/PUPR/2025/C001,6103211203850001,Budi,1985-03-12,L,join,2025-04-01
61.03/PUPR/2025/C001,6103215203900002,Siti,1990-03-12,P,join,2025-04-01
`;
const BAD = `project_code,nik,name,birth_date,sex,event,date
61.03/PUPR/2025/C001,6103211203850003,Agus,1985-03-12,L,join,2025-04-02
61.03/PUPR/2025/C001,61032112038500,Pendek,,L,join,2025-04-01
61.03/PUPR/2025/C001,6103211203850004,Salah Tanggal,,L,join,2025-04-31
`;

describe("pantau --help", () => {
  it.each([
    "",
    "migrate",
    "demo",
    "import",
    "import workers",
    "import projects",
    "coverage",
    "coverage rebuild",
    "serve",
    "user add",
    "user token",
    "audit verify",
    "nik rotate-key",
  ])("documents 'pantau %s'", async (command) => {
    const res = await pantau(process.env, ...command.split(" ").filter(Boolean), "--help");
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^Usage: pantau/m);
  });
});

describe.each(backends)("pantau CLI [%s]", (backend) => {
  let dir: string;
  let t: TestDatabase | null = null;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "pantau-cli-"));
    const { DATABASE_URL: _, ...rest } = process.env;
    env = { ...rest, PANTAU_DATA_DIR: join(dir, "data") };
    if (backend === "postgres") {
      t = await freshDatabase("postgres");
      env.DATABASE_URL = t.url ?? "";
    }
    writeFileSync(join(dir, "projects.csv"), PROJECTS);
    writeFileSync(join(dir, "good.csv"), GOOD);
    writeFileSync(join(dir, "bad.csv"), BAD);
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("imports workers, names bad rows in the output and an error file, and a replay adds nothing", async () => {
    expect((await pantau(env, "migrate")).code).toBe(0);
    const projects = await pantau(env, "import", "projects", join(dir, "projects.csv"));
    expect(projects.stdout).toContain("1 diterima");

    const good = await pantau(env, "import", "workers", join(dir, "good.csv"));
    expect(good.code).toBe(0);
    expect(good.stdout).toContain("2 baris: 2 diterima, 0 duplikat");
    const again = await pantau(env, "import", "workers", join(dir, "good.csv"));
    expect(again.stdout).toContain("2 baris: 0 diterima, 2 duplikat");

    const bad = await pantau(env, "import", "workers", join(dir, "bad.csv"), "--lang", "en");
    expect(bad.code).toBe(2);
    expect(bad.stdout).toContain("3 rows: 1 accepted, 0 duplicates (no change), 2 rejected");
    expect(bad.stdout).toMatch(/row 3, nik: NIK must be 16 digits long \[NIK_LENGTH\]/);
    expect(bad.stdout).toMatch(/row 4, date: Invalid date/);
    const errorFile = readFileSync(join(dir, "bad.csv.errors.csv"), "utf8");
    // A byte-order mark first, for Excel on Windows to read the UTF-8 letters as such.
    expect(errorFile.split("\n")[0]).toBe("\uFEFFrow,field,kolom,code,pesan,message");
    expect(errorFile).toContain("3,nik,nik,NIK_LENGTH,NIK harus 16 digit,NIK must be 16 digits long");
    expect(errorFile).toContain("4,date,tanggal,");
    expect(errorFile).not.toContain("6103211203850004");

    const coverage = await pantau(env, "coverage", "--region", "61.03", "--date", "2025-07-30", "--json");
    expect(JSON.parse(coverage.stdout)).toMatchObject({ known: 3, protected: 0, target: null, gap: null });

    // The same errors as a workbook, when the file named ends in .xlsx.
    const xlsxPath = join(dir, "kesalahan.xlsx");
    expect((await pantau(env, "import", "workers", join(dir, "bad.csv"), "--errors", xlsxPath)).code).toBe(2);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsxPath);
    const rows = (workbook.getWorksheet("Kesalahan") as ExcelJS.Worksheet)
      .getSheetValues()
      .slice(1)
      .map((row) => (row as unknown[]).slice(1));
    expect(rows[0]).toEqual(["row", "field", "kolom", "code", "pesan", "message"]);
    expect(rows[1]).toEqual([
      3,
      "nik",
      "nik",
      "NIK_LENGTH",
      "NIK harus 16 digit",
      "NIK must be 16 digits long",
    ]);
    expect(rows[2]?.slice(0, 3)).toEqual([4, "date", "tanggal"]);
  });

  it("rotates the NIK key: the old key is refused after it, and a replay under the new key adds nothing", async () => {
    const missing = await pantau(env, "nik", "rotate-key");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("PANTAU_NIK_KEY_NEW");
    const replayUnder = async (keyEnv: NodeJS.ProcessEnv) => {
      const again = await pantau(keyEnv, "import", "workers", join(dir, "good.csv"));
      expect(again.stdout).toContain("2 baris: 0 diterima, 2 duplikat");
      const coverage = await pantau(
        keyEnv,
        "coverage",
        "--region",
        "61.03",
        "--date",
        "2025-07-30",
        "--json",
      );
      expect(JSON.parse(coverage.stdout)).toMatchObject({ known: 3, protected: 0 });
    };

    // A deployment's key in PANTAU_NIK_KEY (the test environment's).
    const first = env.PANTAU_NIK_KEY as string;
    const second = randomBytes(32).toString("hex");
    const rotated = await pantau({ ...env, PANTAU_NIK_KEY_NEW: second }, "nik", "rotate-key");
    expect(rotated.code).toBe(0);
    // Three people (Budi, Siti, Agus), each with one join reported without an event id.
    expect(rotated.stdout).toContain("3 NIK dan 3 kunci laporan kini di bawah kunci baru");
    expect(rotated.stdout).toContain("set PANTAU_NIK_KEY to the new key");
    const withOld = await pantau(env, "import", "workers", join(dir, "good.csv"));
    expect(withOld.code).toBe(1);
    expect(withOld.stderr).toContain("the NIK key does not match this database");
    await replayUnder({ ...env, PANTAU_NIK_KEY: second });
    const same = await pantau(
      { ...env, PANTAU_NIK_KEY: second, PANTAU_NIK_KEY_NEW: second },
      "nik",
      "rotate-key",
    );
    expect(same.stderr).toContain("the new key is the old one");

    // An installation whose key lives in <data>/nik.key: the file gets the new key.
    const { PANTAU_NIK_KEY: _, ...fileEnv } = env;
    const keyFile = join(dir, "data", "nik.key");
    mkdirSync(join(dir, "data"), { recursive: true }); // on PostgreSQL nothing else lives there
    writeFileSync(keyFile, `${second}\n`, { mode: 0o600 });
    const third = randomBytes(32).toString("base64");
    const fromFile = await pantau({ ...fileEnv, PANTAU_NIK_KEY_NEW: third }, "nik", "rotate-key");
    expect(fromFile.stdout).toContain(`the new key is now in ${keyFile}`);
    expect(readFileSync(keyFile, "utf8").trim()).toBe(Buffer.from(third, "base64").toString("hex"));
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    await replayUnder(fileEnv);

    // And back to the environment's key, for the tests that follow.
    expect((await pantau({ ...fileEnv, PANTAU_NIK_KEY_NEW: first }, "nik", "rotate-key")).code).toBe(0);
    await replayUnder(env);
    // Fourteen CLI processes, each a Node start opening the database: about 35 s on PostgreSQL and more
    // on PGlite when the machine is busy (60 s ran out in a CI run beside browser tests); not a timing test.
  }, 180_000);

  it("adds users and contractor tokens, and verifies the audit chain", async () => {
    const admin = await pantau(
      env,
      "user",
      "add",
      "--email",
      "Admin@Sanggau.id",
      "--name",
      "Admin",
      "--role",
      "admin",
    );
    expect(admin.code).toBe(0);
    expect(admin.stdout).toMatch(/admin@sanggau\.id \(admin\) dibuat/);
    expect(admin.stdout).toMatch(/Kata sandi \/ password \(sekali ini saja\): \S{16}/);
    const noOrg = await pantau(
      env,
      "user",
      "add",
      "--email",
      "c@x.id",
      "--name",
      "C",
      "--role",
      "contractor",
      "--org",
      "0000",
    );
    expect(noOrg.code).toBe(1);
    expect(noOrg.stderr).toContain("ORGANISATION_NOT_FOUND");
    // A work unit's code is its regency's own, so --region names which PUPR.
    const opd = (...region: string[]) =>
      pantau(
        env,
        "user",
        "add",
        "--email",
        "pupr@x.id",
        "--name",
        "P",
        "--role",
        "opd",
        "--org",
        "PUPR",
        ...region,
      );
    const noRegion = await opd();
    expect([noRegion.code, noRegion.stderr]).toEqual([
      1,
      expect.stringContaining("(--region: kabupaten/kota"),
    ]);
    expect((await opd("--region", "61.03")).stdout).toMatch(/pupr@x\.id \(opd\) dibuat/);
    const token = await pantau(env, "user", "token", "--org", "9120007770001");
    expect(token.code).toBe(0);
    expect(token.stdout).toMatch(/^pj_[\w-]{43}$/m);
    const audit = await pantau(env, "audit", "verify");
    expect(audit.code).toBe(0);
    expect(audit.stdout).toMatch(/Rantai audit utuh: \d+ baris/);
  });

  it("refuses a malformed option with a clear message", async () => {
    const res = await pantau(env, "coverage", "--date", "30-07-2025");
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain("date must be YYYY-MM-DD");
    // A bad environment is named variable by variable, without a stack trace.
    const config = await pantau({ ...env, PORT: "abc", PANTAU_NIK_KEY: "" }, "coverage");
    expect(config.code).toBe(1);
    expect(config.stderr).toMatch(/^Galat \/ error \[CONFIG_INVALID\]: .*PORT: .*; PANTAU_NIK_KEY: /);
    expect(config.stderr).not.toContain("    at ");
  });
});

describe("pantau demo and coverage (the README walk-through)", () => {
  it("loads the Sanggau demo and prints the branch's figures in Indonesian format", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pantau-demo-"));
    const { DATABASE_URL: _, ...rest } = process.env;
    const env = { ...rest, PANTAU_DATA_DIR: join(dir, "data") };
    try {
      const demo = await pantau(env, "demo");
      expect(demo.code).toBe(0);
      expect(demo.stdout).toMatch(/^300 proyek/m);
      const compliance = await pantau(env, "compliance", "run", "--region", "61.03", "--date", "2025-07-30");
      expect(compliance.code).toBe(0);
      expect(compliance.stdout).toMatch(/^Kepatuhan 61\.03, 30 Juli 2025: \d+ proyek dievaluasi/m);
      for (const rule of ["1 Bekerja tanpa terdaftar BPJS", "3 Tunggakan iuran", "6 Pelanggaran berulang"]) {
        expect(compliance.stdout).toMatch(new RegExp(`${rule}\\s+\\d+\\s+\\d+\\s+\\d+\\s+[1-9]`));
      }
      expect(compliance.stderr).toContain("Kepatuhan [");
      // The kept coverage, counted afresh, gives the figures below again.
      const rebuild = await pantau(env, "coverage", "rebuild");
      expect(rebuild.code).toBe(0);
      expect(rebuild.stdout).toMatch(/^1 kabupaten\/kota, [1-9]\d* baris cakupan/m);
      expect(rebuild.stderr).toContain("Cakupan / coverage [");
      const res = await pantau(env, "coverage", "--region", "61.03", "--date", "2025-07-30");
      expect(res.stdout).toContain("Kabupaten Sanggau (61.03), 30 Juli 2025");
      expect(res.stdout).toMatch(/Pekerja diketahui \(dilaporkan\)\s+12\.320/);
      expect(res.stdout).toMatch(/Pekerja terlindungi \(JKK \+ JKM\)\s+4\.519/);
      expect(res.stdout).toMatch(/Cakupan\s+36,68 %/);
      expect(res.stdout).toMatch(/Target 2025\s+58,65 %/);
      expect(res.stdout).toMatch(/Kekurangan menuju target \(pekerja\)\s+2\.707/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});

describe("pantau serve --demo-if-empty (what `npm start` runs)", () => {
  it("migrates, loads the demo, prints the logins, serves the figures and stops on SIGTERM", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pantau-serve-"));
    const { DATABASE_URL: _, ...rest } = process.env;
    const port = 30_000 + Math.floor(Math.random() * 20_000);
    const child = spawn("node", [PANTAU_BIN, "serve", "--demo-if-empty"], {
      env: {
        ...rest,
        PANTAU_DATA_DIR: join(dir, "data"),
        PORT: String(port),
        LOG_LEVEL: "warn",
        SECURE_COOKIES: "true",
      },
      cwd: dir,
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += String(d);
    });
    try {
      await waitFor(() => out.includes("jaksa@demo.pantau.id"), 150_000);
      expect(out).toContain(`Pantau Jakon berjalan di http://127.0.0.1:${port}`);
      expect(out).toMatch(/Akun demo \(kata sandi "sanggau-2025"\)/);
      for (const role of ["admin", "bpjs", "opd", "contractor", "enforcer"])
        expect(out).toMatch(new RegExp(`^\\s+${role}\\s+\\S+@demo\\.pantau\\.id$`, "m"));
      const res = await fetch(`http://127.0.0.1:${port}/api/coverage?region=61.03&date=2025-07-30`);
      expect(await res.json()).toMatchObject({ known: 12_320, protected: 4_519, percent: 36.68, gap: 2_707 });
      const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "bpjs@demo.pantau.id", password: "sanggau-2025" }),
      });
      expect(login.status).toBe(200);
      // SECURE_COOKIES reaches the app: the cookie a browser behind HTTPS keeps only for this host.
      expect(login.headers.get("set-cookie")).toMatch(/^__Host-pj_session=[^;]+;.*\bSecure\b/);
      // The dashboard, built on first start: the page at /, deep links too; unknown API paths stay 404.
      for (const path of ["/", "/proyek/1"]) {
        const page = await fetch(`http://127.0.0.1:${port}${path}`);
        expect(page.headers.get("content-type")).toContain("text/html");
        expect(await page.text()).toContain('<div id="root"></div>');
      }
      const missing = await fetch(`http://127.0.0.1:${port}/api/v1/nope`);
      expect(missing.status).toBe(404);
      expect(missing.headers.get("content-type")).toContain("application/problem+json");
    } finally {
      child.kill("SIGTERM");
      const code = await new Promise((resolve) => child.once("exit", resolve));
      expect(code).toBe(0);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 200_000);
});

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error("timed out waiting for the server");
    await new Promise((r) => setTimeout(r, 200));
  }
}
