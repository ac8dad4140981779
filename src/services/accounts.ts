import { createHash, randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import { type RawBuilder, sql } from "kysely";
import type { Db } from "../db/connection.js";
import { assertCan, ORGANISATION_KIND_OF_ROLE, type Role } from "../domain/access.js";
import { type Bilingual, DomainError, notFound } from "../domain/errors.js";
import type { Actor } from "./actor.js";
import { appendAudit } from "./audit.js";
import { regionByCode } from "./regions.js";

/**
 * Accounts, sessions and contractor API tokens. Passwords are Argon2id hashes; session and API
 * tokens are 256-bit random secrets stored only as SHA-256 hashes, so a database dump reveals none.
 */
/** A session ends 8 hours after sign-in however busy, or after 30 idle minutes (ASVS 4.0.3 V3.3.2, level 2). */
export const SESSION_HOURS = 8;
export const SESSION_IDLE_MINUTES = 30;
const TOKEN_PREFIX = "pj_";

/**
 * OWASP Password Storage Cheat Sheet's first Argon2id setting: 19 MiB, 2 passes, 1 lane. Pinned rather
 * than left to the library's defaults, so an upgrade that changes them cannot weaken new hashes unseen.
 */
export const PASSWORD_HASHING = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

const sha256 = (secret: string) => createHash("sha256").update(secret).digest("hex");
const newSecret = () => randomBytes(32).toString("base64url");

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  organisationId: number | null;
  regionCode: string | null;
  password: string;
}

export interface UserView {
  id: number;
  email: string;
  name: string;
  role: Role;
  organisationId: number | null;
  /** The organisation's name, for people reading the list. */
  organisation: string | null;
  regionCode: string | null;
  /** A disabled user cannot sign in; their sessions ended when they were disabled. */
  disabled: boolean;
}

/** A password an admin sets, hashed; the same rule for a new user and a reset. */
async function passwordHashOf(password: string): Promise<string> {
  if (password.length < 10) {
    throw new DomainError(
      "PASSWORD_TOO_SHORT",
      "Kata sandi minimal 10 karakter / a password has at least 10 characters",
      {
        field: "password",
      },
    );
  }
  return hash(password, PASSWORD_HASHING);
}

const assertAdmin = (actor: Actor, what: Bilingual) =>
  assertCan(actor.role === "admin" || actor.role === "system", what);

export async function addUser(db: Db, input: NewUser, actor: Actor): Promise<UserView> {
  assertAdmin(actor, { id: "menambah pengguna", en: "to add users" });
  const passwordHash = await passwordHashOf(input.password);
  const id = await db.transaction().execute(async (trx) => {
    const kind = ORGANISATION_KIND_OF_ROLE[input.role];
    if (kind) {
      const org = input.organisationId
        ? await trx
            .selectFrom("organisation")
            .select("kind")
            .where("id", "=", input.organisationId)
            .executeTakeFirst()
        : undefined;
      if (org?.kind !== kind) {
        throw new DomainError(
          "ORGANISATION_MISMATCH",
          `Peran ${input.role} memerlukan organisasi jenis ${kind} / the ${input.role} role needs a ${kind} organisation`,
          {
            field: "organisationId",
          },
        );
      }
    }
    if (input.role === "bpjs" && !input.regionCode) {
      throw new DomainError(
        "REGION_REQUIRED",
        "Pengguna BPJS memerlukan wilayah kerja / a BPJS user needs a region to oversee",
        {
          field: "regionCode",
        },
      );
    }
    const region = input.regionCode ? await regionByCode(trx, input.regionCode) : null;
    if (input.regionCode && !region) {
      throw new DomainError(
        "REGION_UNKNOWN",
        `Wilayah ${input.regionCode} tidak dikenal / unknown region ${input.regionCode}`,
        { field: "regionCode" },
      );
    }
    const exists = await trx
      .selectFrom("app_user")
      .select("id")
      .where("email", "=", input.email.toLowerCase())
      .executeTakeFirst();
    if (exists)
      throw new DomainError(
        "USER_EXISTS",
        `Pengguna ${input.email} sudah ada / user ${input.email} already exists`,
        {
          field: "email",
        },
      );
    const user = await trx
      .insertInto("app_user")
      .values({
        email: input.email.toLowerCase(),
        name: input.name,
        role: input.role,
        organisation_id: kind ? input.organisationId : null,
        region_code: input.regionCode,
        password_hash: passwordHash,
        disabled_at: null,
      })
      .returning(["id", "email", "name", "role", "organisation_id", "region_code"])
      .executeTakeFirstOrThrow();
    await appendAudit(trx, actor, { action: "user.add", entity: "user", entityId: user.id, after: user });
    return user.id;
  });
  return (await usersWhere(db, id))[0] as UserView;
}

