import { EVENTS, visibilitySchema } from "../../protocol/index.js";
import { rooms } from "./rooms.js";
import type { GlasschatServer } from "./types.js";

export interface Visibility {
  /** Of these users, those with a visible socket on any node (through the adapter). */
  visibleAmong(userIds: string[]): Promise<Set<string>>;
}

/**
 * Which tabs are in view: each socket is in its user's "visible" room from the start and leaves it
 * when the client says `client:visibility {visible: false}` (and comes back with `true`).
 */
export function trackVisibility(io: GlasschatServer): Visibility {
  io.on("connection", (socket) => {
    const room = rooms.visible(socket.data.userId);
    socket.join(room);
    socket.on(EVENTS.clientVisibility, (payload: unknown) => {
      const parsed = visibilitySchema.safeParse(payload);
      if (!parsed.success) return;
      if (parsed.data.visible) socket.join(room);
      else socket.leave(room);
    });
  });
  return {
    async visibleAmong(userIds) {
      if (userIds.length === 0) return new Set();
      const sockets = await io.in(userIds.map(rooms.visible)).fetchSockets();
      return new Set(sockets.map((socket) => socket.data.userId));
    },
  };
}
