import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { percentToBasisPoints } from "../../domain/coverage.js";
import type { IsoDate } from "../../domain/dates.js";
import { forecastYearEnd } from "../../domain/planner.js";
import { systemActor } from "../../services/actor.js";
import {
  type CoverageReport,
  coverageAt,
  coverageBreakdown,
  coverageTrend,
  gapProjects,
  listTargets,
  setTarget,
} from "../../services/coverage.js";
import { planCoverage } from "../../services/planner.js";
import { plainText, recordDate } from "../../services/schemas.js";
import { actorOf, allow, open } from "../auth.js";
import { guardedErrors, problemSchema, regionCode } from "../schemas.js";

const breakdownRow = z.object({
  key: z
    .string()
    .describe("the group's id in this API: a sub-district code, or an organisation's or project's id"),
  code: z
    .string()
    .describe("what people know it by: sub-district code, OPD code, contractor NIB, project code"),
  name: z.string(),
  known: z.number(),
  protected: z.number(),
  percent: z.number().nullable(),
});

const coverageTarget = z
  .object({
    percent: z.number(),
    source: z.string(),
    regencyCode: z
      .string()
      .optional()
      .describe("present when the scope has no target of its own and its regency's stands in"),
  })
  .nullable();

const coverageResponse = z.object({
  scope: z.object({ kind: z.string(), id: z.string(), name: z.string() }),
  date: z.string(),
  known: z.number().int(),
  protected: z.number().int(),
  percent: z.number().nullable(),
  target: coverageTarget,
  gap: z.number().int().nullable(),
  unreported: z.object({ projects: z.number().int(), estimatedWorkers: z.number().int() }),
  breakdown: z.array(breakdownRow).optional(),
  trend: z
    .array(
      z.object({
        month: z.string(),
        date: z.string(),
        known: z.number(),
        protected: z.number(),
        percent: z.number().nullable(),
      }),
    )
    .optional(),
  forecast: z
    .object({ yearEndPercent: z.number().nullable(), targetMonth: z.string().nullable() })
    .optional()
    .describe(
      "with the trend: coverage at year end with known and protected workers each extended at their monthly pace (least squares), and the month the target is met (null: not this year)",
    ),
});

const projectLabel = z.object({
  projectId: z.number().int(),
  code: z.string(),
  name: z.string(),
  contractor: z.string(),
  contractorId: z.number().int(),
  districtName: z.string().nullable(),
  workUnit: z.string().nullable(),
});

const scopeQuery = z.object({
  scope: z.enum(["region", "opd", "contractor", "project"]).default("region"),
  id: z.string().min(1).max(20),
  date: recordDate.optional(),
});

/** The monthly trend with where it leads: the year-end forecast against the target. */
const withForecast = (trend: Awaited<ReturnType<typeof coverageTrend>>, report: CoverageReport) => ({
  trend,
  forecast: forecastYearEnd(trend, report.target?.percent ?? null),
});

/** `opd` is the API's word for a work unit (organisasi perangkat daerah). */
const SCOPES = { region: "region", opd: "work_unit", contractor: "contractor", project: "project" } as const;

/** Region totals carry no personal data; the first endpoint stays open for public dashboards. */
const publicReader = systemActor("public");

