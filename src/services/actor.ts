/** Who does a change: a signed-in user or the system itself (CLI, demo loader, scheduler). */
export interface Actor {
  kind: "user" | "system";
  /** Stable label for the audit log, e.g. `user:12` or `cli`. */
  label: string;
  role: "contractor" | "opd" | "bpjs" | "enforcer" | "admin" | "system";
  organisationId: number | null;
}

export const systemActor = (label: string): Actor => ({
  kind: "system",
  label,
  role: "system",
  organisationId: null,
});
