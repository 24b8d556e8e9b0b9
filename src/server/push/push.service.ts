import type { Logger } from "pino";
import type { Message, PushPayload, PushSubscriptionBody } from "../../protocol/index.js";
import { AppError } from "../domain/errors.js";
import type { PushRepository, PushTarget } from "../storage/push.repository.js";
import { deliverPush } from "./deliver.js";
import { encryptPushPayload, isValidP256Point } from "./encrypt.js";
import { type CheckedEndpoint, checkEndpoint, EndpointRefused } from "./endpoint-guard.js";
import { type VapidKeys, vapidAuthorization, vapidSigningKey } from "./vapid.js";

export interface PushConfig {
  vapid: VapidKeys;
  /** The VAPID `sub` claim: a mailto: or https: contact for push services. */
  subject: string;
  allowPrivateEndpoints: boolean;
}

/** A new message as the send path hands it over: who it is withheld from comes with it. */
export interface StoredMessage {
  message: Message;
  /** Members the message is hidden from (a blocked sender's message, for the blocker). */
  hiddenFor: readonly string[];
}

export interface PushDeps {
  push: PushRepository;
  config: PushConfig;
  now: () => number;
  log: Logger;
  /** Of these users, those with at least one visible tab (on any node). */
  visibleAmong(userIds: string[]): Promise<Set<string>>;
  /**
   * Of the members a new message would be pushed to, those it may reach. The blocking rules go
   * here (a blocked sender's messages never push to the blocker; a message request pushes nothing):
   * give `createPushService` a function that asks them. Default: everyone.
   */
  allowedRecipients?(stored: StoredMessage, userIds: string[]): Promise<string[]>;
  /** Stand-in for the HTTP request (tests); default `deliverPush`. */
  deliver?: typeof deliverPush;
}

/** Messages waiting to be pushed beyond which new ones are dropped (pushes are best effort). */
const QUEUE_MAX = 10_000;
/** Push requests in flight at once, all messages together. */
const CONCURRENCY = 16;
const MAX_SUBSCRIPTIONS_PER_USER = 20;
const PREVIEW_CHARS = 100;
/** Messages looked up together. */
const BATCH = 200;
/**
 * How long "nobody is subscribed" is believed before asking the database again: a first
 * subscription made on another node starts receiving pushes within this time.
 */
const ANY_CHECK_MS = 5000;

export type PushService = ReturnType<typeof createPushService>;

/**
 * Web Push without a vendor gateway: the server encrypts each message for each browser (RFC 8291)
 * and POSTs it to the browser's push service, signed with its VAPID key (RFC 8292). The send path
 * only hands the stored message over (`messageStored`); everything else runs later, off that path.
 */
