import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Db } from "../../db/connection.js";
import { coverageAt, coverageBreakdown } from "../../services/coverage.js";
import { isoDate } from "../../services/schemas.js";

const query = z.object({
  region: z
    .string()
    .regex(/^\d{2}(\.\d{2}){0,2}$/, "kode wilayah seperti 61.03 / region code like 61.03")
    .default("61.03"),
  date: isoDate.optional(),
  by: z.enum(["district", "work_unit", "contractor", "project"]).optional(),
});

const breakdownRow = z.object({
  key: z.string(),
  name: z.string(),
  known: z.number(),
  protected: z.number(),
  percent: z.number().nullable(),
});

const coverageResponse = z.object({
  scope: z.object({ kind: z.string(), id: z.string(), name: z.string() }),
  date: z.string(),
  known: z.number().int(),
  protected: z.number().int(),
  percent: z.number().nullable(),
  target: z.object({ percent: z.number(), source: z.string() }).nullable(),
  gap: z.number().int().nullable(),
  unreported: z.object({ projects: z.number().int(), estimatedWorkers: z.number().int() }),
  breakdown: z.array(breakdownRow).optional(),
});

/** `GET /api/coverage?region=61.03&date=2025-07-30[&by=district]`: the figures of DESIGN.md §5. */
export const coverageRoutes: FastifyPluginAsync<{ db: Db }> = async (app, { db }) => {
  app
    .withTypeProvider<ZodTypeProvider>()
    .get(
      "/api/coverage",
      { schema: { querystring: query, response: { 200: coverageResponse } } },
      async (request) => {
        const q = { scope: "region" as const, id: request.query.region, date: request.query.date ?? today() };
        const report = await coverageAt(db, q);
        return request.query.by
          ? { ...report, breakdown: await coverageBreakdown(db, q, request.query.by) }
          : report;
      },
    );
};

const today = () => new Date().toISOString().slice(0, 10);
