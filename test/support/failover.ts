import { io } from "socket.io-client";
import type { Message, MessagePage } from "../../src/protocol/index.js";
import { type ClientSocket, clientId, request } from "./client.js";

/**
 * A chat client that behaves like the web client when its server goes away: it reconnects (to
 * the next of `urls`, as a load balancer would send it elsewhere), catches up with `after=`, and
 * retries an unacknowledged send with the same clientId. Used by the fault tests.
 */
export class FailoverClient {
  socket: ClientSocket | undefined;
  /** Every message of the chat this client holds: live, caught up, or its own acknowledged ones. */
  readonly held = new Map<number, Message>();
  /** Own messages acknowledged ok, by clientId. */
  readonly acked = new Map<string, Message>();
  readonly refused: Record<string, number> = {};
  /** Two different messages seen with one seq: must stay empty. */
  readonly conflicts: string[] = [];
  reconnects = 0;
  private urlIndex = 0;
  private stopped = false;
  private connecting: Promise<void> | undefined;

  constructor(
    readonly name: string,
    readonly urls: string[],
    readonly cookie: string,
    readonly chatId: string,
  ) {}

  get url(): string {
    return this.urls[this.urlIndex % this.urls.length] as string;
  }

  async start(): Promise<void> {
    await this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.socket?.disconnect();
  }

  private connect(): Promise<void> {
    this.connecting ??= (async () => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        try {
          await this.open(this.url);
          await this.catchUp();
          return;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          this.urlIndex++;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    })().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private open(url: string): Promise<void> {
    const socket: ClientSocket = io(url, {
      transports: ["websocket"],
      reconnection: false,
      forceNew: true,
      timeout: 5000,
      extraHeaders: { cookie: this.cookie },
    });
    socket.on("message:new", (message) => {
      if (message.chatId === this.chatId) this.hold(message);
    });
    return new Promise((resolve, reject) => {
      socket.once("connect", () => {
        this.socket = socket;
        socket.once("disconnect", () => {
          if (this.stopped) return;
          this.reconnects++;
          this.urlIndex++;
          this.connect().catch(() => {});
        });
        resolve();
      });
      socket.once("connect_error", (error) => {
        socket.disconnect();
        reject(error);
      });
    });
  }

  private hold(message: Message): void {
    const known = this.held.get(message.seq);
    if (known && known.id !== message.id)
      this.conflicts.push(`${this.name}: two messages with seq ${message.seq}`);
    this.held.set(message.seq, message);
  }

  /** The highest seq below which this client holds every message. */
  contiguousSeq(): number {
    let seq = 0;
    while (this.held.has(seq + 1)) seq++;
    return seq;
  }

  /** Fetches what it missed: everything after the last message it holds without a gap. */
  async catchUp(): Promise<void> {
    for (;;) {
      const last = this.held.get(this.contiguousSeq());
      const query = last ? `?after=${last.id}&limit=100` : "?limit=100";
      const page = await request<MessagePage>(this.url, "GET", `/api/chats/${this.chatId}/messages${query}`, {
        cookie: this.cookie,
      });
      if (page.status !== 200) throw new Error(`${this.name}: catch-up answered ${page.status}`);
      for (const message of page.body.messages) this.hold(message);
      if (!last && page.body.hasMore) throw new Error(`${this.name}: catch-up from scratch needs paging`);
      if (!page.body.hasMore) return;
    }
  }

  /**
   * Sends until acknowledged, retrying with the same clientId across reconnections. Resolves
   * `false` when refused with `unavailable` (then nothing was stored).
   */
  async send(body: string, ms = 30_000): Promise<boolean> {
    const id = clientId();
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (this.connecting) await this.connecting.catch(() => {});
      const socket = this.socket;
      if (!socket?.connected) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      const ack = await socket
        .timeout(3000)
        .emitWithAck("message:send", { chatId: this.chatId, body, clientId: id })
        .catch(() => undefined);
      if (!ack) continue; // no answer (the server went away): retry, idempotently
      if (ack.ok) {
        this.acked.set(id, ack.message);
        this.hold(ack.message);
        return true;
      }
      this.refused[ack.error.code] = (this.refused[ack.error.code] ?? 0) + 1;
      if (ack.error.code === "unavailable") return false;
      throw new Error(`${this.name}: send refused with ${ack.error.code}`);
    }
    throw new Error(`${this.name}: a send was never acknowledged within ${ms} ms`);
  }
}

/** The whole history of a chat as the server stores it, oldest first. */
export async function storedHistory(url: string, cookie: string, chatId: string): Promise<Message[]> {
  const all: Message[] = [];
  let before = "";
  for (;;) {
    const page = await request<MessagePage>(
      url,
      "GET",
      `/api/chats/${chatId}/messages?limit=100${before && `&before=${before}`}`,
      { cookie },
    );
    if (page.status !== 200) throw new Error(`history answered ${page.status}`);
    all.unshift(...page.body.messages);
    if (!page.body.hasMore || page.body.messages.length === 0) return all;
    before = page.body.messages[0]?.id ?? "";
  }
}

/**
 * What the fault tests assert: every acknowledged message is stored exactly once, seqs have no
 * gap, and after catching up each client holds exactly the stored history.
 */
export async function expectNoLossNorDoubles(url: string, clients: FailoverClient[]): Promise<Message[]> {
  const first = clients[0] as FailoverClient;
  const stored = await storedHistory(url, first.cookie, first.chatId);
  const problems: string[] = [];
  const ids = new Set(stored.map((m) => m.id));
  if (ids.size !== stored.length) problems.push("a message is stored twice");
  const keys = new Set(stored.map((m) => `${m.sender.id}|${m.clientId}`));
  if (keys.size !== stored.length) problems.push("a clientId is stored twice for one sender");
  stored.forEach((m, i) => {
    if (m.seq !== i + 1) problems.push(`seq ${i + 1} is missing`);
  });
  for (const client of clients) {
    problems.push(...client.conflicts);
    for (const message of client.acked.values())
      if (!ids.has(message.id)) problems.push(`${client.name}: acknowledged ${message.id} is not stored`);
    await client.catchUp();
    if (client.held.size !== stored.length)
      problems.push(`${client.name} holds ${client.held.size} messages, ${stored.length} are stored`);
  }
  if (problems.length > 0) throw new Error(problems.slice(0, 10).join("\n"));
  return stored;
}