/** Users (all, or one) with their organisation's name, in the order they were added. */
async function usersWhere(db: Db, id?: number): Promise<UserView[]> {
  let q = db
    .selectFrom("app_user as u")
    .leftJoin("organisation as o", "o.id", "u.organisation_id")
    .select([
      "u.id",
      "u.email",
      "u.name",
      "u.role",
      "u.organisation_id",
      "o.name as organisation",
      "u.region_code",
      "u.disabled_at",
    ])
    .orderBy("u.id");
  if (id !== undefined) q = q.where("u.id", "=", id);
  return (await q.execute()).map((u) => ({
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    organisationId: u.organisation_id,
    organisation: u.organisation,
    regionCode: u.region_code,
    disabled: u.disabled_at !== null,
  }));
}

export function listUsers(db: Db): Promise<UserView[]> {
  return usersWhere(db);
}

/** The id of the user with this e-mail (stored in lower case), for the command line. */
export async function userIdByEmail(db: Db, email: string): Promise<number> {
  const found = await db
    .selectFrom("app_user")
    .select("id")
    .where("email", "=", email.trim().toLowerCase())
    .executeTakeFirst();
  if (!found) throw new DomainError("USER_NOT_FOUND", `Pengguna ${email} tidak ada / no such user`);
  return found.id;
}

export type AccessChange = { action: "disable" | "enable" } | { action: "password"; password: string };

/**
 * An admin's change to someone's access: disable or enable the account, or set a new password. Disabling
 * and a new password end the user's sessions at once (whoever held the old one is signed out); disabling
 * also revokes the API tokens the user created (`revokedTokens` says how many). An admin cannot disable
 * their own account, so an installation always keeps someone who can undo it.
 */
export async function changeUserAccess(
  db: Db,
  id: number,
  change: AccessChange,
  actor: Actor,
): Promise<UserView & { revokedTokens: number }> {
  assertAdmin(actor, { id: "mengubah akses pengguna", en: "to change users' access" });
  if (change.action === "disable" && actor.userId === id) {
    throw new DomainError(
      "USER_SELF_DISABLE",
      "Anda tidak dapat menonaktifkan akun Anda sendiri / you cannot disable your own account",
    );
  }
  const passwordHash = change.action === "password" ? await passwordHashOf(change.password) : null;
  let revokedTokens = 0;
  await db.transaction().execute(async (trx) => {
    // The user and the acting admin, locked in id order: of two admins disabling each other at once, the
    // second finds itself disabled, so an installation never loses its last enabled admin that way.
    const rows = await trx
      .selectFrom("app_user")
      .select(["id", "disabled_at"])
      .where("id", "in", actor.userId === null ? [id] : [id, actor.userId])
      .orderBy("id")
      .forUpdate()
      .execute();
    if (change.action === "disable" && actor.userId !== null) {
      assertCan(rows.find((r) => r.id === actor.userId)?.disabled_at === null, {
        id: "akun Anda sendiri sudah dinonaktifkan",
        en: "your own account is disabled",
      });
    }
    const user = rows.find((r) => r.id === id);
    if (!user) throw notFound("USER_NOT_FOUND", { id: "Pengguna", en: "User" }, id);
    const wasDisabled = user.disabled_at !== null;
    if (change.action !== "password" && (change.action === "disable") === wasDisabled) return; // already so
    await trx
      .updateTable("app_user")
      .set(
        passwordHash !== null
          ? { password_hash: passwordHash }
          : { disabled_at: change.action === "disable" ? (sql`now()` as never) : null },
      )
      .where("id", "=", id)
      .execute();
    if (change.action !== "enable") await trx.deleteFrom("user_session").where("user_id", "=", id).execute();
    // The API tokens a disabled user created end too: they saw each secret once and may have kept it.
    // Their company's other tokens go on; enabling the user again does not bring these back.
    const revoked =
      change.action === "disable"
        ? await trx
            .updateTable("api_token")
            .set({ revoked_at: sql`now()` as never })
            .where("created_by", "=", `user:${id}`)
            .where("revoked_at", "is", null)
            .returning("id")
            .execute()
        : [];
    revokedTokens = revoked.length;
    await appendAudit(trx, actor, {
      action: `user.${change.action}`,
      entity: "user",
      entityId: id,
      // A password is never written to the audit, not even hashed.
      ...(passwordHash !== null
        ? {}
        : {
            before: { disabled: wasDisabled },
            after: {
              disabled: change.action === "disable",
              ...(revoked.length > 0 ? { revokedTokens: revoked.map((r) => r.id) } : {}),
            },
          }),
    });
  });
  return { ...((await usersWhere(db, id))[0] as UserView), revokedTokens };
}

