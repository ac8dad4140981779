import { execFile } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export const PANTAU_BIN = join(import.meta.dirname, "../../bin/pantau.js");

export interface PantauRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The real `pantau` command in a child process, as a user runs it, from `cwd` (where default output lands). */
export function pantauIn(cwd: string) {
  return async (env: NodeJS.ProcessEnv, ...args: string[]): Promise<PantauRun> => {
    try {
      const { stdout, stderr } = await run("node", [PANTAU_BIN, ...args], { env, cwd, timeout: 120_000 });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const err = e as PantauRun;
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  };
}

export const pantau = pantauIn(tmpdir());
