import type { Logger } from "pino";
import { EVENTS } from "../../protocol/index.js";
import type { GroupNotifier } from "../domain/group-notifier.js";
import { rooms } from "./rooms.js";
import type { GlasschatServer } from "./types.js";

const LEAVE_WAIT_MS = 3000;
const FETCH_TIMEOUT_MS = 1000;

export function createGroupNotifier(io: GlasschatServer, log: Logger): GroupNotifier {
  return {
    joinChat(userIds, chatId) {
      io.in(userIds.map(rooms.user)).socketsJoin(rooms.chat(chatId));
    },

    /*
     * `socketsLeave` reaches every node through the adapter but reports nothing back, and the
     * Redis Streams adapter carries it on the stream while `fetchSockets` goes over pub/sub, so
     * the two can arrive out of order. So: ask every node for the user's sockets until none of
     * them is still in the room. The wait is bounded (LEAVE_WAIT_MS) so a dead or sick node
     * cannot hold the removal forever; a dead node's sockets are gone with it.
     */
    async leaveChat(userId, chatId) {
      const room = rooms.chat(chatId);
      io.in(rooms.user(userId)).socketsLeave(room);
      const deadline = Date.now() + LEAVE_WAIT_MS;
      for (;;) {
        let stale: number | undefined;
        let failure: unknown;
        try {
          const sockets = await io.in(rooms.user(userId)).timeout(FETCH_TIMEOUT_MS).fetchSockets();
          stale = sockets.filter((socket) => socket.rooms.has(room)).length;
        } catch (error) {
          failure = error;
        }
        if (stale === 0) return;
        if (Date.now() > deadline) {
          log.warn(
            { err: failure, chatId, stale },
            "not every node confirmed that a member left the chat's room",
          );
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },

    messageCreated(message) {
      io.to(rooms.chat(message.chatId)).emit(EVENTS.messageNew, message);
    },
    chatAppeared(userId, chat) {
      io.to(rooms.user(userId)).emit(EVENTS.chatNew, chat);
    },
    chatUpdated(userId, chat) {
      io.to(rooms.user(userId)).emit(EVENTS.chatUpdated, chat);
    },
    chatLeft(userId, chatId) {
      io.to(rooms.user(userId)).emit(EVENTS.chatLeft, { chatId });
    },
  };
}
