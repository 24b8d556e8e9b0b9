import { describe, expect, it } from "vitest";
import type { Message } from "../src/protocol/index.js";
import { clientId, collect, connected, nextEvent, pair, request, send } from "./support/client.js";
import { SCALE_OUT_READY } from "./support/databases.js";
import { twoNodes } from "./support/two-nodes.js";

describe.runIf(SCALE_OUT_READY)("message changes across two nodes (Redis, PostgreSQL)", () => {
  const nodes = twoNodes();

  it("delivers message:updated and message:hidden to sockets on the other node", async () => {
    const { alice, bob, chatId } = await pair(nodes.node1.url);
    const aliceOn1 = await connected(nodes.node1.url, alice.cookie);
    const aliceOn2 = await connected(nodes.node2.url, alice.cookie);
    const bobOn2 = await connected(nodes.node2.url, bob.cookie);
    const bobOn1 = await connected(nodes.node1.url, bob.cookie);
    const ack = await send(aliceOn1, { chatId, body: "typo", clientId: clientId() });
    if (!ack.ok) throw new Error(ack.error.code);

    const toBob = nextEvent(bobOn2, "message:updated");
    const toAliceTab = nextEvent(aliceOn2, "message:updated");
    const edited = await request<{ message: Message }>(
      nodes.node1.url,
      "PATCH",
      `/api/chats/${chatId}/messages/${ack.message.id}`,
      {
        body: { body: "fixed" },
        cookie: alice.cookie,
      },
    );
    expect(edited.status).toBe(200);
    expect(await toBob).toEqual(edited.body.message);
    expect(await toAliceTab).toEqual(edited.body.message);

    const aliceHidden = collect(aliceOn1, "message:hidden");
    const hiddenOn1 = nextEvent(bobOn1, "message:hidden");
    const hid = await request(
      nodes.node2.url,
      "DELETE",
      `/api/chats/${chatId}/messages/${ack.message.id}?for=me`,
      {
        cookie: bob.cookie,
      },
    );
    expect(hid.status).toBe(204);
    expect(await hiddenOn1).toEqual({ chatId, messageId: ack.message.id });
    expect(aliceHidden).toEqual([]);
  });
});
