import type { Db } from "../db/connection.js";
import type { Role } from "../domain/access.js";
import { addUser } from "../services/accounts.js";
import type { Actor } from "../services/actor.js";
import { SANGGAU } from "./sanggau.js";

/** One demo login per role. The password is public on purpose: these accounts exist only in the demo. */
export const DEMO_PASSWORD = "sanggau-2025";

export interface DemoLogin {
  role: Role;
  email: string;
  name: string;
  /** How the user's organisation is found: a kind and code, or the contractor with the most projects. */
  organisation: { kind: string; code: string } | "busiest_contractor" | null;
}

export const DEMO_LOGINS: readonly DemoLogin[] = [
  { role: "admin", email: "admin@demo.pantau.id", name: "Admin Pantau Jakon", organisation: null },
  {
    role: "bpjs",
    email: "bpjs@demo.pantau.id",
    name: "Petugas BPJS Cabang Sanggau",
    organisation: { kind: "bpjs_branch", code: "BPJS-SANGGAU" },
  },
  {
    role: "opd",
    email: "pupr@demo.pantau.id",
    name: "Staf Dinas PUPR",
    organisation: { kind: "work_unit", code: "PUPR" },
  },
  {
    role: "contractor",
    email: "penyedia@demo.pantau.id",
    name: "Staf Penyedia Jasa",
    organisation: "busiest_contractor",
  },
  {
    role: "enforcer",
    email: "jaksa@demo.pantau.id",
    name: "Jaksa Pengacara Negara",
    organisation: { kind: "enforcer", code: "KEJARI-SANGGAU" },
  },
];

export async function createDemoUsers(db: Db, actor: Actor): Promise<void> {
  for (const login of DEMO_LOGINS) {
    let organisationId: number | null = null;
    if (login.organisation === "busiest_contractor") {
      const row = await db
        .selectFrom("project")
        .select(["contractor_id", db.fn.countAll().as("n")])
        .where("regency_code", "=", SANGGAU.regencyCode)
        .groupBy("contractor_id")
        .orderBy("n", "desc")
        .orderBy("contractor_id")
        .executeTakeFirstOrThrow();
      organisationId = row.contractor_id;
    } else if (login.organisation) {
      const org = login.organisation;
      organisationId = (
        await db
          .selectFrom("organisation")
          .select("id")
          .where("kind", "=", org.kind as never)
          .where("code", "=", org.code)
          .executeTakeFirstOrThrow()
      ).id;
    }
    await addUser(
      db,
      {
        email: login.email,
        name: login.name,
        role: login.role,
        organisationId,
        regionCode: login.role === "bpjs" ? SANGGAU.regencyCode : null,
        password: DEMO_PASSWORD,
      },
      actor,
    );
  }
}

/** The demo logins present in this database, for the start-up banner. */
export async function demoLoginsPresent(db: Db): Promise<DemoLogin[]> {
  const rows = await db
    .selectFrom("app_user")
    .select("email")
    .where(
      "email",
      "in",
      DEMO_LOGINS.map((l) => l.email),
    )
    .execute();
  const present = new Set(rows.map((r) => r.email));
  return DEMO_LOGINS.filter((l) => present.has(l.email));
}
