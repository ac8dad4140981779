import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, type WriteStream } from "node:fs";
import { join, resolve } from "node:path";
import { freePort } from "./cluster.js";

/** The real product: `node bin/pantau.js …`, as an operator starts it, in its own process. */
const PANTAU = resolve(import.meta.dirname, "..", "bin", "pantau.js");

/** Where a process keeps its data: a PostgreSQL server, else PGlite under `dataDir`. */
export interface Target {
  databaseUrl?: string;
  /** PANTAU_DATA_DIR: PGlite's files, and the NIK key file when PANTAU_NIK_KEY is unset. */
  dataDir: string;
}

function environment(target: Target, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PANTAU_DATA_DIR: target.dataDir, ...extra };
  if (target.databaseUrl) env.DATABASE_URL = target.databaseUrl;
  else delete env.DATABASE_URL;
  return env;
}

function start(args: string[], env: NodeJS.ProcessEnv, log: WriteStream): ChildProcess {
  const child = spawn(process.execPath, [PANTAU, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  return child;
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done(child.exitCode);
    else child.once("exit", (code) => done(code));
  });

/** A `pantau serve` process on a free loopback port. */
export class Server {
  readonly url: string;
  #child: ChildProcess | null = null;
  readonly #log: WriteStream;

  private constructor(
    private readonly target: Target,
    readonly port: number,
    logDir: string,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    this.#log = createWriteStream(join(logDir, `serve-${port}.log`), { flags: "a" });
  }

  static async start(target: Target, logDir: string): Promise<Server> {
    const server = new Server(target, await freePort(), logDir);
    await server.restart();
    return server;
  }

  get pid(): number {
    return this.#child?.pid ?? 0;
  }

  /** Start (again) on the same port and data, and wait until /health answers. */
  async restart(): Promise<void> {
    const child = start(
      ["serve"],
      environment(this.target, { HOST: "127.0.0.1", PORT: String(this.port), LOG_LEVEL: "warn" }),
      this.#log,
    );
    this.#child = child;
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`pantau serve exited with ${child.exitCode}; see its log`);
      try {
        if ((await fetch(`${this.url}/health`)).ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error("pantau serve did not answer /health within 120 s");
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** kill -9: no shutdown handler runs, open transactions and unflushed buffers die with the process. */
  async kill9(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    child.kill("SIGKILL");
    await exited(child);
  }

  /** SIGTERM: the server closes its connections and database cleanly (src/cli/serve.ts). */
  async stop(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    child.kill("SIGTERM");
    await exited(child);
  }
}

/** A running `pantau <command>`; its output is kept for the drill to read. */
export class Command {
  output = "";
  readonly child: ChildProcess;
  readonly done: Promise<number | null>;

  constructor(args: string[], target: Target, logDir: string, name: string) {
    const log = createWriteStream(join(logDir, `${name}.log`), { flags: "a" });
    this.child = start(args, environment(target), log);
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-20_000);
    };
    this.child.stdout?.on("data", keep);
    this.child.stderr?.on("data", keep);
    this.done = exited(this.child);
  }

  async kill9(): Promise<void> {
    this.child.kill("SIGKILL");
    await this.done;
  }
}

/** Run `pantau <command>` to its end: exit code and output. */
export async function pantau(
  args: string[],
  target: Target,
  logDir: string,
  name: string,
): Promise<{ code: number | null; output: string }> {
  const command = new Command(args, target, logDir, name);
  const code = await command.done;
  return { code, output: command.output };
}
