import type { Chat, Message } from "../../protocol/index.js";

/**
 * What group changes tell connected clients. Implemented over Socket.IO rooms
 * (realtime/group-notifier.ts), so with an adapter every call reaches every node.
 */
export interface GroupNotifier {
  /** Puts every socket of these users into the chat's room. */
  joinChat(userIds: string[], chatId: string): void;
  /**
   * Takes every socket of the user out of the chat's room on every node, and resolves only once
   * every node has done so: from then on no socket of theirs passes the room check of a send.
   */
  leaveChat(userId: string, chatId: string): Promise<void>;
  messageCreated(message: Message): void;
  /** `chat:new` to every socket of the user. */
  chatAppeared(userId: string, chat: Chat): void;
  /** `chat:updated` to every socket of the user. */
  chatUpdated(userId: string, chat: Chat): void;
  /** `chat:left` to every socket of the user. */
  chatLeft(userId: string, chatId: string): void;
}
