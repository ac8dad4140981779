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
  FILE_COLUMNS_MISSING: 400,
  FILE_TYPE_UNSUPPORTED: 415,
  FILE_EMPTY: 400,
};

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
  if (error.statusCode && error.statusCode < 500) {
    return sendProblem(reply, { type: "about:blank", title: error.message, status: error.statusCode });
  }
  request.log.error({ err: error }, "unhandled error");
  return sendProblem(reply, { type: "about:blank", title: "Kesalahan server / Internal error", status: 500 });
}
