/** The registration answers' types, taken from the services that produce them (type-only: no server code ships). */
import type { QueryClient } from "@tanstack/react-query";

export type { RegistrationClaimView as RegistrationClaim } from "../../src/services/registrations.js";

/** The branch's queue of contractors' registrations (its query key too). */
export const REGISTRATION_CLAIMS = "/api/v1/registration-claims";

/** After a project's registration is filed or decided: reload everything that shows it. */
export function refreshRegistration(client: QueryClient, projectId: number): void {
  // A verified registration changes coverage, the plan and the project lists as well.
  for (const queryKey of [
    ["project", String(projectId)],
    ["projects"],
    [REGISTRATION_CLAIMS],
    ["coverage"],
    ["plan"],
  ])
    void client.invalidateQueries({ queryKey });
}
