import Fastify, { type FastifyInstance } from "fastify";
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import type { Config } from "../config.js";
import type { Db } from "../db/connection.js";
import { errorHandler } from "./problem.js";
import { coverageRoutes } from "./routes/coverage.js";

export interface AppDeps {
  db: Db;
  config: Pick<Config, "logLevel">;
}

/**
 * The HTTP application as a plugin tree that never listens (STYLE.md 1): `pantau serve` listens,
 * tests drive it with `app.inject`. Logs carry no request bodies, so no NIK reaches them.
 */
export function buildApp({ db, config }: AppDeps): FastifyInstance {
  const app = Fastify({
    logger: { level: config.logLevel, redact: ["req.headers.authorization", "req.headers.cookie"] },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);

  app.get("/health", async () => ({ status: "ok" }));
  app.register(coverageRoutes, { db });
  return app;
}
