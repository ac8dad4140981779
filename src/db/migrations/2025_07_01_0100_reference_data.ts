import { getDistricts, getProvinces, getRegencies } from "idn-area-data";
import { type Kysely, sql } from "kysely";
import rateTables from "../data/rate-tables.json" with { type: "json" };

/**
 * Reference data loaded at migrate time:
 * - regions from `idn-area-data` (Kemendagri codes; data © its authors under ODbL, see README),
 *   provinces, regencies and sub-districts (villages are not used by any figure yet);
 * - the contribution tables of DESIGN.md §8 by version, so a later table set is a later migration.
 */
const VERSIONS = ["PP44-2015", "PP49-2020-relief"];

async function insertChunks(db: Kysely<any>, table: string, rows: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + 1000))
      .execute();
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  const [provinces, regencies, districts] = await Promise.all([
    getProvinces(),
    getRegencies(),
    getDistricts(),
  ]);
  await insertChunks(
    db,
    "region",
    provinces.map((p) => ({ code: p.code, parent_code: null, level: "province", name: p.name })),
  );
  await insertChunks(
    db,
    "region",
    regencies.map((r) => ({ code: r.code, parent_code: r.province_code, level: "regency", name: r.name })),
  );
  await insertChunks(
    db,
    "region",
    districts.map((d) => ({ code: d.code, parent_code: d.regency_code, level: "district", name: d.name })),
  );

  for (const t of rateTables.tables.filter((t) => VERSIONS.includes(t.version))) {
    await db
      .insertInto("contribution_rate_table")
      .values({
        version: t.version,
        regulation: t.regulation,
        valid_from: t.validFrom,
        valid_to: t.validTo,
        verified: t.verified,
        note: t.verificationNote,
        wage_jkk_ppm: JSON.stringify(t.wageJkkPpm),
        wage_jkm_ppm: t.wageJkmPpm,
      })
      .execute();
    await insertChunks(
      db,
      "contribution_rate_tier",
      t.tiers.map((tier) => ({
        version: t.version,
        tier: tier.tier,
        up_to: tier.upTo,
        jkk_ppm: tier.jkkPpm,
        jkm_ppm: tier.jkmPpm,
      })),
    );
  }
  await sql`analyze region`.execute(db);
}