// Verifying against a real hash (with the same cost) when the e-mail is unknown, or the account has no
// password, keeps the time of a failed login the same. Its password is a random secret nobody knows, and
// a match on it is refused anyway: it must never open an account whose `password_hash` is null.
const DUMMY_HASH = hash(newSecret(), PASSWORD_HASHING);

/** When a session stops: 30 idle minutes from now, but never later than 8 hours after sign-in. */
const sessionEnd = (createdAt: RawBuilder<unknown>) =>
  sql`least(${createdAt} + make_interval(hours => ${SESSION_HOURS}), now() + make_interval(mins => ${SESSION_IDLE_MINUTES}))`;

/**
 * A new session for valid credentials, else null (the caller answers 401 without saying which was wrong).
 * `previousToken`, the session cookie the browser sent with the sign-in, ends here whoever it belonged
 * to: signing in always starts a fresh session and never keeps one the browser already held.
 */
export async function login(
  db: Db,
  email: string,
  password: string,
  previousToken?: string,
): Promise<{ token: string; user: UserView } | null> {
  const user = await db
    .selectFrom("app_user")
    .select(["id", "email", "name", "role", "organisation_id", "region_code", "password_hash", "disabled_at"])
    .where("email", "=", email.trim().toLowerCase())
    .executeTakeFirst();
  const ok = await verify(user?.password_hash ?? (await DUMMY_HASH), password);
  if (!user?.password_hash || !ok || user.disabled_at !== null) return null;
  const token = newSecret();
  await db.transaction().execute(async (trx) => {
    // The browser's previous session ends, and each sign-in sweeps its user's ended sessions away.
    await trx
      .deleteFrom("user_session")
      .where((eb) =>
        eb.or([
          eb.and([eb("user_id", "=", user.id), eb("expires_at", "<=", sql<Date>`now()`)]),
          ...(previousToken ? [eb("token_hash", "=", sha256(previousToken))] : []),
        ]),
      )
      .execute();
    await trx
      .insertInto("user_session")
      .values({ token_hash: sha256(token), user_id: user.id, expires_at: sessionEnd(sql`now()`) as never })
      .execute();
  });
  return { token, user: (await usersWhere(db, user.id))[0] as UserView };
}

export async function logout(db: Db, token: string): Promise<void> {
  await db.deleteFrom("user_session").where("token_hash", "=", sha256(token)).execute();
}

export async function actorFromSession(db: Db, token: string): Promise<Actor | null> {
  const tokenHash = sha256(token);
  const row = await db
    .selectFrom("user_session")
    .innerJoin("app_user", "app_user.id", "user_session.user_id")
    .select(["app_user.id", "app_user.role", "app_user.organisation_id", "app_user.region_code"])
    .select(
      // Pushed forward at most once a minute: a write per request would queue every request of a
      // user on the row's lock (and on Citus, user_session is a reference table copied to each node).
      sql<boolean>`user_session.expires_at < ${sessionEnd(sql.ref("user_session.created_at"))} - interval '1 minute'`.as(
        "stale",
      ),
    )
    .where("user_session.token_hash", "=", tokenHash)
    .where("user_session.expires_at", ">", sql<Date>`now()`)
    .where("user_session.created_at", ">", sql<Date>`now() - make_interval(hours => ${SESSION_HOURS})`)
    .where("app_user.disabled_at", "is", null)
    .executeTakeFirst();
  if (!row) return null;
  if (row.stale) {
    await db
      .updateTable("user_session")
      .set({ expires_at: sessionEnd(sql.ref("created_at")) as never })
      .where("token_hash", "=", tokenHash)
      .execute();
  }
  return {
    kind: "user",
    label: `user:${row.id}`,
    role: row.role,
    organisationId: row.organisation_id,
    regionCode: row.region_code,
    userId: row.id,
  };
}

