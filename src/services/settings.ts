import { todayIso } from "../clock.js";
import type { Db } from "../db/connection.js";
import { DEFAULT_WORKFORCE_ESTIMATE, type WorkforceEstimateSettings } from "../domain/coverage.js";
import type { IsoDate } from "../domain/dates.js";
import { DEFAULT_REGISTRATION_SETTINGS, type RegistrationSettings } from "../domain/registration.js";

export interface Settings {
  registration: RegistrationSettings;
  workforceEstimate: WorkforceEstimateSettings;
  /**
   * A scenario database (the demo) is frozen at one date and carries it here; the server and CLI then
   * treat that date as today so every page, deadline and public check agrees. Real databases leave it unset.
   */
  scenarioDate: IsoDate | null;
}

/** Documented defaults from the domain, overridden per key by rows of the `setting` table. */
export async function loadSettings(db: Db): Promise<Settings> {
  const rows = await db.selectFrom("setting").selectAll().execute();
  const overrides = Object.fromEntries(rows.map((r) => [r.key, r.value])) as Partial<Settings>;
  return {
    registration: { ...DEFAULT_REGISTRATION_SETTINGS, ...(overrides.registration ?? {}) },
    workforceEstimate: { ...DEFAULT_WORKFORCE_ESTIMATE, ...(overrides.workforceEstimate ?? {}) },
    scenarioDate: overrides.scenarioDate ?? null,
  };
}

/** Mark the database as a scenario frozen at `date` (the demo loader does this). */
export async function setScenarioDate(db: Db, date: IsoDate): Promise<void> {
  await db
    .insertInto("setting")
    .values({ key: "scenarioDate", value: JSON.stringify(date) })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value: JSON.stringify(date) }))
    .execute();
}

/** The business date: the scenario date of a demo database, otherwise today. */
export async function businessClock(db: Db): Promise<() => IsoDate> {
  const { scenarioDate } = await loadSettings(db);
  return scenarioDate ? () => scenarioDate : todayIso;
}
