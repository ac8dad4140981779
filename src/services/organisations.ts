import { sql } from "kysely";
import type { Db } from "../db/connection.js";
import type { OrganisationKind } from "../db/schema.js";
import { assertCan } from "../domain/access.js";
import { regencyWithin } from "./access.js";
import type { Actor } from "./actor.js";
import { appendAudit } from "./audit.js";
import { organisationByCode } from "./lookups.js";

/**
 * Create an organisation (work unit, contractor, BPJS branch, …) unless one with its key exists (kind and
 * code, and for a work unit or a prosecutor's office its regency: `organisationByCode`); `created` says
 * which. Only a creation is audited: an existing one is left as it was.
 */
export async function ensureOrganisation(
  db: Db,
  org: { kind: OrganisationKind; code: string; name: string; regencyCode: string | null },
  actor: Actor,
): Promise<{ id: number; created: boolean }> {
  assertCan(actor.role === "admin" || actor.role === "system", {
    id: "menambah organisasi",
    en: "to add organisations",
  });
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto("organisation")
      .values({ kind: org.kind, code: org.code, name: org.name, regency_code: org.regencyCode })
      .onConflict((oc) => oc.doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!inserted) {
      const kept = await organisationByCode(trx, org.kind, org.code, org.regencyCode);
      return { id: kept?.id as number, created: false };
    }
    await appendAudit(trx, actor, {
      action: "organisation.ensure",
      entity: "organisation",
      entityId: inserted.id,
      after: org,
    });
    return { id: inserted.id, created: true };
  });
}

/**
 * Organisations the actor may see: all for admins; for a BPJS officer those of its region (and the
 * contractors working there); for anyone else only their own.
 */
export async function listOrganisations(db: Db, actor: Actor, kind?: OrganisationKind) {
  let q = db
    .selectFrom("organisation")
    .select(["id", "kind", "code", "name", "regency_code as regencyCode"])
    .orderBy("name");
  if (kind) q = q.where("kind", "=", kind);
  if (actor.role === "bpjs") {
    q = q.where((eb) =>
      eb.or([
        regencyWithin(sql`organisation.regency_code`, actor.regionCode),
        eb(
          "id",
          "in",
          eb
            .selectFrom("project")
            .select("contractor_id")
            .where(regencyWithin(sql`project.regency_code`, actor.regionCode)),
        ),
      ]),
    );
  } else if (actor.role !== "admin" && actor.role !== "system") {
    q = q.where("id", "=", actor.organisationId ?? -1);
  }
  return q.execute();
}
