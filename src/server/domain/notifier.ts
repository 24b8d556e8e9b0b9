import type { Chat, ChatReadEvent, Message, PresenceEvent, TypingEvent } from "../../protocol/index.js";

/**
 * What the domain tells connected clients. Implemented over Socket.IO rooms (realtime/notifier.ts),
 * so with a Redis adapter every call reaches every node.
 */
export interface Notifier {
  /** Puts every socket of these users into the chat's room. */
  addToChat(userIds: string[], chatId: string): void;
  chatAppeared(userId: string, chat: Chat): void;
  /** History up to `seq` is gone for every member. */
  chatCleared(chatId: string, seq: number): void;
  /** History up to `seq` is gone for this user (cleared on one of their devices): to all their sockets. */
  chatClearedFor(userId: string, chatId: string, seq: number): void;
  /** The chat as this user now sees it, to all their sockets. */
  chatUpdated(userId: string, chat: Chat): void;
  /** A changed message, to every socket of these users (those who can see it). */
  messageUpdated(message: Message, userIds: string[]): void;
  /** The user hid a message for themselves: to all their sockets. */
  messageHidden(userId: string, chatId: string, messageId: string): void;
  /**
   * `exceptSocketId`: the sending socket, which has its ack instead; `exceptUserIds`: members it
   * is withheld from (blocking), on every node.
   */
  messageCreated(message: Message, exceptSocketId?: string, exceptUserIds?: string[]): void;
  sessionRevoked(sessionId: string): void;
  /** To every socket of these users (already filtered by `privacy.ts`). */
  presence(userIds: string[], event: PresenceEvent): void;
  chatRead(userIds: string[], event: ChatReadEvent): void;
  typing(userIds: string[], event: TypingEvent): void;
}
