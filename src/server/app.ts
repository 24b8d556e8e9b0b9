import fastifyCookie from "@fastify/cookie";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import type { Logger } from "pino";
import type { ServerOptions } from "socket.io";
import { type Config, ConfigError, describeDatabase } from "./config.js";
import { createAccountsService } from "./domain/accounts.service.js";
import { createChangesService } from "./domain/changes.service.js";
import { createChatsService } from "./domain/chats.service.js";
import { createGroupsService } from "./domain/groups.service.js";
import { createInsightsService } from "./domain/insights.service.js";
import { createMessageActionsService } from "./domain/message-actions.service.js";
import { createMessagesService } from "./domain/messages.service.js";
import { registerAuthRoutes } from "./http/auth.routes.js";
import { registerChangesRoutes } from "./http/changes.routes.js";
import { registerChatRoutes } from "./http/chats.routes.js";
import { answerEngineErrorsInOurShape } from "./http/engine-errors.js";
import { answerFrameworkError, registerErrorHandling } from "./http/errors.js";
import { registerGroupRoutes } from "./http/groups.routes.js";
import { registerHealthRoutes } from "./http/health.routes.js";
import { registerInsightsRoutes } from "./http/insights.routes.js";
import { registerMeRoutes } from "./http/me.routes.js";
import { registerMessageActionRoutes } from "./http/message-actions.routes.js";
import { registerMetricsRoutes } from "./http/metrics.routes.js";
import { answerClientError, answerConnectRequests } from "./http/raw-errors.js";
import { registerApiSchemas } from "./http/schema.js";
import { addSecurityHeadersToEveryResponse, registerSecurity } from "./http/security.js";
import { registerWebClient } from "./http/static.js";
import { createMetrics, type Metrics, timeStoreBatch } from "./metrics.js";
import { createOriginPolicy } from "./origin.js";
import { createGroupNotifier } from "./realtime/group-notifier.js";
import { greetSockets } from "./realtime/hello.js";
import { authenticateSockets, createIo } from "./realtime/io.js";
import { registerMessageHandlers } from "./realtime/messages.handlers.js";
import { createSocketNotifier } from "./realtime/notifier.js";
import { connectRedisAdapter, type RedisAdapter } from "./realtime/redis-adapter.js";
import { watchSessions } from "./realtime/session-watch.js";
import type { GlasschatServer } from "./realtime/types.js";
import { createChangesRepository } from "./storage/changes.repository.js";
import { createChatsRepository } from "./storage/chats.repository.js";
import { type DatabaseHandle, openDatabase } from "./storage/database.js";
import { createGroupsRepository } from "./storage/groups.repository.js";
import { createInsightsRepository } from "./storage/insights.repository.js";
import { createMessageActionsRepository } from "./storage/message-actions.repository.js";
import { createMessagesRepository } from "./storage/messages.repository.js";
import { createSessionsRepository } from "./storage/sessions.repository.js";
import { createUsersRepository } from "./storage/users.repository.js";

export interface App {
  http: FastifyInstance;
  io: GlasschatServer;
  database: DatabaseHandle;
  /** Stops accepting, lets in-flight sends commit, closes sockets and the database. */
  close(): Promise<void>;
}

const SESSION_SWEEP_MS = 60 * 60 * 1000;

/**
 * TRUST_PROXY=on trusts the proxy we are connected to and no further: the client IP is the last
 * X-Forwarded-For entry, the one that proxy added. Earlier entries come from the client itself and
 * would let it pick its own address (and a fresh rate limit with each request).
 */
const trustOnlyTheNearestProxy = (_address: string, hop: number): boolean => hop === 0;

/** Set by `cluster.ts` for a `--workers` worker; a single process needs none. */
export interface AppOptions {
  /** Fan-out between the workers of one machine (node:cluster); REDIS_URL takes precedence. */
  adapter?: ServerOptions["adapter"];
  /** This process's metrics (default: a registry labelled worker="0"). */
  metrics?: Metrics;
  /** What GET /metrics serves (default: this process's metrics alone). */
  renderMetrics?: () => Promise<string>;
  /** The clock (epoch ms) for timestamps and windows; tests inject one. Default: Date.now. */
  now?: () => number;
}

