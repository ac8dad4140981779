import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { regionTree } from "../../services/regions.js";
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
  app.withTypeProvider<ZodTypeProvider>().get(
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
