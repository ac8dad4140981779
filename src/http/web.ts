import fastifyStatic from "@fastify/static";
import type { FastifyPluginAsync } from "fastify";
import fp from "fastify-plugin";
import { sendProblem } from "./problem.js";

/**
 * Serves the built dashboard (web/dist) at `/`. Hashed assets are cached for a year; index.html is
 * revalidated so a new build reaches users at once. Any other GET outside /api returns index.html,
 * so a browser can open a deep link such as /proyek/42 and the client-side router takes over.
 */
const web: FastifyPluginAsync<{ root: string }> = async (app, { root }) => {
  await app.register(fastifyStatic, {
    root,
    prefix: "/",
    wildcard: true,
    setHeaders: (reply, path) => {
      reply.header(
        "cache-control",
        path.includes("/assets/") ? "public, max-age=31536000, immutable" : "no-cache",
      );
    },
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0] ?? "";
    if (request.method === "GET" && !path.startsWith("/api") && !path.startsWith("/assets/")) {
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