/** Builds the whole server without listening; `main.ts` (or a test) calls `http.listen`. */
export async function buildApp(config: Config, logger: Logger, options: AppOptions = {}): Promise<App> {
  const database = await openDatabase(config.database, {
    sqliteSynchronous: config.sqliteSynchronous,
    sqliteWriter: config.sqliteWriter,
  }).catch((error: Error) => {
    throw new ConfigError(
      `Cannot open the database (${describeDatabase(config.database)}): ${error.message}`,
    );
  });
  const metrics = options.metrics ?? createMetrics({ worker: "0" });
  const db = database.db.withPlugin(metrics.queryTimer);
  const messageWriter = timeStoreBatch(database.messageWriter, metrics);
  const now = options.now ?? Date.now;

  const http = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // One line per request instead of two: see the onResponse hook below.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: config.trustProxy ? trustOnlyTheNearestProxy : false,
    bodyLimit: 64 * 1024,
    // A reaction's emoji (up to 32 code points) is a path segment of up to ~400 encoded characters.
    routerOptions: { maxParamLength: 512 },
    // Answered by registerErrorHandling instead, in the protocol's shape.
    return503OnClosing: false,
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
  });
  const origins = createOriginPolicy({
    publicOrigin: config.publicOrigin,
    allowedHosts: config.allowedHosts,
    listenHost: config.host,
    trustProxy: config.trustProxy,
  });
  // Only JSON bodies: a cross-site HTML form cannot send them.
  http.removeContentTypeParser(["text/plain"]);
  await http.register(fastifyCookie);
  await registerApiSchemas(http);
  registerErrorHandling(http);
  registerSecurity(http, origins);
  http.addHook("onResponse", async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        url: request.url.split("?")[0],
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      "request",
    );
  });

  let redis: RedisAdapter | undefined;
  try {
    redis = config.redisUrl ? await connectRedisAdapter(config.redisUrl, logger) : undefined;
  } catch (error) {
    await database.close();
    throw new ConfigError((error as Error).message);
  }
  const io = createIo(http.server, { origins, adapter: redis?.adapter ?? options.adapter });
  addSecurityHeadersToEveryResponse(http.server);
  answerEngineErrorsInOurShape(http.server, origins);
  answerConnectRequests(http.server);
  metrics.countSockets(() => io.of("/").sockets.size);
  const notifier = createSocketNotifier(io);
  const users = createUsersRepository(db);
  const chatsRepository = createChatsRepository(db);
  const sessions = createSessionsRepository(db);
  const accounts = createAccountsService({
    users,
    sessions,
    notifier,
    sessionSecret: config.sessionSecret,
    now,
    limits: config.rateLimits,
  });
  const chats = createChatsService({
    chats: chatsRepository,
    users,
    notifier,
    now,
    lookupsPerHour: config.rateLimits.lookupsPerHour,
  });
  const messagesRepository = createMessagesRepository(db, messageWriter);
  const messages = createMessagesService({
    messages: messagesRepository,
    chats: chatsRepository,
    chatsService: chats,
    notifier,
    now,
    messagesPer10s: config.rateLimits.messagesPer10s,
    batching: config.sendBatching,
    sendQueueMax: config.sendQueueMax,
    onStoreFailure: (error) => logger.error({ err: error }, "storing messages failed"),
  });

  const groups = createGroupsService({
    groups: createGroupsRepository(db),
    chatsService: chats,
    notifier: createGroupNotifier(io, logger),
    now,
    maxMembers: config.conversations.groupMaxMembers,
    limitLookups: chats.limitLookups,
  });

  registerHealthRoutes(http, database.ping, redis?.ping);
  registerMetricsRoutes(http, options.renderMetrics ?? metrics.render, config.metricsToken);
  registerAuthRoutes(http, accounts, config.secureCookies);
  registerMeRoutes(http, accounts);
  registerChatRoutes(http, { accounts, chats, messages, groups });
  registerGroupRoutes(http, { accounts, groups });
  registerMessageActionRoutes(http, {
    accounts,
    actions: createMessageActionsService({
      actions: createMessageActionsRepository(db),
      messages: messagesRepository,
      chatsService: chats,
      notifier,
      now,
      editWindowS: config.conversations.editWindowS,
      deleteWindowS: config.conversations.deleteWindowS,
    }),
  });
  registerChangesRoutes(http, {
    accounts,
    changes: createChangesService({ changes: createChangesRepository(db), chatsService: chats }),
  });
  registerInsightsRoutes(
    http,
    accounts,
    createInsightsService({
      insights: createInsightsRepository(db),
      requireMember: chats.requireMember,
      now,
    }),
  );
  const web = await registerWebClient(http);
  http.setNotFoundHandler((request, reply) => {
    if (web.isNavigation(request)) return web.serveIndex(reply);
    return reply.code(404).send({ error: { code: "not_found", message: "No such route." } });
  });

  let closing: Promise<void> | undefined;
  authenticateSockets(io, accounts, chatsRepository, {
    handshakesPerMinute: config.rateLimits.handshakesPerMinute,
    trustProxy: config.trustProxy,
    closing: () => closing !== undefined,
  });
  greetSockets(io);
  const sessionWatch = watchSessions(io, sessions, {
    checkIntervalMs: config.sessionCheckIntervalMs,
    now,
    log: logger,
  });
  const sendHandlers = registerMessageHandlers(io, {
    messages,
    log: logger,
    socketEventsPer10s: config.rateLimits.socketEventsPer10s,
    metrics,
    now,
  });

  const sweep = setInterval(() => {
    accounts.purgeExpiredSessions().catch((error) => logger.warn({ err: error }, "session sweep failed"));
  }, SESSION_SWEEP_MS);
  sweep.unref();

  return {
    http,
    io,
    database,
    close: () => {
      closing ??= (async () => {
        clearInterval(sweep);
        sessionWatch.stop();
        // New sends are refused `unavailable`; every accepted one commits and is answered.
        await sendHandlers.stop();
        await messages.drain();
        // Closing waits for each connection's buffered acks to be written before it ends.
        io.disconnectSockets(true);
        await new Promise<void>((resolve) => io.close(() => resolve()));
        await http.close();
        await messages.drain();
        await redis?.close();
        await database.close();
      })();
      return closing;
    },
  };
}
