import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/connection.js";
import { pantau } from "../support/cli.js";

describe("the PGlite data directory lock", () => {
  let dataDir: string;
  let lock: string;
  beforeEach(() => {
    dataDir = join(mkdtempSync(join(tmpdir(), "pantau-lock-")), "data");
    lock = join(dataDir, ".pantau.lock");
  });
  afterEach(() => {
    rmSync(resolve(dataDir, ".."), { recursive: true, force: true });
  });

  it("makes a second process fail fast, naming the directory and the holder, until the first closes", async () => {
    const database = await openDatabase({ dataDir });
    try {
      expect(readFileSync(lock, "utf8").trim()).toBe(String(process.pid));
      const { DATABASE_URL: _, ...env } = process.env;
      const second = await pantau({ ...env, PANTAU_DATA_DIR: dataDir }, "migrate");
      expect(second.code).toBe(1);
      expect(second.stderr).toContain("[DATA_DIR_LOCKED]");
      expect(second.stderr).toContain(
        `Direktori data ${resolve(dataDir)} sedang dipakai proses ${process.pid}`,
      );
      expect(second.stderr).toContain(`in use by process ${process.pid}`);
      // A second instance in this very process would overwrite the files just the same.
      await expect(openDatabase({ dataDir })).rejects.toMatchObject({ code: "DATA_DIR_LOCKED" });
    } finally {
      await database.close();
    }
    expect(existsSync(lock)).toBe(false);
    const reopened = await openDatabase({ dataDir });
    await reopened.close();
  });

  it("takes over a lock whose process is gone", async () => {
    mkdirSync(dataDir, { recursive: true });
    const gone = spawnSync(process.execPath, ["-e", ""]).pid; // has exited by now
    writeFileSync(lock, `${gone}\n`);
    const database = await openDatabase({ dataDir });
    try {
      expect(readFileSync(lock, "utf8").trim()).toBe(String(process.pid));
    } finally {
      await database.close();
    }
  });
});
