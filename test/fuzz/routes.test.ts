import fc from "fast-check";
import type { FastifyInstance, InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../src/domain/access.js";
import { composeNik } from "../../src/domain/nik.js";
import { buildApp } from "../../src/http/app.js";
import { addUser, createApiToken, login } from "../../src/services/accounts.js";
import { advanceCase } from "../../src/services/cases.js";
import { runCompliance } from "../../src/services/compliance.js";
import { registerWithBpjs } from "../../src/services/registrations.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";
import { actor, createProject, joinRow, reportRows, sanggauOffices, TODAY } from "../support/fixtures.js";
import { AUTH_BOOKKEEPING, TableWatch } from "./checksum.js";

/**
 * Every route the app serves, found from the app itself (its route catalogue and its OpenAPI document,
 * so a route added tomorrow is fuzzed without touching this file), called by a user whose role may call
 * it, with generated path parameters, query strings, headers and bodies: near-valid values from the
 * route's own schema mixed with wrong types, huge strings, prototype-pollution keys, SQL, formulas and
 * unicode. Whatever comes in: never a 5xx; every error is application/problem+json; a 4xx changes no
 * row of any table; and Object.prototype stays clean.
 */

const PASSWORD = "route-fuzz-pass-123";
/** Runs per route; FUZZ_RUNS=500 for a longer hunt. */
const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? 25);
type Who = Role | "anonymous";

// ---------------------------------------------------------------- JSON Schema (OpenAPI 3.1) subset

interface Schema {
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
}
interface Operation {
  parameters?: { in: "path" | "query" | "header"; name: string; required?: boolean; schema: Schema }[];
  requestBody?: { content?: Record<string, { schema: Schema }> };
}

// ---------------------------------------------------------------- adversarial values

const SQLISH = [
  "'; drop table person; --",
  "1 or 1=1",
  "' union select password_hash from app_user --",
  "$$; delete from project; $$",
  "\\x00",
];
const FORMULAS = ["=CMD|' /C calc'!A0", "@SUM(1+1)", "+1+1", "-1"];
const ODD = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "__proto__",
  "constructor",
  "prototype",
  "../../etc/passwd",
  "%00",
  "%E0%A4%A",
  "\u202eRTL",
  "Budi\u0301\u0308",
  "👷🏽‍♀️",
  "\ud800",
  "٦١٠٣٠١١٢٠٣٨٥٠٠١٢",
  "６１０３０１１２０３８５００１２",
  "NaN",
  "Infinity",
  "-0",
  "1e309",
  "9007199254740993",
  "99999999999999999999999",
  "true",
  "null",
  "[]",
  "{}",
];
const DATES = [
  "2025-07-30",
  "2025-06-01",
  "2024-02-29",
  "2025-02-29",
  "2025-13-01",
  "0000-00-00",
  "9999-12-31",
  "2025-07",
  "30/07/2025",
];

const adversarialString = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SQLISH, ...FORMULAS, ...ODD, ...DATES) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
  { weight: 1, arbitrary: fc.nat(9).map((n) => String.fromCodePoint(0x41 + n).repeat(100_000)) },
);

/** Any JSON value, weighted towards wrong types and nasty strings. */
const adversarialValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: adversarialString },
  {
    weight: 2,
    arbitrary: fc.constantFrom(0, -1, 1.5, 2 ** 53, -(2 ** 63), 1e308, Number.MIN_VALUE, true, false, null),
  },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...SQLISH, ...ODD), { maxLength: 3 }) },
);

/** Keys that try to reach Object.prototype through a JSON body or a query string. */
const POLLUTION = ["__proto__", "constructor", "prototype"];
function withOwnKey(target: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
  return target;
}

// ---------------------------------------------------------------- near-valid values from a schema

const knownNik = fc
  .record({
    daysAgo: fc.integer({ min: 6000, max: 20_000 }),
    sex: fc.constantFrom("M" as const, "F" as const),
    serial: fc.integer({ min: 1, max: 40 }),
  })
  .map(({ daysAgo, sex, serial }) =>
    composeNik({
      regionCode: "61.03.01",
      birthDate: new Date(Date.parse(`${TODAY}T00:00:00Z`) - daysAgo * 86_400_000).toISOString().slice(0, 10),
      sex,
      serial,
    }),
  );

