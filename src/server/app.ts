import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import type { ServerOptions } from "socket.io";
import { type Config, ConfigError, describeDatabase } from "./config.js";
import { createAccountDeletionService } from "./domain/account-deletion.service.js";
import { createAccountSecurityService } from "./domain/account-security.service.js";
import { createAccountsService } from "./domain/accounts.service.js";
import { createChangesService } from "./domain/changes.service.js";
import { createChatsService } from "./domain/chats.service.js";
import { startEmailNotifications } from "./domain/email-notifications.js";
import type { FilesService } from "./domain/files.service.js";
import { withFiles } from "./domain/files-sending.js";
import { createGroupsService } from "./domain/groups.service.js";
import { createInsightsService } from "./domain/insights.service.js";
import { createInvitationsService } from "./domain/invitations.service.js";
import { createMessageActionsService } from "./domain/message-actions.service.js";
import { createMessagesService } from "./domain/messages.service.js";
import { createPresenceService } from "./domain/presence.service.js";
import { createReachService } from "./domain/reach.service.js";
import { createSearchService } from "./domain/search.service.js";
import { createSignalsService } from "./domain/signals.service.js";
import { createExportService } from "./export/export.service.js";
import { createFiles } from "./files-wiring.js";
import { registerAccountDataRoutes } from "./http/account-data.routes.js";
import { registerAccountRoutes } from "./http/accounts.routes.js";
import { registerAdminRoutes } from "./http/admin.routes.js";
import { registerAuthRoutes } from "./http/auth.routes.js";
import { registerBlockRoutes } from "./http/blocks.routes.js";
import { registerChangesRoutes } from "./http/changes.routes.js";
import { registerChatRoutes } from "./http/chats.routes.js";
import { answerEngineErrorsInOurShape } from "./http/engine-errors.js";
import { registerFileRoutes } from "./http/files.routes.js";
import { registerGroupRoutes } from "./http/groups.routes.js";
import { registerHealthRoutes } from "./http/health.routes.js";
import { registerInsightsRoutes } from "./http/insights.routes.js";
import { registerInvitationRoutes } from "./http/invitations.routes.js";
import { registerMeRoutes } from "./http/me.routes.js";
import { registerMessageActionRoutes } from "./http/message-actions.routes.js";
import { registerMetricsRoutes } from "./http/metrics.routes.js";
import { registerPushRoutes } from "./http/push.routes.js";
import { answerConnectRequests } from "./http/raw-errors.js";
import { registerSearchRoutes } from "./http/search.routes.js";
import { addSecurityHeadersToEveryResponse } from "./http/security.js";
import { createHttpServer } from "./http/server.js";
import { registerWebClient } from "./http/static.js";
import { createMailer } from "./mail/mailer.js";
import { createMetrics, type Metrics, timeStoreBatch } from "./metrics.js";
import { openConfiguredDatabase } from "./open-database.js";
import { createOriginPolicy } from "./origin.js";
import { choosePresenceStore } from "./presence-wiring.js";
import { createPushService } from "./push/push.service.js";
import { createFloodOffenders } from "./realtime/flood-offenders.js";
import { createGroupNotifier } from "./realtime/group-notifier.js";
import { gateHandshakes } from "./realtime/handshake-gate.js";
import { greetSockets } from "./realtime/hello.js";
import { authenticateSockets, createIo } from "./realtime/io.js";
import { registerMessageHandlers, SOCKET_EVENTS_WINDOW_MS } from "./realtime/messages.handlers.js";
import { createSocketNotifier } from "./realtime/notifier.js";
import { registerPresenceHandlers } from "./realtime/presence.handlers.js";
import { connectRedisAdapter, type RedisAdapter } from "./realtime/redis-adapter.js";
import { rooms } from "./realtime/rooms.js";
import { watchSessions } from "./realtime/session-watch.js";
import { createTurnPacer } from "./realtime/turn-pacer.js";
import type { GlasschatServer } from "./realtime/types.js";
import { paceUpgrades } from "./realtime/upgrade-pacer.js";
import { trackVisibility } from "./realtime/visibility.js";
import { createAccountDeletionRepository } from "./storage/account-deletion.repository.js";
import { createAccountTokensRepository } from "./storage/account-tokens.repository.js";
import { createChangesRepository } from "./storage/changes.repository.js";
import { createChatsRepository } from "./storage/chats.repository.js";
import type { DatabaseHandle } from "./storage/database.js";
import { createEmailNotificationsRepository } from "./storage/email-notifications.repository.js";
import { createExportRepository } from "./storage/export.repository.js";
import { createGroupsRepository } from "./storage/groups.repository.js";
import { createInsightsRepository } from "./storage/insights.repository.js";
import { createMessageActionsRepository } from "./storage/message-actions.repository.js";
import { createMessagesRepository } from "./storage/messages.repository.js";
import { createPresenceRepository } from "./storage/presence.repository.js";
import { createPushRepository } from "./storage/push.repository.js";
import { createReachRepository } from "./storage/reach.repository.js";
import { createSearchRepository } from "./storage/search.repository.js";
import { createSessionsRepository } from "./storage/sessions.repository.js";
import { createUsersRepository } from "./storage/users.repository.js";

