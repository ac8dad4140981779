import fastifyStatic from "@fastify/static";
import type { FastifyPluginAsync } from "fastify";
import fp from "fastify-plugin";
import { sendProblem } from "./problem.js";

/**
 * Serves the built dashboard (web/dist) at `/`, compressed when the browser accepts it. Hashed assets
 * are cached for a year; index.html is revalidated so a new build reaches users at once. Any other GET
 * outside /api returns index.html, so a deep link such as /proyek/42 opens in the client-side router.
 */
const web: FastifyPluginAsync<{ root: string }> = async (app, { root }) => {
  await app.register(fastifyStatic, {
    root,
    prefix: "/",
    wildcard: true,
    preCompressed: true, // the build writes .br and .gz beside each asset (src/cli/build-web.ts)
    setHeaders: (reply, path) => {
      reply.header(
        "cache-control",
        path.includes("/assets/") ? "public, max-age=31536000, immutable" : "no-cache",
      );
    },
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0] ?? "";
    const page = request.method === "GET" || request.method === "HEAD";
    if (page && !path.startsWith("/api") && !path.startsWith("/assets/")) {
      return reply.header("cache-control", "no-cache").sendFile("index.html");
    }
    return sendProblem(reply, {
      type: "about:blank",
      title: `Tidak ditemukan / not found: ${request.method} ${path}`,
      status: 404,
    });
  });
};

// Not encapsulated: the index.html fallback must answer for the whole server.
export const webRoutes = fp(web, { name: "web" });
