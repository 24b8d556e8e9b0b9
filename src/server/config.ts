import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { z } from "zod";
import { LIMITS } from "../protocol/limits.js";

/** Raised for configuration a server must not start with; `main` prints the message and exits. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

export type DatabaseTarget = { dialect: "sqlite"; path: string } | { dialect: "postgres"; url: string };

const limit = (fallback: number) => z.coerce.number().int().min(0).default(fallback);
const onOff = z.enum(["on", "off"]);

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: z.string().min(1).optional(),
  REDIS_URL: z.url({ protocol: /^rediss?$/, message: "must be a redis:// or rediss:// URL" }).optional(),
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  SMTP_URL: z.url({ protocol: /^smtps?$/, message: "must be an smtp:// or smtps:// URL" }).optional(),
  PUBLIC_URL: z.url({ protocol: /^https?$/, message: "must be an http:// or https:// URL" }).optional(),
  TRUST_PROXY: onOff.default("off"),
  ALLOWED_HOSTS: z
    .string()
    .transform((value) =>
      value
        .split(",")
        .map((host) => host.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z
          .string()
          .regex(/^[a-z0-9.-]+$|^\[[0-9a-f:.]+\]$/, "must be host names or IP addresses, without ports"),
      ),
    )
    .optional(),
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  RATE_LIMIT_REGISTER_PER_HOUR: limit(10),
  RATE_LIMIT_LOGIN_FAILURES: limit(10),
  RATE_LIMIT_LOGIN_FAILURES_PER_IP: limit(100),
  RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT: limit(100),
  RATE_LIMIT_LOOKUPS_PER_HOUR: limit(100),
  RATE_LIMIT_MESSAGES_PER_10S: limit(50),
  RATE_LIMIT_SOCKET_EVENTS_PER_10S: limit(200),
  RATE_LIMIT_HANDSHAKES_PER_MINUTE: limit(120),
  SEND_QUEUE_MAX: z.coerce.number().int().min(1).default(5000),
  SESSION_CHECK_INTERVAL_MS: z.coerce.number().int().min(100).default(60_000),
  SQLITE_SYNCHRONOUS: z.enum(["full", "normal"]).default("full"),
  SEND_BATCHING: onOff.default("on"),
  SQLITE_WRITER: z.enum(["auto", "thread", "inline"]).default("auto"),
  GROUP_MAX_MEMBERS: limit(LIMITS.groupMaxMembers),
  MESSAGE_EDIT_WINDOW_S: limit(LIMITS.messageEditWindowS),
  MESSAGE_DELETE_WINDOW_S: limit(LIMITS.messageDeleteWindowS),
});
/**
 * Every rate limit turned off (0), for benchmarks, the torture suite's capacity categories and
 * test harnesses: derived from the schema, so a new limit can never be forgotten there.
 */
export const RATE_LIMITS_OFF: Readonly<Record<string, string>> = Object.fromEntries(
  Object.keys(envSchema.shape)
    .filter((name) => name.startsWith("RATE_LIMIT_"))
    .map((name) => [name, "0"]),
);

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  database: DatabaseTarget;
  redisUrl: string | undefined;
  sessionSecret: string;
  smtpUrl: string | undefined;
  /** Origin that browsers use to reach us; when unset, the request's own scheme and (allowed) Host. */
  publicOrigin: string | undefined;
  /** Host names besides loopback, the listening address and PUBLIC_URL's host that we answer for. */
  allowedHosts: string[];
  /** Bearer token for GET /metrics; without it only direct loopback connections may scrape. */
  metricsToken: string | undefined;
  secureCookies: boolean;
  trustProxy: boolean;
  logLevel: string;
  rateLimits: {
    registerPerHour: number;
    /** Failed logins per (account, client IP). */
    loginFailuresPerAccountIp: number;
    loginFailuresPerIp: number;
    /** Failed logins per account from every client not known to it. */
    loginFailuresPerAccount: number;
    lookupsPerHour: number;
    messagesPer10s: number;
    socketEventsPer10s: number;
    handshakesPerMinute: number;
  };
  /** Sends waiting for a commit beyond which new ones are refused `unavailable` at once. */
  sendQueueMax: number;
  sessionCheckIntervalMs: number;
  sqliteSynchronous: "full" | "normal";
  /** Where SQLite commits the send path: its own thread, the main thread, or by core count. */
  sqliteWriter: "auto" | "thread" | "inline";
  sendBatching: boolean;
  conversations: {
    /** Members of a group in all; 0 = no limit. */
    groupMaxMembers: number;
    /** How long a sender may edit / delete for everyone (seconds; 0 = no limit). */
    editWindowS: number;
    deleteWindowS: number;
  };
}