/** Days around the demo's year, most of them real dates. */
const isoDay = fc
  .date({ min: new Date("2024-01-01T00:00:00Z"), max: new Date("2026-12-31T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

function stringFor(name: string, schema: Schema, emails: string[]): fc.Arbitrary<string> {
  const options: fc.Arbitrary<string>[] = [];
  if (/period/i.test(name))
    options.push(fc.constantFrom("2025-06", "2025-07", "2026-01", "2030-01", "2025-13"));
  else if (/date|On$/i.test(name)) options.push(isoDay, isoDay, fc.constantFrom(...DATES));
  if (/region|regency|district|^id$/i.test(name)) {
    const codes = ["61.03", "61.03.01", "61.03.21", "61", "61.05", "11.01", "1", "2", "3"];
    const fitting = schema.pattern
      ? codes.filter((c) => new RegExp(schema.pattern as string).test(c))
      : codes;
    options.push(fc.constantFrom(...(fitting.length > 0 ? fitting : codes)));
  }
  if (/nik/i.test(name)) options.push(knownNik, fc.constant(joinRow(1, "").nik));
  if (/password/i.test(name)) options.push(fc.constant(PASSWORD));
  if (schema.format === "email") options.push(fc.constantFrom(...emails), fc.emailAddress());
  if (schema.pattern && options.length === 0) {
    try {
      options.push(fc.stringMatching(new RegExp(schema.pattern)));
    } catch {
      // a pattern fast-check cannot invert: the plain strings below cover the field
    }
  }
  if (options.length === 0) {
    const min = schema.minLength ?? 0;
    const max = Math.max(min, Math.min(schema.maxLength ?? 30, 30));
    options.push(
      fc.string({ minLength: Math.max(min, 1), maxLength: max }),
      fc.string({ minLength: min, maxLength: max }),
    );
  }
  return fc.oneof(...options);
}

/** A value the schema would mostly accept: the handlers, not only validation, get to see it. */
function nearValid(
  schema: Schema | undefined,
  name: string,
  emails: string[],
  depth = 0,
): fc.Arbitrary<unknown> {
  if (!schema || depth > 4) return adversarialValue;
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return fc.oneof(...variants.map((s) => nearValid(s, name, emails, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "object": {
      const props = Object.entries(schema.properties ?? {});
      const required = new Set(schema.required ?? []);
      return fc
        .tuple(
          ...props.map(([key, s]) =>
            required.has(key)
              ? nearValid(s, key, emails, depth + 1)
              : fc.option(nearValid(s, key, emails, depth + 1), { freq: 2 }),
          ),
        )
        .map((values) => {
          const out: Record<string, unknown> = {};
          props.forEach(([key], i) => {
            if (values[i] !== null) out[key] = values[i];
          });
          return out;
        });
    }
    case "array":
      return fc.array(nearValid(schema.items, name, emails, depth + 1), {
        minLength: schema.minItems ?? 0,
        maxLength: 4,
      });
    case "integer": {
      const min =
        schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -1000);
      const max = Math.min(schema.maximum ?? 1_000_000_000, 2 ** 31);
      return fc.oneof(fc.integer({ min: Math.max(min, -(2 ** 31)), max }), fc.integer({ min: 1, max: 12 }));
    }
    case "number":
      return fc.oneof(
        fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true }),
        fc.constantFrom(58.65, 0, 100),
      );
    case "boolean":
      return fc.boolean();
    case "string":
      return stringFor(name, schema, emails);
    default:
      return adversarialValue;
  }
}

/** Every place in a JSON value (the value itself, each key, each element), as paths. */
function places(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  const here = [path];
  if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => places(v, [...path, i]))];
  if (value && typeof value === "object")
    return [...here, ...Object.entries(value).flatMap(([k, v]) => places(v, [...path, k]))];
  return here;
}

function replaceAt(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path.at(-1) as string | number] = replacement;
  return copy;
}

