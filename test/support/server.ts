import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { type App, buildApp } from "../../src/server/app.js";
import { loadConfig, RATE_LIMITS_OFF } from "../../src/server/config.js";
import { createTestDatabase, type Dialect } from "./databases.js";

export interface TestServer {
  url: string;
  app: App;
  databaseUrl: string;
  /** The server's DATA_DIR (removed by close). */
  dataDir: string;
  close(): Promise<void>;
}

/** Rate limits off unless a test turns one on: tests send fast and from one IP. */
export const NO_LIMITS = RATE_LIMITS_OFF;

/**
 * The real app, in-process, on 127.0.0.1 and an ephemeral port, with a fresh database of the given
 * dialect (or `databaseUrl` to reuse one) and the built web client.
 */
export async function startServer(
  options: {
    dialect?: Dialect;
    databaseUrl?: string;
    env?: Record<string, string>;
    now?: () => number;
    /** A fixed port instead of an ephemeral one (e.g. one PUBLIC_URL names). */
    port?: number;
  } = {},
): Promise<TestServer> {
  const database = options.databaseUrl ? undefined : await createTestDatabase(options.dialect ?? "sqlite");
  const databaseUrl = options.databaseUrl ?? (database?.url as string);
  const dataDir = mkdtempSync(join(tmpdir(), "glasschat-data-"));
  const config = loadConfig({
    PORT: String(options.port ?? 0),
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: "silent",
    ...NO_LIMITS,
    ...options.env,
  });
  const app = await buildApp(
    config,
    pino({ level: config.logLevel }),
    options.now ? { now: options.now } : {},
  );
  await app.http.listen({ port: options.port ?? 0, host: "127.0.0.1" });
  const { port } = app.http.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    databaseUrl,
    dataDir,
    close: async () => {
      await app.close();
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
