import "@fastify/cookie";
import type { FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import type { Role } from "../domain/access.js";
import { actorFromApiToken, actorFromSession } from "../services/accounts.js";
import type { Actor } from "../services/actor.js";
import { sendProblem } from "./problem.js";

export const SESSION_COOKIE = "pj_session";

/**
 * The session cookie's name. Behind HTTPS it carries the `__Host-` prefix, which the browser accepts only
 * with `Secure`, `Path=/` and no `Domain`, so a sibling subdomain cannot plant or overwrite it (ASVS 4.0.3
 * V3.4.4).
 */
export const sessionCookieName = (secure: boolean) => (secure ? `__Host-${SESSION_COOKIE}` : SESSION_COOKIE);

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

const bearer = (request: FastifyRequest) => request.headers.authorization?.startsWith("Bearer ") === true;

async function resolveActor(request: FastifyRequest, cookieName: string): Promise<Actor | null> {
  const header = request.headers.authorization;
  if (header && bearer(request)) return actorFromApiToken(request.db, header.slice(7).trim());
  const session = request.cookies[cookieName];
  return session ? actorFromSession(request.db, session) : null;
}

export const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Cross-site request forgery: true for a state-changing request that a browser says another site made.
 * Browsers send `Sec-Fetch-Site` (Chrome 76, Firefox 90, Safari 16.4 on) and cannot be made to forge it;
 * older ones send `Origin` on every cross-origin POST, so that is compared with `Host` when the first is
 * absent. A request with neither comes from no browser (curl, an integration), and a bearer-token request
 * carries a secret a foreign page cannot attach: neither is forgeable through a victim's cookie.
 * SameSite=Strict alone is not enough: it lets through a sibling subdomain and browsers without it.
 * Applies to sign-in too (login CSRF) and to every route, so a new route cannot forget it.
 */
export function crossSite(request: FastifyRequest): boolean {
  if (SAFE_METHODS.has(request.method) || bearer(request)) return false;
  const site = request.headers["sec-fetch-site"];
  if (site !== undefined) return site !== "same-origin" && site !== "none";
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  try {
    return new URL(origin).host !== request.headers.host?.toLowerCase();
  } catch {
    return true; // "null": a sandboxed frame, a data: URL, a cross-site redirect
  }
}

/**
 * Authentication and route-level authorisation for every request: a bearer API token or the session
 * cookie becomes `request.actor`; the route's `access` list decides 401/403 before any handler runs.
 * Object-level rules (which projects) live in the services.
 */
export const authPlugin = fp<{ secureCookies: boolean }>(
  async (app, { secureCookies }) => {
    const cookieName = sessionCookieName(secureCookies);
    app.decorateRequest("actor", null);
    app.addHook("onRequest", async (request: FastifyRequest, reply: FastifyReply) => {
      if (crossSite(request)) {
        return sendProblem(reply, {
          type: "urn:pantau:problem:cross-site-request",
          title: "Permintaan dari situs lain ditolak / Cross-site request refused",
          status: 403,
        });
      }
      const access = request.routeOptions.config.access;
      const guarded =
        access !== undefined ? access !== "public" : (request.routeOptions.url ?? "").startsWith("/api/v1");
      request.actor = await resolveActor(request, cookieName);
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
    // What a signed-in caller gets (names, masked NIKs, letters, reports) stays out of the browser's
    // cache, where the next person at a shared office computer could find it (ASVS 4.0.3 V8.2.1).
    app.addHook("onSend", async (request, reply, payload) => {
      if (request.actor && !reply.hasHeader("cache-control")) reply.header("cache-control", "no-store");
      return payload;
    });
  },
  { name: "auth", dependencies: ["@fastify/cookie"] },
);

/** The signed-in actor of a guarded route (the hook has already refused anonymous calls). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new Error("actorOf on a route without access control");
  return request.actor;
}
