import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  arrears,
  evaluateCompliance,
  type Finding,
  lateRegistration,
  type ProjectSnapshot,
  registrationDeadline,
  repeatOffenders,
  DEFAULT_COMPLIANCE_SETTINGS as S,
  underReporting,
  unprotectedWorkers,
  unregistered,
} from "../../src/domain/compliance.js";
import { addDays } from "../../src/domain/dates.js";

const base: ProjectSnapshot = {
  projectId: 7,
  regencyCode: "61.03",
  code: "61.03/PUPR/2025/0007",
  name: "Peningkatan Jalan",
  contractorId: 3,
  contractValue: 1_000_000_000,
  workType: "road",
  spkDate: "2025-03-03",
  spmkDate: "2025-03-10",
  endDate: "2025-10-31",
  registration: null,
  payments: [],
  workers: [],
};
const registered = (registeredOn: string, amount = 1_500_000): ProjectSnapshot["registration"] => ({
  registeredOn,
  coverageStart: registeredOn,
  coverageEnd: "2025-10-31",
  dueDate: addDays(registeredOn, 30),
  amount,
});
const crew = (n: number, joinedOn = "2025-04-01") => Array.from({ length: n }, () => ({ joinedOn }));

describe("rule 1: working without registration", () => {
  it("finds a project past SPMK with no registration, with its evidence and legal basis", () => {
    const f = unregistered({ ...base, workers: crew(4) }, "2025-04-08");
    expect(f).toMatchObject({
      rule: "UNREGISTERED",
      severity: "high",
      fingerprint: "UNREGISTERED:p7",
      evidence: { spmkDate: "2025-03-10", daysWorking: 30, workersReported: 4, projectCode: base.code },
    });
    expect(f?.legalBasis).toContain("UU 24/2011");
    expect(f?.summary.id).toContain("30 hari");
  });
  it("finds nothing before SPMK, after the end, or once registered", () => {
    expect(unregistered(base, "2025-03-09")).toBeNull();
    expect(unregistered(base, "2025-11-01")).toBeNull();
    expect(unregistered({ ...base, registration: registered("2025-03-20") }, "2025-04-08")).toBeNull();
    // A registration dated after the evaluation date does not count yet.
    expect(unregistered({ ...base, registration: registered("2025-05-01") }, "2025-04-08")).not.toBeNull();
  });
  it("still finds a project whose filed registration waits for the branch, and says so", () => {
    // Only the branch's verification registers: a filing could be anything, so it ends nothing.
    expect(unregistered({ ...base, registrationFiledOn: "2025-04-08" }, "2025-04-08")).toMatchObject({
      severity: "high",
      evidence: { registrationFiledOn: "2025-04-08" },
    });
    // Filed after the evaluation date: on that date nothing was filed.
    const before = unregistered({ ...base, registrationFiledOn: "2025-04-09" }, "2025-04-08");
    expect(before?.evidence).not.toHaveProperty("registrationFiledOn");
  });
});

describe("rule 2: late registration", () => {
  it("takes the earlier of SPMK and 14 working days after the SPK (holidays excluded)", () => {
    // SPK Monday 3 March 2025; Nyepi (29 Mar) and Idul Fitri (30–31 Mar) fall after; 14 working days → 21 March.
    expect(registrationDeadline({ spkDate: "2025-03-03", spmkDate: "2025-04-30" }, S)).toBe("2025-03-21");
    expect(registrationDeadline({ spkDate: "2025-03-03", spmkDate: "2025-03-10" }, S)).toBe("2025-03-10");
  });
  it("finds a registration after the deadline, with the working days late", () => {
    const f = lateRegistration({ ...base, registration: registered("2025-03-17") }, "2025-04-01", S);
    expect(f).toMatchObject({
      rule: "LATE_REGISTRATION",
      severity: "low",
      evidence: { deadline: "2025-03-10", workingDaysLate: 5 },
    });
  });
  it("finds nothing for a registration on the deadline or none at all", () => {
    expect(lateRegistration({ ...base, registration: registered("2025-03-10") }, "2025-04-01", S)).toBeNull();
    expect(lateRegistration(base, "2025-04-01", S)).toBeNull();
  });
});

