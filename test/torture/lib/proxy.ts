import { connect, createServer, type Server, type Socket } from "node:net";

export type ProxyMode = "pass" | "cut" | "blackhole";

/**
 * A TCP proxy on 127.0.0.1 in front of `targetPort`. `cut`: every connection is closed and new ones
 * are refused until `pass`; `blackhole`: connections stay open but no byte passes either way (a
 * half-open network path), new ones included.
 */
export class TcpProxy {
  mode: ProxyMode = "pass";
  port = 0;
  private readonly server: Server;
  private readonly pairs = new Set<[Socket, Socket]>();

  constructor(readonly targetPort: number) {
    this.server = createServer((client) => this.accept(client));
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    const address = this.server.address();
    this.port = typeof address === "object" && address ? address.port : 0;
    return this.port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get connections(): number {
    return this.pairs.size;
  }

  set(mode: ProxyMode): void {
    this.mode = mode;
    for (const pair of this.pairs) {
      for (const end of pair) {
        if (mode === "cut") end.destroy();
        // Nothing is read in a black hole, so unsent bytes pile up in the kernel as on a dead path.
        else if (mode === "blackhole") end.pause();
        else end.resume();
      }
    }
  }

  private accept(client: Socket): void {
    if (this.mode === "cut") {
      client.destroy();
      return;
    }
    if (this.mode === "blackhole") {
      client.pause();
      client.on("error", () => {});
      return;
    }
    const upstream = connect(this.targetPort, "127.0.0.1");
    const pair: [Socket, Socket] = [client, upstream];
    this.pairs.add(pair);
    const forward = (from: Socket, to: Socket) =>
      from.on("data", (chunk) => {
        if (this.mode === "pass") to.write(chunk);
      });
    forward(client, upstream);
    forward(upstream, client);
    const close = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    // A black hole keeps both ends open: nothing is closed until the proxy is told otherwise.
    client.on("close", () => this.mode !== "blackhole" && close());
    upstream.on("close", () => this.mode !== "blackhole" && close());
    client.on("error", () => {});
    upstream.on("error", () => {});
  }

  async close(): Promise<void> {
    for (const pair of this.pairs) for (const end of pair) end.destroy();
    this.pairs.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
