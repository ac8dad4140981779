import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nikVault } from "../../src/db/nik-vault.js";
import { loadNational } from "../../src/demo/load-national.js";
import { planNational } from "../../src/demo/national.js";
import { parseNik } from "../../src/domain/nik.js";
import { systemActor } from "../../src/services/actor.js";
import { coverageAt } from "../../src/services/coverage.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";

const regions = [
  { code: "31.71", name: "KOTA ADM. JAKARTA PUSAT", districts: ["31.71.01", "31.71.02"] },
  { code: "61.03", name: "KABUPATEN SANGGAU", districts: ["61.03.01", "61.03.20"] },
  { code: "94.01", name: "KABUPATEN MERAUKE", districts: ["94.01.01"] },
];

describe("national plan", () => {
  it("is deterministic, gives every regency projects and distributes exactly the requested workers", () => {
    const plan = planNational(regions, { projects: 300, workers: 20_000, seed: 7 });
    const projects = [...plan.projects()];
    // Each pass regenerates the same projects; another plan from the same seed too.
    expect([...plan.projects()]).toEqual(projects);
    expect([...planNational(regions, { projects: 300, workers: 20_000, seed: 7 }).projects()]).toEqual(
      projects,
    );
    expect([...planNational(regions, { projects: 300, workers: 20_000, seed: 8 }).projects()]).not.toEqual(
      projects,
    );
    expect(projects).toHaveLength(300);
    expect(plan.regencies.reduce((s, r) => s + r.projects, 0)).toBe(300);
    expect(projects.reduce((s, p) => s + p.workers, 0)).toBe(20_000);
    expect(projects.every((p) => Number.isInteger(p.workers) && p.workers >= 0)).toBe(true);
    for (const r of regions) expect(projects.some((p) => p.regencyCode === r.code)).toBe(true);
    // Cities weigh more than a remote regency, on average over seeds.
    let city = 0;
    let remote = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const other = planNational(regions, { projects: 300, workers: 1000, seed });
      city += other.regencies.find((r) => r.code === "31.71")?.projects ?? 0;
      remote += other.regencies.find((r) => r.code === "94.01")?.projects ?? 0;
    }
    expect(city).toBeGreaterThan(remote);
  });
});

// COPY is PostgreSQL's: this suite runs where DATABASE_URL names a server (as in CI).
describe.each(backends.filter((b) => b === "postgres"))("national data set loaded [%s]", (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase(backend);
  });
  afterAll(async () => {
    await t.close();
  });

  it("streams every regency's projects, registrations and workers with valid, unique NIKs", async () => {
    const r = await loadNational(t.db, t.url as string, { projects: 2_000, workers: 30_000, seed: 3 });
    expect(r).toMatchObject({ regencies: 514, projects: 2_000, workers: 30_000 });
    const count = async (table: "project" | "person" | "assignment" | "project_registration") =>
      Number((await t.db.selectFrom(table).select(t.db.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
    expect([await count("project"), await count("person"), await count("assignment")]).toEqual([
      2_000, 30_000, 30_000,
    ]);
    expect(await count("project_registration")).toBe(r.registrations);
    const people = await t.db
      .selectFrom("person")
      .select(["nik_hash", "nik_sealed", "birth_date", "sex"])
      .execute();
    expect(new Set(people.map((p) => p.nik_hash)).size).toBe(people.length);
    for (const p of people.slice(0, 2000)) {
      const nik = nikVault().open(p.nik_sealed);
      expect(nikVault().hash(nik)).toBe(p.nik_hash);
      const parsed = parseNik(nik, "2026-01-01");
      expect(parsed.ok && parsed.value.birthDate === p.birth_date && parsed.value.sex === p.sex).toBe(true);
    }
    const national = await coverageAt(
      t.db,
      { scope: "region", id: "61", date: "2025-07-30" },
      systemActor("test"),
    );
    expect(national.known).toBeGreaterThan(0);
    await expect(loadNational(t.db, t.url as string, { projects: 10, workers: 10, seed: 3 })).rejects.toThrow(
      /already loaded/,
    );
  });
});
