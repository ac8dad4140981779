import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { assertNotAhead, type IsoDate } from "../../domain/dates.js";
import {
  confirmPaymentClaim,
  listPaymentClaims,
  recordPayment,
  rejectPaymentClaim,
} from "../../services/payments.js";
import { listPayments } from "../../services/project-views.js";
import { paymentInput } from "../../services/schemas.js";
import { actorOf, allow } from "../auth.js";
import { claimBase, claimQueue, guardedErrors, idParam, rejection } from "../schemas.js";

const STATUSES = ["pending", "confirmed", "rejected"] as const;
const status = z.enum(STATUSES);

const recorded = z.object({
  status: z.enum(["pending", "confirmed"]),
  paymentId: z.number().int().nullable(),
  claimId: z.number().int().nullable(),
  replayed: z.boolean(),
});

const claimSchema = claimBase.extend({
  paidOn: z.string(),
  amount: z.number().int(),
  reference: z.string(),
  status,
  outstanding: z.number().int().nullable(),
});

/** Contribution payments: contractors record them, the BPJS branch confirms them (DESIGN §1). */
export const paymentRoutes: FastifyPluginAsync<{ today: () => IsoDate }> = async (app, { today }) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    "/api/v1/projects/:id/payments",
    {
      ...allow("contractor", "opd", "bpjs", "admin"),
      schema: {
        tags: ["payments"],
        summary:
          "Pembayaran iuran: yang dikonfirmasi, menunggu, ditolak / contribution payments: confirmed, pending, rejected",
        params: idParam,
        response: {
          200: z.array(
            z.object({
              paymentId: z.number().int().nullable(),
              claimId: z.number().int().nullable(),
              paidOn: z.string(),
              amount: z.number().int(),
              reference: z.string(),
              status,
              reason: z.string().nullable(),
            }),
          ),
          ...guardedErrors,
        },
      },
    },
    async (request) => listPayments(request.db, actorOf(request), request.params.id),
  );

  r.post(
    "/api/v1/projects/:id/payments",
    {
      ...allow("contractor", "bpjs", "admin"),
      schema: {
        tags: ["payments"],
        summary:
          "Catat pembayaran: dari penyedia menunggu konfirmasi BPJS; referensi yang sama = satu pembayaran / record a payment: a contractor's waits for BPJS confirmation; idempotent by reference",
        params: idParam,
        body: paymentInput,
        response: { 201: recorded, 200: recorded, ...guardedErrors },
      },
    },
    async (request, reply) => {
      assertNotAhead(request.body.paidOn, today(), "paidOn");
      const result = await recordPayment(request.db, request.params.id, request.body, actorOf(request));
      return reply.status(result.replayed ? 200 : 201).send(result);
    },
  );

  r.get(
    "/api/v1/payment-claims",
    {
      ...allow("contractor", "bpjs", "admin"),
      schema: {
        tags: ["payments"],
        summary:
          "Klaim pembayaran dari penyedia: antrean konfirmasi BPJS / contractors' payment claims: the branch's confirmation queue",
        querystring: claimQueue(STATUSES),
        response: { 200: z.array(claimSchema), ...guardedErrors },
      },
    },
    async (request) => {
      const { region, ...q } = request.query;
      return listPaymentClaims(request.db, actorOf(request), {
        ...q,
        ...(region ? { regionCode: region } : {}),
      });
    },
  );

  r.post(
    "/api/v1/payment-claims/:id/confirm",
    {
      ...allow("bpjs", "admin"),
      schema: {
        tags: ["payments"],
        summary:
          "Konfirmasi klaim: pembayaran dihitung sejak tanggal bayar / confirm a claim: the payment counts from the day it was paid",
        params: idParam,
        response: {
          200: z.object({
            claimId: z.number().int(),
            paymentId: z.number().int(),
            status: z.literal("confirmed"),
          }),
          ...guardedErrors,
        },
      },
    },
    async (request) => confirmPaymentClaim(request.db, request.params.id, actorOf(request)),
  );

  r.post(
    "/api/v1/payment-claims/:id/reject",
    {
      ...allow("bpjs", "admin"),
      schema: {
        tags: ["payments"],
        summary: "Tolak klaim dengan alasan / reject a claim, saying why",
        params: idParam,
        body: rejection,
        response: {
          200: z.object({ claimId: z.number().int(), status: z.literal("rejected") }),
          ...guardedErrors,
        },
      },
    },
    async (request) =>
      rejectPaymentClaim(request.db, request.params.id, request.body.reason, actorOf(request)),
  );
};
