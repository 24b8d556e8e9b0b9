import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RATE_LIMITS_OFF } from "../../../src/server/config.js";
import { sleep } from "./wait.js";

/** Every child process the torture run started, so the runner can end them whatever happens. */
export const children = new Set<ChildProcess>();

/** Limits off (0), for categories where a limit would only get in the way. */
export const RELAXED_LIMITS = RATE_LIMITS_OFF;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

const BUILT = "dist/server/main.js";

export interface ServerOptions {
  /** `default`: the server's own limits (nothing set); `relaxed`: every limit 0. */
  limits: "default" | "relaxed";
  env?: Record<string, string>;
  /** A `postgres://` URL; SQLite in the data folder otherwise. */
  databaseUrl?: string;
  /**
   * `ram`: the data folder in /dev/shm (where there is one), for a category that times the server
   * and not the disk: fsync on this shared machine's disk sometimes takes 400 ms. Default `disk`.
   */
  storage?: "disk" | "ram";
}

/** The folder a server's data folder is made in. */
export function dataParent(storage: ServerOptions["storage"]): string {
  return storage === "ram" && existsSync("/dev/shm") ? "/dev/shm" : tmpdir();
}

/**
 * The real server as its own process (`dist/server/main.js` when built, else through tsx) on
 * 127.0.0.1 with its own data folder. It can be killed and started again on the same data and port.
 */
export class TortureServer {
  readonly dataDir: string;
  port = 0;
  child: ChildProcess | undefined;
  /** Exits nobody asked for (a crash). */
  unexpectedExits = 0;
  private log = "";
  private expectingExit = false;

  constructor(readonly options: ServerOptions) {
    this.dataDir = mkdtempSync(join(dataParent(options.storage), "glasschat-torture-"));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get databaseUrl(): string {
    return this.options.databaseUrl ?? `sqlite:${this.sqlitePath}`;
  }

  get sqlitePath(): string {
    return join(this.dataDir, "glasschat.db");
  }

  get pid(): number {
    return this.child?.pid ?? 0;
  }

  output(): string {
    return this.log;
  }

  async start(): Promise<void> {
    if (!this.port) this.port = await freePort();
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(
        ([key]) =>
          !/^(DATABASE_URL|REDIS_URL|SESSION_SECRET|PUBLIC_URL|TRUST_PROXY|ALLOWED_HOSTS|RATE_LIMIT_|PORT$|HOST$|DATA_DIR$|LOG_LEVEL$)/.test(
            key,
          ),
      ),
    );
    const env = {
      ...inherited,
      HOST: "127.0.0.1",
      PORT: String(this.port),
      DATA_DIR: this.dataDir,
      DATABASE_URL: this.databaseUrl,
      LOG_LEVEL: "warn",
      ...(this.options.limits === "relaxed" ? RELAXED_LIMITS : {}),
      ...this.options.env,
    };
    // For looking into the server: e.g. TORTURE_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/p".
    const nodeArgs = process.env.TORTURE_SERVER_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
    const args = [...nodeArgs, ...(existsSync(BUILT) ? [BUILT] : ["--import", "tsx", "src/server/main.ts"])];
    const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    this.expectingExit = false;
    children.add(child);
    const keep = (chunk: Buffer) => {
      this.log = (this.log + chunk.toString()).slice(-200_000);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    child.once("exit", () => {
      children.delete(child);
      if (!this.expectingExit) this.unexpectedExits++;
    });
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`server exited at start:\n${this.log.slice(-2000)}`);
      const healthy = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.ok,
        () => false,
      );
      if (healthy) return;
      if (Date.now() > deadline) throw new Error(`server not healthy within 30 s:\n${this.log.slice(-2000)}`);
      await sleep(50);
    }
  }

  get alive(): boolean {
    return Boolean(this.child && this.child.exitCode === null && this.child.signalCode === null);
  }

  /** SIGKILL, and wait until the process is gone. */
  async kill(): Promise<void> {
    await this.end("SIGKILL");
  }

  /** SIGTERM (graceful), SIGKILL after 10 s. */
  async stop(): Promise<void> {
    await this.end("SIGTERM");
  }

  private async end(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || !this.alive) return;
    this.expectingExit = true;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  }

  /** Resident memory of the server process in MiB (Linux /proc). */
  rssMb(): number {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, "utf8");
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      return kb / 1024;
    } catch {
      return 0;
    }
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** Starts a server and registers its disposal with the category. */
export async function startServer(
  defer: (fn: () => unknown) => void,
  options: ServerOptions,
): Promise<TortureServer> {
  const server = new TortureServer(options);
  defer(() => server.dispose());
  await server.start();
  return server;
}
