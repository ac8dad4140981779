import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { publicCheck } from "../../src/services/public-check.js";
import { registerWithBpjs } from "../../src/services/registrations.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";
import { actor, createProject, joinRow, leaveRow, registerAndPay, reportRows } from "../support/fixtures.js";

const BORN = "1985-03-12";

describe.each(backends)("the public check's last protected day [%s]", (backend) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await freshDatabase(backend);
  });
  afterEach(async () => {
    await t.close();
  });
  const check = (n: number, today: string) =>
    publicCheck(t.db, { nik: joinRow(n, "").nik, birthDate: BORN }, today);

  it("ends at the coverage period, the worker's leave day or, while unpaid, the due date", async () => {
    const paid = await createProject(t.db);
    await registerAndPay(t.db, paid, { registeredOn: "2025-03-05", paidOn: "2025-03-10", reference: "P1" });
    const unpaid = await createProject(t.db, { code: "61.03/PUPR/2025/T002" });
    const reg = await registerWithBpjs(
      t.db,
      unpaid.id,
      { basis: "contract_value", registeredOn: "2025-05-20" },
      actor,
    );
    await reportRows(t.db, paid.id, [
      joinRow(1, "2025-04-01"),
      joinRow(2, "2025-04-01"),
      leaveRow(2, "2025-06-10"),
    ]);
    await reportRows(t.db, unpaid.id, [joinRow(3, "2025-05-21")]);

    // Paid in full and still working: the end of the coverage period.
    expect(await check(1, "2025-06-01")).toEqual({ protected: true, until: "2025-10-31" });
    // Leaving on 10 June: protected until that day, not to the end of the project.
    expect(await check(2, "2025-06-01")).toEqual({ protected: true, until: "2025-06-10" });
    expect(await check(2, "2025-06-11")).toEqual({ protected: false, until: null });
    // Unpaid, inside the grace period: protected until the due date, and no longer after it.
    expect(await check(3, "2025-06-01")).toEqual({ protected: true, until: reg.due_date });
    expect(await check(3, "2025-10-01")).toEqual({ protected: false, until: null });
  });

  it("answers the latest day over the projects a worker is on", async () => {
    const paid = await createProject(t.db);
    await registerAndPay(t.db, paid, { registeredOn: "2025-03-05", paidOn: "2025-03-10", reference: "P1" });
    const unpaid = await createProject(t.db, { code: "61.03/PUPR/2025/T002" });
    await registerWithBpjs(t.db, unpaid.id, { basis: "contract_value", registeredOn: "2025-05-20" }, actor);
    await reportRows(t.db, unpaid.id, [joinRow(4, "2025-05-21")]);
    await reportRows(t.db, paid.id, [joinRow(4, "2025-05-21")]);
    expect(await check(4, "2025-06-01")).toEqual({ protected: true, until: "2025-10-31" });
  });
});
