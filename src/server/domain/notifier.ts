import type { Chat, Message } from "../../protocol/index.js";

/**
 * What the domain tells connected clients. Implemented over Socket.IO rooms (realtime/notifier.ts),
 * so with a Redis adapter every call reaches every node.
 */
export interface Notifier {
  /** Puts every socket of these users into the chat's room. */
  addToChat(userIds: string[], chatId: string): void;
  chatAppeared(userId: string, chat: Chat): void;
  chatCleared(chatId: string, seq: number): void;
  /** `exceptSocketId`: the sending socket, which has its ack instead. */
  messageCreated(message: Message, exceptSocketId?: string): void;
  sessionRevoked(sessionId: string): void;
}
