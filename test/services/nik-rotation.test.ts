import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NikVault, nikVault } from "../../src/db/nik-vault.js";
import { verifyAuditChain } from "../../src/services/audit-verify.js";
import { coverageAt } from "../../src/services/coverage.js";
import { rotateNikKey } from "../../src/services/nik-rotation.js";
import { nikEventKey } from "../../src/services/worker-reports.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";
import { actor, createProject, joinRow, leaveRow, reportRows } from "../support/fixtures.js";

/** Everything NIK-derived, to compare before and after. */
async function state(t: TestDatabase) {
  const persons = await t.db
    .selectFrom("person")
    .select(["id", "nik_hash", "nik_sealed"])
    .orderBy("id")
    .execute();
  const events = await t.db
    .selectFrom("report_event")
    .select(["id", "project_id", "person_id", "kind", "event_key", sql<string>`event_date::text`.as("date")])
    .orderBy("id")
    .execute();
  const batches = await t.db
    .selectFrom("report_batch")
    .select(["id", "request_hash"])
    .orderBy("id")
    .execute();
  return { persons, events, batches };
}

describe.each(backends)("NIK key rotation [%s]", (backend) => {
  let t: TestDatabase;
  let projectId: number;
  beforeEach(async () => {
    t = await freshDatabase(backend);
    projectId = (await createProject(t.db)).id;
    await reportRows(t.db, projectId, [
      joinRow(1, "2025-04-01"),
      joinRow(2, "2025-04-01"),
      joinRow(3, "2025-04-02"),
    ]);
    await reportRows(t.db, projectId, [
      leaveRow(2, "2025-05-01"),
      joinRow(4, "2025-05-02", { eventId: "hp-4" }),
    ]);
    // Another regency, whose events page after 61.03's along the primary key (regency, id).
    const other = await createProject(t.db, { code: "61.05/PUPR/2025/T002", districtCode: "61.05.01" });
    await reportRows(t.db, other.id, [joinRow(5, "2025-04-03"), joinRow(1, "2025-04-03")]);
  });
  afterEach(async () => {
    await t.close();
  });

  it("re-hashes and re-seals every NIK and re-keys every natural event key under the new key", async () => {
    const before = await state(t);
    const niks = new Map(before.persons.map((p) => [p.id, nikVault().open(p.nik_sealed)]));
    const coverage = await coverageAt(t.db, { scope: "region", id: "61.03", date: "2025-04-15" }, actor);
    const to = new NikVault(randomBytes(32));

    // Two rows a page: every page boundary, within a regency and across two, is crossed.
    const result = await rotateNikKey(t.db, { from: nikVault(), to }, actor, { pageRows: 2 });
    expect(result).toEqual({ persons: 5, eventKeys: 6, requestHashes: 3 }); // worker 1 is one person on both

    const after = await state(t);
    expect(after.persons.map((p) => p.id)).toEqual(before.persons.map((p) => p.id));
    for (const p of after.persons) {
      const nik = niks.get(p.id) as string;
      expect(to.open(p.nik_sealed)).toBe(nik);
      expect(p.nik_hash).toBe(to.hash(nik));
      expect(() => nikVault().open(p.nik_sealed)).toThrow();
    }
    for (const [i, e] of after.events.entries()) {
      const old = before.events[i];
      expect({ ...e, event_key: "" }).toEqual({ ...old, event_key: "" });
      if (old?.event_key.startsWith("nk:")) {
        const nik = niks.get(e.person_id) as string;
        const event = { kind: e.kind, nik, date: e.date };
        expect(old.event_key).toBe(nikEventKey(e.project_id, event, nikVault()));
        expect(e.event_key).toBe(nikEventKey(e.project_id, event, to));
      } else {
        expect(e.event_key).toBe(old?.event_key); // the client's own event id: no NIK in it
      }
    }
    expect(after.batches.map((b) => b.request_hash)).toEqual([null, null, null]);
    expect(await coverageAt(t.db, { scope: "region", id: "61.03", date: "2025-04-15" }, actor)).toEqual(
      coverage,
    );
    const audit = await t.db
      .selectFrom("audit_log")
      .select(["action", "after"])
      .orderBy("id", "desc")
      .executeTakeFirst();
    expect(audit).toEqual({ action: "nik.rotate_key", after: result });
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it("leaves everything under the old key when the key given as old does not open the NIKs", async () => {
    const before = await state(t);
    await expect(
      rotateNikKey(t.db, { from: new NikVault(randomBytes(32)), to: new NikVault(randomBytes(32)) }, actor),
    ).rejects.toMatchObject({ code: "NIK_KEY_MISMATCH" });
    expect(await state(t)).toEqual(before);
  });

  it.skipIf(backend !== "postgres")("refuses while another pantau process is connected", async () => {
    const before = await state(t);
    const server = new pg.Client({ connectionString: t.url as string, application_name: "pantau/999999" });
    await server.connect();
    try {
      await expect(
        rotateNikKey(t.db, { from: nikVault(), to: new NikVault(randomBytes(32)) }, actor),
      ).rejects.toMatchObject({ code: "NIK_ROTATION_SERVERS_RUNNING" });
    } finally {
      await server.end();
    }
    expect(await state(t)).toEqual(before);
    await rotateNikKey(t.db, { from: nikVault(), to: new NikVault(randomBytes(32)) }, actor);
  });
});
