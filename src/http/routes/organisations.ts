import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  addUser,
  changeUserAccess,
  createApiToken,
  listApiTokens,
  listUsers,
  revokeApiToken,
} from "../../services/accounts.js";
import { ensureOrganisation, listOrganisations } from "../../services/organisations.js";
import { plainText } from "../../services/schemas.js";
import { actorOf, allow } from "../auth.js";
import {
  guardedErrors,
  idParam,
  provinceOrRegencyCode,
  regencyCode,
  roleSchema,
  userSchema,
} from "../schemas.js";

const KINDS = ["work_unit", "contractor", "bpjs_branch", "enforcer", "admin"] as const;

/**
 * What an admin may add: an organisation a user or a project can belong to (not the admins' own), a
 * contractor under its 13-digit NIB, and a work unit or a prosecutor's office in its regency, since a
 * project names an OPD of its own regency and a case goes to the Kejaksaan of its own.
 */
const newOrganisation = z
  .object({
    kind: z.enum(["work_unit", "contractor", "bpjs_branch", "enforcer"]),
    code: plainText(64).refine((v) => v.trim().length > 0, "wajib diisi / required"),
    name: plainText(300).refine((v) => v.trim().length > 0, "wajib diisi / required"),
    regencyCode: regencyCode.nullable(),
  })
  .refine((o) => o.kind !== "contractor" || /^\d{13}$/.test(o.code), {
    path: ["code"],
    message: "NIB 13 angka / an NIB has 13 digits",
  })
  .refine((o) => (o.kind !== "work_unit" && o.kind !== "enforcer") || o.regencyCode !== null, {
    path: ["regencyCode"],
    message:
      "kabupaten/kota wajib untuk OPD dan Kejaksaan / a work unit or prosecutor's office needs its regency",
  });

const organisationSchema = z.object({
  id: z.number().int(),
  kind: z.enum(KINDS),
  code: z.string(),
  name: z.string(),
  regencyCode: z.string().nullable(),
});

const tokenSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

/** A user after an access change, with the API tokens the change revoked (when disabling). */
const accessSchema = userSchema.extend({ revokedTokens: z.number().int() });

export const organisationRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    "/api/v1/organisations",
    {
      ...allow("contractor", "opd", "bpjs", "admin"),
      schema: {
        tags: ["organisations"],
        summary: "Organisasi yang boleh Anda lihat / organisations visible to you",
        querystring: z.object({ kind: z.enum(KINDS).optional() }),
        response: { 200: z.array(organisationSchema), ...guardedErrors },
      },
    },
    async (request) => listOrganisations(request.db, actorOf(request), request.query.kind),
  );

  r.post(
    "/api/v1/organisations",
    {
      ...allow("admin"),
      schema: {
        tags: ["organisations"],
        summary:
          "Tambah organisasi; yang sudah ada (jenis dan kode) tidak diubah / add an organisation; an existing one (kind and code) is left unchanged",
        body: newOrganisation,
        response: {
          201: z.object({ id: z.number().int(), created: z.literal(true) }),
          200: z.object({ id: z.number().int(), created: z.literal(false) }),
          ...guardedErrors,
        },
      },
    },
    async (request, reply) => {
      // An organisation with this kind and code is answered as it is (200), not as added (201).
      const kept = await ensureOrganisation(request.db, request.body, actorOf(request));
      return reply.status(kept.created ? 201 : 200).send(kept);
    },
  );

  r.get(
    "/api/v1/users",
    {
      ...allow("admin"),
      schema: {
        tags: ["users"],
        summary: "Daftar pengguna / users",
        response: { 200: z.array(userSchema), ...guardedErrors },
      },
    },
    async (request) => listUsers(request.db),
  );

  r.post(
    "/api/v1/users",
    {
      ...allow("admin"),
      schema: {
        tags: ["users"],
        summary: "Tambah pengguna / add a user",
        body: z.object({
          email: z.string().email(),
          name: plainText(200),
          role: roleSchema,
          organisationId: z.number().int().positive().nullable(),
          regionCode: provinceOrRegencyCode.nullable(),
          password: z.string().min(10).max(200),
        }),
        response: { 201: userSchema, ...guardedErrors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await addUser(request.db, request.body, actorOf(request))),
  );

  const access = {
    disable: "Nonaktifkan pengguna (sesinya berakhir) / disable a user (their sessions end)",
    enable: "Aktifkan kembali pengguna / enable a user again",
  } as const;
  for (const action of ["disable", "enable"] as const) {
    r.post(
      `/api/v1/users/:id/${action}`,
      {
        ...allow("admin"),
        schema: {
          tags: ["users"],
          summary: access[action],
          params: idParam,
          response: { 200: accessSchema, ...guardedErrors },
        },
      },
      async (request) => changeUserAccess(request.db, request.params.id, { action }, actorOf(request)),
    );
  }

  r.post(
    "/api/v1/users/:id/password",
    {
      ...allow("admin"),
      schema: {
        tags: ["users"],
        summary: "Tetapkan kata sandi baru (sesinya berakhir) / set a new password (their sessions end)",
        params: idParam,
        body: z.object({ password: z.string().min(10).max(200) }),
        response: { 200: accessSchema, ...guardedErrors },
      },
    },
    async (request) =>
      changeUserAccess(
        request.db,
        request.params.id,
        { action: "password", password: request.body.password },
        actorOf(request),
      ),
  );

  r.get(
    "/api/v1/organisations/:id/tokens",
    {
      ...allow("contractor", "admin"),
      schema: {
        tags: ["tokens"],
        summary: "Token API penyedia jasa / a contractor's API tokens",
        params: idParam,
        response: { 200: z.array(tokenSchema), ...guardedErrors },
      },
    },
    async (request) => listApiTokens(request.db, request.params.id, actorOf(request)),
  );

  r.post(
    "/api/v1/organisations/:id/tokens",
    {
      ...allow("contractor", "admin"),
      schema: {
        tags: ["tokens"],
        summary: "Buat token API (ditampilkan sekali) / create an API token (shown once)",
        params: idParam,
        body: z.object({ name: plainText(100) }),
        response: {
          201: z.object({ id: z.number().int(), token: z.string(), prefix: z.string() }),
          ...guardedErrors,
        },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createApiToken(request.db, request.params.id, request.body.name, actorOf(request))),
  );

  r.delete(
    "/api/v1/tokens/:id",
    {
      ...allow("contractor", "admin"),
      schema: {
        tags: ["tokens"],
        summary: "Cabut token / revoke a token",
        params: idParam,
        response: { 204: z.null(), ...guardedErrors },
      },
    },
    async (request, reply) => {
      await revokeApiToken(request.db, request.params.id, actorOf(request));
      return reply.status(204).send(null);
    },
  );
};
