import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Kysely } from "kysely";
import { loadConfig } from "../config.js";
import { DomainError } from "../domain/errors.js";
import type { DB } from "./schema.js";

/**
 * The NIK at rest (UU 27/2022 on personal data protection). The database never holds a NIK in clear:
 * `person.nik_hash` is an HMAC-SHA256 under a key from the environment, so lookups stay exact and
 * indexed while a stolen dump or backup cannot be matched against the NIK space (a NIK has too little
 * entropy for a plain hash); `person.nik_sealed` is the NIK under AES-256-GCM with a second key, for the
 * few places that must show a (masked) number. Both keys are derived from one master key.
 */
export class NikVault {
  readonly #hashKey: Buffer;
  readonly #sealKey: Buffer;
  // IVs are drawn from the CSPRNG many at a time: one call per NIK cost more than the sealing itself.
  #ivs = Buffer.alloc(0);
  #nextIv = 0;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error(`The NIK key must be 32 bytes, got ${masterKey.length}`);
    const derive = (info: string) => Buffer.from(hkdfSync("sha256", masterKey, "pantau-jakon", info, 32));
    this.#hashKey = derive("nik-hash");
    this.#sealKey = derive("nik-seal");
  }

  /** The lookup key: equal NIKs give equal hashes under one key, and nothing else can be read from it. */
  hash(text: string): string {
    return createHmac("sha256", this.#hashKey).update(text).digest("hex");
  }

  seal(nik: string): string {
    const iv = this.#iv();
    const cipher = createCipheriv("aes-256-gcm", this.#sealKey, iv);
    const body = Buffer.concat([cipher.update(nik, "utf8"), cipher.final()]);
    return `${SEAL_VERSION}${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64")}`;
  }

  #iv(): Buffer {
    if (this.#nextIv === this.#ivs.length) {
      this.#ivs = randomBytes(IV_BYTES * 4096);
      this.#nextIv = 0;
    }
    this.#nextIv += IV_BYTES;
    return this.#ivs.subarray(this.#nextIv - IV_BYTES, this.#nextIv);
  }

  /** Throws when the value was sealed under another key or altered (GCM authenticates it). */
  open(sealed: string): string {
    if (!sealed.startsWith(SEAL_VERSION)) throw new Error("Not a sealed NIK");
    const raw = Buffer.from(sealed.slice(SEAL_VERSION.length), "base64");
    const decipher = createDecipheriv("aes-256-gcm", this.#sealKey, raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + 16));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + 16)), decipher.final()]).toString("utf8");
  }
}

const SEAL_VERSION = "v1:";
const IV_BYTES = 12;
const KEY_FILE = "nik.key";

/** `PANTAU_NIK_KEY` as 64 hex digits or base64 of 32 bytes. */
export function parseNikKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, "hex")
    : Buffer.from(trimmed, "base64");
  if (key.length !== 32) throw new Error("PANTAU_NIK_KEY must be 32 bytes: 64 hex digits or base64");
  return key;
}

/**
 * The key from `PANTAU_NIK_KEY`; without it, a key generated once into `<dataDir>/nik.key` so a fresh
 * clone runs with no set-up. A deployment sets the variable from its secret store: a key file beside
 * the data protects nothing when both are copied together.
 */
export function loadNikKey(nikKey: string | undefined, dataDir: string): Buffer {
  if (nikKey) return parseNikKey(nikKey);
  const file = join(dataDir, KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    try {
      writeFileSync(file, `${randomBytes(32).toString("hex")}\n`, { mode: 0o600, flag: "wx" });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e; // another process made it first
    }
  }
  return parseNikKey(readFileSync(file, "utf8"));
}

/**
 * After a key rotation on an installation that keeps its key in `<dataDir>/nik.key` (no
 * `PANTAU_NIK_KEY`): the new key takes the file's place whole (written aside, then renamed), so the
 * file never holds half a key.
 */
export function replaceKeyFile(dataDir: string, key: Buffer): string {
  const file = join(dataDir, KEY_FILE);
  writeFileSync(`${file}.new`, `${key.toString("hex")}\n`, { mode: 0o600 });
  renameSync(`${file}.new`, file);
  return file;
}

let current: NikVault | undefined;

/** The process's vault, from the configuration on first use. */
export function nikVault(): NikVault {
  if (!current) {
    const config = loadConfig();
    current = new NikVault(loadNikKey(config.nikKey, config.dataDir));
  }
  return current;
}

/**
 * Refuse to run on a database whose NIKs were sealed under another key: every lookup would miss and
 * every known worker would be registered again as a new person.
 */
export async function assertNikKeyMatches(db: Kysely<DB>, vault: NikVault = nikVault()): Promise<void> {
  const row = await db.selectFrom("person").select("nik_sealed").limit(1).executeTakeFirst();
  if (!row) return;
  try {
    vault.open(row.nik_sealed);
  } catch {
    throw new DomainError(
      "NIK_KEY_MISMATCH",
      "Kunci NIK tidak cocok dengan basis data ini / the NIK key does not match this database: " +
        "set PANTAU_NIK_KEY to the key its data was written with",
    );
  }
}
