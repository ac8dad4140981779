import type { Principal } from "../domain/access.js";

/** Who does a change: a signed-in user, a contractor's API token, or the system (CLI, demo loader). */
export interface Actor extends Principal {
  kind: "user" | "token" | "system";
  /** Stable label for the audit log, e.g. `user:12`, `token:3` or `cli`. */
  label: string;
  userId: number | null;
}

export const systemActor = (label: string): Actor => ({
  kind: "system",
  label,
  role: "system",
  organisationId: null,
  regionCode: null,
  userId: null,
});
