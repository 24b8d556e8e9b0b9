import { EVENTS } from "../../protocol/index.js";
import type { Notifier } from "../domain/notifier.js";
import { rooms } from "./rooms.js";
import type { GlasschatServer } from "./types.js";

export function createSocketNotifier(io: GlasschatServer): Notifier {
  return {
    addToChat(userIds, chatId) {
      io.in(userIds.map(rooms.user)).socketsJoin(rooms.chat(chatId));
    },
    chatAppeared(userId, chat) {
      io.to(rooms.user(userId)).emit(EVENTS.chatNew, chat);
    },
    chatCleared(chatId, seq) {
      io.to(rooms.chat(chatId)).emit(EVENTS.chatCleared, { chatId, seq });
    },
    chatClearedFor(userId, chatId, seq) {
      io.to(rooms.user(userId)).emit(EVENTS.chatCleared, { chatId, seq });
    },
    chatUpdated(userId, chat) {
      io.to(rooms.user(userId)).emit(EVENTS.chatUpdated, chat);
    },
    messageUpdated(message, userIds) {
      if (userIds.length > 0) io.to(userIds.map(rooms.user)).emit(EVENTS.messageUpdated, message);
    },
    messageHidden(userId, chatId, messageId) {
      io.to(rooms.user(userId)).emit(EVENTS.messageHidden, { chatId, messageId });
    },
    messageCreated(message, exceptSocketId, exceptUserIds) {
      const target = io.to(rooms.chat(message.chatId));
      // Almost always no one is excluded but the sender: no array is built for that case.
      const except =
        exceptUserIds && exceptUserIds.length > 0
          ? [...exceptUserIds.map(rooms.user), ...(exceptSocketId ? [exceptSocketId] : [])]
          : exceptSocketId;
      (except ? target.except(except) : target).emit(EVENTS.messageNew, message);
    },
    sessionRevoked(sessionId) {
      io.in(rooms.session(sessionId)).disconnectSockets(true);
    },
    // One broadcast to many user rooms: each socket gets the event once.
    presence(userIds, event) {
      if (userIds.length > 0) io.to(userIds.map(rooms.user)).emit(EVENTS.presence, event);
    },
    chatRead(userIds, event) {
      if (userIds.length > 0) io.to(userIds.map(rooms.user)).emit(EVENTS.chatRead, event);
    },
    typing(userIds, event) {
      if (userIds.length > 0) io.to(userIds.map(rooms.user)).emit(EVENTS.typing, event);
    },
  };
}
