import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Project } from "../../src/db/schema.js";
import type { Actor } from "../../src/services/actor.js";
import { coverageAt } from "../../src/services/coverage.js";
import {
  confirmPaymentClaim,
  listPaymentClaims,
  recordPayment,
  rejectPaymentClaim,
} from "../../src/services/payments.js";
import { certificate, listPayments } from "../../src/services/project-views.js";
import { registerWithBpjs } from "../../src/services/registrations.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";
import { actor, createProject, joinRow, reportRows, userActor } from "../support/fixtures.js";

// Registered 5 March 2025, due 4 April; on 15 June only a payment keeps the workers protected.
const D = "2025-06-15";
const OWED = 2_950_000;

describe.each(backends)("payments confirmed by the branch [%s]", (backend) => {
  let t: TestDatabase;
  let project: Project;
  let contractor: Actor;
  const branch = userActor("bpjs", { label: "user:bpjs", regionCode: "61.03" });
  const pay = (who: Actor, input: { paidOn: string; amount: number; reference: string }) =>
    recordPayment(t.db, project.id, input, who);
  const protectedOn = async (date: string) =>
    (await coverageAt(t.db, { scope: "project", id: String(project.id), date }, actor)).protected;

  beforeEach(async () => {
    t = await freshDatabase(backend);
    project = await createProject(t.db);
    contractor = userActor("contractor", { label: "user:penyedia", organisationId: project.contractor_id });
    await registerWithBpjs(t.db, project.id, { basis: "contract_value", registeredOn: "2025-03-05" }, actor);
    await reportRows(t.db, project.id, [joinRow(1, "2025-04-01"), joinRow(2, "2025-04-01")]);
  });
  afterEach(async () => {
    await t.close();
  });

  it("counts a contractor's payment only once the branch confirms it, from the day it was paid", async () => {
    const claimed = await pay(contractor, { paidOn: "2025-03-20", amount: OWED, reference: "BNI-1" });
    expect(claimed).toMatchObject({ status: "pending", paymentId: null, replayed: false });
    expect(await t.db.selectFrom("payment").selectAll().execute()).toEqual([]);
    expect(await protectedOn(D)).toBe(0);
    expect(await certificate(t.db, contractor, project.id, D)).toMatchObject({
      paidAmount: 0,
      pendingAmount: OWED,
      status: "arrears",
      certificateIssuedOn: null,
    });

    const queue = await listPaymentClaims(t.db, branch, { status: "pending", limit: 10 });
    expect(queue).toEqual([
      expect.objectContaining({
        id: claimed.claimId,
        projectCode: project.code,
        paidOn: "2025-03-20",
        amount: OWED,
        reference: "BNI-1",
        claimedBy: "user:penyedia",
        outstanding: OWED,
      }),
    ]);

    const confirmed = await confirmPaymentClaim(t.db, claimed.claimId as number, branch);
    expect(confirmed).toMatchObject({ status: "confirmed", claimId: claimed.claimId });
    expect(await protectedOn(D)).toBe(2);
    expect(await certificate(t.db, contractor, project.id, D)).toMatchObject({
      paidAmount: OWED,
      pendingAmount: 0,
      status: "paid",
      certificateIssuedOn: "2025-03-20",
    });
    expect(await listPayments(t.db, contractor, project.id)).toEqual([
      {
        paymentId: confirmed.paymentId,
        claimId: claimed.claimId,
        paidOn: "2025-03-20",
        amount: OWED,
        reference: "BNI-1",
        status: "confirmed",
        reason: null,
      },
    ]);
    expect(await listPaymentClaims(t.db, branch, { status: "pending", limit: 10 })).toEqual([]);
    // Recording it again is the same payment, now confirmed.
    expect(await pay(contractor, { paidOn: "2025-03-20", amount: OWED, reference: "BNI-1" })).toEqual({
      status: "confirmed",
      paymentId: confirmed.paymentId,
      claimId: claimed.claimId,
      replayed: true,
    });
    await expect(confirmPaymentClaim(t.db, claimed.claimId as number, branch)).rejects.toMatchObject({
      code: "PAYMENT_CLAIM_DECIDED",
    });
    const audit = await t.db.selectFrom("audit_log").select(["action", "actor"]).orderBy("id").execute();
    expect(audit.slice(-3)).toEqual([
      { action: "payment.claim", actor: "user:penyedia" },
      { action: "payment.record", actor: "user:bpjs" },
      { action: "payment.confirm", actor: "user:bpjs" },
    ]);
  });

  it("keeps a rejected claim out of every figure, with its reason, and frees its reference", async () => {
    const claimed = await pay(contractor, { paidOn: "2025-03-20", amount: OWED, reference: "BNI-9" });
    await expect(
      rejectPaymentClaim(t.db, claimed.claimId as number, "Tidak ada di rekening", contractor),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(
      await rejectPaymentClaim(t.db, claimed.claimId as number, "Tidak ada di rekening", branch),
    ).toEqual({
      claimId: claimed.claimId,
      status: "rejected",
    });
    expect(await protectedOn(D)).toBe(0);
    expect(await listPayments(t.db, contractor, project.id)).toEqual([
      expect.objectContaining({ status: "rejected", reason: "Tidak ada di rekening", paymentId: null }),
    ]);
    expect(await listPaymentClaims(t.db, contractor, { status: "rejected", limit: 10 })).toEqual([
      expect.objectContaining({
        id: claimed.claimId,
        decidedBy: "user:bpjs",
        reason: "Tidak ada di rekening",
      }),
    ]);
    // Filed again, correctly, under the bank's same reference: a new claim.
    const again = await pay(contractor, { paidOn: "2025-03-21", amount: OWED, reference: "BNI-9" });
    expect(again).toMatchObject({ status: "pending", replayed: false });
    expect(again.claimId).not.toBe(claimed.claimId);
    await expect(confirmPaymentClaim(t.db, claimed.claimId as number, branch)).rejects.toMatchObject({
      code: "PAYMENT_CLAIM_DECIDED",
    });
  });

  it("holds what waits against what is owed, and lets the branch confirm by entering the same transfer", async () => {
    const first = await pay(contractor, { paidOn: "2025-03-20", amount: 2_000_000, reference: "A" });
    // Rp 950.000 is left once the Rp 2.000.000 waiting is counted.
    await expect(
      pay(contractor, { paidOn: "2025-03-21", amount: 950_001, reference: "B" }),
    ).rejects.toMatchObject({
      code: "PAYMENT_EXCEEDS_OUTSTANDING",
      message: expect.stringContaining("Rp 950.000 (Rp 2.000.000 lagi menunggu konfirmasi BPJS)"),
      details: { field: "amount", outstanding: 950_000, pending: 2_000_000 },
    });
    await expect(pay(contractor, { paidOn: "2025-03-21", amount: 5, reference: "A" })).rejects.toMatchObject({
      code: "PAYMENT_REFERENCE_CONFLICT",
    });
    // There is no account to pay into before the registration (5 March).
    for (const who of [contractor, branch])
      await expect(pay(who, { paidOn: "2025-03-04", amount: 5, reference: "EARLY" })).rejects.toMatchObject({
        code: "PAYMENT_BEFORE_REGISTRATION",
        message: expect.stringContaining("5 Maret 2025"),
        details: { field: "paidOn" },
      });
    expect(await pay(contractor, { paidOn: "2025-03-20", amount: 2_000_000, reference: "A" })).toEqual({
      ...first,
      replayed: true,
    });
    // The branch keys in the transfer from its bank statement: that is the claim, now confirmed.
    const entered = await pay(branch, { paidOn: "2025-03-20", amount: 2_000_000, reference: "A" });
    expect(entered).toMatchObject({ status: "confirmed", claimId: first.claimId, replayed: false });
    expect(await t.db.selectFrom("payment").select(["amount", "reference"]).execute()).toEqual([
      { amount: 2_000_000, reference: "A" },
    ]);
    // The branch's own entry counts at once and needs no claim.
    expect(await pay(branch, { paidOn: "2025-03-22", amount: 950_000, reference: "C" })).toMatchObject({
      status: "confirmed",
      claimId: null,
    });
    expect(await protectedOn(D)).toBe(2);
  });

  it("re-checks what is owed when confirming, and shows claims only to who may see the project", async () => {
    const claimed = await pay(contractor, { paidOn: "2025-03-20", amount: OWED, reference: "K" });
    // Meanwhile the branch entered the same money under its own reference.
    await pay(branch, { paidOn: "2025-03-20", amount: 1, reference: "BRANCH" });
    await expect(confirmPaymentClaim(t.db, claimed.claimId as number, branch)).rejects.toMatchObject({
      code: "PAYMENT_EXCEEDS_OUTSTANDING",
      details: { outstanding: OWED - 1 },
    });
    // The claim waiting is now more than is owed: nothing is left to claim, and the answer says Rp 0.
    await expect(
      pay(contractor, { paidOn: "2025-03-21", amount: 1, reference: "MORE" }),
    ).rejects.toMatchObject({
      code: "PAYMENT_EXCEEDS_OUTSTANDING",
      message: expect.stringContaining("sisa iuran Rp 0 (Rp 2.950.000 lagi menunggu konfirmasi BPJS)"),
      details: { outstanding: 0, pending: OWED },
    });
    const elsewhere = userActor("bpjs", { regionCode: "61.05" });
    await expect(confirmPaymentClaim(t.db, claimed.claimId as number, elsewhere)).rejects.toMatchObject({
      code: "PAYMENT_CLAIM_NOT_FOUND",
    });
    await expect(confirmPaymentClaim(t.db, 999_999, branch)).rejects.toMatchObject({
      code: "PAYMENT_CLAIM_NOT_FOUND",
    });
    expect(await listPaymentClaims(t.db, elsewhere, { status: "pending", limit: 10 })).toEqual([]);
    const other = userActor("contractor", { organisationId: project.contractor_id + 1000 });
    expect(await listPaymentClaims(t.db, other, { status: "pending", limit: 10 })).toEqual([]);
    // A region outside the officer's own is refused, not answered with an empty queue.
    await expect(
      listPaymentClaims(t.db, branch, { status: "pending", regionCode: "61.05", limit: 10 }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
      message:
        "Tidak berwenang: membaca antrean wilayah 61.05, di luar wilayah kerja Anda / Not allowed: to read the queue of region 61.05, outside your region",
    });
    expect(
      await listPaymentClaims(t.db, branch, { status: "pending", regionCode: "61.03", limit: 10 }),
    ).toHaveLength(1);
    // A sub-district narrows the queue to the projects there (the fixture's project is in Kapuas, 61.03.01).
    for (const [code, found] of [
      ["61", 1],
      ["61.03.01", 1],
      ["61.03.02", 0],
    ] as const) {
      expect(
        await listPaymentClaims(t.db, branch, { status: "pending", regionCode: code, limit: 10 }),
        code,
      ).toHaveLength(found);
    }
    // Nothing of the refused confirmation was written.
    expect(await t.db.selectFrom("payment").select("reference").execute()).toEqual([{ reference: "BRANCH" }]);
  });
});
