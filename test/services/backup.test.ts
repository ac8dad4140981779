import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/connection.js";
import { NikVault } from "../../src/db/nik-vault.js";
import { loadSanggauDemo } from "../../src/demo/load.js";
import { DEMO_PASSWORD } from "../../src/demo/users.js";
import { DomainError } from "../../src/domain/errors.js";
import { createApiToken, login } from "../../src/services/accounts.js";
import { systemActor } from "../../src/services/actor.js";
import { verifyAuditChain } from "../../src/services/audit-verify.js";
import { backupDatabase, loadOrder, REFERENCE_TABLES, restoreDatabase } from "../../src/services/backup.js";
import { pantau } from "../support/cli.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";
import { createProject } from "../support/fixtures.js";

/** Every table of the app's schema (Kysely's own excepted), by name. */
async function appTables(db: Db): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select relname::text as name from pg_class
    where relnamespace = current_schema()::regnamespace and relkind = 'r' and relname not like 'kysely%'
    order by 1`.execute(db);
  return rows.map((r) => r.name);
}

/**
 * Each table's row count and an md5 of all its rows, sorted by their full text (collation C, time zone
 * UTC), so two databases compare equal exactly when every table holds the same rows.
 */
async function fingerprint(db: Db): Promise<Record<string, { rows: number; md5: string }>> {
  return db.transaction().execute(async (trx) => {
    await sql`set local timezone = 'UTC'`.execute(trx);
    const print: Record<string, { rows: number; md5: string }> = {};
    for (const name of await appTables(trx)) {
      const { rows } = await sql<{ rows: number; md5: string }>`
        select count(*)::int as rows, md5(coalesce(string_agg(r, E'\n' order by r collate "C"), '')) as md5
        from (select t::text as r from ${sql.id(name)} t) s`.execute(trx);
      print[name] = rows[0] as { rows: number; md5: string };
    }
    return print;
  });
}

/** Serial columns whose sequence would hand out an id already taken. */
async function sequencesBehind(db: Db): Promise<string[]> {
  const { rows } = await sql<{ t: string; c: string; s: string }>`
    select c.relname::text as t, a.attname::text as c, pg_get_serial_sequence(c.relname::text, a.attname::text) as s
    from pg_class c join pg_attribute a on a.attrelid = c.oid
    where c.relnamespace = current_schema()::regnamespace and c.relkind = 'r' and a.attnum > 0
      and not a.attisdropped and pg_get_serial_sequence(c.relname::text, a.attname::text) is not null`.execute(
    db,
  );
  const behind = [];
  for (const r of rows) {
    const { rows: state } = await sql<{ behind: boolean }>`
      select (select max(${sql.ref(r.c)}) from ${sql.id(r.t)})
        >= (select case when is_called then last_value + 1 else last_value end from ${sql.raw(r.s)}) as behind`.execute(
      db,
    );
    if (state[0]?.behind) behind.push(`${r.t}.${r.c}`);
  }
  return behind;
}

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe("loadOrder", () => {
  it("puts each table after those it references, ignores a self-reference, and names a cycle", () => {
    const refs = [
      { child: "payment", parent: "project" },
      { child: "project", parent: "region" },
      { child: "region", parent: "region" },
      { child: "project", parent: "organisation" },
    ];
    expect(loadOrder(["payment", "project", "region", "organisation"], refs)).toEqual([
      "organisation",
      "region",
      "project",
      "payment",
    ]);
    expect(() =>
      loadOrder(
        ["a", "b"],
        [
          { child: "a", parent: "b" },
          { child: "b", parent: "a" },
        ],
      ),
    ).toThrow(/cycle among a, b/);
  });
});

describe.each(backends)("backup and restore [%s source]", (backend) => {
  let source: TestDatabase;
  let dir: string;
  let file: string;
  let sourcePrint: Awaited<ReturnType<typeof fingerprint>>;
  const progress: [number, number][] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "pantau-backup-"));
    file = join(dir, "sanggau.pantau.gz");
    source = await freshDatabase(backend);
    await loadSanggauDemo(source.db, { seed: 2025, today: "2026-01-15", actor: systemActor("demo") });
    // What the demo leaves empty: a session, an API token.
    expect(await login(source.db, "admin@demo.pantau.id", DEMO_PASSWORD)).not.toBeNull();
    const contractor = await source.db
      .selectFrom("organisation")
      .select("id")
      .where("kind", "=", "contractor")
      .orderBy("id")
      .executeTakeFirstOrThrow();
    await createApiToken(source.db, contractor.id, "integrasi", systemActor("test"));
    await backupDatabase(source, file, { onProgress: (done, total) => progress.push([done, total]) });
    sourcePrint = await fingerprint(source.db);
  });
  afterAll(async () => {
    await source?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("backs up a database with rows in every table the demo fills, reporting progress", () => {
    const empty = Object.entries(sourcePrint)
      .filter(([, p]) => p.rows === 0)
      .map(([name]) => name);
    expect(empty).toEqual([]);
    const total = Object.values(sourcePrint).reduce((sum, p) => sum + p.rows, 0);
    expect(progress.at(-1)).toEqual([total, total]);
    const header = JSON.parse(gunzipSync(readFileSync(file)).toString("utf8").split("\n")[0] ?? "");
    expect(header).toMatchObject({ format: "pantau-backup", version: 1, source: { engine: backend } });
    expect(header.tables.map((t: { name: string }) => t.name).sort()).toEqual(
      Object.keys(sourcePrint).sort(),
    );
  });

  it.each(backends)("restores every table row by row into a fresh %s database", async (targetBackend) => {
    const target = await freshDatabase(targetBackend);
    try {
      const summary = await restoreDatabase(target, file);
      expect(summary.rows).toBe(Object.values(sourcePrint).reduce((sum, p) => sum + p.rows, 0));
      expect(await fingerprint(target.db)).toEqual(sourcePrint);
      expect(await verifyAuditChain(target.db)).toMatchObject({
        ok: true,
        rows: sourcePrint.audit_log?.rows,
      });

      // Sequences continue after the restored ids, and the audit chain after its last row.
      expect(await sequencesBehind(target.db)).toEqual([]);
      const maxId = await target.db
        .selectFrom("project")
        .select((eb) => eb.fn.max("id").as("id"))
        .executeTakeFirstOrThrow();
      const created = await createProject(target.db, { code: "61.03/PUPR/2026/BARU" });
      expect(created.id).toBeGreaterThan(Number(maxId.id));
      expect(await verifyAuditChain(target.db)).toMatchObject({ ok: true });
    } finally {
      await target.close();
    }
  });

  it("restores with every foreign key checked, as a role that may not skip them does", async () => {
    const target = await freshDatabase(backend);
    try {
      await restoreDatabase(target, file, { checkReferences: true });
      expect(await fingerprint(target.db)).toEqual(sourcePrint);
    } finally {
      await target.close();
    }
  });

  it("refuses a target that holds data, naming the table, and writes nothing", async () => {
    const target = await freshDatabase(backend);
    try {
      await createProject(target.db, { code: "61.03/PUPR/2026/ADA" });
      const before = await fingerprint(target.db);
      const error = await rejection(restoreDatabase(target, file));
      expect(error.code).toBe("RESTORE_TARGET_NOT_EMPTY");
      expect(error.message).toMatch(/tabel .*project.* berisi data/);
      expect(error.details.tables).toEqual(expect.arrayContaining(["audit_log", "organisation", "project"]));
      expect(await fingerprint(target.db)).toEqual(before);
    } finally {
      await target.close();
    }
  });

  it("refuses a truncated, a corrupt or a doctored file and writes nothing", async () => {
    const target = await freshDatabase(backend);
    try {
      const empty = await fingerprint(target.db);
      const bytes = readFileSync(file);
      const text = gunzipSync(bytes).toString("utf8");
      const lines = text.split("\n");
      // A row dropped from the middle (the gzip stream is intact, so only the counts can tell).
      const middle = lines.findIndex((l, i) => i > lines.length / 2 && l !== "\\.");
      const flipped = Buffer.from(bytes);
      for (let i = 0; i < 16; i++) {
        const at = Math.floor(bytes.length / 2) + i * 97;
        flipped[at] = (flipped[at] ?? 0) ^ 0x5a;
      }
      const cases: [string, Buffer, string[]][] = [
        ["truncated", bytes.subarray(0, Math.floor(bytes.length * 0.8)), ["BACKUP_DAMAGED"]],
        ["corrupt", flipped, ["BACKUP_DAMAGED", "RESTORE_FAILED"]],
        ["row missing", gzipSync(lines.filter((_, i) => i !== middle).join("\n")), ["BACKUP_DAMAGED"]],
        ["extra data", gzipSync(`${text}1\tx\n`), ["BACKUP_DAMAGED"]],
        ["not a backup", Buffer.from("kode,nama\n1,a\n"), ["BACKUP_NOT_RECOGNISED"]],
      ];
      for (const [name, content, codes] of cases) {
        const bad = join(dir, `${name}.gz`);
        writeFileSync(bad, content);
        const error = await rejection(restoreDatabase(target, bad));
        expect(codes, `${name}: ${error.message}`).toContain(error.code);
        expect(await fingerprint(target.db), name).toEqual(empty);
      }
    } finally {
      await target.close();
    }
  });

  it("refuses a NIK key other than the source's and writes nothing", async () => {
    const target = await freshDatabase(backend);
    try {
      const empty = await fingerprint(target.db);
      const vault = new NikVault(randomBytes(32));
      const error = await rejection(restoreDatabase(target, file, { vault }));
      expect(error.code).toBe("RESTORE_NIK_KEY_DIFFERS");
      expect(await fingerprint(target.db)).toEqual(empty);
    } finally {
      await target.close();
    }
  });

  it("refuses a backup taken at other migrations", async () => {
    const target = await freshDatabase(backend);
    try {
      const [head, ...rest] = gunzipSync(readFileSync(file)).toString("utf8").split("\n");
      const header = JSON.parse(head ?? "");
      header.migrations = header.migrations.slice(0, -1);
      const older = join(dir, "older.gz");
      writeFileSync(older, gzipSync([JSON.stringify(header), ...rest].join("\n")));
      const error = await rejection(restoreDatabase(target, older));
      expect(error.code).toBe("RESTORE_MIGRATIONS_DIFFER");
    } finally {
      await target.close();
    }
  });

  it("round-trips through `pantau restore` and `pantau backup` on a PGlite data directory", async () => {
    const { DATABASE_URL: _, ...rest } = process.env;
    const env = { ...rest, PANTAU_DATA_DIR: join(dir, "cli-data") };
    const restored = await pantau(env, "restore", file);
    expect(restored.stderr).not.toMatch(/Galat|Error/);
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/dipulihkan/);
    const verify = await pantau(env, "audit", "verify");
    expect(verify.stdout).toContain(`Rantai audit utuh: ${sourcePrint.audit_log?.rows} baris`);

    // Under another key the restore is refused as a whole, and the command ends (its progress bar with it).
    const otherKey = await pantau(
      { ...env, PANTAU_DATA_DIR: join(dir, "cli-other-key"), PANTAU_NIK_KEY: "ab".repeat(32) },
      "restore",
      file,
    );
    expect(otherKey.code).toBe(1);
    expect(otherKey.stderr).toContain("RESTORE_NIK_KEY_DIFFERS");

    const second = join(dir, "second.pantau.gz");
    expect((await pantau(env, "backup", second)).code).toBe(0);
    const target = await freshDatabase(backend);
    try {
      await restoreDatabase(target, second);
      expect(await fingerprint(target.db)).toEqual(sourcePrint);
    } finally {
      await target.close();
    }
  });
});

describe("reference tables", () => {
  it("are exactly the tables a freshly migrated database holds rows in", async () => {
    const t = await freshDatabase("pglite");
    try {
      const filled = Object.entries(await fingerprint(t.db))
        .filter(([, p]) => p.rows > 0)
        .map(([name]) => name);
      expect(new Set(filled)).toEqual(REFERENCE_TABLES);
    } finally {
      await t.close();
    }
  });
});
