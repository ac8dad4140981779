import { type Bilingual, DomainError } from "./errors.js";
import { isWithin } from "./regions.js";

/**
 * Who may do what (DESIGN.md §1). Route-level roles say which kinds of user may call an endpoint at
 * all (403 otherwise); object-level rules below say which rows they may see or change, and a row
 * outside them is reported as not found (404), so its existence does not leak.
 */
export type Role = "contractor" | "opd" | "bpjs" | "enforcer" | "admin";
export const ROLES: readonly Role[] = ["contractor", "opd", "bpjs", "enforcer", "admin"];

/** Role → the kind of organisation a user of that role must belong to (an admin belongs to none). */
export const ORGANISATION_KIND_OF_ROLE = {
  contractor: "contractor",
  opd: "work_unit",
  bpjs: "bpjs_branch",
  enforcer: "enforcer",
  admin: null,
} as const satisfies Record<Role, "contractor" | "work_unit" | "bpjs_branch" | "enforcer" | null>;

export interface Principal {
  role: Role | "system";
  /** The contractor (penyedia jasa), work unit (OPD), BPJS branch or enforcer the user acts for. */
  organisationId: number | null;
  /** Region a BPJS branch user oversees, e.g. `61.03` or a whole province `61`. */
  regionCode: string | null;
}

export interface ProjectOwnership {
  regencyCode: string;
  contractorId: number;
  workUnitId: number | null;
}

/** May the principal see this project at all? */
export function canSeeProject(p: Principal, project: ProjectOwnership): boolean {
  switch (p.role) {
    case "admin":
    case "system":
      return true;
    case "bpjs":
      return p.regionCode !== null && isWithin(project.regencyCode, p.regionCode);
    case "opd":
      return p.organisationId !== null && project.workUnitId === p.organisationId;
    case "contractor":
      return p.organisationId !== null && project.contractorId === p.organisationId;
    case "enforcer":
      return false;
  }
}

/**
 * Does the principal oversee the whole of a region: admins and the system every region, a BPJS officer
 * the region they are assigned and everything inside it? (Monev reports, compliance runs, regional
 * targets, and the coverage snapshots that hold a regency whole.)
 */
export function oversees(p: Principal, regionCode: string): boolean {
  if (p.role === "admin" || p.role === "system") return true;
  return p.role === "bpjs" && p.regionCode !== null && isWithin(regionCode, p.regionCode);
}

/** May the principal report workers, register with BPJS or record payments for this project? */
export function canOperateProject(p: Principal, project: ProjectOwnership): boolean {
  return p.role !== "opd" && canSeeProject(p, project);
}

/** May the principal create a project with these owners? (A work unit registers its own packages.) */
export function canCreateProject(p: Principal, project: ProjectOwnership): boolean {
  return p.role !== "enforcer" && canSeeProject(p, project);
}

/** Refuse, saying in both languages what the principal may not do. */
export function assertCan(allowed: boolean, what: Bilingual): void {
  if (!allowed) throw new DomainError("FORBIDDEN", `Tidak berwenang: ${what.id} / Not allowed: ${what.en}`);
}