/**
 * A near-valid value with at most one place broken: a wrong type, a huge or hostile string there, a
 * key removed, or a prototype-pollution key added beside the others.
 */
function fromSchema(schema: Schema | undefined, name: string, emails: string[]): fc.Arbitrary<unknown> {
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant("replace" as const), at: fc.nat(), value: adversarialValue }),
    fc.record({ kind: fc.constant("remove" as const), at: fc.nat() }),
    fc.record({
      kind: fc.constant("pollute" as const),
      at: fc.nat(),
      key: fc.constantFrom(...POLLUTION),
      value: fc.constantFrom<unknown>({ polluted: "yes" }, { prototype: { polluted: "yes" } }, "x"),
    }),
  );
  const maybe = fc.oneof({ weight: 2, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: mutation });
  return fc.tuple(nearValid(schema, name, emails), maybe).map(([value, m]) => {
    if (!m) return value;
    const all = places(value);
    const path = all[m.at % all.length] as (string | number)[];
    if (m.kind === "replace") return replaceAt(value, path, m.value);
    if (m.kind === "remove" && path.length > 0) {
      const copy = structuredClone(value) as Record<string | number, unknown>;
      let node = copy;
      for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
      if (Array.isArray(node)) node.splice(path.at(-1) as number, 1);
      else delete node[path.at(-1) as string];
      return copy;
    }
    // Pollution goes on the nearest object at or above the chosen place.
    const copy = structuredClone(value) as Record<string | number, unknown>;
    let node: unknown = copy;
    let target: Record<string, unknown> | null = null;
    for (const key of [null, ...path]) {
      if (key !== null) node = (node as Record<string | number, unknown>)[key];
      if (node && typeof node === "object" && !Array.isArray(node)) target = node as Record<string, unknown>;
    }
    if (target && m.kind === "pollute") withOwnKey(target, m.key, m.value);
    return copy;
  });
}

// ---------------------------------------------------------------- requests

/** Lone surrogates cannot be percent-encoded: they travel as U+FFFD, as a browser would send them. */
const wellFormed = (s: string) =>
  s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
const urlEncode = (s: string) => encodeURIComponent(wellFormed(s));

/** A path parameter: an id that exists (1–12 in this database) or anything else, encoded or raw. */
const pathParam = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 12 }).map(String) },
  { weight: 1, arbitrary: adversarialString.map((s) => urlEncode(s.slice(0, 200))) },
  {
    weight: 1,
    arbitrary: fc.constantFrom("0", "-1", "1.5", "1e3", "0x10", "99999999999999999999", "%201", "1%20"),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom("%E0%A4%A", "%00", "%", "..%2F..", "%2e%2e", "1%3Bdrop", "%C0%AF"),
  },
);

/** Raw query-string additions that a serialiser would never produce. */
const rawQuery = fc.constantFrom(
  "",
  "&__proto__[polluted]=yes",
  "&constructor[prototype][polluted]=yes",
  "&q=a&q=b",
  "&%E0%A4%A=x",
  "&x=%00",
  "&id[]=1",
  "&date=2025-07-30&date=2025-07-31",
);

/** Bodies that are not what the content type says, or that stress the parser. */
const rawBody = fc.constantFrom(
  "{",
  "nul",
  '{"a":1,"a":2}',
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  "[".repeat(5000) + "]".repeat(5000),
  `"${"é".repeat(600_000)}"`,
  "\ufeff{}",
);

interface RouteUnderTest {
  method: string;
  url: string;
  roles: Who[];
  operation: Operation;
}

/** Query or header parameters as one object schema, so that one request breaks at most one of them. */
const asObject = (params: NonNullable<Operation["parameters"]>): Schema => ({
  type: "object",
  properties: Object.fromEntries(params.map((p) => [p.name, p.schema])),
  required: params.filter((p) => p.required).map((p) => p.name),
});

/** A generated value as a query or header text (`String` throws on an object without a prototype). */
const asText = (v: unknown): string => (typeof v === "string" ? v : (JSON.stringify(v) ?? ""));

/** The entries of what a mutation left of a parameter object (it may have replaced the whole object). */
const entries = (value: unknown): [string, unknown][] =>
  value && typeof value === "object" && !Array.isArray(value)
    ? Object.entries(value).filter(([, v]) => v !== null && v !== undefined)
    : [];

