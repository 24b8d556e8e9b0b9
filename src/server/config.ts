import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { z } from "zod";
import { LIMITS } from "../protocol/limits.js";
import { loadOrCreateVapidKeys, type VapidKeys, vapidKeysProblem } from "./push/vapid.js";

/** Raised for configuration a server must not start with; `main` prints the message and exits. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

export type DatabaseTarget = { dialect: "sqlite"; path: string } | { dialect: "postgres"; url: string };

const limit = (fallback: number) => z.coerce.number().int().min(0).default(fallback);
const onOff = z.enum(["on", "off"]);
/** A comma-separated list, trimmed and lower-cased, each item checked by `item`. */
const commaList = (item: z.ZodType<string, string>) =>
  z
    .string()
    .transform((value) =>
      value
        .split(",")
        .map((entry) => entry.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(z.array(item));

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
  ALLOWED_HOSTS: commaList(
    z.string().regex(/^[a-z0-9.-]+$|^\[[0-9a-f:.]+\]$/, "must be host names or IP addresses, without ports"),
  ).optional(),
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  ADMIN_EMAILS: commaList(z.email("must be e-mail addresses, separated by commas")).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  RATE_LIMIT_REGISTER_PER_HOUR: limit(10),
  RATE_LIMIT_LOGIN_FAILURES: limit(10),
  RATE_LIMIT_LOGIN_FAILURES_PER_IP: limit(100),
  RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT: limit(100),
  RATE_LIMIT_LOOKUPS_PER_HOUR: limit(100),
  RATE_LIMIT_SEARCHES_PER_MINUTE: limit(120),
  RATE_LIMIT_MESSAGES_PER_10S: limit(50),
  RATE_LIMIT_SOCKET_EVENTS_PER_10S: limit(200),
  RATE_LIMIT_HANDSHAKES_PER_MINUTE: limit(120),
  RATE_LIMIT_HANDSHAKE_BURST: limit(20),
  SEND_QUEUE_MAX: z.coerce.number().int().min(1).default(5000),
  SESSION_CHECK_INTERVAL_MS: z.coerce.number().int().min(100).default(60_000),
  PRESENCE_TTL_S: z.coerce.number().int().min(2).max(3600).default(60),
  SQLITE_SYNCHRONOUS: z.enum(["full", "normal"]).default("full"),
  SEND_BATCHING: onOff.default("on"),
  SQLITE_WRITER: z.enum(["auto", "thread", "inline"]).default("auto"),
  SEARCH_INDEX: onOff.default("on"),
  SEARCH_SWEEP_S: z.coerce.number().int().min(1).max(3600).default(30),
  GROUP_MAX_MEMBERS: limit(LIMITS.groupMaxMembers),
  MESSAGE_EDIT_WINDOW_S: limit(LIMITS.messageEditWindowS),
  MESSAGE_DELETE_WINDOW_S: limit(LIMITS.messageDeleteWindowS),
  VAPID_PUBLIC_KEY: z.string().optional(),
  VAPID_PRIVATE_KEY: z.string().optional(),
  VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:|https:\/\/)\S+$/, "must be a mailto: or https:// address")
    .optional(),
  PUSH_ALLOW_PRIVATE_ENDPOINTS: z.enum(["true", "false"]).default("false"),
  FILE_STORAGE: z.enum(["disk", "database"]).default("disk"),
  FILE_MAX_BYTES: z.coerce.number().int().min(1).default(LIMITS.fileMaxBytes),
  FILE_QUOTA_BYTES: z.coerce.number().int().min(0).default(LIMITS.fileQuotaBytes),
  RATE_LIMIT_UPLOADS_PER_HOUR: limit(200),
  RATE_LIMIT_UPLOAD_BYTES_PER_HOUR: limit(2 * 1024 * 1024 * 1024),
  REGISTRATION: z.enum(["open", "invite"]).default("open"),
  MAIL_FROM: z.string().min(3).optional(),
  RATE_LIMIT_PASSWORD_RESET_PER_HOUR: limit(5),
  RATE_LIMIT_INVITATIONS_PER_HOUR: limit(20),
  EMAIL_NOTIFY_AFTER_S: z.coerce
    .number()
    .int()
    .min(1)
    .default(15 * 60),
  EMAIL_NOTIFY_EVERY_S: z.coerce
    .number()
    .int()
    .min(1)
    .default(60 * 60),
  EMAIL_NOTIFY_CHECK_MS: z.coerce.number().int().min(100).default(60_000),
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
  /** Accounts (by e-mail, lower case) that may use the /api/admin routes. */
  adminEmails: string[];
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
    searchesPerMinute: number;
    messagesPer10s: number;
    socketEventsPer10s: number;
    handshakesPerMinute: number;
    /** Handshakes per client IP at once (a bucket refilled at handshakesPerMinute). */
    handshakeBurst: number;
  };
  /** Sends waiting for a commit beyond which new ones are refused `unavailable` at once. */
  sendQueueMax: number;
  sessionCheckIntervalMs: number;
  /** The longest a killed node's users stay online for others (with REDIS_URL). */
  presenceTtlS: number;
  sqliteSynchronous: "full" | "normal";
  /** Where SQLite commits the send path: its own thread, the main thread, or by core count. */
  sqliteWriter: "auto" | "thread" | "inline";
  sendBatching: boolean;
  /** Off only to benchmark the send path without it: new messages are then never found. */
  searchIndex: boolean;
  /** PostgreSQL: how often each node indexes what another node committed but did not index (it died). */
  searchSweepS: number;
  conversations: {
    /** Members of a group in all; 0 = no limit. */
    groupMaxMembers: number;
    /** How long a sender may edit / delete for everyone (seconds; 0 = no limit). */
    editWindowS: number;
    deleteWindowS: number;
  };
  push: {
    vapid: VapidKeys;
    /** VAPID `sub`: how a push service can reach the operator. */
    subject: string;
    /** Tests and closed networks only: push to http:// and private or loopback addresses. */
    allowPrivateEndpoints: boolean;
  };
  files: {
    /** Where file bytes live: DATA_DIR/files, or chunks in the database. */
    storage: "disk" | "database";
    folder: string;
    maxBytes: number;
    /** Bytes each user's uploads may take in all. */
    quotaBytes: number;
    /** Uploads each user may start per hour (0: no limit). */
    uploadsPerHour: number;
    /** Bytes each user may upload per hour, counted as they arrive (0: no limit). */
    uploadBytesPerHour: number;
  };
  /** "invite": signing up needs a valid invitation. */
  registration: "open" | "invite";
  mail: {
    /** The From header; default `Glasschat <glasschat@HOST>` with PUBLIC_URL's host. */
    from: string;
    /** Where mail goes without SMTP_URL (the admin's `outbox` command reads it). */
    outboxDir: string;
    passwordResetsPerHour: number;
    invitationsPerHour: number;
    /** Unread-messages mail: messages unread this long are listed, at most one mail per `everyMs`. */
    notifyAfterMs: number;
    notifyEveryMs: number;
    notifyCheckMs: number;
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
  if (e.SMTP_URL && !e.PUBLIC_URL) {
    throw new ConfigError(
      "SMTP_URL is set, so PUBLIC_URL must be set too: the links in password-reset, invitation and notification mail point at it (e.g. PUBLIC_URL=https://chat.example.org).",
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
    adminEmails: e.ADMIN_EMAILS ?? [],
    secureCookies: publicUrl?.protocol === "https:",
    trustProxy: e.TRUST_PROXY === "on",
    logLevel: e.LOG_LEVEL,
    rateLimits: {
      registerPerHour: e.RATE_LIMIT_REGISTER_PER_HOUR,
      loginFailuresPerAccountIp: e.RATE_LIMIT_LOGIN_FAILURES,
      loginFailuresPerIp: e.RATE_LIMIT_LOGIN_FAILURES_PER_IP,
      loginFailuresPerAccount: e.RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT,
      lookupsPerHour: e.RATE_LIMIT_LOOKUPS_PER_HOUR,
      searchesPerMinute: e.RATE_LIMIT_SEARCHES_PER_MINUTE,
      messagesPer10s: e.RATE_LIMIT_MESSAGES_PER_10S,
      socketEventsPer10s: e.RATE_LIMIT_SOCKET_EVENTS_PER_10S,
      handshakesPerMinute: e.RATE_LIMIT_HANDSHAKES_PER_MINUTE,
      handshakeBurst: e.RATE_LIMIT_HANDSHAKE_BURST,
    },
    sendQueueMax: e.SEND_QUEUE_MAX,
    sessionCheckIntervalMs: e.SESSION_CHECK_INTERVAL_MS,
    presenceTtlS: e.PRESENCE_TTL_S,
    sqliteSynchronous: e.SQLITE_SYNCHRONOUS,
    sqliteWriter: e.SQLITE_WRITER,
    sendBatching: e.SEND_BATCHING === "on",
    searchIndex: e.SEARCH_INDEX === "on",
    searchSweepS: e.SEARCH_SWEEP_S,
    conversations: {
      groupMaxMembers: e.GROUP_MAX_MEMBERS,
      editWindowS: e.MESSAGE_EDIT_WINDOW_S,
      deleteWindowS: e.MESSAGE_DELETE_WINDOW_S,
    },
    push: {
      vapid: vapidKeys(e.VAPID_PUBLIC_KEY, e.VAPID_PRIVATE_KEY, dataDir),
      subject:
        e.VAPID_SUBJECT ??
        (publicUrl?.protocol === "https:" ? publicUrl.origin : "mailto:glasschat@localhost"),
      allowPrivateEndpoints: e.PUSH_ALLOW_PRIVATE_ENDPOINTS === "true",
    },
    files: {
      storage: e.FILE_STORAGE,
      folder: join(dataDir, "files"),
      maxBytes: e.FILE_MAX_BYTES,
      quotaBytes: e.FILE_QUOTA_BYTES,
      uploadsPerHour: e.RATE_LIMIT_UPLOADS_PER_HOUR,
      uploadBytesPerHour: e.RATE_LIMIT_UPLOAD_BYTES_PER_HOUR,
    },
    registration: e.REGISTRATION,
    mail: {
      from: e.MAIL_FROM ?? `Glasschat <glasschat@${publicUrl?.hostname ?? "localhost"}>`,
      outboxDir: join(dataDir, "outbox"),
      passwordResetsPerHour: e.RATE_LIMIT_PASSWORD_RESET_PER_HOUR,
      invitationsPerHour: e.RATE_LIMIT_INVITATIONS_PER_HOUR,
      notifyAfterMs: e.EMAIL_NOTIFY_AFTER_S * 1000,
      notifyEveryMs: e.EMAIL_NOTIFY_EVERY_S * 1000,
      notifyCheckMs: e.EMAIL_NOTIFY_CHECK_MS,
    },
  };
}

/** VAPID keys from the environment (both or neither), else made once into the data folder. */
function vapidKeys(
  publicKey: string | undefined,
  privateKey: string | undefined,
  dataDir: string,
): VapidKeys {
  if (publicKey === undefined && privateKey === undefined) {
    ensureWritableDir(dataDir, "DATA_DIR");
    try {
      return loadOrCreateVapidKeys(dataDir);
    } catch (error) {
      throw new ConfigError((error as Error).message);
    }
  }
  if (publicKey === undefined || privateKey === undefined) {
    throw new ConfigError("VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY go together: set both or neither");
  }
  const problem = vapidKeysProblem({ publicKey, privateKey });
  if (problem) throw new ConfigError(problem);
  return { publicKey, privateKey };
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