/** Reads the environment once at start; every problem is reported together, by variable name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(stripEmpty(env));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  const database = parseDatabaseUrl(e.DATABASE_URL ?? `sqlite:${join(dataDir, "glasschat.db")}`);
  if (database.dialect === "sqlite") ensureWritableDir(dirname(database.path), "DATABASE_URL");
  if (e.REDIS_URL && database.dialect === "sqlite") {
    throw new ConfigError(
      "REDIS_URL is set for running several server nodes, but DATABASE_URL is SQLite: each node would keep its own messages. Use DATABASE_URL=postgres://… with REDIS_URL.",
    );
  }
  if (e.REDIS_URL && !e.SESSION_SECRET) {
    throw new ConfigError(
      "REDIS_URL is set for running several server nodes, so SESSION_SECRET must be set too, the same on every node (each node would otherwise generate its own and reject the others' sessions).",
    );
  }
  const publicUrl = e.PUBLIC_URL ? new URL(e.PUBLIC_URL) : undefined;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    database,
    redisUrl: e.REDIS_URL,
    sessionSecret: e.SESSION_SECRET ?? loadOrCreateSecret(dataDir),
    smtpUrl: e.SMTP_URL,
    publicOrigin: publicUrl?.origin,
    allowedHosts: e.ALLOWED_HOSTS ?? [],
    metricsToken: e.METRICS_TOKEN,
    secureCookies: publicUrl?.protocol === "https:",
    trustProxy: e.TRUST_PROXY === "on",
    logLevel: e.LOG_LEVEL,
    rateLimits: {
      registerPerHour: e.RATE_LIMIT_REGISTER_PER_HOUR,
      loginFailuresPerAccountIp: e.RATE_LIMIT_LOGIN_FAILURES,
      loginFailuresPerIp: e.RATE_LIMIT_LOGIN_FAILURES_PER_IP,
      loginFailuresPerAccount: e.RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT,
      lookupsPerHour: e.RATE_LIMIT_LOOKUPS_PER_HOUR,
      messagesPer10s: e.RATE_LIMIT_MESSAGES_PER_10S,
      socketEventsPer10s: e.RATE_LIMIT_SOCKET_EVENTS_PER_10S,
      handshakesPerMinute: e.RATE_LIMIT_HANDSHAKES_PER_MINUTE,
    },
    sendQueueMax: e.SEND_QUEUE_MAX,
    sessionCheckIntervalMs: e.SESSION_CHECK_INTERVAL_MS,
    sqliteSynchronous: e.SQLITE_SYNCHRONOUS,
    sqliteWriter: e.SQLITE_WRITER,
    sendBatching: e.SEND_BATCHING === "on",
    conversations: {
      groupMaxMembers: e.GROUP_MAX_MEMBERS,
      editWindowS: e.MESSAGE_EDIT_WINDOW_S,
      deleteWindowS: e.MESSAGE_DELETE_WINDOW_S,
    },
  };
}

export function parseDatabaseUrl(url: string): DatabaseTarget {
  if (url.startsWith("sqlite:")) {
    const path = url.slice("sqlite:".length).replace(/^\/\/(?=\/)/, "");
    if (!path)
      throw new ConfigError("DATABASE_URL: sqlite: needs a file path, e.g. sqlite:./data/glasschat.db");
    return { dialect: "sqlite", path: resolve(path) };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    try {
      new URL(url);
    } catch {
      throw new ConfigError("DATABASE_URL: not a valid postgres:// URL");
    }
    return { dialect: "postgres", url };
  }
  throw new ConfigError("DATABASE_URL: must start with sqlite: or postgres://");
}

/** The database target for messages: SQLite's path, or the PostgreSQL URL without its password. */
export function describeDatabase(target: DatabaseTarget): string {
  return target.dialect === "sqlite" ? target.path : target.url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}

function stripEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined && value !== "") out[key] = value;
  return out;
}

function ensureWritableDir(dir: string, variable: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    const probe = join(dir, `.write-test-${process.pid}`);
    writeFileSync(probe, "");
    rmSync(probe, { force: true });
  } catch (error) {
    throw new ConfigError(`${variable}: the folder ${dir} is not writable (${(error as Error).message})`);
  }
}

/** Without SESSION_SECRET a random one is made once and kept beside the data, so restarts keep sessions. */
function loadOrCreateSecret(dataDir: string): string {
  ensureWritableDir(dataDir, "DATA_DIR");
  const file = join(dataDir, "session-secret");
  if (existsSync(file)) {
    const secret = readFileSync(file, "utf8").trim();
    if (secret.length >= 32) return secret;
    throw new ConfigError(
      `${file} holds a secret shorter than 32 characters: delete it or set SESSION_SECRET`,
    );
  }
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}
