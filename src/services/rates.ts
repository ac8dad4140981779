import type { Db } from "../db/connection.js";
import type { RateTable, RiskClass } from "../domain/contribution.js";

/** All contribution tables with their tiers, as the domain expects them. */
export async function loadRateTables(db: Db): Promise<RateTable[]> {
  const [tables, tiers] = await Promise.all([
    db.selectFrom("contribution_rate_table").selectAll().execute(),
    db
      .selectFrom("contribution_rate_tier")
      .selectAll()
      .orderBy("version")
      .orderBy("up_to", (ob) => ob.asc().nullsLast())
      .execute(),
  ]);
  return tables.map((t) => ({
    version: t.version,
    regulation: t.regulation,
    validFrom: t.valid_from,
    validTo: t.valid_to,
    verified: t.verified,
    tiers: tiers
      .filter((tier) => tier.version === t.version)
      .map((tier) => ({ tier: tier.tier, upTo: tier.up_to, jkkPpm: tier.jkk_ppm, jkmPpm: tier.jkm_ppm })),
    wageJkkPpm: t.wage_jkk_ppm as Record<RiskClass, number>,
    wageJkmPpm: t.wage_jkm_ppm,
  }));
}