export function createPushService(deps: PushDeps) {
  const { push, config, now, log } = deps;
  const deliver = deps.deliver ?? deliverPush;
  const signingKey = vapidSigningKey(config.vapid);
  const queue: StoredMessage[] = [];
  let dropped = 0;
  let draining: Promise<void> | undefined;
  let inFlight = 0;
  const waiters: Array<() => void> = [];

  async function slot(): Promise<void> {
    while (inFlight >= CONCURRENCY) await new Promise<void>((resolve) => waiters.push(resolve));
    inFlight++;
  }
  function release(): void {
    inFlight--;
    waiters.shift()?.();
  }

  async function pushOne(message: Message, target: PushTarget, payload: PushPayload): Promise<void> {
    let checked: CheckedEndpoint;
    try {
      checked = await checkEndpoint(target.endpoint, config.allowPrivateEndpoints);
    } catch (error) {
      // A host that now resolves to a private address (or not at all): never sent, kept for later.
      log.warn({ err: error, chatId: message.chatId }, "push endpoint refused");
      return;
    }
    const body = encryptPushPayload(Buffer.from(JSON.stringify(payload)), {
      p256dh: Buffer.from(target.p256dh, "base64url"),
      auth: Buffer.from(target.auth, "base64url"),
    });
    const authorization = vapidAuthorization(checked.url, config.vapid, signingKey, config.subject, now());
    const status = await deliver(checked, body, authorization);
    if (status === 404 || status === 410) await push.deleteEndpoint(target.endpoint);
    else if (status < 200 || status >= 300) log.warn({ status, host: checked.url.host }, "push refused");
  }

  /** `targets`: the live subscriptions of the chat's other members. */
  async function pushMessage(stored: StoredMessage, targets: PushTarget[]): Promise<void> {
    const { message } = stored;
    let userIds = [...new Set(targets.map((t) => t.user_id))].filter((id) => !stored.hiddenFor.includes(id));
    if (deps.allowedRecipients) userIds = await deps.allowedRecipients(stored, userIds);
    const visible = await deps.visibleAmong(userIds);
    const allowed = new Set(userIds.filter((id) => !visible.has(id)));
    if (allowed.size === 0) return;
    const chat = await push.chatTitle(message.chatId);
    if (!chat) return;
    const base: PushPayload = {
      chatId: message.chatId,
      messageId: message.id,
      title: chat.kind === "group" ? (chat.title ?? "") : message.sender.username,
      sender: message.sender.username,
    };
    const preview = Array.from(message.body).slice(0, PREVIEW_CHARS).join("");
    // Each request in the background, at most CONCURRENCY at once: a slow push service holds
    // back nothing but its own requests' slots.
    for (const target of targets) {
      if (!allowed.has(target.user_id)) continue;
      await slot();
      const payload = target.push_previews === 1 ? { ...base, body: preview } : base;
      void pushOne(message, target, payload)
        .catch((error) => log.warn({ err: error, chatId: message.chatId }, "push failed"))
        .finally(release);
    }
  }

  /** Cached "is anyone subscribed at all?", so that a server without push costs no query per message. */
  let anyCheckedAt = Number.NEGATIVE_INFINITY;
  let anySubscribed = false;
  async function anySubscriptions(): Promise<boolean> {
    if (performance.now() - anyCheckedAt > ANY_CHECK_MS) {
      anySubscribed = await push.any();
      anyCheckedAt = performance.now();
    }
    return anySubscribed;
  }

  /** Known, as of the last check, that nobody is subscribed: a message needs no queueing. */
  const nobodySubscribed = () => !anySubscribed && performance.now() - anyCheckedAt <= ANY_CHECK_MS;

  async function pushBatch(batch: StoredMessage[]): Promise<void> {
    if (!(await anySubscriptions())) return;
    const targets = await push.targetsOf([...new Set(batch.map((s) => s.message.chatId))], now());
    for (const stored of batch) {
      const { message } = stored;
      const own = targets.filter((t) => t.chat_id === message.chatId && t.user_id !== message.sender.id);
      if (own.length > 0) await pushMessage(stored, own);
    }
  }

  async function drain(): Promise<void> {
    // After a turn of the event loop, so sends and acks come first; the messages that arrived
    // meanwhile share one query.
    while (queue.length > 0) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (dropped > 0) {
        log.warn({ dropped }, "push queue full: messages not pushed");
        dropped = 0;
      }
      // Nobody subscribed: everything queued meanwhile goes at once.
      if (!(await anySubscriptions().catch(() => true))) queue.length = 0;
      await pushBatch(queue.splice(0, BATCH)).catch((error) => log.warn({ err: error }, "push failed"));
    }
    draining = undefined;
  }

  return {
    publicKey: () => config.vapid.publicKey,

    async subscribe(userId: string, sessionId: string, body: PushSubscriptionBody): Promise<void> {
      const p256dh = Buffer.from(body.keys.p256dh, "base64url");
      if (!isValidP256Point(p256dh)) {
        throw new AppError("invalid_input", "keys.p256dh is not a P-256 public key.", {
          "keys.p256dh": "Not a P-256 public key.",
        });
      }
      try {
        await checkEndpoint(body.endpoint, config.allowPrivateEndpoints);
      } catch (error) {
        if (!(error instanceof EndpointRefused)) throw error;
        const reason = `The push endpoint ${error.message}.`;
        throw new AppError("invalid_input", reason, { endpoint: reason });
      }
      await push.upsert(
        {
          endpoint: body.endpoint,
          user_id: userId,
          session_id: sessionId,
          p256dh: p256dh.toString("base64url"),
          auth: Buffer.from(body.keys.auth, "base64url").toString("base64url"),
          created_at: now(),
        },
        MAX_SUBSCRIPTIONS_PER_USER,
      );
      anySubscribed = true;
    },

    unsubscribe: (userId: string, endpoint: string) => push.deleteOwn(userId, endpoint),

    /**
     * Called once a new message is stored and acknowledged: queues it and returns at once. System
     * messages (group changes) push nothing.
     */
    messageStored(stored: StoredMessage): void {
      if (stored.message.system || nobodySubscribed()) return;
      // Counted, and logged once per turn of the drain: a log line per message would load the send path.
      if (queue.length >= QUEUE_MAX) {
        dropped++;
        return;
      }
      queue.push(stored);
      draining ??= drain();
    },

    /** Resolves once every queued message has been pushed (shutdown and tests). */
    idle: async (): Promise<void> => {
      while (draining || inFlight > 0) {
        if (draining) await draining;
        else await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  };
}
