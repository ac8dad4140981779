import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { IsoDate } from "../../domain/dates.js";
import { publicCheck } from "../../services/public-check.js";
import { isoDate } from "../../services/schemas.js";
import { open } from "../auth.js";
import { problemSchema } from "../schemas.js";

/** The workers' own check: NIK and birth date in the body (never in a URL), one yes/no answer. */
export const publicRoutes: FastifyPluginAsync<{ today: () => IsoDate }> = async (app, { today }) => {
  app.withTypeProvider<ZodTypeProvider>().post(
    "/api/v1/public/check",
    {
      ...open,
      config: { ...open.config, readOnly: true, rateLimit: { max: 20, timeWindow: "1 minute" } },
      schema: {
        tags: ["public"],
        summary: "Cek perlindungan: apakah NIK ini terlindungi hari ini? / is this NIK protected today?",
        body: z.object({ nik: z.string().max(32), birthDate: isoDate }),
        response: {
          200: z.object({
            protected: z.boolean(),
            until: z.string().nullable(),
          }),
          400: problemSchema,
          422: problemSchema,
          429: problemSchema,
        },
      },
    },
    async (request) => publicCheck(request.db, request.body, today()),
  );
};
