import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { assertCan, oversees } from "../../domain/access.js";
import { assertNotAhead, type IsoDate } from "../../domain/dates.js";
import { notFound } from "../../domain/errors.js";
import { CASE_ACTIONS, type CaseAction } from "../../domain/escalation.js";
import {
  advanceCase,
  caseDetail,
  clearance,
  letterPdf,
  listCases,
  overdueTasks,
} from "../../services/cases.js";
import { runCompliance } from "../../services/compliance.js";
import { contractorDetail, listContractors } from "../../services/contractor-views.js";
import { organisationByCode } from "../../services/lookups.js";
import { plainLines, plainText, recordDate } from "../../services/schemas.js";
import { actorOf, allow } from "../auth.js";
import { guardedErrors, idParam, regencyCode, rowId } from "../schemas.js";

const severityCounts = z.object({ low: z.number().int(), medium: z.number().int(), high: z.number().int() });
const caseSummary = z.object({
  id: z.number().int(),
  regencyCode: z.string(),
  contractorId: z.number().int(),
  contractor: z.string(),
  step: z.string(),
  status: z.enum(["open", "closed"]),
  openedOn: z.string(),
  deadline: z.string().nullable(),
  overdue: z.boolean(),
  hasArrears: z.boolean(),
  findings: z.number().int(),
  actions: z.array(z.string()),
});
const findingSchema = z.object({
  id: z.number().int(),
  rule: z.string(),
  severity: z.string(),
  regencyCode: z.string().optional(),
  status: z.string().optional(),
  foundOn: z.string(),
  resolvedOn: z.string().nullable().optional(),
  evidence: z.unknown(),
  legalBasis: z.string(),
  summary: z.unknown(),
});
const bilingual = z.object({ id: z.string(), en: z.string() });
const contractorSummary = z.object({
  id: z.number().int(),
  name: z.string(),
  nib: z.string(),
  regencyCode: z.string().nullable(),
  projects: z.number().int(),
  activeProjects: z.number().int(),
  knownWorkers: z.number().int(),
  protectedWorkers: z.number().int(),
  openFindings: z.number().int(),
  blockingFindings: z.number().int(),
  cleared: z.boolean(),
  openCase: z
    .object({
      id: z.number().int(),
      step: z.string(),
      deadline: z.string().nullable(),
      overdue: z.boolean(),
    })
    .nullable(),
});

/** The clearance answer, by contractor id or by NIB. */
const clearanceSchema = z.object({
  contractorId: z.number().int(),
  contractor: z.string(),
  nib: z.string(),
  date: z.string(),
  cleared: z.boolean(),
  reasons: z.array(findingSchema),
  /** Rupiah the contractor has reported paying that the BPJS branch has not yet confirmed. */
  awaitingConfirmation: z.number().int(),
});

