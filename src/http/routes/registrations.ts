import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { IsoDate } from "../../domain/dates.js";
import {
  listRegistrationClaims,
  rejectRegistrationClaim,
  verifyRegistrationClaim,
} from "../../services/registrations.js";
import { actorOf, allow } from "../auth.js";
import { claimBase, claimQueue, guardedErrors, idParam, rejection } from "../schemas.js";

const STATUSES = ["pending", "verified", "rejected"] as const;

const claimSchema = claimBase.extend({
  contractValue: z.number().int(),
  spmkDate: z.string(),
  registeredOn: z.string(),
  basis: z.enum(["contract_value", "wage"]),
  contributionAmount: z.number().int(),
  status: z.enum(STATUSES),
});

/** Registrations with BPJS: contractors file them, the BPJS branch verifies them (DESIGN §1). */
export const registrationRoutes: FastifyPluginAsync<{ today: () => IsoDate }> = async (app, { today }) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    "/api/v1/registration-claims",
    {
      ...allow("contractor", "bpjs", "admin"),
      schema: {
        tags: ["projects"],
        summary:
          "Pendaftaran dari penyedia: antrean verifikasi BPJS / contractors' registrations: the branch's verification queue",
        querystring: claimQueue(STATUSES),
        response: { 200: z.array(claimSchema), ...guardedErrors },
      },
    },
    async (request) => {
      const { region, ...q } = request.query;
      return listRegistrationClaims(request.db, actorOf(request), {
        ...q,
        ...(region ? { regionCode: region } : {}),
      });
    },
  );

  r.post(
    "/api/v1/registration-claims/:id/verify",
    {
      ...allow("bpjs", "admin"),
      schema: {
        tags: ["projects"],
        summary:
          "Verifikasi pendaftaran: terdaftar sejak tanggal pengajuan, jatuh tempo dihitung dari hari ini / verify a registration: registered from the day it was filed, due counted from today",
        params: idParam,
        response: {
          200: z.object({
            claimId: z.number().int(),
            status: z.literal("verified"),
            registrationNo: z.string(),
          }),
          ...guardedErrors,
        },
      },
    },
    async (request) => verifyRegistrationClaim(request.db, request.params.id, actorOf(request), today()),
  );

  r.post(
    "/api/v1/registration-claims/:id/reject",
    {
      ...allow("bpjs", "admin"),
      schema: {
        tags: ["projects"],
        summary: "Tolak pendaftaran dengan alasan / reject a registration, saying why",
        params: idParam,
        body: rejection,
        response: {
          200: z.object({ claimId: z.number().int(), status: z.literal("rejected") }),
          ...guardedErrors,
        },
      },
    },
    async (request) =>
      rejectRegistrationClaim(request.db, request.params.id, request.body.reason, actorOf(request)),
  );
};
