import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { DomainError } from "../domain/errors.js";

/** Domain error codes → HTTP status; anything unlisted is a 422 (a rule said no). */
const STATUS: Record<string, number> = {
  PROJECT_NOT_FOUND: 404,
  SCOPE_NOT_FOUND: 404,
  PROJECT_EXISTS: 409,
  PROJECT_ALREADY_REGISTERED: 409,
  PAYMENT_REFERENCE_CONFLICT: 409,
  PAYMENT_CLAIM_NOT_FOUND: 404,
  PAYMENT_CLAIM_DECIDED: 409,
  REGISTRATION_CLAIM_NOT_FOUND: 404,
  REGISTRATION_CLAIM_DECIDED: 409,
  REGISTRATION_PENDING: 409,
  CERTIFICATE_NOT_ISSUED: 409,
  SCOPE_INVALID: 400,
  FORBIDDEN: 403,
  TOKEN_NOT_FOUND: 404,
  ORGANISATION_NOT_FOUND: 404,
  BATCH_NOT_FOUND: 404,
  CASE_NOT_FOUND: 404,
  LETTER_NOT_FOUND: 404,
  CASE_FINISHED: 409,
  CASE_STEP_ORDER: 409,
  CASE_DEADLINE_NOT_PASSED: 409,
  CASE_NOT_ARREARS: 409,
  USER_EXISTS: 409,
  USER_NOT_FOUND: 404,
  USER_SELF_DISABLE: 409,
  FILE_COLUMNS_MISSING: 400,
  FILE_TYPE_UNSUPPORTED: 415,
  FILE_EMPTY: 400,
  FILE_MISSING: 400,
  FILE_MALFORMED: 400,
  FILE_ENCODING: 400,
  UPLOAD_MALFORMED: 400,
};

/**
 * What PostgreSQL refuses only because of the request's data (SQLSTATE → answer): a reference to a row
 * that does not exist (a region code, an organisation), or text with a NUL, which PostgreSQL cannot
 * store. The transaction is rolled back, so nothing is half-written; the services should say it first,
 * with a domain code and a field, and this answers for any that does not yet, instead of a 500.
 */
const DATABASE_REFUSALS: Record<string, { status: number; code: string; title: string }> = {
  "23503": {
    status: 422,
    code: "REFERENCE_UNKNOWN",
    title: "Data rujukan tidak dikenal / a referenced record does not exist",
  },
  "22021": {
    status: 400,
    code: "TEXT_INVALID",
    title: "Teks berisi karakter NUL yang tidak dapat disimpan / text contains a NUL character",
  },
};

/**
 * Fastify's and its plugins' own refusals of a request's form, said in both languages like every other
 * answer (their messages are English only); a code not listed keeps Fastify's message.
 */
const FRAMEWORK_REFUSALS: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: "Isi permintaan terlalu besar / request body is too large",
  FST_ERR_CTP_INVALID_JSON_BODY: "Isi permintaan bukan JSON yang sah / the request body is not valid JSON",
  FST_ERR_CTP_EMPTY_JSON_BODY:
    "Isi permintaan kosong padahal content-type application/json / the JSON request body is empty",
  FST_ERR_CTP_INVALID_MEDIA_TYPE:
    "Jenis isi (content-type) tidak didukung / unsupported content-type for this request",
  FST_INVALID_MULTIPART_CONTENT_TYPE:
    "Unggahan harus multipart/form-data dengan berkas pada field `file` / an upload must be multipart/form-data with the file in the `file` field",
};

/** A PostgreSQL error (pg and PGlite alike carry `severity` and the SQLSTATE in `code`). */
function databaseRefusal(error: unknown): { sqlState: string; constraint?: string } | null {
  const e = error as { code?: unknown; severity?: unknown; constraint?: unknown };
  if (typeof e.severity !== "string" || typeof e.code !== "string" || !(e.code in DATABASE_REFUSALS))
    return null;
  return { sqlState: e.code, ...(typeof e.constraint === "string" ? { constraint: e.constraint } : {}) };
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code?: string;
  errors?: { field: string; message: string }[];
}