function requestFor(route: RouteUnderTest, emails: string[]) {
  const params = (route.operation.parameters ?? []).filter((p) => p.in !== "path");
  const query = params.filter((p) => p.in === "query");
  const headers = params.filter((p) => p.in === "header");
  const body = route.operation.requestBody?.content?.["application/json"]?.schema;
  const pathNames = [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1] as string);
  return fc
    .record({
      who: fc.constantFrom(...route.roles),
      path: fc.tuple(...pathNames.map(() => pathParam), fc.constant(null)),
      query: fromSchema(asObject(query), "query", emails),
      extraQuery: fc.oneof({ weight: 6, arbitrary: fc.constant("") }, { weight: 1, arbitrary: rawQuery }),
      headers: fromSchema(asObject(headers), "headers", emails),
      body: fc.oneof(
        {
          weight: 6,
          arbitrary: fromSchema(body ?? { type: "object" }, "body", emails).map((value) => ({ json: value })),
        },
        { weight: 1, arbitrary: rawBody.map((text) => ({ text, type: "application/json" })) },
        { weight: 1, arbitrary: adversarialString.map((text) => ({ text, type: "text/plain" })) },
      ),
    })
    .map((r) => {
      let url = route.url;
      pathNames.forEach((name, i) => {
        url = url.replace(`:${name}`, String(r.path[i]));
      });
      const search = new URLSearchParams();
      for (const [name, v] of entries(r.query)) search.append(name, asText(v));
      const qs = `${search.toString()}${r.extraQuery}`.replace(/^&/, "");
      const head: Record<string, string> = {};
      for (const [name, v] of entries(r.headers)) head[name] = urlEncode(asText(v)).slice(0, 4000);
      const hasBody = route.method !== "GET" && route.method !== "DELETE";
      const payload = !hasBody
        ? undefined
        : "json" in r.body
          ? JSON.stringify(r.body.json ?? null)
          : r.body.text;
      if (hasBody) head["content-type"] = "json" in r.body ? "application/json" : r.body.type;
      return {
        who: r.who,
        options: {
          method: route.method,
          url: qs ? `${url}?${qs}` : url,
          headers: head,
          payload,
        } as InjectOptions,
      };
    });
}

/**
 * An answer Fastify's router gives before any route runs: a malformed URL (400), a path parameter longer
 * than `maxParamLength` (414), or no route at all (404, when no dashboard is served).
 */
function routerLevel(res: { statusCode: number; headers: Record<string, unknown>; body: string }): boolean {
  if (String(res.headers["content-type"]).startsWith("application/problem+json")) return false;
  let body: { code?: string; message?: string } = {};
  try {
    body = JSON.parse(res.body);
  } catch {
    return false;
  }
  return (
    body.code === "FST_ERR_BAD_URL" ||
    body.code === "FST_ERR_MAX_PARAM_LENGTH" ||
    (res.statusCode === 404 && /^Route .* not found$/.test(body.message ?? ""))
  );
}

// ---------------------------------------------------------------- the test

