import { z } from "zod";
import { ROLES, type Role } from "../domain/access.js";

/** Response and parameter schemas shared by several routes. */
/**
 * A row id in a path: decimal digits only. A number coerced from text would also take "0x39", "1e1" or
 * " 57", so one row would answer to many paths.
 */
export const rowId = z
  .string()
  .regex(/^[1-9]\d{0,14}$/, "angka bulat positif / a positive whole number")
  .transform(Number);

export const idParam = z.object({ id: rowId });

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .describe("RFC 9457 problem details");

/** The error answers every guarded route can give, for the OpenAPI document. */
export const guardedErrors = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  409: problemSchema,
  422: problemSchema,
} as const;

export const roleSchema = z.enum(ROLES as [Role, ...Role[]]);

export const rowErrorSchema = z.object({
  row: z.number().int(),
  field: z.string(),
  code: z.string(),
  message: z.object({ id: z.string(), en: z.string() }),
});

export const reportResultSchema = z.object({
  batchId: z.number().int(),
  projectId: z.number().int(),
  accepted: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.number().int(),
  errors: z.array(rowErrorSchema),
  replayed: z.boolean(),
});

export const userSchema = z.object({
  id: z.number().int(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  organisationId: z.number().int().nullable(),
  organisation: z.string().nullable(),
  regionCode: z.string().nullable(),
  disabled: z.boolean(),
});
