/**
 * The baseline: a bare Socket.IO room broadcast with no auth, no validation and no storage.
 *   PORT=3000 HOST=127.0.0.1 node --import tsx bench/bare-server.ts
 * A socket joins the rooms listed in its handshake query (`rooms=a,b`); `message:send` is
 * broadcast as `message:new` to the chat's room except the sender, then acknowledged.
 */
import { createServer } from "node:http";
import { Server } from "socket.io";
import {
  type ClientToServerEvents,
  EVENTS,
  type Message,
  type ServerToClientEvents,
} from "../src/protocol/index.js";

const http = createServer((req, res) => {
  res.writeHead(req.url === "/healthz" ? 200 : 404, { "content-type": "application/json" });
  res.end(req.url === "/healthz" ? '{"ok":true}' : '{"error":{"code":"not_found","message":"Not found"}}');
});
const io = new Server<ClientToServerEvents, ServerToClientEvents>(http, { serveClient: false });

/** A seq per chat, as the real server gives, so the generator's gap check works on both. */
const seqs = new Map<string, number>();
let lastId = 0;

io.on("connection", (socket) => {
  const user = String(socket.handshake.query.user ?? socket.id);
  const rooms = String(socket.handshake.query.rooms ?? "")
    .split(",")
    .filter(Boolean);
  socket.join(rooms);
  socket.on(EVENTS.messageSend, (payload, ack) => {
    if (typeof ack !== "function" || typeof payload?.chatId !== "string") return;
    const seq = (seqs.get(payload.chatId) ?? 0) + 1;
    seqs.set(payload.chatId, seq);
    const message: Message = {
      id: String(++lastId).padStart(12, "0"),
      chatId: payload.chatId,
      seq,
      sender: { id: user, username: user },
      body: payload.body,
      clientId: payload.clientId,
      createdAt: new Date().toISOString(),
      rev: seq,
      editedAt: null,
      deletedAt: null,
      replyTo: null,
      reactions: [],
      files: [],
      system: null,
    };
    socket.to(payload.chatId).emit(EVENTS.messageNew, message);
    ack({ ok: true, message });
  });
});

http.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? "127.0.0.1");
process.on("SIGTERM", () => {
  io.close(() => process.exit(0));
});