describe("rule 3: arrears", () => {
  const reg = { ...base, registration: registered("2025-03-05", 2_950_000) }; // due 4 April
  it("finds unpaid contributions past the due date, with the amount outstanding", () => {
    const f = arrears({ ...reg, payments: [{ paidOn: "2025-03-20", amount: 950_000 }] }, "2025-04-10", S);
    expect(f).toMatchObject({
      rule: "ARREARS",
      severity: "medium",
      evidence: {
        amount: 2_950_000,
        paid: 950_000,
        outstanding: 2_000_000,
        dueDate: "2025-04-04",
        daysOverdue: 6,
      },
    });
    expect(arrears(reg, "2025-05-05", S)?.severity).toBe("high");
  });
  it("says what the contractor has paid that waits for confirmation, without counting it", () => {
    const f = arrears(
      {
        ...reg,
        paymentsPending: [
          { paidOn: "2025-04-08", amount: 1_000_000 },
          { paidOn: "2025-04-11", amount: 500_000 },
        ],
      },
      "2025-04-10",
      S,
    );
    expect(f?.evidence).toMatchObject({ paid: 0, outstanding: 2_950_000, paymentPending: 1_000_000 });
    expect(f?.summary).toEqual({
      id: "Iuran proyek 61.03/PUPR/2025/0007 menunggak 6 hari: Rp 2.950.000 belum dibayar; Rp 1.000.000 menunggu konfirmasi BPJS",
      en: "Contribution of project 61.03/PUPR/2025/0007 is 6 days overdue: Rp 2,950,000 unpaid; Rp 1,000,000 awaits BPJS confirmation",
    });
    expect(arrears(reg, "2025-04-10", S)?.evidence).not.toHaveProperty("paymentPending");
  });
  it("finds nothing on the due date, when paid in full, or for payments made only later", () => {
    expect(arrears(reg, "2025-04-04", S)).toBeNull();
    expect(
      arrears({ ...reg, payments: [{ paidOn: "2025-04-01", amount: 2_950_000 }] }, "2025-06-01", S),
    ).toBeNull();
    expect(
      arrears({ ...reg, payments: [{ paidOn: "2025-06-02", amount: 2_950_000 }] }, "2025-06-01", S),
    ).not.toBeNull();
  });
});

describe("rule 4: under-reporting", () => {
  // 1 M road project, 236 days ≈ 202 working days: 1e9 × 0.20 / (120,000 × 202) ≈ 8 expected, threshold 4.
  it("finds a working project reporting fewer than half its estimated workforce", () => {
    expect(underReporting({ ...base, workers: crew(3) }, "2025-05-01", S)).toMatchObject({
      rule: "UNDER_REPORTING",
      severity: "low",
      evidence: { reported: 3, expected: 8, threshold: 4 },
    });
    expect(underReporting(base, "2025-05-01", S)?.severity).toBe("medium");
    // English counts its nouns; Indonesian ones do not change.
    expect(underReporting({ ...base, workers: crew(1) }, "2025-05-01", S)?.summary).toEqual({
      id: `Proyek ${base.code} melaporkan 1 pekerja dari perkiraan 8`,
      en: `Project ${base.code} reports 1 worker of an estimated 8`,
    });
  });
  it("waits for the reporting window and accepts enough workers", () => {
    expect(underReporting(base, "2025-03-14", S)).toBeNull();
    expect(underReporting({ ...base, workers: crew(4) }, "2025-05-01", S)).toBeNull();
    expect(underReporting(base, "2025-11-01", S)).toBeNull();
  });
});

describe("rule 5: workers unprotected for more than N days", () => {
  it("counts workers who joined more than 7 days ago on a project that does not protect them", () => {
    const f = unprotectedWorkers(
      { ...base, workers: [...crew(2, "2025-04-01"), ...crew(1, "2025-04-28")] },
      "2025-05-01",
      S,
    );
    expect(f).toMatchObject({
      rule: "UNPROTECTED_WORKERS",
      severity: "medium",
      evidence: { workers: 2, oldestSince: "2025-04-01", projectStatus: "unregistered" },
    });
    expect(unprotectedWorkers({ ...base, workers: crew(10) }, "2025-05-01", S)?.severity).toBe("high");
    // A registration filed and waiting for the branch: the workers are still unprotected, and it says so.
    expect(
      unprotectedWorkers({ ...base, workers: crew(10), registrationFiledOn: "2025-04-20" }, "2025-05-01", S),
    ).toMatchObject({
      severity: "high",
      evidence: { registrationFiledOn: "2025-04-20", projectStatus: "unregistered" },
    });
  });
  it("finds nothing when the project protects its workers or everyone joined recently", () => {
    const paid = {
      ...base,
      registration: registered("2025-03-05"),
      payments: [{ paidOn: "2025-03-06", amount: 1_500_000 }],
    };
    expect(unprotectedWorkers({ ...paid, workers: crew(5) }, "2025-05-01", S)).toBeNull();
    expect(unprotectedWorkers({ ...base, workers: crew(5, "2025-04-25") }, "2025-05-01", S)).toBeNull();
  });
});

