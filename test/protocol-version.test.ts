import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVENTS, helloSchema, PROTOCOL_VERSION } from "../src/protocol/index.js";
import { closeAllSockets, connect, eventually, signUp } from "./support/client.js";
import { startServer, type TestServer } from "./support/server.js";

describe("protocol version at connect", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    closeAllSockets();
    await server.close();
  });

  it("sends server:hello with PROTOCOL_VERSION as the first event of every connection", async () => {
    const { cookie } = await signUp(server.url, "hello");
    for (let i = 0; i < 2; i++) {
      const socket = connect(server.url, cookie);
      const events: Array<[string, unknown]> = [];
      socket.onAny((event: string, payload: unknown) => events.push([event, payload]));
      await eventually(() => expect(events.length).toBeGreaterThan(0));
      expect(events[0]).toEqual([EVENTS.serverHello, { protocolVersion: PROTOCOL_VERSION }]);
      expect(helloSchema.safeParse(events[0]?.[1]).success).toBe(true);
      socket.disconnect();
    }
  });
});
