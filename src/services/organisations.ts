import type { Db } from "../db/connection.js";
import type { OrganisationKind } from "../db/schema.js";
import type { Actor } from "./actor.js";
import { appendAudit } from "./audit.js";
import { upsertOrganisation } from "./lookups.js";

/** Create an organisation (work unit, contractor, BPJS branch, …) unless one with its kind and code exists. */
export async function ensureOrganisation(
  db: Db,
  org: { kind: OrganisationKind; code: string; name: string; regencyCode: string | null },
  actor: Actor,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const id = await upsertOrganisation(trx, org);
    await appendAudit(trx, actor, {
      action: "organisation.ensure",
      entity: "organisation",
      entityId: id,
      after: org,
    });
    return id;
  });
}
