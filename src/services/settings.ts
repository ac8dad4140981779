import type { Db } from "../db/connection.js";
import { DEFAULT_WORKFORCE_ESTIMATE, type WorkforceEstimateSettings } from "../domain/coverage.js";
import { DEFAULT_REGISTRATION_SETTINGS, type RegistrationSettings } from "../domain/registration.js";

export interface Settings {
  registration: RegistrationSettings;
  workforceEstimate: WorkforceEstimateSettings;
}

/** Documented defaults from the domain, overridden per key by rows of the `setting` table. */
export async function loadSettings(db: Db): Promise<Settings> {
  const rows = await db.selectFrom("setting").selectAll().execute();
  const overrides = Object.fromEntries(rows.map((r) => [r.key, r.value])) as Partial<Settings>;
  return {
    registration: { ...DEFAULT_REGISTRATION_SETTINGS, ...(overrides.registration ?? {}) },
    workforceEstimate: { ...DEFAULT_WORKFORCE_ESTIMATE, ...(overrides.workforceEstimate ?? {}) },
  };
}
