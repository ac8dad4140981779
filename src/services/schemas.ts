import { z } from "zod";
import { RISK_CLASSES, type RiskClass } from "../domain/contribution.js";
import { WORK_TYPES, type WorkType } from "../domain/coverage.js";
import { isIsoDate } from "../domain/dates.js";

/** Input schemas shared by the CLI importers and the HTTP routes: one definition per input. */
export const isoDate = z
  .string()
  .refine(isIsoDate, { message: "harus tanggal YYYY-MM-DD / must be a YYYY-MM-DD date" });
/** Whole rupiah; an empty spreadsheet cell is missing, never zero. */
const rupiah = z.preprocess(
  (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
  z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
);

/** Run a date-order check whenever both dates parsed, even if other fields failed (report every problem). */
const whenDatesValid =
  (...fields: string[]) =>
  (payload: { value: unknown }): boolean => {
    const value = payload.value as Record<string, unknown> | null;
    return fields.every((f) => typeof value?.[f] === "string" && isIsoDate(value[f] as string));
  };

export const FUNDING_SOURCES = ["APBD", "APBN", "DAK", "private"] as const;

export const projectInput = z
  .object({
    code: z.string().trim().min(1).max(64),
    name: z.string().trim().min(1).max(300),
    districtCode: z.string().regex(/^\d{2}\.\d{2}\.\d{2}$/, "kode kecamatan 00.00.00 / sub-district code"),
    workUnitCode: z.string().trim().min(1).max(64).nullable().default(null),
    contractorNib: z.string().trim().min(1).max(64),
    contractorName: z.string().trim().min(1).max(300),
    fundingSource: z.enum(FUNDING_SOURCES),
    workType: z.enum(WORK_TYPES as [WorkType, ...WorkType[]]),
    contractValue: rupiah,
    spkDate: isoDate,
    spmkDate: isoDate,
    endDate: isoDate,
  })
  .refine((p) => p.spmkDate >= p.spkDate, {
    path: ["spmkDate"],
    message: "SPMK sebelum SPK / SPMK before SPK",
    when: whenDatesValid("spkDate", "spmkDate"),
  })
  .refine((p) => p.endDate >= p.spmkDate, {
    path: ["endDate"],
    message: "selesai sebelum SPMK / ends before SPMK",
    when: whenDatesValid("spmkDate", "endDate"),
  });
export type ProjectInput = z.infer<typeof projectInput>;

export const registrationInput = z.discriminatedUnion("basis", [
  z.object({ basis: z.literal("contract_value"), registeredOn: isoDate }),
  z.object({
    basis: z.literal("wage"),
    registeredOn: isoDate,
    riskClass: z.enum(RISK_CLASSES as [RiskClass, ...RiskClass[]]),
    wages: z.array(z.object({ monthlyWage: rupiah, months: z.number().int().min(0).max(120) })).min(1),
  }),
]);
export type RegistrationInput = z.infer<typeof registrationInput>;

export const paymentInput = z.object({
  paidOn: isoDate,
  amount: rupiah.refine((v) => v > 0, "harus > 0 / must be > 0"),
  reference: z.string().trim().min(1).max(100),
});
export type PaymentInput = z.infer<typeof paymentInput>;
