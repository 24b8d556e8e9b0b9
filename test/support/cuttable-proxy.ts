import { createConnection, createServer, type Server, type Socket } from "node:net";

/**
 * A TCP proxy on 127.0.0.1 in front of a real service, to cut the network under a running server:
 * `cut("refuse")` drops every connection and resets new ones at once (a crashed peer);
 * `cut("blackhole")` drops them and accepts new ones that never get an answer (a dead network).
 */
export class TcpProxy {
  private mode: "pass" | "refuse" | "blackhole" = "pass";
  private readonly open = new Set<Socket>();
  /** Connections attempted while cut. */
  attemptsWhileCut = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(targetHost: string, targetPort: number): Promise<TcpProxy> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const proxy = new TcpProxy(server, typeof address === "object" && address ? address.port : 0);
    server.on("connection", (client) => proxy.accept(client, targetHost, targetPort));
    return proxy;
  }

  /** `url` with its host and port replaced by the proxy's. */
  proxied(url: string): string {
    const u = new URL(url);
    u.hostname = "127.0.0.1";
    u.port = String(this.port);
    return u.toString();
  }

  cut(mode: "refuse" | "blackhole"): void {
    this.mode = mode;
    this.attemptsWhileCut = 0;
    for (const socket of this.open) socket.destroy();
    this.open.clear();
  }

  restore(): void {
    for (const socket of this.open) socket.destroy();
    this.open.clear();
    this.mode = "pass";
  }

  async close(): Promise<void> {
    for (const socket of this.open) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket, host: string, port: number): void {
    client.on("error", () => {});
    if (this.mode !== "pass") {
      this.attemptsWhileCut++;
      if (this.mode === "refuse") client.resetAndDestroy();
      else this.track(client);
      return;
    }
    const upstream = createConnection({ host, port });
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
    this.track(client);
    this.track(upstream);
  }

  private track(socket: Socket): void {
    this.open.add(socket);
    socket.on("close", () => this.open.delete(socket));
  }
}
