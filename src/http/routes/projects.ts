import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { assertNotAhead, type IsoDate } from "../../domain/dates.js";
import { DomainError } from "../../domain/errors.js";
import { formatDate } from "../../domain/format.js";
import {
  certificate,
  certificatePdf,
  listProjectFindings,
  listProjects,
  listWorkers,
  projectDetail,
  SORTABLE,
} from "../../services/project-views.js";
import { editProject, registerProject } from "../../services/projects.js";
import { fileRegistration } from "../../services/registrations.js";
import { projectEdit, projectInput, registrationInput } from "../../services/schemas.js";
import { actorOf, allow } from "../auth.js";
import { guardedErrors, idParam, regionCode } from "../schemas.js";

const projectSummary = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  regencyCode: z.string(),
  districtCode: z.string(),
  districtName: z.string().nullable(),
  workUnit: z.string().nullable(),
  workUnitCode: z.string().nullable(),
  contractor: z.string(),
  contractorId: z.number().int(),
  fundingSource: z.string(),
  workType: z.string(),
  contractValue: z.number().int(),
  spkDate: z.string(),
  spmkDate: z.string(),
  endDate: z.string(),
  registrationNo: z.string().nullable(),
  contributionAmount: z.number().int().nullable(),
  paidAmount: z.number().int(),
});

const certificateSchema = z.object({
  projectId: z.number().int(),
  registrationNo: z.string().nullable(),
  registeredOn: z.string().nullable(),
  basis: z.string().nullable(),
  rateTableVersion: z.string().nullable(),
  contribution: z
    .object({
      jkk: z.number().int(),
      jkm: z.number().int(),
      total: z.number().int(),
      computation: z.unknown(),
    })
    .nullable(),
  coverageStart: z.string().nullable(),
  coverageEnd: z.string().nullable(),
  dueDate: z.string().nullable(),
  paidAmount: z.number().int(),
  pendingAmount: z.number().int(),
  /** The registration a contractor filed that is not (yet) one: waiting for the branch, or rejected. */
  registrationClaim: z
    .object({
      id: z.number().int(),
      status: z.enum(["pending", "rejected"]),
      registeredOn: z.string(),
      contributionAmount: z.number().int(),
      claimedAt: z.string(),
      reason: z.string().nullable(),
    })
    .nullable(),
  status: z.enum(["unregistered", "outside_period", "grace", "paid", "arrears"]),
  certificateIssuedOn: z.string().nullable(),
});

const OPERATORS = ["contractor", "bpjs", "admin"] as const;
const READERS = ["contractor", "opd", "bpjs", "admin"] as const;

