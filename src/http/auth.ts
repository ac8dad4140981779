import "@fastify/cookie";
import type { FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import type { Db } from "../db/connection.js";
import type { Role } from "../domain/access.js";
import { actorFromApiToken, actorFromSession } from "../services/accounts.js";
import type { Actor } from "../services/actor.js";
import { sendProblem } from "./problem.js";

export const SESSION_COOKIE = "pj_session";

/** Who may call a route: listed roles, or "public". Routes under /api/v1 without it are closed to all. */
export type Access = readonly Role[] | "public";

declare module "fastify" {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
}

/** Route options granting access, e.g. `...allow("bpjs", "admin")`. */
export const allow = (...roles: Role[]) => ({ config: { access: roles as Access } });
export const open = { config: { access: "public" as Access } };

async function resolveActor(db: Db, request: FastifyRequest): Promise<Actor | null> {
  const header = request.headers.authorization;
  if (header?.startsWith("Bearer ")) return actorFromApiToken(db, header.slice(7).trim());
  const session = request.cookies[SESSION_COOKIE];
  return session ? actorFromSession(db, session) : null;
}

/**
 * Authentication and route-level authorisation for every request: a bearer API token or the session
 * cookie becomes `request.actor`; the route's `access` list decides 401/403 before any handler runs.
 * Object-level rules (which projects) live in the services.
 */
export const authPlugin = fp<{ db: Db }>(
  async (app, { db }) => {
    app.decorateRequest("actor", null);
    app.addHook("onRequest", async (request: FastifyRequest, reply: FastifyReply) => {
      const access = request.routeOptions.config.access;
      const guarded =
        access !== undefined ? access !== "public" : (request.routeOptions.url ?? "").startsWith("/api/v1");
      request.actor = await resolveActor(db, request);
      if (!guarded) return;
      if (!request.actor) {
        return sendProblem(reply, {
          type: "urn:pantau:problem:unauthenticated",
          title: "Perlu masuk / Authentication required",
          status: 401,
        });
      }
      if (!access || access === "public" || !access.includes(request.actor.role as Role)) {
        return sendProblem(reply, {
          type: "urn:pantau:problem:forbidden",
          title: "Peran Anda tidak berwenang untuk ini / Your role may not do this",
          status: 403,
        });
      }
    });
  },
  { name: "auth", dependencies: ["@fastify/cookie"] },
);

/** The signed-in actor of a guarded route (the hook has already refused anonymous calls). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new Error("actorOf on a route without access control");
  return request.actor;
}
