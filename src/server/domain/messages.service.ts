import type { Message, MessagePage, UserRef } from "../../protocol/index.js";
import type { ChatsRepository } from "../storage/chats.repository.js";
import type { MessagesRepository, NewMessage, StoreResult } from "../storage/messages.repository.js";
import { toMessage, toMessages } from "./chat-view.js";
import type { ChatsService } from "./chats.service.js";
import { AppError, notFound } from "./errors.js";
import { seqFromMessageId } from "./ids.js";
import type { Notifier } from "./notifier.js";
import { RateLimiter } from "./rate-limiter.js";
import { SendBatcher } from "./send-batcher.js";

export interface MessagesDeps {
  messages: MessagesRepository;
  chats: ChatsRepository;
  chatsService: ChatsService;
  /** Read receipts: the reader's position moved to `seq` (see signals.service). */
  onRead?: (chatId: string, userId: string, seq: number) => Promise<void>;
  notifier: Notifier;
  now: () => number;
  messagesPer10s: number;
  batching: boolean;
  /** Sends waiting behind the commit in flight beyond which new ones are refused at once. */
  sendQueueMax: number;
  onStoreFailure: (error: unknown) => void;
}

export interface SendRequest {
  chatId: string;
  body: string;
  clientId: string;
  /** Id of a message of the same chat that the sender can see. */
  replyTo?: string;
}

export interface Sent {
  message: Message;
  /** False for a retry of a message already stored: nothing new to announce. */
  created: boolean;
  restoredFor: string[];
  /**
   * Members the message is withheld from (they block the sender; decided and stored in the
   * send's own transaction, see reach.service.ts): no event reaches them. Push and mail skip them too.
   */
  hiddenFor: string[];
}

export type MessagesService = ReturnType<typeof createMessagesService>;

export function createMessagesService(deps: MessagesDeps) {
  const { messages, chats, chatsService, notifier, now } = deps;
  const limiter = new RateLimiter(deps.messagesPer10s, 10_000, now);
  const batcher = new SendBatcher<NewMessage, StoreResult>((batch) => messages.storeBatch(batch), {
    batching: deps.batching,
    maxBatch: 500,
  });

  /** The caller's other tabs see their new view; members sharing receipts get `chat:read`. */
  async function readMoved(chatId: string, userId: string, seq: number | undefined): Promise<void> {
    if (seq === undefined) return;
    await chatsService.announceView(chatId, userId);
    await deps.onRead?.(chatId, userId, seq);
  }

  return {
    /**
     * Stores a message durably and returns it; nothing is announced yet (see `announce`).
     * `knownMember`: the caller already proved membership (its socket is in the chat's room).
     */
    async send(sender: UserRef, request: SendRequest, knownMember: boolean): Promise<Sent> {
      const wait = limiter.hit(sender.id);
      if (wait > 0) throw new AppError("rate_limited", `Slow down: try again in ${wait} s.`, undefined, wait);
      if (!knownMember) await chatsService.requireMember(request.chatId, sender.id);
      // Backpressure: while the database is slow or stuck, refuse quickly instead of queueing.
      if (batcher.waiting >= deps.sendQueueMax)
        throw new AppError("unavailable", "The server is busy. Nothing was sent; try again.");

      const replyToSeq =
        request.replyTo === undefined ? null : seqFromMessageId(request.chatId, request.replyTo, "replyTo");
      const createdAt = now();
      const result = await batcher.submit({
        chatId: request.chatId,
        body: request.body,
        clientId: request.clientId,
        replyToSeq,
        senderId: sender.id,
        createdAt,
      });
      switch (result.kind) {
        case "stored": {
          // Only a reply costs a read after the commit: the quoted message in its current state.
          const replied = replyToSeq === null ? undefined : await messages.find(request.chatId, replyToSeq);
          const message = toMessage({
            chat_id: request.chatId,
            seq: result.seq,
            rev: result.rev,
            sender_id: sender.id,
            sender_username: sender.username,
            client_id: request.clientId,
            body: request.body,
            created_at: createdAt,
            edited_at: null,
            deleted_at: null,
            system: null,
            reply_to_seq: replyToSeq,
            r_sender_id: replied?.row.sender_id ?? null,
            r_sender_username: replied?.row.sender_username ?? null,
            r_body: replied?.row.body ?? null,
            r_deleted_at: replied?.row.deleted_at ?? null,
          });
          return { message, created: true, restoredFor: result.restoredFor, hiddenFor: result.hiddenFor };
        }
        case "duplicate": {
          // A retry answers with the message as it is now (it may have been edited since).
          const stored = await messages.find(request.chatId, result.seq);
          if (!stored) throw notFound();
          return {
            message: toMessages([stored.row], stored.reactions)[0] as Message,
            created: false,
            restoredFor: [],
            hiddenFor: [],
          };
        }
        case "invalid_reply":
          throw new AppError("invalid_input", "replyTo is not a message of this chat you can see.", {
            replyTo: "Unknown message.",
          });
        case "missing_chat":
          throw notFound();
        case "failed":
          deps.onStoreFailure(result.error);
          throw new AppError("unavailable", "The message could not be stored. Nothing was sent; try again.");
      }
    },

    /** Fans a stored message out; members whose removed chat came back get it as `chat:new` first. */
    async announce(sent: Sent, exceptSocketId?: string): Promise<void> {
      if (!sent.created) return;
      notifier.messageCreated(sent.message, exceptSocketId, sent.hiddenFor);
      for (const userId of sent.restoredFor) {
        notifier.chatAppeared(userId, await chatsService.view(sent.message.chatId, userId));
      }
    },

    async history(
      chatId: string,
      userId: string,
      query: { before?: string; after?: string; limit: number },
    ): Promise<MessagePage> {
      const membership = await chatsService.requireMember(chatId, userId);
      const beforeSeq =
        query.before === undefined ? undefined : seqFromMessageId(chatId, query.before, "before");
      const afterSeq = query.after === undefined ? undefined : seqFromMessageId(chatId, query.after, "after");
      const { rows, reactions, hasMore } = await messages.page({
        chatId,
        viewer: { userId, clearedSeq: membership.clearedSeq, visibleFromSeq: membership.visibleFromSeq },
        beforeSeq,
        afterSeq,
        limit: query.limit,
      });
      // Reading the newest page (or catching up) counts as having read those messages.
      if (beforeSeq === undefined)
        await readMoved(chatId, userId, await chats.markRead(chatId, userId, rows.at(-1)?.seq));
      return { messages: toMessages(rows, reactions), hasMore };
    },

    async markRead(chatId: string, userId: string, seq: number): Promise<void> {
      await chatsService.requireMember(chatId, userId);
      await readMoved(chatId, userId, await chats.markRead(chatId, userId, seq));
    },

    /** Waits until every accepted message is committed (graceful shutdown). */
    drain: () => batcher.drain(),
  };
}
