/**
 * The second baseline: bare Socket.IO plus what durability alone costs. Each `message:send` is
 * inserted with better-sqlite3 (WAL, synchronous=FULL); the sends of one event-loop turn are
 * committed together (flushed by setImmediate), and only after the commit each is acknowledged
 * and broadcast to the chat's room. No auth, no validation, no idempotency, no counters table.
 *   PORT=3000 HOST=127.0.0.1 DATA_DIR=/tmp/x node --import tsx bench/durable-server.ts
 * Rooms come from the handshake query (`rooms=a,b`), as with bench/bare-server.ts.
 */
import { createServer } from "node:http";
import { join } from "node:path";
import Database from "better-sqlite3";
import { Server, type Socket } from "socket.io";
import { EVENTS, type Message, type SendAck } from "../src/protocol/index.js";

const db = new Database(join(process.env.DATA_DIR ?? ".", "durable-baseline.db"));
db.pragma("journal_mode = WAL");
db.pragma("synchronous = FULL");
db.exec(`create table if not exists messages (
  chat_id text not null, seq integer not null, sender_id text not null, client_id text not null,
  body text not null, created_at integer not null, primary key (chat_id, seq))`);
const insert = db.prepare(
  "insert into messages (chat_id, seq, sender_id, client_id, body, created_at) values (?, ?, ?, ?, ?, ?)",
);

interface Pending {
  socket: Socket;
  message: Message;
  ack: (result: SendAck) => void;
}
let queue: Pending[] = [];
const commit = db.transaction((batch: Pending[]) => {
  for (const { message: m } of batch)
    insert.run(m.chatId, m.seq, m.sender.id, m.clientId, m.body, Date.now());
});
function flush(): void {
  const batch = queue;
  queue = [];
  commit.immediate(batch);
  for (const { socket, message, ack } of batch) {
    ack({ ok: true, message });
    socket.to(message.chatId).emit(EVENTS.messageNew, message);
  }
}

const http = createServer((req, res) => {
  res.writeHead(req.url === "/healthz" ? 200 : 404, { "content-type": "application/json" });
  res.end(req.url === "/healthz" ? '{"ok":true}' : '{"error":{"code":"not_found","message":"Not found"}}');
});
const io = new Server(http, { serveClient: false });
const seqs = new Map<string, number>();
let lastId = 0;

io.on("connection", (socket) => {
  const user = String(socket.handshake.query.user ?? socket.id);
  socket.join(
    String(socket.handshake.query.rooms ?? "")
      .split(",")
      .filter(Boolean),
  );
  socket.on(EVENTS.messageSend, (payload, ack) => {
    if (typeof ack !== "function" || typeof payload?.chatId !== "string") return;
    const seq = (seqs.get(payload.chatId) ?? 0) + 1;
    seqs.set(payload.chatId, seq);
    const message: Message = {
      id: String(++lastId).padStart(12, "0"),
      chatId: payload.chatId,
      seq,
      sender: { id: user, username: user },
      body: String(payload.body),
      clientId: String(payload.clientId),
      createdAt: new Date().toISOString(),
      rev: seq,
      editedAt: null,
      deletedAt: null,
      replyTo: null,
      reactions: [],
      files: [],
      system: null,
    };
    if (queue.length === 0) setImmediate(flush);
    queue.push({ socket, message, ack });
  });
});

http.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? "127.0.0.1");
process.on("SIGTERM", () => {
  io.close(() => {
    db.close();
    process.exit(0);
  });
});
