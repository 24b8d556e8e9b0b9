import { EVENTS, PROTOCOL_VERSION } from "../../protocol/index.js";
import type { GlasschatServer } from "./types.js";

/** Tells every new connection the server's protocol version, so a tab from an older build can reload. */
export function greetSockets(io: GlasschatServer): void {
  io.on("connection", (socket) => {
    socket.emit(EVENTS.serverHello, { protocolVersion: PROTOCOL_VERSION });
  });
}
