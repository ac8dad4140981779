import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { IsoDate } from "../../domain/dates.js";
import { describeActor, login, logout, SESSION_HOURS } from "../../services/accounts.js";
import { actorOf, allow, open, sessionCookieName } from "../auth.js";
import { sendProblem } from "../problem.js";
import { guardedErrors, problemSchema, userSchema } from "../schemas.js";

/** Failed sign-ins an account may take per hour, from all addresses together. */
export const LOGIN_FAILURES_PER_HOUR = 100;

export const authRoutes: FastifyPluginAsync<{
  today: () => IsoDate;
  secureCookies: boolean;
}> = async (app, { today, secureCookies }) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const cookieName = sessionCookieName(secureCookies);
  const emailOf = (req: FastifyRequest) =>
    String((req.body as { email?: unknown })?.email ?? "")
      .trim()
      .toLowerCase();
  // Failed sign-ins per account from any address: at most 100 an hour (ASVS 4.0.3 V2.2.1), which the
  // per-address limit below cannot promise against guesses spread over many addresses. Only failures
  // count, so the account's owner is never slowed for signing in often; an account that an attacker has
  // driven to the limit waits out the hour (a soft lock, documented in docs/security.md).
  const accountFailures = app.createRateLimit({
    max: LOGIN_FAILURES_PER_HOUR,
    timeWindow: "1 hour",
    keyGenerator: (req) => `login-failures|${emailOf(req)}`,
  });

  r.post(
    "/api/v1/auth/login",
    {
      ...open,
      config: {
        ...open.config,
        // Ten tries a minute per address and account: slows password guessing without locking anyone out.
        rateLimit: {
          max: 10,
          timeWindow: "1 minute",
          hook: "preHandler", // after the body is parsed, so the key can include the account
          keyGenerator: (req) => `${req.ip}|${emailOf(req)}`,
        },
      },
      schema: {
        tags: ["auth"],
        summary: "Masuk: membuat sesi (cookie HttpOnly) / sign in",
        body: z.object({ email: z.string().email(), password: z.string().min(1).max(200) }),
        response: {
          200: z.object({ user: userSchema }),
          401: problemSchema,
          403: problemSchema.describe("sent from another site (cross-site request forgery)"),
          429: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const failures = await accountFailures(request, { increment: false });
      if (!failures.isAllowed && failures.remaining === 0) {
        reply.header("retry-after", failures.ttlInSeconds);
        return sendProblem(reply, {
          type: "urn:pantau:problem:too-many-login-failures",
          title:
            "Terlalu banyak percobaan masuk yang gagal; coba lagi nanti / Too many failed sign-ins, try later",
          status: 429,
        });
      }
      // No session fixation: a new random session id at every sign-in, and the one the browser came
      // with (if any) ends, so no cookie from before the sign-in is ever an authenticated session.
      const session = await login(
        request.db,
        request.body.email,
        request.body.password,
        request.cookies[cookieName],
      );
      if (!session) {
        await accountFailures(request);
        return sendProblem(reply, {
          type: "urn:pantau:problem:login-failed",
          title: "Email atau kata sandi salah / Wrong e-mail or password",
          status: 401,
        });
      }
      reply.setCookie(cookieName, session.token, {
        path: "/",
        httpOnly: true,
        sameSite: "strict",
        secure: secureCookies,
        maxAge: SESSION_HOURS * 3600,
      });
      return { user: session.user };
    },
  );

  r.post(
    "/api/v1/auth/logout",
    {
      ...allow("contractor", "opd", "bpjs", "enforcer", "admin"),
      schema: { tags: ["auth"], summary: "Keluar / sign out", response: { 204: z.null(), ...guardedErrors } },
    },
    async (request, reply) => {
      const token = request.cookies[cookieName];
      if (token) await logout(request.db, token);
      reply.clearCookie(cookieName, { path: "/", httpOnly: true, sameSite: "strict", secure: secureCookies });
      return reply.status(204).send(null);
    },
  );

  r.get(
    "/api/v1/me",
    {
      ...allow("contractor", "opd", "bpjs", "enforcer", "admin"),
      schema: {
        tags: ["auth"],
        summary: "Siapa saya / the signed-in actor",
        response: {
          200: z.object({
            kind: z.string(),
            role: z.string(),
            organisationId: z.number().int().nullable(),
            regionCode: z.string().nullable(),
            userId: z.number().int().nullable(),
            name: z.string(),
            organisation: z.string().nullable(),
            today: z.string().describe("the server's business date (a demo database's scenario date)"),
          }),
          ...guardedErrors,
        },
      },
    },
    async (request) => {
      const a = actorOf(request);
      return {
        kind: a.kind,
        role: a.role,
        organisationId: a.organisationId,
        regionCode: a.regionCode,
        userId: a.userId,
        ...(await describeActor(request.db, a)),
        today: today(),
      };
    },
  );
};
