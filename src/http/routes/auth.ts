import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Db } from "../../db/connection.js";
import type { IsoDate } from "../../domain/dates.js";
import { describeActor, login, logout, SESSION_HOURS } from "../../services/accounts.js";
import { actorOf, allow, open, SESSION_COOKIE } from "../auth.js";
import { sendProblem } from "../problem.js";
import { guardedErrors, problemSchema, userSchema } from "../schemas.js";

export const authRoutes: FastifyPluginAsync<{
  db: Db;
  today: () => IsoDate;
  secureCookies: boolean;
}> = async (app, { db, today, secureCookies }) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

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
          keyGenerator: (req) =>
            `${req.ip}|${String((req.body as { email?: unknown })?.email ?? "").toLowerCase()}`,
        },
      },
      schema: {
        tags: ["auth"],
        summary: "Masuk: membuat sesi (cookie HttpOnly) / sign in",
        body: z.object({ email: z.string().email(), password: z.string().min(1).max(200) }),
        response: { 200: z.object({ user: userSchema }), 401: problemSchema, 429: problemSchema },
      },
    },
    async (request, reply) => {
      const session = await login(db, request.body.email, request.body.password);
      if (!session) {
        return sendProblem(reply, {
          type: "urn:pantau:problem:login-failed",
          title: "Email atau kata sandi salah / Wrong e-mail or password",
          status: 401,
        });
      }
      // A new random session id at every login: no session fixation.
      reply.setCookie(SESSION_COOKIE, session.token, {
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
      const token = request.cookies[SESSION_COOKIE];
      if (token) await logout(db, token);
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
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
        ...(await describeActor(db, a)),
        today: today(),
      };
    },
  );
};
