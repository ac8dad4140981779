import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { nikVault } from "../../src/db/nik-vault.js";
import type { Project } from "../../src/db/schema.js";
import { reportWorkers } from "../../src/services/worker-reports.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";
import { actor, createProject, joinRow, leaveRow, rows, TODAY } from "../support/fixtures.js";

describe.each(backends)("worker reports [%s]", (backend) => {
  let t: TestDatabase;
  let project: Project;
  beforeEach(async () => {
    t = await freshDatabase(backend);
    project = await createProject(t.db);
  });
  afterEach(async () => {
    await t.close();
  });

  const send = (key: string, raws: Record<string, unknown>[], projectId = project.id) =>
    reportWorkers(
      t.db,
      projectId,
      { idempotencyKey: key, source: "api", rows: rows(raws), today: TODAY },
      actor,
    );

  /** Stints with their NIK opened from the vault, in NIK then join-date order. */
  const assignments = async () =>
    (
      await t.db
        .selectFrom("assignment")
        .innerJoin("person", "person.id", "assignment.person_id")
        .select(["person.nik_sealed", "joined_on", "left_on", "project_id"])
        .execute()
    )
      .map(({ nik_sealed, ...a }) => ({ nik: nikVault().open(nik_sealed), ...a }))
      .sort((a, b) => a.nik.localeCompare(b.nik) || a.joined_on.localeCompare(b.joined_on));

  it("applies valid rows, rejects invalid ones with row, field and reason, and writes nothing for them", async () => {
    const result = await send("b1", [
      joinRow(1, "2025-04-01"),
      { ...joinRow(2, "2025-04-01"), nik: "6103011203850000" },
      { ...joinRow(3, "2025-04-01"), date: "2025-02-30" },
      joinRow(4, "2025-03-01"), // before SPMK 2025-03-10
      leaveRow(5, "2025-04-02"), // never joined
      joinRow(6, "2025-04-01"),
    ]);
    expect(result).toMatchObject({ accepted: 2, duplicates: 0, rejected: 4, replayed: false });
    expect(result.errors.map((e) => [e.row, e.field, e.code])).toEqual([
      [2, "nik", "NIK_SERIAL_ZERO"],
      [3, "date", "DATE_INVALID"],
      [4, "date", "DATE_OUTSIDE_CONTRACT"],
      [5, "nik", "WORKER_NOT_ON_PROJECT"],
    ]);
    expect(result.errors[0]?.message.id).toMatch(/0000/);
    const rowsNow = await assignments();
    expect(rowsNow.map((a) => a.nik)).toEqual([joinRow(1, "").nik, joinRow(6, "").nik]);
    expect(await t.db.selectFrom("person").select("id").execute()).toHaveLength(2);
    expect(await t.db.selectFrom("report_event").select("kind").execute()).toHaveLength(2);
  });

  it("counts a second row with the same event id in one batch as a duplicate, not an error", async () => {
    const result = await send("b-ids", [
      joinRow(1, "2025-04-01", { eventId: "E-1" }),
      joinRow(2, "2025-04-01", { eventId: "E-1" }),
    ]);
    expect(result).toMatchObject({ accepted: 1, duplicates: 1, rejected: 0 });
    expect((await assignments()).map((a) => a.nik)).toEqual([joinRow(1, "").nik]);
  });

  it("replaying the same key returns the first answer; the same rows under a new key are duplicates", async () => {
    const batch = [joinRow(1, "2025-04-01"), joinRow(2, "2025-04-02"), leaveRow(1, "2025-05-01")];
    const first = await send("k1", batch);
    expect(first).toMatchObject({ accepted: 3, duplicates: 0, rejected: 0 });
    const snapshot = await assignments();
    for (let i = 0; i < 100; i++) {
      const replay = await send("k1", batch);
      expect(replay).toEqual({ ...first, replayed: true });
    }
    const again = await send("k2", batch);
    expect(again).toMatchObject({ accepted: 0, duplicates: 3, rejected: 0, replayed: false });
    expect(await assignments()).toEqual(snapshot);
    expect(snapshot).toEqual([
      { nik: joinRow(1, "").nik, joined_on: "2025-04-01", left_on: "2025-05-01", project_id: project.id },
      { nik: joinRow(2, "").nik, joined_on: "2025-04-02", left_on: null, project_id: project.id },
    ]);
  });

  it("refuses other rows under a key already used, writing nothing, and still replays the same rows", async () => {
    const batch = [joinRow(1, "2025-04-01")];
    const first = await send("k1", batch);
    const snapshot = await assignments();
    await expect(send("k1", [joinRow(2, "2025-04-01")])).rejects.toMatchObject({
      code: "IDEMPOTENCY_KEY_REUSED",
    });
    await expect(send("k1", [{ ...joinRow(1, "2025-04-01"), name: "Pekerja Lain" }])).rejects.toMatchObject({
      code: "IDEMPOTENCY_KEY_REUSED",
    });
    expect(await assignments()).toEqual(snapshot);
    expect(await t.db.selectFrom("report_batch").select("id").execute()).toHaveLength(1);
    // The same rows with their fields in another order are the same request.
    const reordered = Object.fromEntries(Object.entries(batch[0] as object).reverse());
    expect(await send("k1", [reordered])).toEqual({ ...first, replayed: true });
  });

  it("handles leave before join, a second join while on the project, and rejoining after leaving", async () => {
    await send("a", [joinRow(1, "2025-04-10")]);
    const result = await send("b", [
      leaveRow(1, "2025-04-01"),
      joinRow(1, "2025-04-20"),
      leaveRow(1, "2025-05-01"),
      joinRow(1, "2025-06-01"),
    ]);
    expect(result.errors.map((e) => e.code)).toEqual(["LEAVE_BEFORE_JOIN", "WORKER_ALREADY_ON_PROJECT"]);
    expect(result.accepted).toBe(2);
    expect((await assignments()).map((a) => [a.joined_on, a.left_on])).toEqual([
      ["2025-04-10", "2025-05-01"],
      ["2025-06-01", null],
    ]);
  });

  it("treats the same NIK on two projects as one person", async () => {
    const other = await createProject(t.db, { code: "61.03/PUPR/2025/T002" });
    await send("a", [joinRow(7, "2025-04-01")]);
    await send("b", [joinRow(7, "2025-04-03")], other.id);
    expect(await t.db.selectFrom("person").select("id").execute()).toHaveLength(1);
    expect((await assignments()).map((a) => a.project_id).sort()).toEqual([project.id, other.id].sort());
  });

  it("says which project is missing", async () => {
    await expect(send("x", [joinRow(1, "2025-04-01")], 999_999)).rejects.toMatchObject({
      code: "PROJECT_NOT_FOUND",
    });
  });

  it("gives one effect for concurrent submissions of the same key", async () => {
    const batch = Array.from({ length: 20 }, (_, i) => joinRow(i + 1, "2025-04-01"));
    const results = await Promise.all(Array.from({ length: 5 }, () => send("same", batch)));
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(results.every((r) => r.batchId === results[0]?.batchId)).toBe(true);
    expect(await assignments()).toHaveLength(20);
    expect(await t.db.selectFrom("report_batch").select("id").execute()).toHaveLength(1);
  });
});