export interface App {
  http: FastifyInstance;
  /** Uploads; `files.removeFilesOfUser(userId)` / `files.filesOfUser(userId)` for account deletion. */
  files: FilesService;
  io: GlasschatServer;
  database: DatabaseHandle;
  /** Stops accepting, lets in-flight sends commit, closes sockets and the database. */
  close(): Promise<void>;
}

const SESSION_SWEEP_MS = 60 * 60 * 1000;

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
  const database = await openConfiguredDatabase(config, logger);
  const metrics = options.metrics ?? createMetrics({ worker: "0" });
  const db = database.db.withPlugin(metrics.queryTimer);
  const messageWriter = timeStoreBatch(database.messageWriter, metrics);
  const now = options.now ?? Date.now;

  const origins = createOriginPolicy({
    publicOrigin: config.publicOrigin,
    allowedHosts: config.allowedHosts,
    listenHost: config.host,
    trustProxy: config.trustProxy,
  });
  const http = await createHttpServer(config, logger, origins);

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
  // Handshake work (WebSocket upgrades, authentications) runs one job per event-loop turn.
  const handshakePacer = createTurnPacer();
  paceUpgrades(http.server, handshakePacer);
  const floodOffenders = createFloodOffenders(SOCKET_EVENTS_WINDOW_MS, now);
  const handshakeGate = gateHandshakes(http.server, {
    perMinute: config.rateLimits.handshakesPerMinute,
    burst: config.rateLimits.handshakeBurst,
    trustProxy: config.trustProxy,
    offenders: floodOffenders,
  });
  metrics.countSockets(() => io.of("/").sockets.size);
  const notifier = createSocketNotifier(io);
  const users = createUsersRepository(db);
  const chatsRepository = createChatsRepository(db);
  const sessions = createSessionsRepository(db);
  const presenceRepository = createPresenceRepository(db);
  const presenceTtlMs = config.presenceTtlS * 1000;
  const reach = createReachService({ reach: createReachRepository(db), now });
  const presence = createPresenceService({
    store: choosePresenceStore({
      redis,
      workers: options.adapter !== undefined,
      db,
      databaseName: describeDatabase(config.database),
      presenceTtlMs,
      now,
    }),
    repository: presenceRepository,
    notifier,
    reach,
    now,
    onError: (error) => logger.warn({ err: error }, "presence update failed"),
  });
  const chats = createChatsService({
    chats: chatsRepository,
    users,
    notifier,
    reach,
    now,
    lookupsPerHour: config.rateLimits.lookupsPerHour,
    onlineAmong: presence.onlineAmong,
  });
  const signals = createSignalsService({
    repository: presenceRepository,
    chats: chatsRepository,
    chatsService: chats,
    presence,
    notifier,
    reach,
  });
  const accounts = createAccountsService({
    users,
    sessions,
    notifier,
    sessionSecret: config.sessionSecret,
    now,
    limits: config.rateLimits,
    onSettingsChanged: signals.settingsChanged,
  });
  const messagesRepository = createMessagesRepository(db, messageWriter);
  const messages = createMessagesService({
    messages: messagesRepository,
    chats: chatsRepository,
    chatsService: chats,
    onRead: signals.readMoved,
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

  const visibility = trackVisibility(io);
  const push = createPushService({
    push: createPushRepository(db),
    config: config.push,
    now,
    log: logger,
    visibleAmong: visibility.visibleAmong,
    // A blocked sender's message is withheld (hiddenFor); a pending message request pushes nothing.
    allowedRecipients: async (stored, userIds) => {
      const allowed = await Promise.all(userIds.map((id) => reach.mayNotify(stored, id)));
      return userIds.filter((_, i) => allowed[i]);
    },
  });

  // Links in mail: PUBLIC_URL, or (outbox only: start refuses SMTP_URL without PUBLIC_URL) this server.
  const mailer = createMailer({
    smtpUrl: config.smtpUrl,
    from: config.mail.from,
    outboxDir: config.mail.outboxDir,
    linkBase: () =>
      config.publicOrigin ??
      `http://localhost:${(http.server.address() as AddressInfo | null)?.port ?? config.port}`,
  });
  const tokens = createAccountTokensRepository(db);
  const security = createAccountSecurityService({
    users,
    sessions,
    tokens,
    notifier,
    mailer,
    sessionSecret: config.sessionSecret,
    now,
    resetsPerHour: config.mail.passwordResetsPerHour,
    passwordFailures: config.rateLimits.loginFailuresPerAccountIp,
    onBackgroundError: (error) => logger.error({ err: error }, "password-reset mail failed"),
  });
  const invitations = createInvitationsService({
    tokens,
    users,
    chats,
    accounts,
    mailer,
    now,
    registration: config.registration,
    invitationsPerHour: config.mail.invitationsPerHour,
  });
  const emailNotifications = startEmailNotifications({
    repository: createEmailNotificationsRepository(db),
    mailer,
    isOnline: async (userId) => (await io.in(rooms.user(userId)).fetchSockets()).length > 0,
    sessionSecret: config.sessionSecret,
    now,
    afterMs: config.mail.notifyAfterMs,
    everyMs: config.mail.notifyEveryMs,
    checkMs: config.mail.notifyCheckMs,
    onError: (error) => logger.warn({ err: error }, "unread-messages mail failed"),
  });

  registerHealthRoutes(http, database.ping, redis?.ping);
  registerMetricsRoutes(http, options.renderMetrics ?? metrics.render, config.metricsToken);
  registerAuthRoutes(http, accounts, config.secureCookies, invitations.register);
  registerMeRoutes(http, accounts);
  registerBlockRoutes(http, { accounts, reach });
  const files = createFiles(config, db, logger, now);
  await registerFileRoutes(http, { accounts, files: files.service, blobs: files.blobs });
  const search = createSearchService({
    search: createSearchRepository(db, database.dialect),
    messages: messagesRepository,
    chatsService: chats,
    dialect: database.dialect,
    searchesPerMinute: config.rateLimits.searchesPerMinute,
    now,
  });
  registerChatRoutes(http, { accounts, chats: files.chatsWithFileCleanup(chats), messages, groups, search });
  registerSearchRoutes(http, accounts, search);
  registerAccountRoutes(http, {
    accounts,
    security,
    sessionSecret: config.sessionSecret,
    unsubscribe: async (userId) => {
      await users.updateSettings(userId, { emailNotifications: false });
    },
  });
  registerInvitationRoutes(http, accounts, invitations);
  registerGroupRoutes(http, { accounts, groups });
  const messageActions = files.withFileCleanup(
    createMessageActionsService({
      actions: createMessageActionsRepository(db),
      messages: messagesRepository,
      chatsService: chats,
      notifier,
      reach,
      now,
      editWindowS: config.conversations.editWindowS,
      deleteWindowS: config.conversations.deleteWindowS,
    }),
  );
  registerMessageActionRoutes(http, { accounts, actions: messageActions });
  registerAccountDataRoutes(http, {
    accounts,
    exports: createExportService({
      exports: createExportRepository(db),
      messages: messagesRepository,
      now,
      filesForExport: files.exportEntries,
    }),
    deletion: createAccountDeletionService({
      repository: createAccountDeletionRepository(db),
      actions: messageActions,
      groups,
      chatsService: chats,
      notifier,
      now,
      deleteFilesOf: async (userId) => void (await files.service.removeFilesOfUser(userId)),
    }),
    secureCookies: config.secureCookies,
  });
  registerPushRoutes(http, accounts, push);
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
  registerAdminRoutes(http, {
    accounts,
    config,
    running: { database, ...(redis ? { redisPing: redis.ping } : {}) },
  });
  const web = await registerWebClient(http);
  http.setNotFoundHandler((request, reply) => {
    if (web.isNavigation(request)) return web.serveIndex(reply);
    return reply.code(404).send({ error: { code: "not_found", message: "No such route." } });
  });

  let closing: Promise<void> | undefined;
  authenticateSockets(io, accounts, chatsRepository, {
    gate: handshakeGate,
    offenders: floodOffenders,
    pace: handshakePacer,
    closing: () => closing !== undefined,
  });
  greetSockets(io);
  const presenceHandlers = registerPresenceHandlers(io, {
    presence,
    signals,
    notifier,
    log: logger,
    tickMs: presenceTtlMs / 4,
  });
  const sessionWatch = watchSessions(io, sessions, {
    checkIntervalMs: config.sessionCheckIntervalMs,
    now,
    log: logger,
  });
  const sendHandlers = registerMessageHandlers(io, {
    messages: withFiles(messages, files.service, chats.requireMember),
    log: logger,
    socketEventsPer10s: config.rateLimits.socketEventsPer10s,
    offenders: floodOffenders,
    metrics,
    now,
    afterSend: push.messageStored,
  });

  const sweep = setInterval(() => {
    accounts.purgeExpiredSessions().catch((error) => logger.warn({ err: error }, "session sweep failed"));
  }, SESSION_SWEEP_MS);
  sweep.unref();

  return {
    http,
    io,
    files: files.service,
    database,
    close: () => {
      closing ??= (async () => {
        clearInterval(sweep);
        files.stop();
        sessionWatch.stop();
        await emailNotifications.stop();
        await security.drain();
        // New sends are refused `unavailable`; every accepted one commits and is answered.
        await sendHandlers.stop();
        await messages.drain();
        // Closing waits for each connection's buffered acks to be written before it ends.
        io.disconnectSockets(true);
        await new Promise<void>((resolve) => io.close(() => resolve()));
        await http.close();
        await messages.drain();
        // Pushes of stored messages go out before the process ends (each request has a timeout).
        await push.idle();
        presenceHandlers.stop();
        await presence.drain();
        await presence.close();
        await redis?.close();
        mailer.close();
        await database.close();
      })();
      return closing;
    },
  };
}
