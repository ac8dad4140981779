import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verifyAuditChain } from "../../src/services/audit-verify.js";
import { registerWithBpjs } from "../../src/services/registrations.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";
import { actor, createProject } from "../support/fixtures.js";

describe.each(backends)("audit chain [%s]", (backend) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await freshDatabase(backend);
    const a = await createProject(t.db, { code: "A1" });
    await createProject(t.db, { code: "A2" });
    await registerWithBpjs(t.db, a.id, { basis: "contract_value", registeredOn: "2025-03-05" }, actor);
  });
  afterEach(async () => {
    await t.close();
  });

  it("verifies an untouched chain, including rows with dates and nested objects", async () => {
    const rows = await t.db.selectFrom("audit_log").select("action").orderBy("id").execute();
    expect(rows.map((r) => r.action)).toEqual(["project.create", "project.create", "project.register_bpjs"]);
    expect(await verifyAuditChain(t.db)).toEqual({ rows: 3, ok: true, firstBroken: null });
  });

  it("names the first row whose content was changed", async () => {
    const rows = await t.db.selectFrom("audit_log").select(["id", "action"]).orderBy("id").execute();
    const target = rows[1];
    await sql`update audit_log set after = jsonb_set(after, '{contract_value}', '1') where id = ${target?.id}`.execute(
      t.db,
    );
    expect(await verifyAuditChain(t.db)).toMatchObject({
      ok: false,
      firstBroken: { id: target?.id, reason: "hash" },
    });
  });

  it("names a row removed from the middle by the link it breaks", async () => {
    const rows = await t.db.selectFrom("audit_log").select("id").orderBy("id").execute();
    await t.db
      .deleteFrom("audit_log")
      .where("id", "=", rows[1]?.id as number)
      .execute();
    expect(await verifyAuditChain(t.db)).toMatchObject({
      ok: false,
      firstBroken: { id: rows[2]?.id, reason: "prev_hash" },
    });
  });
});
