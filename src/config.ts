import { z } from "zod";
import { DomainError } from "./domain/errors.js";
import "./zod-messages.js";

/** Configuration is read from the environment once, validated, and passed down (STYLE.md 8). */
const schema = z.object({
  DATABASE_URL: z.string().url().optional(),
  PANTAU_DATA_DIR: z.string().min(1).default("./data"),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  PANTAU_NIK_KEY: z.string().min(1).optional(),
  PANTAU_NIK_KEY_NEW: z.string().min(1).optional(),
  SECURE_COOKIES: z.enum(["true", "false"]).default("false"),
  TRUST_PROXY: z.string().min(1).optional(),
});

export interface Config {
  /** A PostgreSQL server; when absent the embedded PGlite database under `dataDir` is used. */
  databaseUrl: string | undefined;
  dataDir: string;
  host: string;
  port: number;
  logLevel: z.infer<typeof schema>["LOG_LEVEL"];
  /** The master key that seals NIKs at rest (see src/db/nik-vault.ts); absent: a key file in dataDir. */
  nikKey: string | undefined;
  /** The key `pantau nik rotate-key` moves every NIK to. */
  nikKeyNew: string | undefined;
  /** Behind HTTPS: the session cookie gets `Secure` and the `__Host-` prefix. */
  secureCookies: boolean;
  /** Addresses or CIDRs of the reverse proxies whose X-Forwarded-For is believed (rate limits per client). */
  trustProxy: string | undefined;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new DomainError("CONFIG_INVALID", `Konfigurasi tidak sah / invalid configuration: ${problems}`, {
      fields: parsed.error.issues.map((i) => i.path.join(".")),
    });
  }
  const e = parsed.data;
  return {
    databaseUrl: e.DATABASE_URL,
    dataDir: e.PANTAU_DATA_DIR,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    nikKey: e.PANTAU_NIK_KEY,
    nikKeyNew: e.PANTAU_NIK_KEY_NEW,
    secureCookies: e.SECURE_COOKIES === "true",
    trustProxy: e.TRUST_PROXY,
  };
}
