import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Insights } from "../src/protocol/index.js";
import { clientId, closeAllSockets, connected, errorCode, send, type TestUser } from "./support/client.js";
import { DIALECTS } from "./support/databases.js";
import { createGroup, users } from "./support/groups.js";
import { startServer, type TestServer } from "./support/server.js";

const totalOf = (insights: Insights) => insights.byHour.reduce((sum, h) => sum + h.sent + h.received, 0);

async function say(server: TestServer, user: TestUser, chatId: string, body: string): Promise<void> {
  const socket = await connected(server.url, user.cookie);
  expect((await send(socket, { chatId, body, clientId: clientId() })).ok).toBe(true);
  socket.disconnect();
}

describe.each(DIALECTS)("insights of group chats (%s)", (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ dialect });
  });
  afterAll(() => server?.close());
  afterEach(() => closeAllSockets());

  it("counts only what a member can see: nothing from before they joined, nothing of a group they left", async () => {
    const [ann, ben, cy] = await users(server.url, "ann", "ben", "cy");
    if (!ann || !ben || !cy) throw new Error("users");
    const chatId = await createGroup(ann, [ben], "Climbing");
    await say(server, ann, chatId, "before cy");
    await say(server, ben, chatId, "also before cy");
    expect((await ann.api("POST", `/api/chats/${chatId}/members`, { email: cy.email })).status).toBe(200);
    await say(server, ann, chatId, "cy can see this");

    const forCy = await cy.api<Insights>("GET", `/api/insights?chatId=${chatId}`);
    expect(forCy.status).toBe(200);
    // Only what people wrote counts: the system note that added cy does not.
    expect(totalOf(forCy.body)).toBe(1);
    const forAnn = await ann.api<Insights>("GET", "/api/insights");
    expect(forAnn.body.topChats).toEqual([{ chatId, title: "Climbing", count: totalOf(forAnn.body) }]);

    expect((await cy.api("DELETE", `/api/chats/${chatId}/members/${cy.user.id}`)).status).toBe(204);
    const afterLeaving = await cy.api("GET", `/api/insights?chatId=${chatId}`);
    expect(afterLeaving.status).toBe(404);
    expect(errorCode(afterLeaving)).toBe("not_found");
    expect(totalOf((await cy.api<Insights>("GET", "/api/insights")).body)).toBe(0);
  });
});
