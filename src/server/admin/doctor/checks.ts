import { randomBytes } from "node:crypto";
import { rmSync, statfsSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createClient } from "redis";
import { type Config, describeDatabase } from "../../config.js";
import { databaseExists, migrationState, openAdminDatabase } from "../../storage/admin.js";
import type { Db } from "../../storage/database.js";
import { type CheckResult, failed, ok, warning, within } from "./check.js";
import { smtpHandshake } from "./smtp.js";
import { socketIoUpgrade } from "./websocket.js";

const TIMEOUT_MS = 5000;
const MiB = 1024 * 1024;

/** What the database checks need: the admin tool opens its own, the server passes its own. */
export interface DatabaseProbe {
  db: Db;
  ping(): Promise<void>;
}

export async function checkDatabase(config: Config): Promise<CheckResult[]> {
  const where = describeDatabase(config.database);
  if (!databaseExists(config.database)) {
    return [
      warning("database", `no SQLite database at ${where} yet`, "The server creates it at its first start."),
    ];
  }
  const database = openAdminDatabase(config.database);
  try {
    return await checkOpenDatabase(config, database);
  } finally {
    await database.close().catch(() => {});
  }
}

/** Reachability and migrations of a database already open (the admin tool's, or a running server's). */
export async function checkOpenDatabase(config: Config, database: DatabaseProbe): Promise<CheckResult[]> {
  const where = describeDatabase(config.database);
  try {
    await within(database.ping(), TIMEOUT_MS, "database");
  } catch (error) {
    return [
      failed(
        "database",
        `cannot reach ${where}: ${(error as Error).message}`,
        config.database.dialect === "postgres"
          ? "Check that PostgreSQL runs and DATABASE_URL's host, port, user, password and database are right."
          : "Check that the file is a SQLite database and readable by this user.",
      ),
    ];
  }
  const results = [ok("database", `${config.database.dialect} at ${where} answers`)];
  let state: Awaited<ReturnType<typeof migrationState>>;
  try {
    state = await within(migrationState(database.db), TIMEOUT_MS, "migrations");
  } catch (error) {
    return [...results, failed("migrations", `cannot read the migrations: ${(error as Error).message}`)];
  }
  if (state.unknown.length > 0) {
    results.push(
      failed(
        "migrations",
        `the database has migrations this version does not know: ${state.unknown.join(", ")}`,
        "It was used by a newer Glasschat: run that version, or restore a backup made by this one.",
      ),
    );
  } else if (state.pending.length > 0) {
    results.push(
      warning(
        "migrations",
        `${state.pending.length} not applied yet: ${state.pending.join(", ")}`,
        "The server applies them at its next start; back up first.",
      ),
    );
  } else {
    results.push(ok("migrations", `up to date (${state.applied.length} applied)`));
  }
  return results;
}

/** `ping`: a running server's own Redis connection; without it a new connection is opened. */
export async function checkRedis(
  url: string | undefined,
  ping?: () => Promise<unknown>,
): Promise<CheckResult | null> {
  if (!url) return null;
  if (ping) {
    try {
      await within(ping(), TIMEOUT_MS, "Redis PING");
      return ok("redis", "PING answered on the server's own connection");
    } catch (error) {
      return failed(
        "redis",
        `no PING answer from ${redact(url)}: ${(error as Error).message}`,
        "Start Redis or fix REDIS_URL; without it, nodes do not see each other's events.",
      );
    }
  }
  const client = createClient({ url, socket: { connectTimeout: TIMEOUT_MS, reconnectStrategy: false } });
  client.on("error", () => {});
  try {
    await within(client.connect(), TIMEOUT_MS, "Redis");
    const pong = await within(client.ping(), TIMEOUT_MS, "Redis PING");
    return ok("redis", `PING answered ${pong}`);
  } catch (error) {
    return failed(
      "redis",
      `no PING answer from ${redact(url)}: ${(error as Error).message}`,
      "Start Redis or fix REDIS_URL; without it, nodes do not see each other's events.",
    );
  } finally {
    client.destroy();
  }
}

