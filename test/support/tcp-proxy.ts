import { createServer, type Server, type Socket, connect as tcpConnect } from "node:net";

export interface TcpProxy {
  url: string;
  /** Cuts every connection and refuses new ones until `resume`. */
  pause(): Promise<void>;
  /**
   * Keeps every connection open but drops what crosses it (a silent network) until `resume`:
   * both ways, or only what the server sends ("down": requests arrive, answers are lost).
   */
  blackhole(direction?: "both" | "down"): void;
  /** Listens again on the same port. */
  resume(): Promise<void>;
  close(): Promise<void>;
}

/** A TCP relay to `target` (host:port) that a test can cut, to make an outage on demand. */
export async function startTcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  let dropping: "none" | "both" | "down" = "none";
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer((client) => {
        const upstream = tcpConnect(Number(target.port), target.hostname);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on("close", () => sockets.delete(socket));
          socket.on("error", () => {
            client.destroy();
            upstream.destroy();
          });
        }
        client.on("data", (chunk) => dropping === "both" || upstream.write(chunk));
        upstream.on("data", (chunk) => dropping !== "none" || client.write(chunk));
        client.on("end", () => upstream.end());
        upstream.on("end", () => client.end());
      });
      s.once("error", reject);
      s.listen(port, "127.0.0.1", () => {
        const address = s.address();
        port = typeof address === "object" && address ? address.port : port;
        server = s;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      if (!server) return resolve();
      server.close(() => resolve());
      server = undefined;
    });
  await listen();
  return {
    url: `http://127.0.0.1:${port}`,
    pause: stop,
    blackhole: (direction = "both") => {
      dropping = direction;
    },
    resume: async () => {
      dropping = "none";
      if (!server) await listen();
    },
    close: stop,
  };
}
