import { sql, type Transaction } from "kysely";
import type { Db } from "../db/connection.js";
import type { DB } from "../db/schema.js";
import { notFound } from "../domain/errors.js";
import { displayName, parentOf, type RegionLevel } from "../domain/regions.js";

/** A region as the dashboard names it: its Kemendagri code, level and title-cased name. */
export interface RegionRef {
  code: string;
  level: RegionLevel;
  name: string;
}

const named = (r: { code: string; level: RegionLevel; name: string }): RegionRef => ({
  code: r.code,
  level: r.level,
  name: displayName(r.name),
});

/**
 * A region by its code, or nothing. The callers say why an unknown code is wrong, each in its own words
 * (a scope not found, a sub-district a project cannot be in, a region a user cannot oversee).
 */
export async function regionByCode(
  db: Db | Transaction<DB>,
  code: string,
  level?: RegionLevel,
): Promise<RegionRef | undefined> {
  let query = db.selectFrom("region").select(["code", "level", "name"]).where("code", "=", code);
  if (level) query = query.where("level", "=", level);
  const r = await query.executeTakeFirst();
  return r && named(r);
}

/** A region a request names as its scope; an unknown code is not found, said of the request's `field`. */
export async function scopeRegion(db: Db, code: string, field: string): Promise<RegionRef> {
  const r = await regionByCode(db, code);
  if (!r) throw notFound("SCOPE_NOT_FOUND", { id: "Wilayah", en: "Region" }, code, { field });
  return r;
}

/**
 * A region with the regions above it (province first) and those directly under it, in code order: what a
 * form needs to offer a regency's sub-districts by name and to say where a typed code lies.
 */
export async function regionTree(
  db: Db,
  code: string,
): Promise<RegionRef & { parents: RegionRef[]; children: RegionRef[] }> {
  const region = await scopeRegion(db, code, "code");
  const above: string[] = [];
  for (let p = parentOf(code); p; p = parentOf(p)) above.push(p);
  const [parents, children] = await Promise.all([
    above.length === 0
      ? []
      : db
          .selectFrom("region")
          .select(["code", "level", "name"])
          .where("code", "in", above)
          .orderBy("code")
          .execute(),
    db
      .selectFrom("region")
      .select(["code", "level", "name"])
      .where("parent_code", "=", code)
      .orderBy("code")
      .execute(),
  ]);
  return { ...region, parents: parents.map(named), children: children.map(named) };
}

/** A region found by name, with where it lies ("Kabupaten Sanggau, Kalimantan Barat") to tell namesakes apart. */
export interface RegionMatch extends RegionRef {
  within: string;
}

/**
 * Regions of a level whose name holds `q` (any case), those named exactly `q` first, then in code order:
 * a sub-district found by the name people know, anywhere in the country.
 */
export async function searchRegions(
  db: Db,
  query: { q: string; level: RegionLevel; limit: number },
): Promise<RegionMatch[]> {
  const q = query.q.trim().toLowerCase();
  const rows = await db
    .selectFrom("region as r")
    .leftJoin("region as up", "up.code", "r.parent_code")
    .leftJoin("region as top", "top.code", "up.parent_code")
    .select(["r.code", "r.level", "r.name", "up.name as upName", "top.name as topName"])
    .where("r.level", "=", query.level)
    .where(sql<boolean>`strpos(lower(r.name), ${q}) > 0`)
    .orderBy(sql`lower(r.name) = ${q}`, "desc")
    .orderBy("r.code")
    .limit(query.limit)
    .execute();
  return rows.map((r) => ({
    ...named(r),
    within: [r.upName, r.topName]
      .filter((n): n is string => n !== null)
      .map(displayName)
      .join(", "),
  }));
}
