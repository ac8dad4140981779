import { z } from "zod";
import { ROLES, type Role } from "../domain/access.js";
import { plainText } from "../services/schemas.js";

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

/** Kemendagri region codes by what a parameter may name, each saying which it wants. */
export const regencyCode = z
  .string()
  .regex(/^\d{2}\.\d{2}$/, "kode kabupaten/kota seperti 61.03 / a regency code like 61.03");
export const provinceOrRegencyCode = z
  .string()
  .regex(
    /^\d{2}(\.\d{2})?$/,
    "kode provinsi atau kabupaten/kota seperti 61 atau 61.03 / a province or regency code like 61 or 61.03",
  );
export const regionCode = z
  .string()
  .regex(
    /^\d{2}(\.\d{2}){0,2}$/,
    "kode wilayah seperti 61, 61.03 atau 61.03.01 / a region code like 61, 61.03 or 61.03.01",
  );

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

/** A queue of contractors' claims (payments, registrations): by status, within a region, the first `limit`. */
export const claimQueue = <const T extends readonly ["pending", ...string[]]>(statuses: T) =>
  z.object({
    status: z.enum(statuses).default("pending"),
    region: regionCode.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(200),
  });

/** The branch's reason for rejecting a contractor's claim, which the contractor then reads. */
export const rejection = z.object({
  reason: plainText(500).refine((v) => v.length >= 3, "paling sedikit 3 huruf / at least 3 characters"),
});

/** What every contractor's claim in a queue says (src/services/claims.ts `ClaimView`); each kind extends it. */
export const claimBase = z.object({
  id: z.number().int(),
  projectId: z.number().int(),
  projectCode: z.string(),
  projectName: z.string(),
  contractor: z.string(),
  regencyCode: z.string(),
  claimedBy: z.string(),
  claimedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  reason: z.string().nullable(),
});
