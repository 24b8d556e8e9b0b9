import type { Config } from "../config.js";
import { sqliteInUse } from "../storage/dialects/sqlite-backup.js";

/**
 * Why the configured server looks alive, or null. Two independent signs: something answers HTTP
 * on the configured port (the server, on this machine), and some process holds the SQLite
 * database open (a server on another port, or a worker left behind).
 */
export async function serverRunning(config: Config): Promise<string | null> {
  const host = ["0.0.0.0", "::", ""].includes(config.host) ? "127.0.0.1" : config.host;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${config.port}/healthz`;
  const answered = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
    () => true,
    () => false,
  );
  if (answered) return `a server answers at ${url}`;
  if (config.database.dialect === "sqlite" && sqliteInUse(config.database.path)) {
    return `another process has ${config.database.path} open`;
  }
  return null;
}
