import type { Socket } from "socket.io-client";
import type { Message, MessagePage } from "../../../src/protocol/index.js";
import type { Category } from "../lib/category.js";
import type { Context } from "../lib/context.js";
import { call } from "../lib/http.js";
import { TcpProxy } from "../lib/proxy.js";
import { startServer } from "../lib/server.js";
import { connectedSocket, send, socketTo } from "../lib/sockets.js";
import { type Account, signUp, startChat } from "../lib/users.js";
import { sleep, until } from "../lib/wait.js";

/**
 * A receiver behind the proxy that behaves as the protocol asks: it reconnects by itself, and on
 * every (re)connect or gap in `seq` catches up with `after=<last message it holds>`.
 */
class Receiver {
  readonly held = new Map<number, Message>();
  liveDoubles = 0;
  outOfOrder = 0;
  reconnects = 0;
  private readonly liveIds = new Set<string>();
  private lastLiveSeq = 0;
  private catching: Promise<void> | undefined;
  private again = false;
  readonly socket: Socket;

  constructor(
    ctx: Context,
    private readonly url: string,
    private readonly who: Account,
    private readonly chatId: string,
  ) {
    this.socket = socketTo(ctx, url, who.cookie, { reconnection: true });
    this.socket.on("connect", () => {
      this.lastLiveSeq = 0; // order is promised within one connection
      this.catchUp();
    });
    this.socket.io.on("reconnect", () => this.reconnects++);
    this.socket.on("message:new", (m: Message) => {
      if (m.chatId !== this.chatId) return;
      if (this.liveIds.has(m.id)) this.liveDoubles++;
      this.liveIds.add(m.id);
      if (m.seq <= this.lastLiveSeq) this.outOfOrder++;
      this.lastLiveSeq = m.seq;
      this.hold(m);
      if (m.seq > this.contiguous() + 1) this.catchUp();
    });
  }

  private hold(m: Message): void {
    const known = this.held.get(m.seq);
    if (known && known.id !== m.id) this.liveDoubles++; // two messages with one seq
    this.held.set(m.seq, m);
  }

  contiguous(): number {
    let seq = 0;
    while (this.held.has(seq + 1)) seq++;
    return seq;
  }

  /** One catch-up at a time; a request while one runs makes it run once more. */
  catchUp(): void {
    if (this.catching) {
      this.again = true;
      return;
    }
    this.catching = (async () => {
      do {
        this.again = false;
        try {
          for (let page = 0; page < 1000; page++) {
            const last = this.held.get(this.contiguous());
            const query = last ? `?after=${last.id}&limit=100` : "?limit=100";
            const answer = await call(this.url, "GET", `/api/chats/${this.chatId}/messages${query}`, {
              cookie: this.who.cookie,
              timeoutMs: 5000,
            });
            if (answer.status !== 200) break;
            const body = answer.json() as MessagePage;
            const ids = new Set(body.messages.map((m) => m.id));
            if (ids.size !== body.messages.length) this.liveDoubles++;
            for (const m of body.messages) this.hold(m);
            if (!body.hasMore) break;
          }
        } catch {
          // the path is cut: the next connect catches up
        }
      } while (this.again);
    })().finally(() => {
      this.catching = undefined;
    });
  }
}

export const delivery: Category = {
  name: "delivery",
  background: true,
  budgetMs: (long) => (long ? 330_000 : 120_000),
  async run(ctx, report) {
    // Rate limits off: the sender's pace must not be what is measured.
    const server = await startServer(ctx.defer.bind(ctx), { limits: "relaxed" });
    report.value("limits", "relaxed");
    const proxy = new TcpProxy(server.port);
    await proxy.listen();
    ctx.defer(() => proxy.close());
    const pairs: { sender: Socket; receiver: Receiver; chatId: string; acked: Map<number, string> }[] = [];
    for (let i = 0; i < 2; i++) {
      const s = await signUp(ctx, server.url, `sender${i}`);
      const r = await signUp(ctx, server.url, `receiver${i}`);
      const chatId = await startChat(s, r);
      const receiver = new Receiver(ctx, proxy.url, r, chatId);
      pairs.push({
        sender: await connectedSocket(ctx, server.url, s.cookie),
        receiver,
        chatId,
        acked: new Map(),
      });
    }
    await until(() => pairs.every((p) => p.receiver.socket.connected), 10_000);

    let sending = true;
    let sent = 0;
    const senders = pairs.map(async (p) => {
      while (sending) {
        const ack = await send(p.sender, { chatId: p.chatId, body: `m${sent++}`, clientId: ctx.hex(16) });
        if (ack?.ok) p.acked.set(ack.message.seq, ack.message.id);
        await sleep(40 + ctx.int(20));
      }
    });
    const caughtUp = () =>
      pairs.every((p) => [...p.acked].every(([seq, id]) => p.receiver.held.get(seq)?.id === id));

    const cuts = ctx.long ? [2, 30, 180] : [2, 30];
    for (const seconds of cuts) {
      await sleep(2000);
      proxy.set("cut");
      await sleep(seconds * 1000);
      proxy.set("pass");
      await sleep(3000);
    }
    sending = false;
    await Promise.all(senders);
    await until(caughtUp, 20_000, 100);

    let missed = 0;
    for (const p of pairs) for (const [seq, id] of p.acked) if (p.receiver.held.get(seq)?.id !== id) missed++;
    const acked = pairs.reduce((n, p) => n + p.acked.size, 0);
    report.value("cuts_s", cuts.join("+"));
    report.value("acked", acked);
    report.value(
      "reconnects",
      pairs.reduce((n, p) => n + p.receiver.reconnects, 0),
    );
    report.zero("missed", missed);
    report.zero(
      "doubled",
      pairs.reduce((n, p) => n + p.receiver.liveDoubles, 0),
    );
    report.zero(
      "out_of_order",
      pairs.reduce((n, p) => n + p.receiver.outOfOrder, 0),
    );
    if (acked === 0) report.fail("nothing was acknowledged: the check proves nothing");
  },
};
