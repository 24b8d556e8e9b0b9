import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server, type Socket } from "socket.io";
import { type Socket as ClientSocket, io as connectClient } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";
import { coalesceWrites } from "../src/server/realtime/coalesce-writes.js";

interface TcpSocket {
  writableCorked: number;
  _write: (...args: unknown[]) => unknown;
  _writev: (...args: unknown[]) => unknown;
}

/** The TCP socket under a server-side WebSocket connection. */
const tcpOf = (socket: Socket) =>
  (socket.conn.transport as unknown as { socket: { _socket: TcpSocket } }).socket._socket;

describe("one write per connection per event-loop turn (realtime/coalesce-writes.ts)", () => {
  let http: HttpServer;
  let io: Server;
  let client: ClientSocket;
  afterEach(async () => {
    client?.close();
    await new Promise((resolve) => io?.close(resolve));
    http?.close();
  });

  /** A Socket.IO server with coalescing, and one websocket client connected to it. */
  async function connectedPair(): Promise<Socket> {
    http = createServer();
    io = new Server(http);
    coalesceWrites(io);
    const serverSide = new Promise<Socket>((resolve) => io.on("connection", resolve));
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    const { port } = http.address() as AddressInfo;
    client = connectClient(`http://127.0.0.1:${port}`, { transports: ["websocket"] });
    const socket = await serverSide;
    await new Promise<void>((resolve) => client.on("connect", () => resolve()));
    return socket;
  }

  // engine.io writes a connection's first frame alone and the rest once that write is done: two
  // writes, not one per frame.
  it("sends what one connection gets in one turn in two writes, and all of it arrives", async () => {
    const socket = await connectedPair();
    const tcp = tcpOf(socket);
    let writes = 0;
    for (const method of ["_write", "_writev"] as const) {
      const original = tcp[method];
      tcp[method] = function (this: unknown, ...args: unknown[]) {
        writes++;
        return original.apply(this, args);
      };
    }
    const received: number[] = [];
    const all = new Promise<void>((resolve) =>
      client.on("n", (n: number) => {
        received.push(n);
        if (received.length === 5) resolve();
      }),
    );
    for (let n = 1; n <= 5; n++) socket.emit("n", n);
    await all;
    expect(received).toEqual([1, 2, 3, 4, 5]);
    expect(writes).toBe(2);
  });

  it("lets what a setImmediate callback sends (a group commit's acks) leave before the next turn", async () => {
    const socket = await connectedPair();
    const tcp = tcpOf(socket);
    const corkedAtNextTurn = await new Promise<number>((resolve) => {
      setImmediate(() => {
        socket.emit("ack", 1);
        // Due by the next turn's timers phase, which comes before its I/O and its immediates: a
        // connection still corked there would hold the acks while the server reads new sends.
        setTimeout(() => resolve(tcp.writableCorked), 0);
        const until = performance.now() + 3;
        while (performance.now() < until);
      });
    });
    expect(corkedAtNextTurn).toBe(0);
    await new Promise((resolve) => client.on("ack", resolve));
  });
});
