import cookie from "@fastify/cookie";
import helmet from "@fastify/helmet";
import multipart from "@fastify/multipart";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import { pino } from "pino";
import { todayIso } from "../clock.js";
import type { Config } from "../config.js";
import type { Db } from "../db/connection.js";
import type { IsoDate } from "../domain/dates.js";
import { type Access, authPlugin, open, SAFE_METHODS, sessionCookieName } from "./auth.js";
import { errorHandler, frameworkErrors, logError, logRequest, notFound } from "./problem.js";
import { authRoutes } from "./routes/auth.js";
import { complianceRoutes } from "./routes/compliance.js";
import { coverageRoutes } from "./routes/coverage.js";
import { organisationRoutes } from "./routes/organisations.js";
import { paymentRoutes } from "./routes/payments.js";
import { projectRoutes } from "./routes/projects.js";
import { publicRoutes } from "./routes/public.js";
import { regionRoutes } from "./routes/regions.js";
import { registrationRoutes } from "./routes/registrations.js";
import { reportFileRoutes } from "./routes/report-files.js";
import { reportRoutes } from "./routes/reports.js";
import { webRoutes } from "./web.js";

export interface AppDeps {
  db: Db;
  /** Connections for requests that only read (`Database.reads`); `db` when absent. */
  reads?: Db;
  config: Pick<Config, "logLevel">;
  /** Today's date for business rules; tests pin it. */
  today?: () => IsoDate;
  /** Send cookies with `Secure` (behind HTTPS in production). */
  secureCookies?: boolean;
  /** Reverse proxies to believe for the client address (Fastify's `trustProxy`); none by default. */
  trustProxy?: string;
  /** Where logs go (stdout by default); tests capture them to prove no personal data is logged. */
  logStream?: NodeJS.WritableStream;
  /** The built dashboard (web/dist) to serve at `/`; the API alone when absent. */
  webRoot?: string;
}

export interface RouteEntry {
  method: string;
  url: string;
  access: Access | undefined;
}

declare module "fastify" {
  interface FastifyInstance {
    routeCatalog: RouteEntry[];
  }
  interface FastifyRequest {
    /** The connections this request's queries use: `reads` for a request that only reads, else `db`. */
    db: Db;
  }
  interface FastifyContextConfig {
    /** A route that only reads though its method is not GET (the public check keeps the NIK in a body). */
    readOnly?: boolean;
  }
}

/**
 * The HTTP application as a plugin tree that never listens (STYLE.md 1): `pantau serve` listens,
 * tests drive it with `app.inject`. Logs carry method, URL and status, never bodies, cookies or
 * tokens, so no NIK, password or secret reaches them (NIKs travel only in bodies).
 */
export async function buildApp({
  db,
  reads = db,
  config,
  today = todayIso,
  secureCookies = false,
  trustProxy,
  logStream,
  webRoot,
}: AppDeps): Promise<FastifyInstance> {
  const logOptions = {
    level: config.logLevel,
    // Plugins log headers too (@fastify/multipart logs busboy's options at trace level), so redact them anywhere.
    redact: [
      "req.headers.authorization",
      "req.headers.cookie",
      "res.headers['set-cookie']",
      "*.headers.authorization",
      "*.headers.cookie",
    ],
    // A URL may carry a NIK typed into a search box, and a database error its statement's parameters
    // and the refused row: both are trimmed to what locates the problem (src/http/problem.ts).
    serializers: { req: logRequest, err: logError },
  };
  const app = Fastify({
    loggerInstance: (logStream ? pino(logOptions, logStream) : pino(logOptions)) as FastifyBaseLogger,
    trustProxy: trustProxy ?? false,
    frameworkErrors,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  // Every route with its access rule, so the authorisation matrix test can insist on a row for each.
  const catalog: RouteEntry[] = [];
  app.decorate("routeCatalog", catalog);
  app.addHook("onRoute", (route) => {
    for (const method of [route.method].flat()) {
      if (method !== "HEAD") catalog.push({ method, url: route.url, access: route.config?.access });
    }
  });

  // Helmet's defaults (HSTS, nosniff, Referrer-Policy no-referrer, frame-ancestors 'self', …) on every
  // answer, pages and API alike. Scripts only from this origin: neither the dashboard's build nor Swagger
  // UI (6.x loads its initialiser from a file) has an inline script. Inline styles stay allowed, as
  // Helmet's default has them: charts and Swagger UI set style attributes.
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        "script-src": ["'self'"],
        // Only behind HTTPS: on a plain-HTTP office network it would send the dashboard's assets to https.
        "upgrade-insecure-requests": secureCookies ? [] : null,
      },
    },
  });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(multipart);
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Pantau Jakon API",
        version: "1.0.0",
        description:
          "BPJS Ketenagakerjaan protection (JKK, JKM) of construction workers: projects, worker reports, payments, coverage. " +
          "Errors are RFC 9457 problem details. Authenticate with the session cookie from /api/v1/auth/login or a contractor's bearer token.",
      },
      components: {
        securitySchemes: {
          session: { type: "apiKey", in: "cookie", name: sessionCookieName(secureCookies) },
          bearer: { type: "http", scheme: "bearer" },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });
  // Reads get their own connections, so a queue of writers waiting for locks never stands before them.
  app.decorateRequest("db", null as unknown as Db);
  app.addHook("onRequest", async (request) => {
    request.db = SAFE_METHODS.has(request.method) || request.routeOptions.config.readOnly ? reads : db;
  });
  // Authentication, route access and the cross-site request check (src/http/auth.ts) for every request.
  await app.register(authPlugin, { secureCookies });

  app.get("/health", { ...open, schema: { hide: true } }, async () => ({ status: "ok" }));
  app.get("/openapi.json", { ...open, schema: { hide: true } }, async () => app.swagger());

  const deps = { today };
  await app.register(authRoutes, { today, secureCookies });
  await app.register(organisationRoutes);
  await app.register(regionRoutes);
  await app.register(projectRoutes, deps);
  await app.register(paymentRoutes, deps);
  await app.register(registrationRoutes, deps);
  await app.register(reportRoutes, deps);
  await app.register(coverageRoutes, deps);
  await app.register(publicRoutes, deps);
  await app.register(complianceRoutes, deps);
  await app.register(reportFileRoutes, deps);
  if (webRoot) await app.register(webRoutes, { root: webRoot });
  else app.setNotFoundHandler(notFound);
  return app;
}
