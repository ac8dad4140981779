import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
    const a = planNational(regions, { projects: 300, workers: 20_000, seed: 7 });
    expect(planNational(regions, { projects: 300, workers: 20_000, seed: 7 })).toEqual(a);
    expect(a.projects).toHaveLength(300);
    expect(a.projects.reduce((s, p) => s + p.workers, 0)).toBe(20_000);
    for (const r of regions) expect(a.projects.some((p) => p.regencyCode === r.code)).toBe(true);
    // Cities weigh more than a remote regency, on average over seeds.
    let city = 0;
    let remote = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const plan = planNational(regions, { projects: 300, workers: 1000, seed });
      city += plan.projects.filter((p) => p.regencyCode === "31.71").length;
      remote += plan.projects.filter((p) => p.regencyCode === "94.01").length;
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
    const people = await t.db.selectFrom("person").select(["nik", "birth_date", "sex"]).execute();
    expect(new Set(people.map((p) => p.nik)).size).toBe(people.length);
    for (const p of people.slice(0, 2000)) {
      const parsed = parseNik(p.nik, "2026-01-01");
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