describe.each(backends)("every route under fuzzing [%s]", (backend) => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let watch: TableWatch;
  const cookies = {} as Record<Who, string | undefined>;
  const emails = {} as Record<Role, string>;
  let address = 0;

  beforeAll(async () => {
    t = await freshDatabase(backend);
    const db = t.db;
    const { branch, enforcer } = await sanggauOffices(db);
    const a = await createProject(db, {
      code: "PA",
      contractorNib: "9120000000001",
      contractorName: "CV A",
      workUnitCode: "PUPR",
    });
    await createProject(db, {
      code: "PB",
      contractorNib: "9120000000002",
      contractorName: "CV B",
      workUnitCode: "PERKIM",
    });
    const c = await createProject(db, {
      code: "PC",
      contractorNib: "9120000000003",
      contractorName: "CV C",
      workUnitCode: "PUPR",
    });
    await registerWithBpjs(db, a.id, { basis: "contract_value", registeredOn: "2025-03-05" }, actor);
    await reportRows(db, a.id, [joinRow(1, "2025-04-01"), { event: "join", nik: "1", date: "2025-04-01" }]);
    await reportRows(db, c.id, [joinRow(2, "2025-04-01")]);
    await runCompliance(db, { regencyCode: "61.03", date: "2025-06-01" }, actor);
    const open = await db.selectFrom("enforcement_case").select("id").orderBy("id").execute();
    if (open[0]) await advanceCase(db, actor, open[0].id, { action: "issue_warning_1", date: "2025-06-02" });
    await createApiToken(db, a.contractor_id, "erp", actor);
    const users: [Role, number | null, string | null][] = [
      ["admin", null, null],
      ["bpjs", branch, "61.03"],
      ["opd", a.work_unit_id, null],
      ["contractor", a.contractor_id, null],
      ["enforcer", enforcer, null],
    ];
    for (const [role, organisationId, regionCode] of users) {
      emails[role] = `${role}@fuzz.test`;
      await addUser(
        db,
        { email: emails[role], name: role, role, organisationId, regionCode, password: PASSWORD },
        actor,
      );
    }
    app = await buildApp({ db, config: { logLevel: "silent" }, today: () => TODAY });
    await app.ready();
    cookies.anonymous = undefined;
    for (const [role] of users) cookies[role] = await sessionCookie(role);
    watch = await TableWatch.start(db, AUTH_BOOKKEEPING);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  async function sessionCookie(role: Role): Promise<string> {
    const session = await login(t.db, emails[role], PASSWORD);
    if (!session) throw new Error(`no session for ${role}`);
    return `pj_session=${session.token}`;
  }

  /** The routes to fuzz, from the app: its catalogue (method, URL, who may call) and its OpenAPI document. */
  function routes(): RouteUnderTest[] {
    const spec = app.swagger() as { paths: Record<string, Record<string, Operation>> };
    return app.routeCatalog
      .filter((r) => !r.url.startsWith("/docs")) // Swagger UI's own static files
      .map((r) => ({
        method: r.method,
        url: r.url,
        roles: (r.access === "public" || r.access === undefined ? ["anonymous"] : [...r.access]) as Who[],
        operation: spec.paths[r.url.replace(/:(\w+)/g, "{$1}")]?.[r.method.toLowerCase()] ?? {},
      }));
  }

  it("answers what the router refuses (bad URL, over-long parameter, no route) as problem+json", async () => {
    const cookie = cookies.admin as string;
    for (const url of [
      "/api/v1/projects/%E0%A4%A",
      `/api/v1/projects/${"1".repeat(150)}`,
      "/api/v1/projects//workers",
    ]) {
      const res = await app.inject({ method: "GET", url, headers: { cookie } });
      expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, url).toBeLessThan(500);
      expect(res.headers["content-type"], url).toMatch(/^application\/problem\+json/);
    }
  });

  // What earlier fuzzing found answering 500, kept as fixed cases so that they stay found.
  it("answers the requests fuzzing once found failing, and changes nothing on a refusal", async () => {
    const found: [Who, InjectOptions, number][] = [
      // a regency that is not in the region table: a foreign-key refusal
      [
        "admin",
        {
          method: "POST",
          url: "/api/v1/organisations",
          payload: { kind: "work_unit", code: "X", name: "X", regencyCode: "00.00" },
        },
        422,
      ],
      [
        "admin",
        {
          method: "POST",
          url: "/api/v1/users",
          payload: {
            email: "x@fuzz.test",
            name: "X",
            role: "bpjs",
            organisationId: null,
            regionCode: "99.99",
            password: "long-enough-123",
          },
        },
        422,
      ],
      // a NUL, which PostgreSQL text cannot hold, in a body and in a query
      [
        "admin",
        {
          method: "POST",
          url: "/api/v1/organisations",
          payload: { kind: "work_unit", code: "NUL", name: "a\u0000b", regencyCode: "61.03" },
        },
        400,
      ],
      ["contractor", { method: "GET", url: "/api/v1/projects?q=a%00b" }, 400],
      // the public check names a NIK with a NUL as what it is, a NIK that cannot be one
      [
        "anonymous",
        {
          method: "POST",
          url: "/api/v1/public/check",
          payload: { nik: "6103011203850001\u0000", birthDate: "1985-03-12" },
        },
        422,
      ],
      // a case step dated in year 9999, whose deadline would fall in year 10000
      [
        "bpjs",
        {
          method: "POST",
          url: "/api/v1/cases/1/actions",
          payload: { action: "issue_warning_2", date: "9999-12-31" },
        },
        400,
      ],
    ];
    for (const [who, options, status] of found) {
      await watch.settle();
      const cookie = cookies[who];
      const res = await app.inject({ ...options, headers: { ...(cookie ? { cookie } : {}) } });
      const what = `${options.method} ${options.url} → ${res.statusCode} ${res.body.slice(0, 200)}`;
      expect(res.statusCode, what).toBe(status);
      if (status >= 400) {
        expect(res.headers["content-type"], what).toMatch(/^application\/problem\+json/);
        expect(await watch.changes(), what).toEqual([]);
      }
    }
  });

  it("finds the routes from the app itself, with their schemas", () => {
    const found = routes();
    expect(found.length).toBeGreaterThan(30);
    const reports = found.find((r) => r.url === "/api/v1/projects/:id/reports");
    expect(reports?.operation.requestBody).toBeDefined();
    expect(reports?.roles).toEqual(["contractor", "bpjs", "admin"]);
  });

  it("answers every route with no 5xx, problem+json errors, and no change on a 4xx", async () => {
    const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
    const statuses: Record<string, Record<number, number>> = {};
    for (const route of routes()) {
      const key = `${route.method} ${route.url}`;
      statuses[key] = {};
      await fc.assert(
        fc.asyncProperty(requestFor(route, Object.values(emails)), async ({ who, options }) => {
          // Signing out ends the session it carries: give it one of its own.
          const cookie =
            route.url.endsWith("/logout") && who !== "anonymous" ? await sessionCookie(who) : cookies[who];
          await watch.settle();
          // Each request from an address of its own: the per-address rate limits stay out of the way.
          const res = await app.inject({
            ...options,
            remoteAddress: `10.${(++address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}`,
            headers: { ...options.headers, ...(cookie ? { cookie } : {}) },
          });
          const seen = statuses[key] as Record<number, number>;
          seen[res.statusCode] = (seen[res.statusCode] ?? 0) + 1;
          const what = `${key} as ${who}: ${options.method} ${String(options.url).slice(0, 300)} → ${res.statusCode} ${res.body.slice(0, 300)}`;
          expect(res.statusCode, what).toBeLessThan(500);
          expect(Object.getOwnPropertyNames(Object.prototype).sort(), what).toEqual(prototypeKeys);
          expect(({} as Record<string, unknown>).polluted, what).toBeUndefined();
          if (res.statusCode >= 400 && routerLevel(res)) {
            // Known gap, pinned by the test below: still no 5xx and no change, but Fastify's own JSON.
            expect(await watch.changes(), `${what}: a ${res.statusCode} changed tables`).toEqual([]);
          } else if (res.statusCode >= 400) {
            expect(res.headers["content-type"], what).toMatch(/^application\/problem\+json/);
            const problem = res.json();
            expect(problem, what).toMatchObject({
              type: expect.any(String),
              title: expect.any(String),
              status: res.statusCode,
            });
            expect(await watch.changes(), `${what}: a ${res.statusCode} changed tables`).toEqual([]);
          }
        }),
        { numRuns: RUNS_PER_ROUTE },
      );
    }
    console.log("STATS", JSON.stringify(statuses, null, 0));
    // Not vacuous: the fuzzing reached past validation into the handlers (2xx and domain 4xx alike).
    const all = Object.values(statuses).flatMap((s) => Object.entries(s));
    const count = (pred: (status: number) => boolean) =>
      all.filter(([s]) => pred(Number(s))).reduce((n, [, k]) => n + k, 0);
    expect(count((s) => s < 300)).toBeGreaterThan(50);
    expect(count((s) => s === 404 || s === 409 || s === 422)).toBeGreaterThan(20);
  }, 240_000);
});
