import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { Migrator } from "kysely/migration";
import { afterEach, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/db/connection.js";
import { migrateToLatest } from "../../src/db/migrate.js";
import { migrations } from "../../src/db/migrations/index.js";
import { assertNikKeyMatches, loadNikKey, NikVault, nikVault, parseNikKey } from "../../src/db/nik-vault.js";
import { publicCheck } from "../../src/services/public-check.js";
import { backends, freshDatabase } from "../support/databases.js";
import { createProject, joinRow, reportRows } from "../support/fixtures.js";

const NIK = joinRow(7, "").nik;

describe("NikVault", () => {
  const vault = new NikVault(randomBytes(32));

  it("hashes a NIK the same way each time under one key, differently under another", () => {
    expect(vault.hash(NIK)).toBe(vault.hash(NIK));
    expect(vault.hash(NIK)).not.toBe(vault.hash(joinRow(8, "").nik));
    expect(new NikVault(randomBytes(32)).hash(NIK)).not.toBe(vault.hash(NIK));
    expect(vault.hash(NIK)).not.toContain(NIK);
  });

  it("seals with a fresh IV each time and opens only under its own key and unaltered", () => {
    const a = vault.seal(NIK);
    expect(a).not.toBe(vault.seal(NIK));
    expect(a).not.toContain(NIK);
    expect(vault.open(a)).toBe(NIK);
    expect(() => new NikVault(randomBytes(32)).open(a)).toThrow();
    const raw = Buffer.from(a.slice(3), "base64");
    raw[raw.length - 1] = (raw[raw.length - 1] as number) ^ 1;
    expect(() => vault.open(`v1:${raw.toString("base64")}`)).toThrow();
  });

  it("never repeats an IV, across the batches it draws them in", () => {
    const sealed = Array.from({ length: 10_000 }, () => vault.seal(NIK));
    const ivs = new Set(sealed.map((s) => Buffer.from(s.slice(3), "base64").subarray(0, 12).toString("hex")));
    expect(ivs.size).toBe(sealed.length);
    expect(sealed.every((s) => vault.open(s) === NIK)).toBe(true);
  });

  it("takes the key as hex or base64 and refuses any other length", () => {
    const key = randomBytes(32);
    expect(parseNikKey(key.toString("hex"))).toEqual(key);
    expect(parseNikKey(key.toString("base64"))).toEqual(key);
    expect(() => parseNikKey("abcd")).toThrow(/32 bytes/);
  });

  it("without PANTAU_NIK_KEY makes one key file in the data directory, readable only by its owner, and keeps it", () => {
    const dir = mkdtempSync(join(tmpdir(), "pantau-key-"));
    try {
      const first = loadNikKey(undefined, dir);
      expect(loadNikKey(undefined, dir)).toEqual(first);
      expect(statSync(join(dir, "nik.key")).mode & 0o077).toBe(0);
      expect(parseNikKey(readFileSync(join(dir, "nik.key"), "utf8"))).toEqual(first);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.each(backends)("NIK at rest (%s)", (backend) => {
  let database: Database | undefined;
  afterEach(async () => {
    await database?.close();
    database = undefined;
  });

  it("leaves no clear NIK in any table, yet finds the person by NIK", async () => {
    database = await freshDatabase(backend);
    const { db } = database;
    const project = await createProject(db);
    const raws = [
      joinRow(7, "2025-04-01"),
      joinRow(8, "2025-04-02"),
      { ...joinRow(9, "2025-04-02"), nik: "61030112038" },
    ];
    expect(await reportRows(db, project.id, raws)).toMatchObject({ accepted: 2, rejected: 1 });
    // A replay without event ids finds its events by the keyed natural key.
    expect(await reportRows(db, project.id, raws.slice(0, 2))).toMatchObject({ accepted: 0, duplicates: 2 });

    const tables = await sql<{ name: string }>`
      select table_name as name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(db);
    expect(tables.rows.length).toBeGreaterThan(10);
    const leaks: string[] = [];
    for (const { name } of tables.rows) {
      const text = await sql<{ row: string }>`select t::text as row from ${sql.table(name)} t`.execute(db);
      for (const { row } of text.rows) {
        for (const nik of [joinRow(7, "").nik, joinRow(8, "").nik, "61030112038"]) {
          if (row.includes(nik)) leaks.push(`${name}: ${row.slice(0, 120)}`);
        }
      }
    }
    expect(leaks).toEqual([]);
    const answer = await publicCheck(db, { nik: NIK, birthDate: "1985-03-12" }, "2025-06-01");
    expect(answer.protected).toBe(false); // the fixture project is not registered with BPJS
    const person = await db
      .selectFrom("person")
      .select(["nik_hash", "nik_sealed"])
      .orderBy("id")
      .executeTakeFirstOrThrow();
    expect(person.nik_hash).toBe(nikVault().hash(NIK));
    expect(nikVault().open(person.nik_sealed)).toBe(NIK);
  });

  it("refuses to run with a key that does not open the stored NIKs", async () => {
    database = await freshDatabase(backend);
    const project = await createProject(database.db);
    await reportRows(database.db, project.id, [joinRow(7, "2025-04-01")]);
    await expect(assertNikKeyMatches(database.db, new NikVault(randomBytes(32)))).rejects.toThrow(
      /PANTAU_NIK_KEY/,
    );
    await expect(assertNikKeyMatches(database.db)).resolves.toBeUndefined();
  });
});

describe("the NIK-at-rest migration", () => {
  let database: Database | undefined;
  afterEach(async () => {
    await database?.close();
    database = undefined;
  });

  it("seals the NIKs of an older database and re-keys its natural event keys, so a replay stays a duplicate", async () => {
    database = await openDatabase({ memory: true });
    const { db } = database;
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    const to = await migrator.migrateTo("2025_11_01_0000_coverage_change");
    expect(to.error).toBeUndefined();

    const project = await createProject(db);
    const row = joinRow(7, "2025-04-01");
    const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
    // What the previous version wrote for this report: the clear NIK and a plain-hash natural key.
    await sql`insert into person (home_regency_code, nik, name, birth_date, sex)
      values ('61.03', ${NIK}, 'Pekerja 7', '1985-03-12', 'M')`.execute(db);
    const personId = (await sql<{ id: number }>`select id from person`.execute(db)).rows[0]?.id;
    await sql`insert into assignment (regency_code, project_id, person_id, joined_on)
      values (${project.regency_code}, ${project.id}, ${personId}, '2025-04-01')`.execute(db);
    const batch = await sql<{ id: number }>`
      insert into report_batch (regency_code, project_id, idempotency_key, source, actor, accepted, duplicates, rejected, response)
      values (${project.regency_code}, ${project.id}, 'old', 'api', 'test', 1, 0, 0, '{}') returning id`.execute(
      db,
    );
    await sql`insert into report_event (regency_code, project_id, batch_id, event_key, kind, person_id, event_date)
      values (${project.regency_code}, ${project.id}, ${batch.rows[0]?.id}, ${`nk:${sha256(`${project.id}|join|${NIK}|2025-04-01`)}`},
              'join', ${personId}, '2025-04-01')`.execute(db);

    await migrateToLatest(db);
    const columns = await sql<{ column_name: string }>`
      select column_name from information_schema.columns where table_name = 'person'`.execute(db);
    expect(columns.rows.map((c) => c.column_name)).not.toContain("nik");
    const person = await db.selectFrom("person").select(["nik_hash", "nik_sealed"]).executeTakeFirstOrThrow();
    expect(person.nik_hash).toBe(nikVault().hash(NIK));
    expect(nikVault().open(person.nik_sealed)).toBe(NIK);
    expect(await reportRows(db, project.id, [row])).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(await db.selectFrom("person").select("id").execute()).toHaveLength(1);
  });
});
