import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { IsoDate } from "../../domain/dates.js";
import { isPeriod, monevFileName } from "../../domain/monev.js";
import { renderMonevPdf } from "../../reports/monev-pdf.js";
import { renderMonevXlsx } from "../../reports/monev-xlsx.js";
import { monevReport } from "../../services/monev.js";
import { actorOf, allow } from "../auth.js";
import { guardedErrors, regencyCode } from "../schemas.js";

/** Report files (XLSX, PDF) built on request; the numbers behind them are the JSON routes' numbers. */
export const CONTENT_TYPES = {
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pdf: "application/pdf",
} as const;

export const reportFileRoutes: FastifyPluginAsync<{ today: () => IsoDate }> = async (app, { today }) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    "/api/v1/reports/monev",
    {
      ...allow("bpjs", "admin"),
      schema: {
        tags: ["reports"],
        summary: "Laporan Monev satu kabupaten untuk satu bulan (XLSX/PDF) / the Monev report",
        description:
          "Coverage, target and gap, the monthly trend, breakdowns by sub-district, work unit, funding source and contractor, " +
          "unregistered working projects, arrears and open cases by escalation step, read on the period's last day " +
          "(or today, while the month runs). A BPJS officer may export only regencies inside their own region.",
        querystring: z.object({
          region: regencyCode,
          period: z.string().refine(isPeriod, { message: "periode YYYY-MM / period must be YYYY-MM" }),
          format: z.enum(["xlsx", "pdf"]).default("xlsx"),
        }),
        produces: [CONTENT_TYPES.xlsx, CONTENT_TYPES.pdf],
        response: { 200: z.unknown(), ...guardedErrors },
      },
    },
    async (request, reply) => {
      const { region, period, format } = request.query;
      const report = await monevReport(request.db, { regionCode: region, period }, actorOf(request), today());
      const bytes = format === "pdf" ? await renderMonevPdf(report) : await renderMonevXlsx(report);
      return reply
        .type(CONTENT_TYPES[format])
        .header("content-disposition", `attachment; filename="${monevFileName(region, period, format)}"`)
        .send(bytes);
    },
  );
};