/** Every error leaves as RFC 9457 `application/problem+json`, with field-level details where known. */
export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.status(problem.status).type("application/problem+json").send(problem);
}

export function errorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (hasZodFastifySchemaValidationErrors(error)) {
    return sendProblem(reply, {
      type: "urn:pantau:problem:validation",
      title: "Permintaan tidak valid / Invalid request",
      status: 400,
      errors: error.validation.map((v) => ({
        field: [error.validationContext, ...v.instancePath.split("/").filter(Boolean)]
          .filter(Boolean)
          .join("."),
        message: v.message ?? "invalid",
      })),
    });
  }
  if (error instanceof DomainError) {
    const field = typeof error.details.field === "string" ? error.details.field : undefined;
    return sendProblem(reply, {
      type: `urn:pantau:problem:${error.code.toLowerCase()}`,
      title: error.message,
      status: STATUS[error.code] ?? 422,
      code: error.code,
      ...(field ? { errors: [{ field, message: error.message }] } : {}),
    });
  }
  const refused = databaseRefusal(error);
  if (refused) {
    const answer = DATABASE_REFUSALS[refused.sqlState] as (typeof DATABASE_REFUSALS)[string];
    // Logged, so that a service that should have refused first stays visible.
    request.log.warn(refused, "the database refused the request's data");
    return sendProblem(reply, {
      type: `urn:pantau:problem:${answer.code.toLowerCase()}`,
      title: answer.title,
      status: answer.status,
      code: answer.code,
    });
  }
  if (error.statusCode && error.statusCode < 500) {
    // Fastify's own refusals (a body that is not JSON, too large, of another type) carry their code.
    return sendProblem(reply, {
      type: "about:blank",
      title: FRAMEWORK_REFUSALS[error.code] ?? error.message,
      status: error.statusCode,
      ...(typeof error.code === "string" ? { code: error.code } : {}),
    });
  }
  request.log.error({ err: error }, "unhandled error");
  return sendProblem(reply, { type: "about:blank", title: "Kesalahan server / Internal error", status: 500 });
}

/**
 * For Fastify's `frameworkErrors` option: what the router refuses before any route runs (a malformed
 * URL, a path parameter over `maxParamLength`) leaves as a problem too, not as Fastify's own JSON.
 */
export function frameworkErrors(
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  return sendProblem(reply, {
    type: "about:blank",
    title: "Alamat tidak valid / Invalid URL",
    status: error.statusCode ?? 400,
    code: error.code,
  });
}

/** For `setNotFoundHandler` when no dashboard is served (src/http/web.ts has its own): a 404 problem. */
export function notFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendProblem(reply, {
    type: "about:blank",
    title: `Tidak ditemukan / not found: ${request.method} ${request.url.split("?")[0] ?? ""}`,
    status: 404,
  });
}

/**
 * Log serializers (DESIGN.md §9: no personal data in logs). A NIK typed into a search box reaches
 * the URL, so a run of eight digits or more (a NIK, or most of one) is masked there; a database error
 * carries its statement's parameters and the refused row (names, NIKs, birth dates), so an error keeps
 * only what says what failed and where: type, message, stack, codes and the constraint's name.
 */
const LONG_DIGITS = /\d{8,}/g;
const maskDigits = (text: string) => text.replace(LONG_DIGITS, (run) => "#".repeat(run.length));

export function logRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: maskDigits(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

const ERROR_FIELDS = ["code", "statusCode", "severity", "table", "column", "constraint", "routine"] as const;

export function logError(error: Error): Record<string, unknown> {
  const e = error as Error & Partial<Record<(typeof ERROR_FIELDS)[number], unknown>> & { cause?: unknown };
  const out: Record<string, unknown> = {
    type: e.constructor?.name ?? "Error",
    message: maskDigits(String(e.message)),
    stack: maskDigits(String(e.stack ?? "")),
  };
  for (const key of ERROR_FIELDS) {
    if (typeof e[key] === "string" || typeof e[key] === "number") out[key] = e[key];
  }
  if (e.cause instanceof Error) out.cause = logError(e.cause);
  return out;
}
