import cluster, { type Worker } from "node:cluster";
import { createServer } from "node:net";
import { availableParallelism } from "node:os";
import {
  createAdapter as createClusterAdapter,
  setupPrimary as setupClusterAdapterPrimary,
} from "@socket.io/cluster-adapter";
import sticky from "@socket.io/sticky";
import { AggregatorRegistry } from "prom-client";
import { buildApp } from "./app.js";
import { setupStickyPrimary } from "./cluster-sticky.js";
import { type Config, ConfigError, loadConfig } from "./config.js";
import { createLogger } from "./logger.js";
import { createMetrics } from "./metrics.js";
import { openConfiguredDatabase } from "./open-database.js";

/**
 * `--workers N`: one primary process owns the port and hands each connection to one of N worker
 * processes, each a whole Glasschat server. Socket.IO's HTTP long-polling sends several requests per
 * session, so the hand-off is sticky (`@socket.io/sticky` routes by the session id in the URL).
 * Events cross workers through the node:cluster adapter (IPC via the primary), or through Redis
 * when REDIS_URL is set, so that workers of several machines form one deployment.
 */

const MAX_WORKERS = 64;
const WORKER_ENV = "GLASSCHAT_WORKER";
/** A worker that dies sooner than this after starting is crashing at start: back off. */
const QUICK_CRASH_MS = 10_000;
const SHUTDOWN_GRACE_MS = 15_000;

type ClusterMessage =
  | { type: "glasschat:ready" }
  /** worker → primary: a scrape arrived. primary → worker: send your series. */
  | { type: "glasschat:metrics"; id: number }
  | { type: "glasschat:metrics-collect"; id: number }
  | { type: "glasschat:metrics-json"; id: number; metrics: object[] }
  | { type: "glasschat:metrics-result"; id: number; text?: string; error?: string };

/** Reads `--workers`, `--workers N` or `--workers=N`; undefined means one process, no cluster. */
export function parseWorkersFlag(args: string[]): number | undefined {
  let workers: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const match = /^--workers(?:=(.*))?$/.exec(arg);
    if (!match) throw new ConfigError(`Unknown option ${arg} (the only option is --workers [N]).`);
    let value = match[1];
    if (value === undefined && args[i + 1] !== undefined && !args[i + 1]?.startsWith("--")) value = args[++i];
    if (value === undefined) {
      workers = availableParallelism();
      continue;
    }
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > MAX_WORKERS)
      throw new ConfigError(`--workers: must be a whole number from 1 to ${MAX_WORKERS}, not "${value}".`);
    workers = n;
  }
  return workers;
}

export const isClusterWorker = () => cluster.isWorker;

/** The primary: prepares the database once, forks the workers, listens, restarts any that die. */
export async function runPrimary(count: number): Promise<void> {
  const config = loadConfig(); // also creates DATA_DIR/session-secret once, before any worker reads it
  const logger = createLogger(config.logLevel).child({ role: "primary" });
  // Migrations run here, once: workers starting together never race over the schema.
  const database = await openConfiguredDatabase(config, logger);
  await database.close();

  // Connections are handed over with their first bytes, which must arrive as a Buffer: the default
  // JSON serialization would turn it into a plain object.
  cluster.setupPrimary({ serialization: "advanced" });
  const ready = new Set<number>();
  const server = createServer();
  setupStickyPrimary(server, (worker) => ready.has(worker.id));
  if (!config.redisUrl) setupClusterAdapterPrimary();
  const gatherMetrics = createMetricsGatherer(() => [...ready].flatMap((id) => cluster.workers?.[id] ?? []));
  let stopping = false;

  cluster.on("message", (worker, message: ClusterMessage) => {
    if (message?.type !== "glasschat:metrics") return;
    gatherMetrics().then(
      (text) => worker.send({ type: "glasschat:metrics-result", id: message.id, text }),
      (error: Error) =>
        worker.send({ type: "glasschat:metrics-result", id: message.id, error: error.message }),
    );
  });
  cluster.on("exit", (worker) => ready.delete(worker.id));

  const startWorker = (slot: number, quickCrashes = 0): Promise<Worker> => {
    const worker = cluster.fork({ [WORKER_ENV]: String(slot) });
    const startedAt = Date.now();
    worker.on("exit", (code, signal) => {
      if (stopping || code === 0) return;
      const quick = Date.now() - startedAt < QUICK_CRASH_MS;
      const delay = quick ? Math.min(250 * 2 ** quickCrashes, 30_000) : 0;
      logger.error({ worker: slot, code, signal, restartInMs: delay }, "worker died; restarting it");
      setTimeout(() => {
        if (!stopping) startWorker(slot, quick ? quickCrashes + 1 : 0).catch(() => {});
      }, delay).unref();
    });
    return new Promise((resolve, reject) => {
      const onMessage = (message: ClusterMessage) => {
        if (message?.type !== "glasschat:ready") return;
        ready.add(worker.id);
        worker.off("message", onMessage);
        worker.off("exit", onEarlyExit);
        resolve(worker);
      };
      const onEarlyExit = (code: number) => reject(new Error(`worker ${slot} exited with code ${code}`));
      worker.on("message", onMessage);
      worker.once("exit", onEarlyExit);
    });
  };

  const workers = Array.from({ length: count }, (_, i) => startWorker(i + 1));
  try {
    await Promise.all(workers);
  } catch (error) {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGKILL");
    throw new Error(`a worker could not start (${(error as Error).message}); see its messages above`);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => resolve());
  });
  logger.info(
    { workers: count, port: config.port, database: config.database.dialect, redis: Boolean(config.redisUrl) },
    "Glasschat is listening",
  );

  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: stopping the workers");
    setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
    server.close();
    const alive = Object.values(cluster.workers ?? {}).filter((w): w is Worker => Boolean(w));
    let failed = false;
    Promise.all(
      alive.map(
        (worker) =>
          new Promise<void>((resolve) => {
            worker.once("exit", (code, signal) => {
              // A worker still loading when asked to stop ends by the signal itself: nothing was lost.
              if (code !== 0 && signal !== "SIGTERM") failed = true;
              resolve();
            });
            worker.process.kill("SIGTERM");
          }),
      ),
    ).then(() => process.exit(failed ? 1 : 0));
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
}

