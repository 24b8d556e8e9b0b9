import { EventEmitter } from "node:events";
import type { Server as HttpServer, IncomingMessage } from "node:http";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createTurnPacer } from "../src/server/realtime/turn-pacer.js";
import { paceUpgrades } from "../src/server/realtime/upgrade-pacer.js";

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe("upgrade pacing", () => {
  it("hands a burst of upgrades to every listener, in order, one per event-loop turn", async () => {
    const server = new EventEmitter() as unknown as HttpServer;
    const seen: string[] = [];
    server.on("upgrade", (request: IncomingMessage) => seen.push(`rewrite ${request.url}`));
    server.on("upgrade", (request: IncomingMessage) => seen.push(`engine ${request.url}`));
    paceUpgrades(server, createTurnPacer());

    for (const url of ["/a", "/b", "/c"]) {
      server.emit("upgrade", { url } as IncomingMessage, new PassThrough(), Buffer.alloc(0));
    }
    expect(seen).toEqual([]);
    await nextTurn();
    expect(seen).toEqual(["rewrite /a", "engine /a"]);
    await nextTurn();
    await nextTurn();
    expect(seen).toEqual(["rewrite /a", "engine /a", "rewrite /b", "engine /b", "rewrite /c", "engine /c"]);
  });

  it("skips a connection that closed while it waited", async () => {
    const server = new EventEmitter() as unknown as HttpServer;
    const seen: string[] = [];
    server.on("upgrade", (request: IncomingMessage) => seen.push(request.url ?? ""));
    paceUpgrades(server, createTurnPacer());
    const gone = new PassThrough();
    server.emit("upgrade", { url: "/gone" } as IncomingMessage, gone, Buffer.alloc(0));
    server.emit("upgrade", { url: "/kept" } as IncomingMessage, new PassThrough(), Buffer.alloc(0));
    gone.destroy();
    await nextTurn();
    await nextTurn();
    expect(seen).toEqual(["/kept"]);
  });
});
