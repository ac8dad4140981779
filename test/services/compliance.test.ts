import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_COMPLIANCE_SETTINGS, evaluateCompliance } from "../../src/domain/compliance.js";
import { addDays } from "../../src/domain/dates.js";
import { addUser } from "../../src/services/accounts.js";
import { advanceCase, caseDetail, clearance, letterPdf, overdueTasks } from "../../src/services/cases.js";
import { loadSnapshots, runCompliance } from "../../src/services/compliance.js";
import { ensureOrganisation } from "../../src/services/organisations.js";
import { recordPayment, rejectPaymentClaim } from "../../src/services/payments.js";
import {
  fileRegistration,
  registerWithBpjs,
  verifyRegistrationClaim,
} from "../../src/services/registrations.js";
import { reportWorkers } from "../../src/services/worker-reports.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";
import { actor, createProject, joinRow, rows, TODAY, userActor } from "../support/fixtures.js";
import { pdfText } from "../support/pdf.js";

describe.each(backends)("compliance runs and cases [%s]", (backend) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await freshDatabase(backend);
    await ensureOrganisation(
      t.db,
      {
        kind: "bpjs_branch",
        code: "BPJS-SGU",
        name: "BPJS Ketenagakerjaan Cabang Sanggau",
        regencyCode: "61.03",
      },
      actor,
    );
    await ensureOrganisation(
      t.db,
      {
        kind: "enforcer",
        code: "KEJARI-SGU",
        name: "Kejaksaan Negeri Sanggau di Sanggau",
        regencyCode: "61.03",
      },
      actor,
    );
  });
  afterEach(async () => {
    await t.close();
  });

  const report = (projectId: number, from: number, n: number) =>
    reportWorkers(
      t.db,
      projectId,
      {
        idempotencyKey: `k${projectId}-${from}`,
        source: "api",
        rows: rows(Array.from({ length: n }, (_, i) => joinRow(from + i, "2025-03-15"))),
        today: TODAY,
      },
      actor,
    );

  it("finds arrears, opens a case, and resolves both when the contractor pays", async () => {
    const p = await createProject(t.db);
    const reg = await registerWithBpjs(
      t.db,
      p.id,
      { basis: "contract_value", registeredOn: "2025-03-05" },
      actor,
    );
    await report(p.id, 1, 12);
    const first = await runCompliance(t.db, { regencyCode: "61.03", date: "2025-05-01" }, actor);
    expect(first).toMatchObject({ opened: 2, casesOpened: 1 });
    expect(first.byRule.ARREARS.medium).toBe(1);
    expect(first.byRule.UNPROTECTED_WORKERS.high).toBe(1);
    const blocked = await clearance(t.db, actor, p.contractor_id, "2025-05-01");
    expect(blocked.cleared).toBe(false);
    expect(blocked.reasons.map((r) => r.rule).sort()).toEqual(["ARREARS", "UNPROTECTED_WORKERS"]);
    expect(blocked.awaitingConfirmation).toBe(0);
    // The contractor reports its transfer: the payment is still held, and the answer says what waits.
    const penyedia = {
      ...actor,
      kind: "user" as const,
      role: "contractor" as const,
      organisationId: p.contractor_id,
    };
    const claim = await recordPayment(
      t.db,
      p.id,
      { paidOn: "2025-05-01", amount: reg.contribution_amount, reference: "TRF-9" },
      penyedia,
    );
    expect(await clearance(t.db, actor, p.contractor_id, "2025-05-01")).toMatchObject({
      cleared: false,
      awaitingConfirmation: reg.contribution_amount,
    });
    // The arrears stand until the branch confirms, but the next (incremental) run says what waits.
    const arrearsFinding = () =>
      t.db
        .selectFrom("finding")
        .select(["status", "evidence", "summary"])
        .where("rule", "=", "ARREARS")
        .executeTakeFirstOrThrow();
    expect(await runCompliance(t.db, { regencyCode: "61.03", date: "2025-05-01" }, actor)).toMatchObject({
      opened: 0,
      resolved: 0,
    });
    const claimed = await arrearsFinding();
    expect(claimed).toMatchObject({
      status: "open",
      evidence: { outstanding: reg.contribution_amount, paymentPending: reg.contribution_amount },
    });
    expect(JSON.stringify(claimed.summary)).toContain("menunggu konfirmasi BPJS");
    const officer = { ...actor, role: "bpjs" as const, regionCode: "61.03" };
    await rejectPaymentClaim(t.db, claim.claimId as number, "Tidak ada di rekening", officer);
    expect((await clearance(t.db, actor, p.contractor_id, "2025-05-01")).awaitingConfirmation).toBe(0);
    await runCompliance(t.db, { regencyCode: "61.03", date: "2025-05-01" }, actor);
    expect((await arrearsFinding()).evidence).not.toHaveProperty("paymentPending");

    await recordPayment(
      t.db,
      p.id,
      { paidOn: "2025-05-02", amount: reg.contribution_amount, reference: "BNI-9" },
      actor,
    );
    const after = await runCompliance(t.db, { regencyCode: "61.03", date: "2025-05-03" }, actor);
    expect(after).toMatchObject({ opened: 0, resolved: 2, casesResolved: 1 });
    expect((await clearance(t.db, actor, p.contractor_id, "2025-05-03")).cleared).toBe(true);
    const kasus = await t.db.selectFrom("enforcement_case").selectAll().executeTakeFirstOrThrow();
    expect(kasus).toMatchObject({ step: "resolved", status: "closed" });
    expect(JSON.stringify(kasus.resolution)).toContain("ARREARS:p");
  });

  it("keeps a project unregistered, and its contractor's case open, until the branch verifies its filing", async () => {
    const p = await createProject(t.db);
    await report(p.id, 1, 12);
    const open = async () =>
      Object.fromEntries(
        (
          await t.db
            .selectFrom("finding")
            .select(["rule", "severity", "evidence"])
            .where("status", "=", "open")
            .execute()
        ).map((f) => [f.rule, f]),
      );
    await runCompliance(t.db, { regencyCode: "61.03", date: "2025-05-01" }, actor);
    expect(await open()).toMatchObject({
      UNREGISTERED: { severity: "high" },
      UNPROTECTED_WORKERS: { severity: "high" },
    });

    const penyedia = {
      ...actor,
      kind: "user" as const,
      role: "contractor" as const,
      organisationId: p.contractor_id,
    };
    const filed = await fileRegistration(
      t.db,
      p.id,
      { basis: "contract_value", registeredOn: "2025-05-02" },
      penyedia,
    );
    // A filing registers nothing (it could be anything): the findings stay, saying that one waits.
    const waiting = await runCompliance(t.db, { regencyCode: "61.03", date: "2025-05-02" }, actor);
    expect(waiting).toMatchObject({ resolved: 0, casesResolved: 0 });
    expect(await open()).toMatchObject({
      UNREGISTERED: { severity: "high", evidence: { registrationFiledOn: "2025-05-02" } },
      UNPROTECTED_WORKERS: { severity: "high", evidence: { registrationFiledOn: "2025-05-02" } },
    });
    expect((await clearance(t.db, actor, p.contractor_id, "2025-05-02")).cleared).toBe(false);

    // Verified two weeks later: registered from the filing, payable from the verification.
    const officer = { ...actor, role: "bpjs" as const, regionCode: "61.03" };
    await verifyRegistrationClaim(t.db, filed.claimId as number, officer, "2025-05-16");
    await runCompliance(t.db, { regencyCode: "61.03", date: "2025-05-16" }, actor);
    const verified = await open();
    expect(verified.UNREGISTERED).toBeUndefined();
    expect(verified.UNPROTECTED_WORKERS).toBeUndefined();
    expect(verified.LATE_REGISTRATION).toMatchObject({ evidence: { registeredOn: "2025-05-02" } });
  });

  it("creates no new finding when rerun without changes, for any state of the facts", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            registeredAfter: fc.option(fc.integer({ min: 0, max: 90 }), { nil: null }),
            paid: fc.boolean(),
            workers: fc.integer({ min: 0, max: 6 }),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        fc.integer({ min: 0, max: 150 }),
        async (projects, offset) => {
          const db = await freshDatabase(backend);
          try {
            for (const [i, spec] of projects.entries()) {
              const p = await createProject(db.db, {
                code: `F${i}`,
                contractorNib: `N${i % 2}`,
                contractorName: `CV ${i % 2}`,
              });
              if (spec.registeredAfter !== null) {
                const reg = await registerWithBpjs(
                  db.db,
                  p.id,
                  { basis: "contract_value", registeredOn: addDays("2025-03-03", spec.registeredAfter) },
                  actor,
                );
                if (spec.paid)
                  await recordPayment(
                    db.db,
                    p.id,
                    { paidOn: reg.due_date, amount: reg.contribution_amount, reference: "R" },
                    actor,
                  );
              }
              const raws = Array.from({ length: spec.workers }, (_, w) =>
                joinRow(i * 10 + w + 1, "2025-03-12"),
              );
              await reportWorkers(
                db.db,
                p.id,
                { idempotencyKey: "k", source: "api", rows: rows(raws), today: TODAY },
                actor,
              );
            }
            const date = addDays("2025-03-10", offset);
            const first = await runCompliance(db.db, { regencyCode: "61.03", date }, actor);
            const again = await runCompliance(db.db, { regencyCode: "61.03", date }, actor);
            expect(again).toMatchObject({
              opened: 0,
              resolved: 0,
              updated: first.opened,
              casesOpened: 0,
              casesResolved: 0,
            });
            expect(again.byRule).toEqual(first.byRule);
            const open = await db.db
              .selectFrom("finding")
              .select("id")
              .where("status", "=", "open")
              .execute();
            expect(open).toHaveLength(first.opened);
          } finally {
            await db.close();
          }
        },
      ),
      { numRuns: 6 },
    );
  });

  it("names the projects a repeat offender's count is made of, in its warning", async () => {
    for (const n of [1, 2, 3])
      await createProject(t.db, {
        code: `61.03/PUPR/2025/R00${n}`,
        contractorName: "CV Ulang Lagi",
        contractorNib: "9120005550002",
      });
    await runCompliance(t.db, { regencyCode: "61.03", date: "2025-05-01" }, actor);
    const caseId = (await t.db.selectFrom("enforcement_case").select("id").executeTakeFirstOrThrow()).id;
    await advanceCase(t.db, actor, caseId, { action: "issue_warning_1", date: "2025-05-02" });
    const [letter] = (await caseDetail(t.db, actor, caseId, "2025-05-02")).letters;
    const text = pdfText((await letterPdf(t.db, actor, caseId, letter?.id as number, "2025-05-02")).pdf);
    // pdftotext may break a wrapped line after a slash
    expect(text.replace(/\s+/g, " ").replaceAll("/ ", "/")).toContain(
      "Penyedia jasa dengan temuan pada 3 proyek: 61.03/PUPR/2025/R001, 61.03/PUPR/2025/R002, 61.03/PUPR/2025/R003",
    );
  });

  it("escalates along the ladder with numbered letters whose text carries the case facts", async () => {
    const p = await createProject(t.db, {
      contractorName: "CV Tunggak Selalu",
      contractorNib: "9120005550001",
    });
    await registerWithBpjs(t.db, p.id, { basis: "contract_value", registeredOn: "2025-03-05" }, actor);
    await report(p.id, 1, 3);
    await runCompliance(t.db, { regencyCode: "61.03", date: "2025-05-01" }, actor);
    const caseId = (await t.db.selectFrom("enforcement_case").select("id").executeTakeFirstOrThrow()).id;

    // The first warning is sent by a signed-in officer, whom the case's history then names.
    const officer = await addUser(
      t.db,
      {
        email: "rina@bpjs.test",
        name: "Rina Petugas",
        role: "admin",
        organisationId: null,
        regionCode: null,
        password: "sandi-panjang-1",
      },
      actor,
    );
    const signedIn = userActor("admin", { userId: officer.id, label: `user:${officer.id}` });
    const w1 = await advanceCase(t.db, signedIn, caseId, { action: "issue_warning_1", date: "2025-05-02" });
    expect(w1).toMatchObject({ step: "warning_1", deadline: "2025-05-12" });
    await expect(
      advanceCase(t.db, actor, caseId, { action: "issue_warning_2", date: "2025-05-10" }),
    ).rejects.toMatchObject({
      code: "CASE_DEADLINE_NOT_PASSED",
    });
    expect((await overdueTasks(t.db, actor, "2025-05-13")).map((c) => c.id)).toEqual([caseId]);
    await advanceCase(t.db, actor, caseId, { action: "issue_warning_2", date: "2025-05-13" });
    await advanceCase(t.db, actor, caseId, { action: "recommend_sanction", date: "2025-05-24" });
    const referral = await advanceCase(t.db, actor, caseId, {
      action: "refer_to_prosecutor",
      date: "2025-06-24",
    });
    expect(referral.step).toBe("referred");

    const detail = await caseDetail(t.db, actor, caseId, "2025-06-24");
    expect(detail.steps.map((s) => [s.step, s.actor])).toEqual([
      ["open", "test"],
      ["warning_1", "Rina Petugas"],
      ["warning_2", "test"],
      ["sanction_recommended", "test"],
      ["referred", "test"],
    ]);
    expect(detail.letters.map((l) => l.number)).toEqual([
      "0001/TEG-I/BPJSTK-6103/V/2025",
      "0002/TEG-II/BPJSTK-6103/V/2025",
      "0003/REK-SANKSI/BPJSTK-6103/V/2025",
      "0004/SKK-JPN/BPJSTK-6103/VI/2025",
    ]);

    const warning = pdfText(
      (await letterPdf(t.db, actor, caseId, detail.letters[0]?.id as number, "2025-06-24")).pdf,
    );
    expect(warning).toContain("TEGURAN TERTULIS I");
    expect(warning).toContain("0001/TEG-I/BPJSTK-6103/V/2025");
    expect(warning).toContain("CV Tunggak Selalu");
    expect(warning).toContain("9120005550001");
    expect(warning).toContain("2 Mei 2025");
    expect(warning).toContain("12 Mei 2025");
    expect(warning).toContain("Rp 2.950.000");
    expect(warning).toContain("dua juta sembilan ratus lima puluh ribu rupiah");
    expect(warning).toContain("UU 24/2011");
    expect(warning).toMatch(/Jumlah pekerja yang belum terlindungi: 3 orang/);
    // The findings' figures are those of the last check, dated as such, under their project once.
    expect(warning).toContain("Keadaan menurut pemeriksaan kepatuhan tanggal 1 Mei 2025:");
    expect(warning.match(/61\.03\/PUPR\/2025\/T001 — Peningkatan Jalan Ruas Kapuas/g)).toHaveLength(1);
    expect(warning.match(/Dasar hukum:/g)?.length).toBeGreaterThanOrEqual(2);
    const sanction = pdfText(
      (await letterPdf(t.db, actor, caseId, detail.letters[2]?.id as number, "2025-06-24")).pdf,
    );
    expect(sanction).toContain("REKOMENDASI PENGENAAN SANKSI ADMINISTRATIF");
    expect(sanction).toContain("Bupati Sanggau");
    expect(sanction).toContain("termin");
    // Addressed to the Bupati, it asks the Bupati to act and says what follows for the contractor.
    expect(sanction).toMatch(/Kami mohon Bapak\/Ibu Bupati berkenan menindaklanjuti rekomendasi ini/);
    expect(sanction.replace(/\s+/g, " ")).toContain(
      "apabila sampai tanggal 23 Juni 2025 belum dipenuhi, tunggakan iuran yang belum dilunasi akan kami serahkan kepada Jaksa Pengacara Negara",
    );
    expect(sanction).not.toContain("Kami minta kewajiban tersebut dipenuhi");
    expect(warning).toContain("Kami minta kewajiban tersebut dipenuhi");
    const referralText = pdfText(
      (await letterPdf(t.db, actor, caseId, detail.letters[3]?.id as number, "2025-06-24")).pdf,
    );
    // Addressed to the office the case was referred to, by its recorded name, which the attached power of
    // attorney names as the one that collects.
    const referralLine = referralText.replace(/\s+/g, " ");
    expect(referralLine).toContain("Kepala Kejaksaan Negeri Sanggau di Sanggau Kabupaten Sanggau");
    expect(referralLine).toContain("SURAT KUASA KHUSUS");
    expect(referralLine).toContain(
      "Kepala Kejaksaan Negeri Sanggau di Sanggau selaku Jaksa Pengacara Negara",
    );
    expect(referralText).toContain("Jaksa Pengacara Negara");
    // The prosecutor collects arrears: the referral lists them, not the workers left unprotected that the
    // warnings listed, and sets the contractor no deadline of its own.
    expect(warning).toMatch(/pekerja di proyek 61\.03\/PUPR\/2025\/T001 tidak terlindungi/);
    expect(referralText).toMatch(/Iuran proyek 61\.03\/PUPR\/2025\/T001 menunggak/);
    expect(referralText).not.toContain("tidak terlindungi");
    expect(referralText).not.toContain("Jumlah pekerja yang belum terlindungi");
    expect(referralText).toContain("Rp 2.950.000");
    expect(referralText).not.toContain("paling lambat");

    const kejari = await t.db
      .selectFrom("organisation")
      .select("id")
      .where("kind", "=", "enforcer")
      .executeTakeFirstOrThrow();
    const enforcer = {
      ...actor,
      kind: "user" as const,
      role: "enforcer" as const,
      organisationId: kejari.id,
      label: "user:9",
    };
    await expect(
      advanceCase(t.db, enforcer, caseId, { action: "resolve", date: "2025-07-01" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    // The outcome is what closing records: without it, nothing changes.
    for (const note of [undefined, "  "])
      await expect(
        advanceCase(t.db, enforcer, caseId, {
          action: "close",
          date: "2025-07-01",
          ...(note ? { note } : {}),
        }),
      ).rejects.toMatchObject({ code: "CASE_OUTCOME_REQUIRED", details: { field: "note" } });
    const closed = await advanceCase(t.db, enforcer, caseId, {
      action: "close",
      date: "2025-07-01",
      note: "Dibayar melalui JPN",
    });
    expect(closed.step).toBe("closed");
    await expect(
      advanceCase(t.db, actor, caseId, { action: "resolve", date: "2025-07-02" }),
    ).rejects.toMatchObject({ code: "CASE_FINISHED" });
  });

  it("refers only arrears cases to the prosecutor", async () => {
    const p = await createProject(t.db);
    await report(p.id, 1, 2);
    await runCompliance(t.db, { regencyCode: "61.03", date: "2025-05-01" }, actor);
    const caseId = (await t.db.selectFrom("enforcement_case").select("id").executeTakeFirstOrThrow()).id;
    await advanceCase(t.db, actor, caseId, { action: "issue_warning_1", date: "2025-05-02" });
    await advanceCase(t.db, actor, caseId, { action: "issue_warning_2", date: "2025-05-13" });
    await advanceCase(t.db, actor, caseId, { action: "recommend_sanction", date: "2025-05-24" });
    await expect(
      advanceCase(t.db, actor, caseId, { action: "refer_to_prosecutor", date: "2025-06-24" }),
    ).rejects.toMatchObject({
      code: "CASE_NOT_ARREARS",
    });
  });
});

describe.each(backends)("incremental compliance runs [%s]", (backend) => {
  it("open the same findings, with the same evidence, as a full evaluation after any sequence of changes", async () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant("project" as const),
        spkAfter: fc.integer({ min: 0, max: 60 }),
        value: fc.integer({ min: 100, max: 3000 }),
      }),
      fc.record({
        kind: fc.constant("register" as const),
        which: fc.nat(),
        after: fc.integer({ min: 0, max: 20 }),
      }),
      fc.record({ kind: fc.constant("pay" as const), which: fc.nat() }),
      fc.record({ kind: fc.constant("join" as const), which: fc.nat(), n: fc.integer({ min: 1, max: 12 }) }),
      fc.record({ kind: fc.constant("leave" as const), which: fc.nat() }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(op, fc.integer({ min: 0, max: 20 })), { minLength: 3, maxLength: 12 }),
        async (steps) => {
          const t = await freshDatabase(backend);
          const db = t.db;
          try {
            let date = "2025-03-01";
            const projects: {
              id: number;
              spk: string;
              spmk: string;
              reg?: { amount: number; due: string; on: string; paid?: boolean };
            }[] = [];
            const workers = new Map<number, number[]>();
            let serial = 0;
            for (const [i, [o, advance]] of steps.entries()) {
              date = addDays(date, advance);
              const pick = (n: number) => projects[n % Math.max(1, projects.length)];
              if (o.kind === "project") {
                const spk = addDays("2025-02-01", o.spkAfter);
                const p = await createProject(db, {
                  code: `S${i}`,
                  contractorNib: `N${i % 3}`,
                  contractorName: `CV ${i % 3}`,
                  contractValue: o.value * 1_000_000,
                  spkDate: spk,
                  spmkDate: addDays(spk, 5),
                });
                projects.push({ id: p.id, spk, spmk: addDays(spk, 5) });
              } else if (o.kind === "register" && pick(o.which) && !pick(o.which)?.reg) {
                const p = pick(o.which) as (typeof projects)[number];
                const on = addDays(p.spk, o.after);
                const reg = await registerWithBpjs(
                  db,
                  p.id,
                  { basis: "contract_value", registeredOn: on },
                  actor,
                );
                p.reg = { amount: reg.contribution_amount, due: reg.due_date, on };
              } else if (
                o.kind === "pay" &&
                pick(o.which)?.reg &&
                !pick(o.which)?.reg?.paid &&
                // Paid into the registration's account, so not before it (PAYMENT_BEFORE_REGISTRATION).
                date >= (pick(o.which)?.reg?.on as string)
              ) {
                // Paid in full once: a payment above what is still owed is refused.
                const p = pick(o.which) as (typeof projects)[number];
                (p.reg as { paid?: boolean }).paid = true;
                await recordPayment(
                  db,
                  p.id,
                  { paidOn: date, amount: p.reg?.amount as number, reference: `R${i}` },
                  actor,
                );
              } else if (o.kind === "join" && pick(o.which) && date >= (pick(o.which)?.spmk as string)) {
                const p = pick(o.which) as (typeof projects)[number];
                const raws = Array.from({ length: o.n }, () => joinRow(++serial, date));
                await reportWorkers(
                  db,
                  p.id,
                  { idempotencyKey: `j${i}`, source: "api", rows: rows(raws), today: TODAY },
                  actor,
                );
                workers.set(p.id, [
                  ...(workers.get(p.id) ?? []),
                  ...raws.map((_, k) => serial - o.n + k + 1),
                ]);
              } else if (
                o.kind === "leave" &&
                pick(o.which) &&
                (workers.get(pick(o.which)?.id as number) ?? []).length > 0
              ) {
                const p = pick(o.which) as (typeof projects)[number];
                const n = (workers.get(p.id) ?? []).shift() as number;
                await reportWorkers(
                  db,
                  p.id,
                  {
                    idempotencyKey: `l${i}`,
                    source: "api",
                    rows: rows([{ event: "leave", nik: joinRow(n, "").nik, date }]),
                    today: TODAY,
                  },
                  actor,
                );
              }
              const summary = await runCompliance(db, { regencyCode: "61.03", date }, actor);
              if (i > 0) expect(summary.mode).toBe("incremental");
              const stored = await db
                .selectFrom("finding")
                .select(["fingerprint", "severity", "evidence"])
                .where("status", "=", "open")
                .execute();
              const full = evaluateCompliance(
                await loadSnapshots(db, "61.03", date),
                date,
                DEFAULT_COMPLIANCE_SETTINGS,
              );
              const shape = (list: { fingerprint: string; severity: string; evidence: unknown }[]) =>
                list
                  .map((f) => ({ fingerprint: f.fingerprint, severity: f.severity, evidence: f.evidence }))
                  .sort((a, b) => a.fingerprint.localeCompare(b.fingerprint));
              expect(shape(stored)).toEqual(shape(full));
            }
          } finally {
            await t.close();
          }
        },
      ),
      { numRuns: 8 },
    );
    // A correctness property, not a timing: eight random histories take a few seconds on an idle machine
    // and several times that on a loaded CI runner, beyond the default minute.
  }, 300_000);
});
