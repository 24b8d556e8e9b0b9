import { buildApp } from "./app.js";
import { isClusterWorker, parseWorkersFlag, runPrimary, runWorker } from "./cluster.js";
import { ConfigError, loadConfig } from "./config.js";
import { createLogger } from "./logger.js";

async function main(): Promise<void> {
  const workers = parseWorkersFlag(process.argv.slice(2));
  if (isClusterWorker()) return runWorker();
  if (workers !== undefined) return runPrimary(workers);

  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const app = await buildApp(config, logger);
  await app.http.listen({ port: config.port, host: config.host });
  logger.info(
    { database: config.database.dialect, redis: Boolean(config.redisUrl) },
    "Glasschat is listening",
  );

  const shutdown = (signal: string) => {
    logger.info({ signal }, "shutting down");
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    app.close().then(
      () => process.exit(0),
      (error) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  const message =
    error instanceof ConfigError ? error.message : `Glasschat could not start: ${(error as Error).message}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
