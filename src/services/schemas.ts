import { z } from "zod";
import "../zod-messages.js";
import { RISK_CLASSES, type RiskClass } from "../domain/contribution.js";
import { WORK_TYPES, type WorkType } from "../domain/coverage.js";
import { FIRST_RECORD_DATE, isIsoDate, isRecordDate, LAST_RECORD_DATE } from "../domain/dates.js";
import { bilingual } from "../domain/errors.js";
import { HIDDEN_CHARACTERS_MESSAGE, hasHiddenCharacters } from "../domain/text.js";

/** Input schemas shared by the CLI importers and the HTTP routes: one definition per input. */
export const isoDate = z
  .string()
  .refine(isIsoDate, { message: "harus tanggal YYYY-MM-DD / must be a YYYY-MM-DD date" });
/** A date of a record or a query about records (src/domain/dates.ts), not a birth date. */
export const recordDate = isoDate.refine((d) => !isIsoDate(d) || isRecordDate(d), {
  message: `harus antara ${FIRST_RECORD_DATE} dan ${LAST_RECORD_DATE} / must lie between ${FIRST_RECORD_DATE} and ${LAST_RECORD_DATE}`,
});
/** A name or code people read: trimmed, present, and free of hidden characters (src/domain/text.ts). */
export const plainText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((v) => !hasHiddenCharacters(v), {
      message: bilingual(HIDDEN_CHARACTERS_MESSAGE),
    });

/** Free text of several lines (a case note): line breaks and tabs, but no other hidden characters. */
export const plainLines = (max: number) =>
  z
    .string()
    .max(max)
    .refine((v) => !hasHiddenCharacters(v, { lines: true }), {
      message: bilingual(HIDDEN_CHARACTERS_MESSAGE),
    });

/**
 * Whole rupiah, up to Rp 1.000 triliun (far above any one contract): sums of amounts then stay within
 * the range JavaScript numbers hold exactly. An empty spreadsheet cell is missing, never zero; a
 * spreadsheet's text is read as a number, but nothing else is (JSON's `true` is no amount).
 */
const rupiah = z.preprocess(
  (v) => (typeof v === "string" ? (v.trim() === "" ? undefined : Number(v)) : v),
  z.number().int().min(0).max(1e15),
);

/** The contractor's NIB (Nomor Induk Berusaha, issued by OSS): 13 digits. */
const nib = z.string().regex(/^\d{13}$/, "NIB 13 angka / an NIB has 13 digits");

/** Run a date-order check whenever both dates parsed, even if other fields failed (report every problem). */
const whenDatesValid =
  (...fields: string[]) =>
  (payload: { value: unknown }): boolean => {
    const value = payload.value as Record<string, unknown> | null;
    return fields.every((f) => typeof value?.[f] === "string" && isIsoDate(value[f] as string));
  };

export const FUNDING_SOURCES = ["APBD", "APBN", "DAK", "private"] as const;

/**
 * A project's procurement data beyond its identity (the package code and the contractor), in two parts
 * so that the project's fields keep the order its form and files ask for them.
 */
const projectPackage = {
  name: plainText(300),
  districtCode: z.string().regex(/^\d{2}\.\d{2}\.\d{2}$/, "kode kecamatan 00.00.00 / sub-district code"),
  workUnitCode: plainText(64).nullable().default(null),
};
const projectContract = {
  fundingSource: z.enum(FUNDING_SOURCES),
  workType: z.enum(WORK_TYPES as [WorkType, ...WorkType[]]),
  contractValue: rupiah.refine((v) => v > 0, "harus > 0 / must be > 0"),
  spkDate: recordDate,
  spmkDate: recordDate,
  endDate: recordDate,
};

/** SPK, then SPMK, then the end of the contract. */
const inDateOrder = <T extends z.ZodType<{ spkDate: string; spmkDate: string; endDate: string }>>(
  schema: T,
) =>
  schema
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

export const projectInput = inDateOrder(
  z.object({
    code: plainText(64),
    ...projectPackage,
    contractorNib: nib,
    contractorName: plainText(300),
    ...projectContract,
  }),
);
export type ProjectInput = z.infer<typeof projectInput>;

/** A correction of a project's data before it is registered: its code and contractor stay. */
export const projectEdit = inDateOrder(z.object({ ...projectPackage, ...projectContract }));
export type ProjectEdit = z.infer<typeof projectEdit>;

export const registrationInput = z.discriminatedUnion("basis", [
  z.object({ basis: z.literal("contract_value"), registeredOn: recordDate }),
  z.object({
    basis: z.literal("wage"),
    registeredOn: recordDate,
    riskClass: z.enum(RISK_CLASSES as [RiskClass, ...RiskClass[]]),
    wages: z
      .array(
        z.object({
          // Rp 10 miliar a month: with 10,000 wages over 120 months the dues stay within the safe range.
          monthlyWage: rupiah.refine((v) => v <= 1e10, "paling banyak Rp 10 miliar / at most Rp 10 billion"),
          months: z.number().int().min(0).max(120),
        }),
      )
      .min(1)
      .max(10_000),
  }),
]);
export type RegistrationInput = z.infer<typeof registrationInput>;

export const paymentInput = z.object({
  paidOn: recordDate,
  amount: rupiah.refine((v) => v > 0, "harus > 0 / must be > 0"),
  reference: plainText(100),
});
export type PaymentInput = z.infer<typeof paymentInput>;
