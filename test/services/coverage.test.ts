import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isWorkingOn, projectStatusOn, protects } from "../../src/domain/coverage.js";
import { addDays } from "../../src/domain/dates.js";
import type { Actor } from "../../src/services/actor.js";
import {
  coverageAt,
  coverageBreakdown,
  gapProjects,
  listTargets,
  setTarget,
} from "../../src/services/coverage.js";
import { recordPayment } from "../../src/services/payments.js";
import { registerWithBpjs } from "../../src/services/registrations.js";
import { reportWorkers } from "../../src/services/worker-reports.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";
import { actor, createProject, joinRow, reportRows, rows, TODAY } from "../support/fixtures.js";

const D = "2025-06-15";

describe.each(backends)("coverage [%s]", (backend) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await freshDatabase(backend);
  });
  afterEach(async () => {
    await t.close();
  });

  it("counts known and protected people, the target gap, and unreported projects", async () => {
    const paid = await createProject(t.db, { code: "P1", districtCode: "61.03.01" });
    const unpaid = await createProject(t.db, {
      code: "P2",
      districtCode: "61.03.20",
      workUnitCode: "PERKIM",
    });
    const silent = await createProject(t.db, {
      code: "P3",
      contractValue: 1_000_000_000,
      workType: "building",
    });
    await registerWithBpjs(t.db, paid.id, { basis: "contract_value", registeredOn: "2025-03-05" }, actor);
    await recordPayment(t.db, paid.id, { paidOn: "2025-03-20", amount: 2_950_000, reference: "R1" }, actor);
    await registerWithBpjs(t.db, unpaid.id, { basis: "contract_value", registeredOn: "2025-03-05" }, actor);
    await reportRows(t.db, paid.id, [
      joinRow(1, "2025-04-01"),
      joinRow(2, "2025-04-01"),
      joinRow(3, "2025-07-01"),
    ]);
    // Worker 1 also works on the unpaid project: one person, protected through the paid one.
    await reportRows(t.db, unpaid.id, [
      joinRow(1, "2025-04-02"),
      joinRow(4, "2025-04-02"),
      joinRow(5, "2025-04-02"),
    ]);
    await setTarget(
      t.db,
      { scope: "region", id: "61.03", year: 2025, targetBp: 5865, source: "test" },
      actor,
    );

    const c = await coverageAt(t.db, { scope: "region", id: "61.03", date: D }, actor);
    expect(c).toMatchObject({ known: 4, protected: 2, percent: 50, target: { percent: 58.65 }, gap: 1 });
    expect(c.scope.name).toBe("Kabupaten Sanggau");
    // P3 has not reported: 236 days ≈ 202 working days; 1 M × 0.30 / (120,000 × 202) ≈ 12 workers, beside the figures.
    expect(c.unreported).toEqual({ projects: 1, estimatedWorkers: 12 });
    expect(silent.id).toBeGreaterThan(0);

    const byDistrict = await coverageBreakdown(
      t.db,
      { scope: "region", id: "61.03", date: D },
      "district",
      actor,
    );
    expect(byDistrict.map((r) => [r.key, r.known, r.protected])).toEqual([
      ["61.03.20", 3, 0],
      ["61.03.01", 2, 2],
    ]);
    // A project, a work unit or a sub-district without a target of its own is measured against its
    // regency's; a contractor, which works across regencies, only against its own.
    const regencys = { percent: 58.65, source: "test", regencyCode: "61.03" };
    const project = await coverageAt(t.db, { scope: "project", id: String(unpaid.id), date: D }, actor);
    expect([project.known, project.protected, project.target, project.gap]).toEqual([3, 0, regencys, 2]);
    const at = async (scope: "work_unit" | "contractor" | "region", id: string) =>
      (await coverageAt(t.db, { scope, id, date: D }, actor)).target;
    expect(await at("work_unit", String(unpaid.work_unit_id))).toEqual(regencys);
    expect(await at("region", "61.03.20")).toEqual(regencys);
    expect(await at("contractor", String(unpaid.contractor_id))).toBeNull();
    await setTarget(
      t.db,
      { scope: "work_unit", id: String(unpaid.work_unit_id), year: 2025, targetBp: 7000, source: "RKT" },
      actor,
    );
    expect(await at("work_unit", String(unpaid.work_unit_id))).toEqual({ percent: 70, source: "RKT" });
    // On 3 April the unpaid project is still inside its grace period (due 4 April): all four are protected.
    const inGrace = await coverageAt(t.db, { scope: "region", id: "61.03", date: "2025-04-03" }, actor);
    expect([inGrace.known, inGrace.protected]).toEqual([4, 4]);
    // Before anyone joined, nobody is known.
    expect(
      (await coverageAt(t.db, { scope: "region", id: "61.03.01", date: "2025-03-01" }, actor)).known,
    ).toBe(0);
  });

  it("ranks the projects that would close the gap fastest, with a running sum", async () => {
    const register = (id: number, registeredOn: string) =>
      registerWithBpjs(t.db, id, { basis: "contract_value", registeredOn }, actor);
    const paid = await createProject(t.db, { code: "G1" });
    const unregistered = await createProject(t.db, {
      code: "G2",
      workUnitCode: "PERKIM",
      contractorNib: "9120000000002",
      contractorName: "CV Dua",
    });
    const arrears = await createProject(t.db, { code: "G3" });
    const silent = await createProject(t.db, {
      code: "G4",
      contractValue: 1_000_000_000,
      workType: "building",
    });
    const registeredLater = await createProject(t.db, { code: "G5" });
    const inGrace = await createProject(t.db, { code: "G6" });
    const reg = await register(paid.id, "2025-03-05");
    await recordPayment(
      t.db,
      paid.id,
      { paidOn: "2025-03-20", amount: reg.contribution_amount, reference: "R1" },
      actor,
    );
    await register(arrears.id, "2025-03-05"); // due 4 April, never paid
    await register(registeredLater.id, "2025-06-20"); // after the date: unregistered on it
    await register(inGrace.id, "2025-06-10"); // due 10 July: protected on the date
    await reportRows(t.db, paid.id, [joinRow(1, "2025-04-01"), joinRow(2, "2025-04-01")]);
    // Worker 1 is protected through G1, so registering G2 would add only workers 3–5.
    await reportRows(
      t.db,
      unregistered.id,
      [1, 3, 4, 5].map((n) => joinRow(n, "2025-04-02")),
    );
    await reportRows(t.db, arrears.id, [joinRow(6, "2025-04-01"), joinRow(7, "2025-04-01")]);
    await reportRows(t.db, registeredLater.id, [joinRow(8, "2025-04-01"), joinRow(10, "2025-04-01")]);
    await reportRows(t.db, inGrace.id, [joinRow(9, "2025-04-01")]);
    await setTarget(
      t.db,
      { scope: "region", id: "61.03", year: 2025, targetBp: 5865, source: "test" },
      actor,
    );
    const q = { scope: "region" as const, id: "61.03", date: D, limit: 10 };

    const all = await gapProjects(t.db, q, actor);
    // Known 10 (workers 1–10), protected 3 (1, 2, 9): ceil(58.65 % × 10) − 3 = 3.
    expect([all.coverage.date, all.coverage.gap]).toEqual([D, 3]);
    expect(all.coverage.gap).toBe((await coverageAt(t.db, q, actor)).gap);
    // G4 reported nobody: the 12 workers coverageAt estimates; G3 and G5 tie at 2 and go by id.
    expect(all.items.map((i) => [i.code, i.action, i.workers, i.cumulative])).toEqual([
      ["G4", "report", 12, 12],
      ["G2", "register", 3, 15],
      ["G3", "pay", 2, 17],
      ["G5", "register", 2, 19],
    ]);
    expect(all.items[0]?.projectId).toBe(silent.id);
    expect(all.items[1]).toMatchObject({
      projectId: unregistered.id,
      name: "Peningkatan Jalan Ruas Kapuas",
      contractor: "CV Dua",
      contractorId: unregistered.contractor_id,
      districtName: "Kapuas",
      workUnit: "PERKIM",
    });
    expect((await coverageAt(t.db, q, actor)).unreported).toEqual({ projects: 1, estimatedWorkers: 12 });
    expect((await gapProjects(t.db, { ...q, limit: 2 }, actor)).items.map((i) => i.code)).toEqual([
      "G4",
      "G2",
    ]);
    // On 1 April G3 is still in grace and nobody has joined G2 yet; G5 and G6 were not registered then.
    const early = await gapProjects(t.db, { ...q, date: "2025-04-01" }, actor);
    expect(early.items.map((i) => [i.code, i.action, i.workers])).toEqual([
      ["G4", "report", 12],
      ["G5", "register", 2],
      ["G6", "register", 1],
    ]);

    // CV Dua sees only its own project, and worker 1 is not protected by anything it can see.
    const dua: Actor = {
      kind: "user",
      label: "user:dua",
      role: "contractor",
      organisationId: unregistered.contractor_id,
      regionCode: null,
      userId: null,
    };
    const own = await gapProjects(t.db, q, dua);
    expect(own.coverage.gap).toBe(3); // known 4, protected 0: ceil(2.346) − 0
    expect(own.items.map((i) => [i.code, i.action, i.workers, i.cumulative])).toEqual([
      ["G2", "register", 4, 4],
    ]);
    await expect(
      gapProjects(t.db, { ...q, scope: "project", id: String(paid.id) }, dua),
    ).rejects.toMatchObject({ code: "SCOPE_NOT_FOUND" });
    const byContractor = await gapProjects(
      t.db,
      { ...q, scope: "contractor", id: String(paid.contractor_id) },
      actor,
    );
    expect(byContractor.coverage.gap).toBeNull();
    expect(byContractor.items.map((i) => i.code)).toEqual(["G4", "G3", "G5"]);
  });

  it("rejects a scope that does not exist", async () => {
    await expect(coverageAt(t.db, { scope: "region", id: "61.99", date: D }, actor)).rejects.toMatchObject({
      code: "SCOPE_NOT_FOUND",
    });
    await expect(coverageAt(t.db, { scope: "contractor", id: "abc", date: D }, actor)).rejects.toMatchObject({
      code: "SCOPE_INVALID",
    });
  });

  it("agrees with the domain rule on random projects, payments and stints", async () => {
    const stint = fc.record({
      person: fc.integer({ min: 1, max: 12 }),
      start: fc.integer({ min: 0, max: 150 }),
      length: fc.option(fc.integer({ min: 0, max: 90 }), { nil: null }),
    });
    const projectArb = fc.record({
      registeredAfter: fc.option(fc.integer({ min: 0, max: 120 }), { nil: null }),
      paidAfter: fc.option(fc.integer({ min: 0, max: 90 }), { nil: null }),
      stints: fc.uniqueArray(stint, { selector: (s) => s.person, maxLength: 8 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(projectArb, { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 0, max: 200 }),
        async (projects, dayOffset) => {
          const fresh = await freshDatabase(backend);
          const db = fresh.db;
          const date = addDays("2025-03-10", dayOffset);
          // person → protected on `date` through any project (the domain's reading of the rule)
          const expected = new Map<number, boolean>();
          const perProject: { id: number; known: number; protected: number }[] = [];
          try {
            for (const [i, p] of projects.entries()) {
              const project = await createProject(db, { code: `R-${i}` });
              let registration = null;
              const payments: { paidOn: string; amount: number }[] = [];
              if (p.registeredAfter !== null) {
                const registeredOn = addDays("2025-03-03", p.registeredAfter);
                const reg = await registerWithBpjs(
                  db,
                  project.id,
                  { basis: "contract_value", registeredOn },
                  actor,
                );
                registration = {
                  coverageStart: reg.coverage_start,
                  coverageEnd: reg.coverage_end,
                  dueDate: reg.due_date,
                  amount: reg.contribution_amount,
                };
                if (p.paidAfter !== null) {
                  const paidOn = addDays(registeredOn, p.paidAfter);
                  await recordPayment(
                    db,
                    project.id,
                    { paidOn, amount: reg.contribution_amount, reference: "R" },
                    actor,
                  );
                  payments.push({ paidOn, amount: reg.contribution_amount });
                }
              }
              const protecting = protects(projectStatusOn(registration, payments, date));
              const raws: Record<string, unknown>[] = [];
              const mine = { id: project.id, known: 0, protected: 0 };
              for (const s of p.stints) {
                const joinedOn = addDays("2025-03-10", s.start);
                const leftOn = s.length === null ? null : addDays(joinedOn, s.length);
                if (leftOn !== null && leftOn > "2025-10-31") continue;
                raws.push(joinRow(s.person, joinedOn));
                if (leftOn) raws.push({ event: "leave", nik: joinRow(s.person, "").nik, date: leftOn });
                if (isWorkingOn({ joinedOn, leftOn }, date)) {
                  expected.set(s.person, (expected.get(s.person) ?? false) || protecting);
                  mine.known += 1;
                  if (protecting) mine.protected += 1;
                }
              }
              perProject.push(mine);
              const result = await reportWorkers(
                db,
                project.id,
                { idempotencyKey: "k", source: "api", rows: rows(raws), today: TODAY },
                actor,
              );
              expect(result.rejected).toBe(0);
            }
            const region = await coverageAt(db, { scope: "region", id: "61.03", date }, actor);
            expect([region.known, region.protected]).toEqual([
              expected.size,
              [...expected.values()].filter(Boolean).length,
            ]);
            const byProject = await coverageBreakdown(
              db,
              { scope: "region", id: "61.03", date },
              "project",
              actor,
            );
            expect(
              byProject
                .map((r) => ({ id: Number(r.key), known: r.known, protected: r.protected }))
                .sort((a, b) => a.id - b.id),
            ).toEqual(perProject.filter((p) => p.known > 0));
          } finally {
            await fresh.close(); // drops a PostgreSQL test database, not only its pool
          }
        },
      ),
      { numRuns: 15 },
    );
  });

  it("lists the targets each actor may see, by name, and keeps a replaced one in the audit trail", async () => {
    const sanggau = await createProject(t.db, { code: "T1" });
    const elsewhere = await createProject(t.db, {
      code: "T2",
      districtCode: "61.05.01",
      workUnitCode: "DINKES",
      contractorNib: "9120009999999",
      contractorName: "PT Lain Kabupaten",
    });
    const set = (scope: "region" | "work_unit" | "contractor" | "project", id: string | number) =>
      setTarget(t.db, { scope, id: String(id), year: 2026, targetBp: 6000, source: "RKT 2026" }, actor);
    await set("region", "61.03");
    await set("region", "61.03.01");
    await set("region", "61.05");
    await set("work_unit", sanggau.work_unit_id as number);
    await set("contractor", sanggau.contractor_id);
    await set("project", sanggau.id);
    await set("project", elsewhere.id);
    const seen = async (who: Actor) => (await listTargets(t.db, who)).map((x) => `${x.scope}:${x.id}`).sort();
    const officer: Actor = { ...actor, kind: "user", role: "bpjs", regionCode: "61.03" };
    const workUnit: Actor = { ...actor, kind: "user", role: "opd", organisationId: sanggau.work_unit_id };

    expect(await seen(actor)).toHaveLength(7);
    expect(await seen(officer)).toEqual(
      [
        "region:61.03",
        "region:61.03.01",
        `work_unit:${sanggau.work_unit_id}`,
        `contractor:${sanggau.contractor_id}`,
        `project:${sanggau.id}`,
      ].sort(),
    );
    // A work unit: its regency's target, its own, and its projects'; not a sub-district's or a contractor's.
    expect(await seen(workUnit)).toEqual(
      ["region:61.03", `work_unit:${sanggau.work_unit_id}`, `project:${sanggau.id}`].sort(),
    );
    const names = await listTargets(t.db, officer);
    expect(names.find((x) => x.id === "61.03")).toEqual({
      scope: "region",
      id: "61.03",
      name: "Kabupaten Sanggau",
      year: 2026,
      percent: 60,
      source: "RKT 2026",
    });
    expect(names.find((x) => x.scope === "project")?.name).toBe(sanggau.name);

    await setTarget(
      t.db,
      { scope: "region", id: "61.03", year: 2026, targetBp: 6250, source: "RKT 2026 revisi" },
      officer,
    );
    const audit = await t.db
      .selectFrom("audit_log")
      .select(["before", "after"])
      .where("action", "=", "target.set")
      .where("entity_id", "=", "region:61.03:2026")
      .orderBy("id")
      .execute();
    expect(audit.map((a) => a.before)).toEqual([null, { targetBp: 6000, source: "RKT 2026" }]);
    expect(audit[1]?.after).toMatchObject({ targetBp: 6250, source: "RKT 2026 revisi" });
    // A new percentage given without a source keeps the one the target had.
    await setTarget(t.db, { scope: "region", id: "61.03", year: 2026, targetBp: 6300 }, officer);
    expect((await listTargets(t.db, officer)).find((x) => x.id === "61.03")).toMatchObject({
      percent: 63,
      source: "RKT 2026 revisi",
    });
  });
});
