import { useQuery } from "@tanstack/react-query";
import { ApiError, api } from "./api.js";

export type Role = "contractor" | "opd" | "bpjs" | "enforcer" | "admin";

export interface Me {
  kind: string;
  role: Role;
  organisationId: number | null;
  regionCode: string | null;
  userId: number | null;
  name: string;
  organisation: string | null;
  /** The server's business date: today, or a demo database's scenario date. */
  today: string;
}

/** The signed-in user, or null when nobody is (a 401 is an answer here, not an error). */
export function useMe() {
  return useQuery({
    queryKey: ["me"],
    queryFn: async () => {
      try {
        return await api<Me>("/api/v1/me");
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: 5 * 60_000,
  });
}

/**
 * The pages and the roles that may open them: the same roles the API allows for the calls each page
 * makes, so the menu never offers what the server would refuse.
 */
export const PAGES = {
  overview: { path: "/", roles: ["contractor", "opd", "bpjs", "admin"] },
  projects: { path: "/proyek", roles: ["contractor", "opd", "bpjs", "admin"] },
  report: { path: "/lapor", roles: ["contractor", "bpjs", "admin"] },
  registrations: { path: "/pendaftaran", roles: ["contractor", "bpjs", "admin"] },
  payments: { path: "/pembayaran", roles: ["contractor", "bpjs", "admin"] },
  contractors: { path: "/penyedia", roles: ["contractor", "opd", "bpjs", "admin"] },
  cases: { path: "/kasus", roles: ["bpjs", "enforcer", "admin"] },
  targets: { path: "/target", roles: ["opd", "bpjs", "admin"] },
  tokens: { path: "/token", roles: ["contractor"] },
  users: { path: "/pengguna", roles: ["admin"] },
  organisations: { path: "/organisasi", roles: ["admin"] },
} as const satisfies Record<string, { path: string; roles: readonly Role[] }>;

export type PageKey = keyof typeof PAGES;

export const mayOpen = (role: Role, page: PageKey) => (PAGES[page].roles as readonly Role[]).includes(role);

/** The roles that may export the Monev report (GET /api/v1/reports/monev). */
export const mayExportMonev = (role: Role) => role === "bpjs" || role === "admin";

/**
 * The roles that may change a project's BPJS state: register it (POST /api/v1/projects/:id/registration)
 * and record a contribution payment (POST /api/v1/projects/:id/payments).
 */
export const mayOperateProject = (role: Role) => role === "contractor" || role === "bpjs" || role === "admin";

/**
 * The roles that may register a new project (POST /api/v1/projects, DESIGN §1): a contractor its own, a
 * work unit its own packages, the branch in its region, an admin any. The server checks whose it is.
 */
export const mayRegisterProject = (role: Role) =>
  role === "contractor" || role === "opd" || role === "bpjs" || role === "admin";

/**
 * The roles that decide a contractor's claims: confirm or reject a payment (POST
 * /api/v1/payment-claims/:id/confirm, /reject), verify or reject a registration (POST
 * /api/v1/registration-claims/:id/verify, /reject). The BPJS branch, whose own entries count at once.
 */
export const mayDecideClaim = (role: Role) => role === "bpjs" || role === "admin";

/** Where a role lands after signing in: its first page. */
export const homeOf = (role: Role) =>
  PAGES[(Object.keys(PAGES) as PageKey[]).find((k) => mayOpen(role, k)) ?? "overview"].path;