/** A worker: the whole app, fed connections by the primary instead of listening itself. */
export async function runWorker(): Promise<void> {
  const slot = process.env[WORKER_ENV] ?? String(cluster.worker?.id ?? 0);
  const config: Config = loadConfig();
  const logger = createLogger(config.logLevel).child({ worker: Number(slot) });
  const metrics = createMetrics({ worker: slot });
  process.on("message", (message: ClusterMessage) => {
    if (message?.type !== "glasschat:metrics-collect") return;
    metrics.registry.getMetricsAsJSON().then((json) =>
      process.send?.({
        type: "glasschat:metrics-json",
        id: message.id,
        metrics: json,
      } satisfies ClusterMessage),
    );
  });

  const app = await buildApp(config, logger, {
    metrics,
    adapter: config.redisUrl ? undefined : createClusterAdapter(),
    renderMetrics: askPrimaryForMetrics,
  });
  await app.http.ready();
  sticky.setupWorker(app.io);
  process.send?.({ type: "glasschat:ready" } satisfies ClusterMessage);

  let stopping = false;
  const shutdown = (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, "worker shutting down");
    setTimeout(() => process.exit(1), 10_000).unref();
    app.close().then(
      () => process.exit(0),
      (error) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
  // The primary is gone (even killed): finish what is in flight and go.
  process.on("disconnect", () => shutdown("primary gone"));
}

/**
 * The primary asks every ready worker for its series and merges them (prom-client's aggregation:
 * series with distinct `worker` labels stay apart). A worker that does not answer within a second
 * (it is being replaced) is left out rather than failing the scrape.
 */
function createMetricsGatherer(workers: () => Worker[]): () => Promise<string> {
  let nextId = 0;
  return async () => {
    const id = nextId++;
    const replies = await Promise.all(
      workers().map(
        (worker) =>
          new Promise<object[]>((resolve) => {
            const timer = setTimeout(() => done([]), 1000);
            const onMessage = (message: ClusterMessage) => {
              if (message?.type === "glasschat:metrics-json" && message.id === id) done(message.metrics);
            };
            const done = (metrics: object[]) => {
              clearTimeout(timer);
              worker.off("message", onMessage);
              resolve(metrics);
            };
            worker.on("message", onMessage);
            worker.send({ type: "glasschat:metrics-collect", id } satisfies ClusterMessage);
          }),
      ),
    );
    return AggregatorRegistry.aggregate(replies.filter((r) => r.length > 0)).metrics();
  };
}

let nextMetricsRequest = 0;

/** Every worker's series, gathered by the primary (a scrape lands on any one worker). */
function askPrimaryForMetrics(): Promise<string> {
  const id = nextMetricsRequest++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      process.off("message", onMessage);
      reject(new Error("the primary process did not answer"));
    }, 6000);
    const onMessage = (message: ClusterMessage) => {
      if (message?.type !== "glasschat:metrics-result" || message.id !== id) return;
      clearTimeout(timer);
      process.off("message", onMessage);
      if (message.text !== undefined) resolve(message.text);
      else reject(new Error(message.error ?? "no metrics"));
    };
    process.on("message", onMessage);
    process.send?.({ type: "glasschat:metrics", id } satisfies ClusterMessage);
  });
}
