import { pino } from "pino";
import { type App, buildApp } from "../../src/server/app.js";
import { loadConfig } from "../../src/server/config.js";
import { NO_LIMITS } from "./server.js";

/**
 * The real app in this process on a fixed port and data folder (default SQLite inside it), so a
 * test can stop it and start it again on the same data, or point other tools at the same folder.
 */
export async function startServerOn(
  dataDir: string,
  port: number,
  env: Record<string, string> = {},
): Promise<App> {
  const config = loadConfig({
    PORT: String(port),
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    LOG_LEVEL: "silent",
    ...NO_LIMITS,
    ...env,
  });
  const app = await buildApp(config, pino({ level: "silent" }));
  await app.http.listen({ port, host: "127.0.0.1" });
  return app;
}
