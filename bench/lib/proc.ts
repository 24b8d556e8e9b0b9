import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * Every child this process starts, so that none outlives the bench: they are killed on
 * normal exit, on an error and on Ctrl-C.
 */
const children = new Set<ChildProcess>();

export function killAllChildren(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
  children.clear();
}

process.on("exit", killAllChildren);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    killAllChildren();
    process.exit(130);
  });
}

/**
 * Spawns `node --import tsx <entry> ...args`, tracked for cleanup. `cpus` (e.g. "0") confines the
 * process and all its threads to those cores with `taskset -c` (which execs node: same pid).
 */
export function spawnNode(
  entry: string,
  args: string[],
  options: {
    env?: NodeJS.ProcessEnv;
    nodeArgs?: string[];
    logFile?: string;
    captureStdout?: boolean;
    cpus?: string;
  },
): ChildProcess {
  const logFd = options.logFile ? openSync(options.logFile, "w") : "ignore";
  const command = [process.execPath, ...(options.nodeArgs ?? []), "--import", "tsx", entry, ...args];
  const [file, ...argv] = options.cpus ? ["taskset", "-c", options.cpus, ...command] : command;
  const child = spawn(file as string, argv, {
    env: { ...process.env, ...options.env },
    stdio: ["ignore", options.captureStdout ? "pipe" : logFd, options.logFile ? logFd : "inherit"],
  });
  if (typeof logFd === "number") closeSync(logFd);
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

export function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** SIGTERM, then SIGKILL after `graceMs`. Tells whether the child stopped by itself and how long it took. */
export async function stop(
  child: ChildProcess,
  graceMs = 12_000,
): Promise<{ graceful: boolean; ms: number }> {
  const start = performance.now();
  if (exited(child)) return { graceful: true, ms: 0 };
  child.kill("SIGTERM");
  const graceful = await waitExit(child, graceMs);
  if (!graceful) {
    child.kill("SIGKILL");
    await waitExit(child, 2000);
  }
  return { graceful, ms: Math.round(performance.now() - start) };
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** Polls GET /healthz until it answers 200; fails early if the child dies. */
export async function waitHealthy(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < timeoutMs) {
    if (exited(child)) throw new Error(`server exited (code ${child.exitCode}, signal ${child.signalCode})`);
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200) return Math.round(performance.now() - start);
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`GET ${url}/healthz did not answer 200 within ${timeoutMs} ms`);
}

/** Runs a child to completion and returns the last line of its stdout that parses as JSON. */
export async function runForJson<T>(child: ChildProcess, timeoutMs: number): Promise<T> {
  let out = "";
  child.stdout?.setEncoding("utf8");
  child.stdout?.on("data", (chunk: string) => {
    out += chunk;
  });
  const done = await waitExit(child, timeoutMs);
  if (!done) {
    child.kill("SIGKILL");
    throw new Error(`load generator still running after ${timeoutMs} ms: killed`);
  }
  const line = out
    .trim()
    .split("\n")
    .reverse()
    .find((l) => l.startsWith("{"));
  if (child.exitCode !== 0 || !line) throw new Error(`load generator failed (exit code ${child.exitCode})`);
  return JSON.parse(line) as T;
}

/** The last lines of a log file, to explain a failure. */
export function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}
