import type { Socket } from "socket.io-client";
import type { Context } from "./context.js";
import { connectedSocket, send } from "./sockets.js";
import { signUp, startChat } from "./users.js";

/**
 * Pairs of ordinary users chatting while a category does its damage: each sender sends at a
 * steady pace and its partner must receive every acknowledged message; latencies are the time
 * from send to the partner's `message:new`.
 */
export class Bystanders {
  disconnected = 0;
  sent = 0;
  acked = 0;
  readonly latencies: number[] = [];
  /** When each of `latencies` was sent (performance.now()). */
  private readonly sentAt: number[] = [];
  private readonly pending = new Map<string, number>();
  private readonly senders: { socket: Socket; chatId: string }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private recording = true;

  /** `bothWays`: both partners of a pair send (twice the samples from as many users). */
  static async start(ctx: Context, url: string, pairs: number, bothWays = false): Promise<Bystanders> {
    const bystanders = new Bystanders(ctx);
    for (let i = 0; i < pairs; i++) {
      const a = await signUp(ctx, url, `bys${i}a`);
      const b = await signUp(ctx, url, `bys${i}b`);
      const chatId = await startChat(a, b);
      const sa = await connectedSocket(ctx, url, a.cookie);
      const sb = await connectedSocket(ctx, url, b.cookie);
      for (const s of [sa, sb]) s.on("disconnect", () => bystanders.disconnected++);
      for (const [sender, receiver] of bothWays
        ? [
            [sa, sb],
            [sb, sa],
          ]
        : [[sa, sb]]) {
        receiver?.on("message:new", (m: { clientId: string }) => {
          const at = bystanders.pending.get(m.clientId);
          if (at === undefined) return;
          bystanders.pending.delete(m.clientId);
          if (!bystanders.recording) return;
          bystanders.latencies.push(performance.now() - at);
          bystanders.sentAt.push(at);
        });
        if (sender) bystanders.senders.push({ socket: sender, chatId });
      }
    }
    return bystanders;
  }

  private constructor(private readonly ctx: Context) {}

  /**
   * Every `everyMs`, each sender sends one message; the senders take turns, spread evenly over the
   * interval, so that samples fall at distinct moments instead of in one burst per interval.
   */
  run(everyMs: number): void {
    let next = 0;
    this.timer = setInterval(() => {
      const sender = this.senders[next++ % this.senders.length];
      if (!sender?.socket.connected) return;
      const { socket, chatId } = sender;
      const clientId = `b${this.ctx.hex(14)}`;
      this.pending.set(clientId, performance.now());
      this.sent++;
      void send(socket, { chatId, body: `hello ${this.sent}`, clientId }).then((ack) => {
        if (ack?.ok) this.acked++;
        else if (ack) this.pending.delete(clientId);
      });
    }, everyMs / Math.max(1, this.senders.length));
  }

  /** Starts a fresh latency sample. */
  resetLatencies(): void {
    this.latencies.length = 0;
    this.sentAt.length = 0;
  }

  /** The latencies of the messages sent from `from` to `to` (performance.now()), delivered by now. */
  latenciesSentBetween(from: number, to: number): number[] {
    return this.latencies.filter(
      (_, i) => (this.sentAt[i] as number) >= from && (this.sentAt[i] as number) < to,
    );
  }

  /**
   * Debugging: the `n` slowest of those, as [ms after `origin` (default `from`) it was sent, latency]
   * (negative: before it).
   */
  slowestSentBetween(from: number, to: number, n: number, origin = from): string {
    return this.latencies
      .map((latency, i) => [this.sentAt[i] as number, latency] as const)
      .filter(([at]) => at >= from && at < to)
      .map(([at, latency]) => [at - origin, latency] as const)
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([at, latency]) => `${Math.round(at)}:${Math.round(latency)}`)
      .join(" ");
  }

  /**
   * Stops sending and waits (up to `graceMs`) for what is in flight; resolves the acknowledged or
   * unanswered sends the partner never received.
   */
  async stop(graceMs = 5000): Promise<number> {
    clearInterval(this.timer);
    this.recording = false;
    const deadline = Date.now() + graceMs;
    while (this.pending.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    return this.pending.size;
  }
}