export async function actorFromApiToken(db: Db, token: string): Promise<Actor | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const row = await db
    .selectFrom("api_token")
    .innerJoin("organisation", "organisation.id", "api_token.organisation_id")
    .select(["api_token.id", "api_token.organisation_id", "api_token.last_used_at", "organisation.kind"])
    .where("api_token.token_hash", "=", sha256(token))
    .where("api_token.revoked_at", "is", null)
    .executeTakeFirst();
  if (row?.kind !== "contractor") return null;
  // When a token was last used, to the minute: enough to spot a forgotten or leaked one, without a
  // write (and a row lock every concurrent request would queue on) on each request.
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > 60_000) {
    await db
      .updateTable("api_token")
      .set({ last_used_at: sql`now()` })
      .where("id", "=", row.id)
      .where(sql<boolean>`(last_used_at is null or last_used_at < now() - interval '1 minute')`)
      .execute();
  }
  return {
    kind: "token",
    label: `token:${row.id}`,
    role: "contractor",
    organisationId: row.organisation_id,
    regionCode: null,
    userId: null,
  };
}

/** A contractor's own users and administrators manage that contractor's integration tokens. */
function assertTokenOwner(actor: Actor, organisationId: number): void {
  const own = actor.role === "contractor" && actor.kind === "user" && actor.organisationId === organisationId;
  assertCan(own || actor.role === "admin" || actor.role === "system", {
    id: "mengelola token API organisasi ini",
    en: "to manage this organisation's API tokens",
  });
}

/** Create a bearer token; the secret is returned once and never stored. */
export async function createApiToken(
  db: Db,
  organisationId: number,
  name: string,
  actor: Actor,
): Promise<{ id: number; token: string; prefix: string }> {
  assertTokenOwner(actor, organisationId);
  const token = `${TOKEN_PREFIX}${newSecret()}`;
  return db.transaction().execute(async (trx) => {
    const org = await trx
      .selectFrom("organisation")
      .select("kind")
      .where("id", "=", organisationId)
      .executeTakeFirst();
    if (org?.kind !== "contractor") {
      throw notFound("ORGANISATION_NOT_FOUND", { id: "Penyedia jasa", en: "Contractor" }, organisationId, {
        field: "organisationId",
      });
    }
    const row = await trx
      .insertInto("api_token")
      .values({
        organisation_id: organisationId,
        name,
        prefix: token.slice(0, 10),
        token_hash: sha256(token),
        created_by: actor.label,
        revoked_at: null,
        last_used_at: null,
      })
      .returning(["id", "prefix"])
      .executeTakeFirstOrThrow();
    await appendAudit(trx, actor, {
      action: "token.create",
      entity: "api_token",
      entityId: row.id,
      after: { organisationId, name, prefix: row.prefix },
    });
    return { id: row.id, token, prefix: row.prefix };
  });
}

export async function listApiTokens(db: Db, organisationId: number, actor: Actor) {
  assertTokenOwner(actor, organisationId);
  const rows = await db
    .selectFrom("api_token")
    .select(["id", "name", "prefix", "created_at", "last_used_at", "revoked_at"])
    .where("organisation_id", "=", organisationId)
    .orderBy("id")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    createdAt: r.created_at.toISOString(),
    lastUsedAt: r.last_used_at?.toISOString() ?? null,
    revokedAt: r.revoked_at?.toISOString() ?? null,
  }));
}

export async function revokeApiToken(db: Db, id: number, actor: Actor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom("api_token")
      .select(["organisation_id", "revoked_at"])
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound("TOKEN_NOT_FOUND", { id: "Token", en: "Token" }, id);
    try {
      assertTokenOwner(actor, row.organisation_id);
    } catch {
      throw notFound("TOKEN_NOT_FOUND", { id: "Token", en: "Token" }, id);
    }
    if (row.revoked_at !== null) return;
    await trx
      .updateTable("api_token")
      .set({ revoked_at: sql`now()` as never })
      .where("id", "=", id)
      .execute();
    await appendAudit(trx, actor, { action: "token.revoke", entity: "api_token", entityId: id });
  });
}

/** Display names for the signed-in actor: the user's (or token's) name and its organisation. */
export async function describeActor(
  db: Db,
  actor: Actor,
): Promise<{ name: string; organisation: string | null }> {
  const organisation = actor.organisationId
    ? ((
        await db
          .selectFrom("organisation")
          .select("name")
          .where("id", "=", actor.organisationId)
          .executeTakeFirst()
      )?.name ?? null)
    : null;
  const name =
    actor.kind === "user" && actor.userId
      ? (await db.selectFrom("app_user").select("name").where("id", "=", actor.userId).executeTakeFirst())
          ?.name
      : actor.kind === "token"
        ? (
            await db
              .selectFrom("api_token")
              .select("name")
              .where("id", "=", Number(actor.label.slice("token:".length)))
              .executeTakeFirst()
          )?.name
        : undefined;
  return { name: name ?? actor.label, organisation };
}