export async function checkSmtp(url: string | undefined): Promise<CheckResult> {
  if (!url) {
    return warning(
      "smtp",
      "SMTP_URL is not set: password resets, invitations and unread-messages mail go to DATA_DIR/outbox",
      "Set SMTP_URL (and PUBLIC_URL) so mail reaches people; until then read it with `npm run admin -- outbox`.",
    );
  }
  try {
    const { greeting, extensions } = await within(smtpHandshake(url, TIMEOUT_MS), TIMEOUT_MS * 2, "SMTP");
    const tls = url.startsWith("smtps:") || extensions.some((e) => e.toUpperCase() === "STARTTLS");
    const detail = `${redact(url)} greets "${greeting}"${extensions.length ? `, offers ${extensions.join(", ")}` : ""}`;
    if (!tls)
      return warning(
        "smtp",
        detail,
        "The server offers no TLS: credentials would cross the network in clear.",
      );
    return ok("smtp", detail);
  } catch (error) {
    return failed(
      "smtp",
      `no SMTP handshake with ${redact(url)}: ${(error as Error).message}`,
      "Check SMTP_URL's host and port (587 for smtp://, 465 for smtps://) and that the mail server accepts connections from here.",
    );
  }
}

export function checkVapid(config: Config, env: NodeJS.ProcessEnv = process.env): CheckResult {
  const fromEnv = Boolean(env.VAPID_PUBLIC_KEY);
  const source = fromEnv ? "from VAPID_PUBLIC_KEY/VAPID_PRIVATE_KEY" : "in DATA_DIR/vapid-keys.json";
  if (config.redisUrl && !fromEnv) {
    return warning(
      "push",
      `VAPID keys: ${source}, made by each node for itself`,
      "With several nodes set VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, the same on every node, or pushes sent by other nodes are refused.",
    );
  }
  if (!env.VAPID_SUBJECT && !config.publicOrigin?.startsWith("https:")) {
    return warning(
      "push",
      `VAPID keys: ${source}; no contact for push services`,
      "Set VAPID_SUBJECT (mailto:you@example.org) or an https PUBLIC_URL: some push services refuse pushes without one.",
    );
  }
  return ok("push", `VAPID keys: ${source}, contact ${config.push.subject}`);
}

export function checkDisk(config: Config): CheckResult {
  try {
    const stats = statfsSync(config.dataDir);
    const free = stats.bavail * stats.bsize;
    const detail = `${Math.round(free / MiB)} MiB free in ${config.dataDir}`;
    if (free < 100 * MiB)
      return failed("disk", detail, "Free space: SQLite refuses writes when the disk is full.");
    if (free < 1024 * MiB)
      return warning("disk", detail, "Less than 1 GiB left: free space or move DATA_DIR.");
    return ok("disk", detail);
  } catch (error) {
    return failed("disk", `cannot read free space of ${config.dataDir}: ${(error as Error).message}`);
  }
}

export function checkWritable(config: Config): CheckResult {
  const dirs = new Set([config.dataDir]);
  if (config.database.dialect === "sqlite") dirs.add(dirname(config.database.path));
  for (const dir of dirs) {
    const probe = join(dir, `.write-test-${randomBytes(4).toString("hex")}`);
    try {
      writeFileSync(probe, "probe", { flag: "wx" });
      rmSync(probe, { force: true });
    } catch (error) {
      return failed(
        "write",
        `cannot write in ${dir}: ${(error as Error).message}`,
        "Give the user that runs Glasschat write access to this folder.",
      );
    }
  }
  return ok("write", `can write in ${[...dirs].join(" and ")}`);
}

export async function checkPublicUrl(config: Config): Promise<CheckResult> {
  if (!config.publicOrigin) {
    return warning(
      "proxy",
      "PUBLIC_URL is not set: no check of the address people use",
      "Set PUBLIC_URL (e.g. https://chat.example.org) behind a reverse proxy: it fixes the allowed Origin and makes cookies Secure.",
    );
  }
  const outcome = await within(
    socketIoUpgrade(config.publicOrigin, TIMEOUT_MS),
    TIMEOUT_MS * 2,
    "upgrade",
  ).catch((error: Error) => ({ ok: false, stage: "upgrade", reason: error.message }) as const);
  if (outcome.ok) return ok("proxy", `WebSocket upgrade through ${config.publicOrigin} works`);
  if (outcome.stage === "handshake") {
    return failed(
      "proxy",
      `Socket.IO handshake at ${config.publicOrigin}/socket.io/ failed: ${outcome.reason}`,
      "Check that PUBLIC_URL reaches this server and that the proxy forwards /socket.io/ (see docs/deploy.md). A 403 means the Origin is refused: PUBLIC_URL must be exactly the address people use.",
    );
  }
  return failed(
    "proxy",
    `WebSocket upgrade through ${config.publicOrigin} failed: ${outcome.reason}`,
    'The reverse proxy must forward the Upgrade and Connection headers (nginx: proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade") and route a session\'s requests to one node (see docs/deploy.md).',
  );
}

/** A URL for printing: without its password. */
function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}
