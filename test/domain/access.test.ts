import { describe, expect, it } from "vitest";
import { oversees, type Principal } from "../../src/domain/access.js";

const as = (role: Principal["role"], regionCode: string | null = null): Principal => ({
  role,
  organisationId: role === "opd" || role === "contractor" ? 7 : null,
  regionCode,
});

describe("oversees", () => {
  it("gives admins and the system every region, a BPJS officer their region and what lies inside it", () => {
    expect(oversees(as("admin"), "61.03")).toBe(true);
    expect(oversees(as("system"), "94.01")).toBe(true);
    expect(oversees(as("bpjs", "61"), "61.03")).toBe(true);
    expect(oversees(as("bpjs", "61.03"), "61.03")).toBe(true);
    expect(oversees(as("bpjs", "61.03"), "61.03.01")).toBe(true);
    // Not a neighbour, not the province above, not a code that merely starts with the same digits.
    expect(oversees(as("bpjs", "61.03"), "61.05")).toBe(false);
    expect(oversees(as("bpjs", "61.03"), "61")).toBe(false);
    expect(oversees(as("bpjs", "61.0"), "61.03")).toBe(false);
    expect(oversees(as("bpjs", null), "61.03")).toBe(false);
  });

  it("gives no region to work units, contractors or enforcers, even with a region set", () => {
    for (const role of ["opd", "contractor", "enforcer"] as const)
      expect(oversees(as(role, "61"), "61.03")).toBe(false);
  });
});
