import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { regionTree, searchRegions } from "../../services/regions.js";
import { allow } from "../auth.js";
import { guardedErrors, regionCode } from "../schemas.js";

const regionRef = z.object({
  code: z.string(),
  level: z.enum(["province", "regency", "district", "village"]),
  name: z.string(),
});

/**
 * The Kemendagri tree as public data for every signed-in user: a form offers a regency's sub-districts by
 * name and says where a typed code lies, rather than asking people to know codes by heart.
 */
export const regionRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    "/api/v1/regions",
    {
      ...allow("contractor", "opd", "bpjs", "enforcer", "admin"),
      schema: {
        tags: ["regions"],
        summary:
          "Cari wilayah menurut nama / find regions by name (a sub-district by the name people know, anywhere)",
        querystring: z.object({
          q: z.string().trim().min(2, "paling sedikit 2 huruf / at least 2 letters").max(60),
          level: z.enum(["province", "regency", "district"]).default("district"),
          limit: z.coerce.number().int().min(1).max(50).default(20),
        }),
        response: { 200: z.array(regionRef.extend({ within: z.string() })), ...guardedErrors },
      },
    },
    async (request) => searchRegions(request.db, request.query),
  );

  r.get(
    "/api/v1/regions/:code",
    {
      ...allow("contractor", "opd", "bpjs", "enforcer", "admin"),
      schema: {
        tags: ["regions"],
        summary:
          "Wilayah Kemendagri dengan induk dan wilayah di bawahnya / a Kemendagri region with its parents and the regions directly under it",
        params: z.object({ code: regionCode }),
        response: {
          200: regionRef.extend({ parents: z.array(regionRef), children: z.array(regionRef) }),
          ...guardedErrors,
        },
      },
    },
    async (request) => regionTree(request.db, request.params.code),
  );
};
