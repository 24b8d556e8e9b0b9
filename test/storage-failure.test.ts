import { sql } from "kysely";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { MessagePage } from "../src/protocol/index.js";
import { closeAllSockets, collect, connected, eventually, pair, send } from "./support/client.js";
import { DIALECTS } from "./support/databases.js";
import { startServer, type TestServer } from "./support/server.js";

/** A real database refusal: a trigger that aborts any insert of the body "poison". */
async function installPoisonTrigger(server: TestServer): Promise<void> {
  const { db, dialect } = server.app.database;
  if (dialect === "sqlite") {
    await sql`create trigger poison before insert on messages when new.body = 'poison'
      begin select raise(abort, 'poisoned'); end`.execute(db);
    return;
  }
  await sql`create function poison() returns trigger as $$
    begin if new.body = 'poison' then raise exception 'poisoned'; end if; return new; end $$ language plpgsql`.execute(
    db,
  );
  await sql`create trigger poison before insert on messages for each row execute function poison()`.execute(
    db,
  );
}

describe.each(DIALECTS)("when storing fails (%s)", (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ dialect });
    await installPoisonTrigger(server);
  });
  afterAll(() => server?.close());
  afterEach(() => closeAllSockets());

  it("answers unavailable, delivers nothing for that message, and still stores the others sent with it", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const aliceSocket = await connected(server.url, alice.cookie);
    const bobSocket = await connected(server.url, bob.cookie);
    const bobGot = collect(bobSocket, "message:new");

    // Sent together, so they share one group commit that the poison makes fail.
    const acks = await Promise.all(
      ["first", "poison", "third"].map((body, i) => send(aliceSocket, { chatId, body, clientId: `p${i}` })),
    );
    expect(acks.map((a) => (a.ok ? a.message.body : a.error.code))).toEqual([
      "first",
      "unavailable",
      "third",
    ]);

    await send(aliceSocket, { chatId, body: "after", clientId: "p9" });
    await eventually(() => expect(bobGot.map((m) => m.body)).toEqual(["first", "third", "after"]));
    const history = await bob.api<MessagePage>("GET", `/api/chats/${chatId}/messages`);
    expect(history.body.messages.map((m) => [m.seq, m.body])).toEqual([
      [1, "first"],
      [2, "third"],
      [3, "after"],
    ]);
  });
});