export const complianceRoutes: FastifyPluginAsync<{ today: () => IsoDate }> = async (app, { today }) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    "/api/v1/compliance/runs",
    {
      ...allow("bpjs", "admin"),
      schema: {
        tags: ["compliance"],
        summary:
          "Jalankan aturan kepatuhan 1–6 untuk satu kabupaten / run the compliance rules for a regency",
        body: z.object({
          regencyCode,
          date: recordDate.optional(),
          full: z.boolean().default(false),
        }),
        response: {
          200: z.object({
            runId: z.number().int(),
            regencyCode: z.string(),
            date: z.string(),
            mode: z.enum(["full", "incremental"]),
            projects: z.number().int(),
            opened: z.number().int(),
            updated: z.number().int(),
            resolved: z.number().int(),
            casesOpened: z.number().int(),
            casesResolved: z.number().int(),
            byRule: z.record(z.string(), severityCounts),
          }),
          ...guardedErrors,
        },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { regencyCode } = request.body;
      assertCan(oversees(actor, regencyCode), {
        id: "menjalankan kepatuhan wilayah lain",
        en: "to run the compliance check of another region",
      });
      return runCompliance(
        request.db,
        { regencyCode, date: request.body.date ?? today(), full: request.body.full },
        actor,
      );
    },
  );

  r.get(
    "/api/v1/cases",
    {
      ...allow("bpjs", "enforcer", "admin"),
      schema: {
        tags: ["cases"],
        summary: "Kasus penegakan, yang lewat batas waktu lebih dulu / enforcement cases, overdue first",
        querystring: z.object({ status: z.enum(["open", "closed"]).optional() }),
        response: { 200: z.array(caseSummary), ...guardedErrors },
      },
    },
    async (request) => listCases(request.db, actorOf(request), today(), request.query),
  );

  r.get(
    "/api/v1/tasks",
    {
      ...allow("bpjs", "admin"),
      schema: {
        tags: ["cases"],
        summary: "Tugas: langkah kasus yang lewat batas waktu / overdue case steps",
        response: { 200: z.array(caseSummary), ...guardedErrors },
      },
    },
    async (request) => overdueTasks(request.db, actorOf(request), today()),
  );

  r.get(
    "/api/v1/cases/:id",
    {
      ...allow("bpjs", "enforcer", "admin"),
      schema: {
        tags: ["cases"],
        summary: "Rincian kasus: langkah, temuan, surat / case detail",
        params: idParam,
        response: {
          200: caseSummary.extend({
            steps: z.array(
              z.object({
                step: z.string(),
                actor: z.string(),
                takenOn: z.string(),
                deadline: z.string().nullable(),
                documentNo: z.string().nullable(),
                note: z.string().nullable(),
              }),
            ),
            findings: z.array(findingSchema),
            letters: z.array(
              z.object({ id: z.number().int(), step: z.string(), number: z.string(), issuedOn: z.string() }),
            ),
          }),
          ...guardedErrors,
        },
      },
    },
    async (request) => caseDetail(request.db, actorOf(request), request.params.id, today()),
  );

  r.post(
    "/api/v1/cases/:id/actions",
    {
      ...allow("bpjs", "enforcer", "admin"),
      schema: {
        tags: ["cases"],
        summary: "Naikkan, selesaikan atau tutup kasus / escalate, resolve or close a case",
        params: idParam,
        body: z.object({
          action: z.enum(CASE_ACTIONS as [CaseAction, ...CaseAction[]]),
          date: recordDate.optional(),
          note: plainLines(2000).optional(),
        }),
        response: {
          200: z.object({
            step: z.string(),
            deadline: z.string().nullable(),
            letterId: z.number().int().nullable(),
          }),
          ...guardedErrors,
        },
      },
    },
    async (request) => {
      const date = request.body.date ?? today();
      // A step is taken on a day that has come: a later date would pass a deadline early.
      assertNotAhead(date, today(), "date");
      return advanceCase(request.db, actorOf(request), request.params.id, {
        action: request.body.action,
        date,
        ...(request.body.note ? { note: request.body.note } : {}),
      });
    },
  );

  r.get(
    "/api/v1/cases/:id/letters/:letterId",
    {
      ...allow("bpjs", "enforcer", "admin"),
      schema: {
        tags: ["cases"],
        summary: "Unduh surat (PDF) / download a letter",
        params: idParam.extend({ letterId: rowId }),
        produces: ["application/pdf"],
        response: { 200: z.unknown(), ...guardedErrors },
      },
    },
    async (request, reply) => {
      const letter = await letterPdf(
        request.db,
        actorOf(request),
        request.params.id,
        request.params.letterId,
        today(),
      );
      return reply
        .type("application/pdf")
        .header("content-disposition", `attachment; filename="${letter.number.replaceAll("/", "-")}.pdf"`)
        .send(letter.pdf);
    },
  );

  r.get(
    "/api/v1/contractors",
    {
      ...allow("contractor", "opd", "bpjs", "admin"),
      schema: {
        tags: ["compliance"],
        summary:
          "Penyedia jasa dengan proyek, pekerja, temuan dan kasus / contractors with projects, workers, findings, cases",
        description:
          "Not cleared first, then most open findings. Worker counts are on `date` (default today); only the projects, findings and cases the caller may see are counted, while `cleared` is the clearance answer over every open finding.",
        querystring: z.object({ q: z.string().max(100).optional(), date: recordDate.optional() }),
        response: { 200: z.array(contractorSummary), ...guardedErrors },
      },
    },
    async (request) =>
      listContractors(request.db, actorOf(request), {
        ...(request.query.q ? { q: request.query.q } : {}),
        date: request.query.date ?? today(),
      }),
  );

  r.get(
    "/api/v1/contractors/:id",
    {
      ...allow("contractor", "opd", "bpjs", "admin"),
      schema: {
        tags: ["compliance"],
        summary: "Rincian penyedia jasa: temuan dan kasus / contractor detail with findings and cases",
        params: idParam,
        querystring: z.object({ date: recordDate.optional() }),
        response: {
          200: contractorSummary.extend({
            findings: z.array(
              z.object({
                id: z.number().int(),
                rule: z.string(),
                severity: z.string(),
                status: z.string(),
                projectId: z.number().int().nullable(),
                projectName: z.string().nullable(),
                summary: bilingual,
                legalBasis: z.string(),
                foundOn: z.string(),
                resolvedOn: z.string().nullable(),
              }),
            ),
            cases: z.array(
              z.object({
                id: z.number().int(),
                step: z.string(),
                status: z.enum(["open", "closed"]),
                openedOn: z.string(),
                deadline: z.string().nullable(),
                resolution: z.unknown(),
              }),
            ),
          }),
          ...guardedErrors,
        },
      },
    },
    async (request) =>
      contractorDetail(request.db, actorOf(request), request.params.id, request.query.date ?? today()),
  );

  r.get(
    "/api/v1/contractors/:id/clearance",
    {
      ...allow("opd", "bpjs", "admin"),
      schema: {
        tags: ["compliance"],
        summary: "Bolehkah termin berikutnya dibayar? / may the next instalment be released?",
        params: idParam,
        response: { 200: clearanceSchema, ...guardedErrors },
      },
    },
    async (request) => clearance(request.db, actorOf(request), request.params.id, today()),
  );

  r.get(
    "/api/v1/clearance",
    {
      ...allow("opd", "bpjs", "admin"),
      schema: {
        tags: ["compliance"],
        summary:
          "Izin pembayaran termin untuk penyedia mana pun, menurut NIB / may any contractor's next instalment be released, by its NIB",
        querystring: z.object({ nib: plainText(64).refine((v) => v.length > 0, "wajib diisi / required") }),
        response: { 200: clearanceSchema, ...guardedErrors },
      },
    },
    async (request) => {
      const found = await organisationByCode(request.db, "contractor", request.query.nib);
      if (!found)
        throw notFound(
          "ORGANISATION_NOT_FOUND",
          { id: "Penyedia jasa dengan NIB", en: "Contractor with NIB" },
          request.query.nib,
          {
            field: "nib",
          },
        );
      return clearance(request.db, actorOf(request), found.id, today());
    },
  );
};