export const projectRoutes: FastifyPluginAsync<{ today: () => IsoDate }> = async (app, { today }) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    "/api/v1/projects",
    {
      ...allow(...READERS),
      schema: {
        tags: ["projects"],
        summary: "Proyek yang boleh Anda lihat: cari, urut, halaman / projects: search, sort, paginate",
        querystring: z.object({
          q: z.string().max(100).optional(),
          region: regionCode.optional(),
          page: z.coerce.number().int().min(1).default(1),
          pageSize: z.coerce.number().int().min(1).max(200).default(25),
          sort: z.enum(SORTABLE).default("name"),
          order: z.enum(["asc", "desc"]).default("asc"),
        }),
        response: {
          200: z.object({
            items: z.array(projectSummary),
            total: z.number().int(),
            page: z.number().int(),
            pageSize: z.number().int(),
          }),
          ...guardedErrors,
        },
      },
    },
    async (request) => {
      const { region, ...q } = request.query;
      return listProjects(request.db, actorOf(request), { ...q, ...(region ? { regionCode: region } : {}) });
    },
  );

  r.post(
    "/api/v1/projects",
    {
      ...allow("contractor", "opd", "bpjs", "admin"),
      schema: {
        tags: ["projects"],
        summary: "Daftarkan proyek dari data pengadaan / register a project from procurement data",
        body: projectInput,
        response: {
          201: z.object({ id: z.number().int(), code: z.string(), regencyCode: z.string() }),
          ...guardedErrors,
        },
      },
    },
    async (request, reply) => {
      const project = await registerProject(request.db, request.body, actorOf(request));
      return reply
        .status(201)
        .send({ id: project.id, code: project.code, regencyCode: project.regency_code });
    },
  );

  r.get(
    "/api/v1/projects/:id",
    {
      ...allow(...READERS),
      schema: {
        tags: ["projects"],
        summary: "Rincian proyek dengan iuran per tingkat / project detail with the contribution by tier",
        params: idParam,
        response: { 200: projectSummary.extend({ certificate: certificateSchema }), ...guardedErrors },
      },
    },
    async (request) => projectDetail(request.db, actorOf(request), request.params.id, today()),
  );

  r.put(
    "/api/v1/projects/:id",
    {
      ...allow("contractor", "opd", "bpjs", "admin"),
      schema: {
        tags: ["projects"],
        summary:
          "Perbaiki data proyek sebelum terdaftar di BPJS (kode dan penyedia tetap) / correct a project's data before it is registered with BPJS (its code and contractor stay)",
        params: idParam,
        body: projectEdit,
        response: { 200: projectSummary.extend({ certificate: certificateSchema }), ...guardedErrors },
      },
    },
    async (request) => {
      await editProject(request.db, request.params.id, request.body, actorOf(request));
      return projectDetail(request.db, actorOf(request), request.params.id, today());
    },
  );

  r.post(
    "/api/v1/projects/:id/registration",
    {
      ...allow(...OPERATORS),
      schema: {
        tags: ["projects"],
        summary:
          "Daftarkan proyek ke BPJS dan hitung iuran; dari penyedia menunggu verifikasi BPJS / register with BPJS, computing the contribution; a contractor's waits for BPJS verification",
        params: idParam,
        body: registrationInput,
        response: { 201: certificateSchema, 200: certificateSchema, ...guardedErrors },
      },
    },
    async (request, reply) => {
      const { registeredOn } = request.body;
      assertNotAhead(registeredOn, today(), "registeredOn");
      // A contractor records its registration the day it is made; the branch may enter an earlier one.
      if (actorOf(request).role === "contractor" && registeredOn < today())
        throw new DomainError(
          "REGISTRATION_BACKDATED",
          `Pendaftaran dicatat pada hari dilakukan (${formatDate(today())}), tidak mundur / a registration is recorded on the day it is made (${formatDate(today(), "en")}), not back-dated`,
          { field: "registeredOn" },
        );
      const filed = await fileRegistration(request.db, request.params.id, request.body, actorOf(request));
      return reply
        .status(filed.replayed ? 200 : 201)
        .send(await certificate(request.db, actorOf(request), request.params.id, today()));
    },
  );

  r.get(
    "/api/v1/projects/:id/certificate",
    {
      ...allow(...READERS),
      schema: {
        tags: ["projects"],
        summary: "Data sertifikat kepesertaan / participation certificate data",
        params: idParam,
        response: { 200: certificateSchema, ...guardedErrors },
      },
    },
    async (request) => certificate(request.db, actorOf(request), request.params.id, today()),
  );

  r.get(
    "/api/v1/projects/:id/certificate.pdf",
    {
      ...allow(...READERS),
      schema: {
        tags: ["projects"],
        summary:
          "Unduh sertifikat kepesertaan (PDF), setelah iuran lunas / download the participation certificate (PDF), once paid in full",
        params: idParam,
        produces: ["application/pdf"],
        response: { 200: z.unknown(), ...guardedErrors },
      },
    },
    async (request, reply) => {
      const { number, pdf } = await certificatePdf(request.db, actorOf(request), request.params.id, today());
      return reply
        .type("application/pdf")
        .header("content-disposition", `attachment; filename="sertifikat-${number}.pdf"`)
        .send(pdf);
    },
  );

  r.get(
    "/api/v1/projects/:id/workers",
    {
      ...allow(...READERS),
      schema: {
        tags: ["projects"],
        summary: "Pekerja proyek (NIK disamarkan) / the project's workers (NIK masked)",
        params: idParam,
        response: {
          200: z.array(
            z.object({
              assignmentId: z.number().int(),
              nikMasked: z.string(),
              name: z.string(),
              sex: z.string(),
              joinedOn: z.string(),
              leftOn: z.string().nullable(),
            }),
          ),
          ...guardedErrors,
        },
      },
    },
    async (request) => listWorkers(request.db, actorOf(request), request.params.id),
  );

  r.get(
    "/api/v1/projects/:id/findings",
    {
      ...allow(...READERS),
      schema: {
        tags: ["compliance"],
        summary: "Temuan kepatuhan proyek, terbaru dulu / the project's compliance findings, newest first",
        params: idParam,
        response: {
          200: z.array(
            z.object({
              id: z.number().int(),
              rule: z.string(),
              severity: z.enum(["low", "medium", "high"]),
              status: z.enum(["open", "resolved"]),
              summary: z.object({ id: z.string(), en: z.string() }),
              evidence: z.unknown(),
              legalBasis: z.string(),
              foundOn: z.string(),
              resolvedOn: z.string().nullable(),
            }),
          ),
          ...guardedErrors,
        },
      },
    },
    async (request) => listProjectFindings(request.db, actorOf(request), request.params.id),
  );
};
