import "@fastify/multipart";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { IsoDate } from "../../domain/dates.js";
import { DomainError } from "../../domain/errors.js";
import { rowErrorsCsv, rowErrorsXlsx } from "../../reports/row-errors.js";
import { importProjectWorkers, WORKER_COLUMNS } from "../../services/imports.js";
import { readTable, unsupportedFile } from "../../services/tabular.js";
import { batchResult, reportWorkers } from "../../services/worker-reports.js";
import { actorOf, allow } from "../auth.js";
import { sendProblem } from "../problem.js";
import { guardedErrors, idParam, problemSchema, reportResultSchema, rowId } from "../schemas.js";
import { CONTENT_TYPES } from "./report-files.js";

/** The largest batch one request may carry; bigger lists go through the file upload. */
export const MAX_BATCH_EVENTS = 1000;
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

const eventSchema = z.object({
  event: z.enum(["join", "leave", "masuk", "keluar"]),
  nik: z.string().max(32),
  name: z.string().max(200).optional(),
  birthDate: z.string().max(10).optional(),
  sex: z.enum(["M", "F", "L", "P"]).optional(),
  date: z.string().max(10),
  eventId: z.string().max(100).optional(),
});

const OPERATORS = ["contractor", "bpjs", "admin"] as const;

/**
 * What the multipart parser refuses (a body cut short, a boundary that never comes) is a damaged upload:
 * a 400 naming the file. Fastify's own answers (too large, not multipart) keep their status, and a
 * failing disk stays a server error.
 */
function refuseMultipart(error: unknown): never {
  const e = error as { statusCode?: unknown; syscall?: unknown };
  if (error instanceof DomainError || typeof e.statusCode === "number" || typeof e.syscall === "string")
    throw error;
  throw new DomainError(
    "UPLOAD_MALFORMED",
    "Unggahan multipart rusak atau terpotong / the multipart upload is damaged or cut short",
    { field: "file" },
  );
}

const IDEMPOTENCY_KEY =
  "Header Idempotency-Key wajib: satu kunci unik per batch, 8–200 karakter (mis. UUID), dikirim ulang sama persis bila mengulang / " +
  "the Idempotency-Key header is required: one unique key per batch, 8–200 characters (e.g. a UUID), sent unchanged on a retry";

export const reportRoutes: FastifyPluginAsync<{ today: () => IsoDate }> = async (app, { today }) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    "/api/v1/projects/:id/reports",
    {
      ...allow(...OPERATORS),
      bodyLimit: 1024 * 1024,
      // Count before validating so that an oversized batch is a clear 413, not a list of 400s.
      preValidation: async (request, reply) => {
        const events = (request.body as { events?: unknown })?.events;
        if (Array.isArray(events) && events.length > MAX_BATCH_EVENTS) {
          return sendProblem(reply, {
            type: "urn:pantau:problem:batch-too-large",
            title: `Paling banyak ${MAX_BATCH_EVENTS} laporan per permintaan; kirim berkas untuk daftar yang lebih besar / at most ${MAX_BATCH_EVENTS} events per request`,
            status: 413,
            code: "BATCH_TOO_LARGE",
          });
        }
      },
      schema: {
        tags: ["reports"],
        summary: "Laporkan pekerja masuk/keluar (idempoten) / report workers joining or leaving (idempotent)",
        description:
          "Valid events are applied in one transaction; invalid ones are returned with row (1-based index), field and reason. " +
          "Sending the same Idempotency-Key again returns the first answer with `replayed: true`.",
        params: idParam,
        headers: z.object({
          "idempotency-key": z
            .string({ error: IDEMPOTENCY_KEY })
            .min(8, { error: IDEMPOTENCY_KEY })
            .max(200, { error: IDEMPOTENCY_KEY }),
        }),
        body: z.object({ events: z.array(eventSchema).min(1) }),
        response: { 200: reportResultSchema, 413: problemSchema, ...guardedErrors },
      },
    },
    async (request) =>
      reportWorkers(
        request.db,
        request.params.id,
        {
          idempotencyKey: request.headers["idempotency-key"],
          source: "api",
          rows: request.body.events.map((raw, i) => ({ row: i + 1, raw })),
          today: today(),
        },
        actorOf(request),
      ),
  );

  r.post(
    "/api/v1/projects/:id/uploads",
    {
      ...allow(...OPERATORS),
      schema: {
        tags: ["reports"],
        summary: "Unggah daftar pekerja CSV/XLSX (multipart, field `file`) / upload a worker list",
        description:
          "Columns: nik, name, birth_date, sex, event (join|leave), date; Indonesian headers are accepted too.",
        params: idParam,
        consumes: ["multipart/form-data"],
        response: { 200: reportResultSchema, 413: problemSchema, 415: problemSchema, ...guardedErrors },
      },
    },
    async (request, reply) => {
      const file = await request
        .file({ limits: { fileSize: MAX_UPLOAD_BYTES, files: 1 } })
        .catch(refuseMultipart);
      if (!file)
        throw new DomainError(
          "FILE_MISSING",
          "Tidak ada berkas pada field `file` / no file in the `file` field",
          { field: "file" },
        );
      const ext = extname(file.filename).toLowerCase();
      if (ext !== ".csv" && ext !== ".xlsx") {
        file.file.resume();
        throw unsupportedFile(ext);
      }
      const dir = await mkdtemp(join(tmpdir(), "pantau-upload-"));
      try {
        const path = join(dir, `upload${ext}`);
        await pipeline(file.file, createWriteStream(path)).catch(refuseMultipart);
        if (file.file.truncated) {
          return sendProblem(reply, {
            type: "urn:pantau:problem:file-too-large",
            title: `Berkas melebihi ${MAX_UPLOAD_BYTES / 1024 / 1024} MB / file too large`,
            status: 413,
            code: "FILE_TOO_LARGE",
          });
        }
        return await importProjectWorkers(
          request.db,
          request.params.id,
          readTable(path, WORKER_COLUMNS, ["nik", "event", "date"]),
          {
            today: today(),
            actor: actorOf(request),
            source: ext === ".xlsx" ? "xlsx" : "csv",
          },
        );
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );

  // The row errors as CSV, and as a workbook for an Excel that splits a CSV on semicolons.
  const errorFiles = {
    csv: { type: "text/csv; charset=utf-8", schema: z.string(), write: rowErrorsCsv },
    xlsx: { type: CONTENT_TYPES.xlsx, schema: z.unknown(), write: rowErrorsXlsx },
  };
  for (const [format, file] of Object.entries(errorFiles))
    r.get(
      `/api/v1/projects/:id/reports/:batchId/errors.${format}`,
      {
        ...allow(...OPERATORS),
        schema: {
          tags: ["reports"],
          summary: `Kesalahan per baris sebagai ${format.toUpperCase()} / a batch's row errors as ${format.toUpperCase()}`,
          params: idParam.extend({ batchId: rowId }),
          produces: [file.type.split(";")[0] as string],
          response: { 200: file.schema, ...guardedErrors },
        },
      },
      async (request, reply) => {
        const result = await batchResult(
          request.db,
          actorOf(request),
          request.params.id,
          request.params.batchId,
        );
        return reply
          .type(file.type)
          .header(
            "content-disposition",
            `attachment; filename="laporan-${result.batchId}-kesalahan.${format}"`,
          )
          .send(await file.write(result.errors, WORKER_COLUMNS));
      },
    );
};