export const coverageRoutes: FastifyPluginAsync<{ today: () => IsoDate }> = async (app, { today }) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    "/api/coverage",
    {
      ...open,
      schema: {
        tags: ["coverage"],
        summary: "Cakupan satu wilayah (publik, tanpa data pribadi) / coverage of a region (public)",
        querystring: z.object({
          region: regionCode.default("61.03"),
          date: recordDate.optional(),
          // By public bodies only: a contractor's or a project's figures are for those signed in, where a
          // contractor sees its own and not its competitors'.
          by: z.enum(["district", "work_unit"]).optional(),
        }),
        response: { 200: coverageResponse, 400: problemSchema, 404: problemSchema },
      },
    },
    async (request) => {
      const q = { scope: "region" as const, id: request.query.region, date: request.query.date ?? today() };
      const report = await coverageAt(request.db, q, publicReader);
      return request.query.by
        ? { ...report, breakdown: await coverageBreakdown(request.db, q, request.query.by, publicReader) }
        : report;
    },
  );

  r.get(
    "/api/v1/coverage",
    {
      ...allow("contractor", "opd", "bpjs", "admin"),
      schema: {
        tags: ["coverage"],
        summary: "Cakupan per wilayah, OPD, penyedia atau proyek, dengan rincian dan tren bulanan",
        description:
          "Only the projects the caller may see are counted (a contractor sees its own, a work unit its own).",
        querystring: z.object({
          scope: z.enum(["region", "opd", "contractor", "project"]).default("region"),
          id: z.string().min(1).max(20),
          date: recordDate.optional(),
          by: z.enum(["district", "work_unit", "contractor", "project"]).optional(),
          trend: z.enum(["true", "false"]).default("true"),
        }),
        response: { 200: coverageResponse, ...guardedErrors },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const q = {
        scope: SCOPES[request.query.scope],
        id: request.query.id,
        date: request.query.date ?? today(),
      };
      const report = await coverageAt(request.db, q, actor);
      return {
        ...report,
        ...(request.query.by
          ? { breakdown: await coverageBreakdown(request.db, q, request.query.by, actor) }
          : {}),
        ...(request.query.trend === "true"
          ? withForecast(await coverageTrend(request.db, q, actor), report)
          : {}),
      };
    },
  );

  r.get(
    "/api/v1/coverage/gap-projects",
    {
      ...allow("contractor", "opd", "bpjs", "admin"),
      schema: {
        tags: ["coverage"],
        summary:
          "Proyek yang paling cepat menutup selisih ke target / projects that would close the gap to target fastest",
        description:
          "Projects with unprotected workers (`register` or `pay`) and working projects that reported nobody (`report`, with the estimated workforce), most workers first, with a running `cumulative` sum to compare with `gap`.",
        querystring: scopeQuery.extend({ limit: z.coerce.number().int().min(1).max(100).default(10) }),
        response: {
          200: z.object({
            date: z.string(),
            gap: z.number().int().nullable(),
            items: z.array(
              projectLabel.extend({
                action: z.enum(["register", "pay", "report"]),
                workers: z.number().int(),
                cumulative: z.number().int(),
              }),
            ),
          }),
          ...guardedErrors,
        },
      },
    },
    async (request) => {
      const { coverage, items } = await gapProjects(
        request.db,
        {
          scope: SCOPES[request.query.scope],
          id: request.query.id,
          date: request.query.date ?? today(),
          limit: request.query.limit,
        },
        actorOf(request),
      );
      return { date: coverage.date, gap: coverage.gap, items };
    },
  );

  r.get(
    "/api/v1/coverage/plan",
    {
      ...allow("contractor", "opd", "bpjs", "admin"),
      schema: {
        tags: ["coverage"],
        summary:
          "Rencana menutup selisih ke target dan perkiraan akhir tahun / gap-to-target plan and year-end forecast",
        description:
          "The fewest actions (register, pay, report, or register and report) that bring coverage to the target on the date, " +
          "most effective first, each with the gap left after it. The year-end forecast comes with the trend of /api/v1/coverage.",
        querystring: scopeQuery,
        response: {
          200: z.object({
            date: z.string(),
            known: z.number().int(),
            protected: z.number().int(),
            target: coverageTarget,
            gap: z.number().int().nullable(),
            actions: z.array(
              projectLabel.extend({
                steps: z.array(z.enum(["register", "verify", "pay", "confirm", "report"])),
                gained: z.number().int(),
                newlyKnown: z.number().int(),
                gapAfter: z.number().int(),
              }),
            ),
            reached: z.boolean(),
            after: z.object({
              known: z.number().int(),
              protected: z.number().int(),
              percent: z.number().nullable(),
            }),
            unplannable: z.number().int(),
          }),
          ...guardedErrors,
        },
      },
    },
    async (request) =>
      planCoverage(
        request.db,
        { scope: SCOPES[request.query.scope], id: request.query.id, date: request.query.date ?? today() },
        actorOf(request),
      ),
  );

  const targetSchema = z.object({
    scope: z.enum(["region", "work_unit", "contractor", "project"]),
    id: z.string(),
    name: z.string(),
    year: z.number().int(),
    percent: z.number(),
    source: z.string(),
  });

  r.get(
    "/api/v1/targets",
    {
      ...allow("opd", "bpjs", "admin"),
      schema: {
        tags: ["targets"],
        summary: "Target cakupan / coverage targets",
        response: { 200: z.array(targetSchema), ...guardedErrors },
      },
    },
    async (request) => listTargets(request.db, actorOf(request)),
  );

  r.put(
    "/api/v1/targets",
    {
      ...allow("bpjs", "admin"),
      schema: {
        tags: ["targets"],
        summary: "Tetapkan target tahunan / set a yearly target",
        body: z.object({
          scope: z.enum(["region", "work_unit", "contractor", "project"]),
          id: z.string().min(1).max(20),
          year: z.number().int().min(2015).max(2100),
          percent: z.number().min(0).max(100),
          // Left out, a replaced target keeps its source.
          source: plainText(300).optional(),
        }),
        response: { 204: z.null(), ...guardedErrors },
      },
    },
    async (request, reply) => {
      const { percent, ...rest } = request.body;
      await setTarget(request.db, { ...rest, targetBp: percentToBasisPoints(percent) }, actorOf(request));
      return reply.status(204).send(null);
    },
  );
};