describe("rule 6: repeat offenders", () => {
  const onProject = (projectId: number, rule: Finding["rule"], contractorId = 3): Finding => ({
    ...(unregistered({ ...base, projectId, code: `P${projectId}`, contractorId }, "2025-04-08") as Finding),
    rule,
  });
  it("flags a contractor with findings on three projects, with the projects as evidence", () => {
    const found = [
      onProject(1, "UNREGISTERED"),
      onProject(2, "ARREARS"),
      onProject(3, "UNDER_REPORTING"),
      onProject(3, "UNPROTECTED_WORKERS"),
    ];
    expect(repeatOffenders(found, S)).toEqual([
      expect.objectContaining({
        rule: "REPEAT_OFFENDER",
        fingerprint: "REPEAT_OFFENDER:c3",
        contractorId: 3,
        projectId: null,
        evidence: {
          projects: ["P1", "P2", "P3"],
          findings: { UNREGISTERED: 1, ARREARS: 1, UNDER_REPORTING: 1, UNPROTECTED_WORKERS: 1 },
        },
      }),
    ]);
  });
  it("does not count lateness alone, nor two projects, nor another contractor's", () => {
    expect(
      repeatOffenders(
        [onProject(1, "UNREGISTERED"), onProject(2, "ARREARS"), onProject(3, "LATE_REGISTRATION")],
        S,
      ),
    ).toEqual([]);
    expect(
      repeatOffenders([onProject(1, "UNREGISTERED"), onProject(2, "ARREARS"), onProject(3, "ARREARS", 4)], S),
    ).toEqual([]);
  });
});

describe("evaluateCompliance", () => {
  const snapshot = fc.record({
    projectId: fc.integer({ min: 1, max: 30 }),
    contractorId: fc.integer({ min: 1, max: 4 }),
    contractValue: fc.integer({ min: 50_000_000, max: 25_000_000_000 }),
    registeredAfter: fc.option(fc.integer({ min: -5, max: 200 }), { nil: null }),
    paidAfter: fc.option(fc.integer({ min: 0, max: 120 }), { nil: null }),
    workers: fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 30 }),
  });
  type Raw = typeof snapshot extends fc.Arbitrary<infer T> ? T : never;
  const toSnapshot = (s: Raw): ProjectSnapshot => {
    const registeredOn = s.registeredAfter === null ? null : addDays("2025-03-08", s.registeredAfter);
    return {
      ...base,
      projectId: s.projectId,
      code: `P${s.projectId}`,
      contractorId: s.contractorId,
      contractValue: s.contractValue,
      registration: registeredOn ? registered(registeredOn) : null,
      payments:
        registeredOn && s.paidAfter !== null
          ? [{ paidOn: addDays(registeredOn, s.paidAfter), amount: 1_500_000 }]
          : [],
      workers: s.workers.map((d) => ({ joinedOn: addDays("2025-03-10", d) })),
    };
  };

  it("gives each problem one fingerprint, and the same findings for the same facts", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(snapshot, { selector: (s) => s.projectId, maxLength: 12 }),
        fc.integer({ min: 0, max: 260 }),
        (raw, offset) => {
          const projects = raw.map(toSnapshot);
          const date = addDays("2025-03-01", offset);
          const first = evaluateCompliance(projects, date, S);
          expect(evaluateCompliance(projects, date, S)).toEqual(first);
          expect(new Set(first.map((f) => f.fingerprint)).size).toBe(first.length);
          for (const f of first) {
            expect(f.legalBasis.length).toBeGreaterThan(10);
            expect(["low", "medium", "high"]).toContain(f.severity);
          }
        },
      ),
    );
  });

  it("never reports arrears or unregistered work for a project paid in full before it started", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), (offset) => {
        const paid = {
          ...base,
          registration: registered("2025-03-05"),
          payments: [{ paidOn: "2025-03-05", amount: 1_500_000 }],
          workers: crew(8),
        };
        const rules = evaluateCompliance([paid], addDays("2025-03-01", offset), S).map((f) => f.rule);
        expect(rules).not.toContain("ARREARS");
        expect(rules).not.toContain("UNREGISTERED");
        expect(rules).not.toContain("UNPROTECTED_WORKERS");
      }),
    );
  });
});
