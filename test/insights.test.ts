import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ErrorBody, Insights } from "../src/protocol/index.js";
import { errorCode, request, signUp, type TestUser } from "./support/client.js";
import { DIALECTS } from "./support/databases.js";
import { startServer, type TestServer } from "./support/server.js";

/** Writes messages with chosen timestamps straight into the database, numbering seq as the send path does. */
async function insertMessages(
  server: TestServer,
  chatId: string,
  messages: Array<{ from: TestUser; at: string; body: string }>,
): Promise<void> {
  const { db } = server.app.database;
  const chat = await db
    .selectFrom("chats")
    .select("last_seq")
    .where("id", "=", chatId)
    .executeTakeFirstOrThrow();
  let seq = chat.last_seq;
  for (const m of messages) {
    seq += 1;
    await db
      .insertInto("messages")
      .values({
        chat_id: chatId,
        seq,
        rev: seq,
        sender_id: m.from.user.id,
        client_id: `seed-${seq}`,
        body: m.body,
        created_at: Date.parse(m.at),
      })
      .execute();
  }
  await db.updateTable("chats").set({ last_seq: seq, last_rev: seq }).where("id", "=", chatId).execute();
}

async function startChat(a: TestUser, b: TestUser): Promise<string> {
  const reply = await a.api<{ chat: { id: string } }>("POST", "/api/chats", { email: b.email });
  expect(reply.status).toBe(201);
  return reply.body.chat.id;
}

async function insights(user: TestUser, query: string): Promise<Insights> {
  const reply = await user.api<Insights>("GET", `/api/insights?${query}`);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body;
}

/** Hours (0–23) with their counts, leaving out empty hours: compact to compare. */
const busyHours = (result: Insights) =>
  result.byHour.filter((h) => h.sent + h.received > 0).map((h) => [h.hour, h.sent, h.received]);

describe.each(DIALECTS)("insights (%s)", (dialect) => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let dave: TestUser;
  let aliceBob: string;
  let aliceCarol: string;
  let daveCarol: string;

  beforeAll(async () => {
    server = await startServer({ dialect });
    [alice, bob, carol, dave] = (await Promise.all(
      ["alice", "bob", "carol", "dave"].map((name) => signUp(server.url, name)),
    )) as [TestUser, TestUser, TestUser, TestUser];
    aliceBob = await startChat(alice, bob);
    aliceCarol = await startChat(alice, carol);
    daveCarol = await startChat(dave, carol);

    // Week of 2025-01-06 (a Monday), UTC.
    await insertMessages(server, aliceBob, [
      { from: bob, at: "2025-01-05T23:59:59.999Z", body: "too early" },
      { from: bob, at: "2025-01-06T09:15:00Z", body: "hi" },
      { from: alice, at: "2025-01-06T09:20:00Z", body: "hello" },
      { from: alice, at: "2025-01-06T09:21:00Z", body: "how are you" },
      { from: bob, at: "2025-01-07T23:59:59Z", body: "late" },
      { from: alice, at: "2025-01-08T00:00:30Z", body: "yes?" },
      { from: bob, at: "2025-01-09T00:00:00Z", body: "too late" },
    ]);
    await insertMessages(server, aliceCarol, [
      { from: carol, at: "2025-01-06T10:00:00Z", body: "ping" },
      { from: alice, at: "2025-01-06T10:10:00.900Z", body: "pong 👋" },
    ]);
    await insertMessages(server, daveCarol, [
      { from: dave, at: "2025-01-06T12:00:00Z", body: "not alice's" },
    ]);
    // Around Berlin's DST changes of 2025: spring forward on 30 March, fall back on 26 October.
    await insertMessages(server, aliceBob, [
      { from: bob, at: "2025-03-29T22:59:59Z", body: "saturday 23:59 local" },
      { from: bob, at: "2025-03-30T00:59:59Z", body: "01:59 CET" },
      { from: alice, at: "2025-03-30T01:00:00Z", body: "03:00 CEST" },
      { from: bob, at: "2025-03-30T21:59:59Z", body: "23:59 CEST" },
      { from: bob, at: "2025-03-30T22:00:00Z", body: "monday 00:00 local" },
      { from: bob, at: "2025-10-25T21:59:59Z", body: "saturday 23:59 local" },
      { from: bob, at: "2025-10-26T00:30:00Z", body: "02:30 CEST" },
      { from: alice, at: "2025-10-26T01:30:00Z", body: "02:30 CET" },
      { from: bob, at: "2025-10-26T22:59:59Z", body: "23:59 CET" },
      { from: bob, at: "2025-10-26T23:00:00Z", body: "monday 00:00 local" },
    ]);
  });

  afterAll(async () => {
    await server?.close();
  });

  it("aggregates exactly the caller's messages of the range in UTC", async () => {
    const result = await insights(alice, "from=2025-01-06&to=2025-01-08");
    expect(result.range).toEqual({ from: "2025-01-06", to: "2025-01-08", tz: "UTC" });
    expect(result.totals).toEqual({ messages: 7, sent: 4, received: 3, characters: 36 });
    expect(busyHours(result)).toEqual([
      [0, 1, 0],
      [9, 2, 1],
      [10, 1, 1],
      [23, 0, 1],
    ]);
    expect(result.byHour).toHaveLength(24);
    expect(result.byDay).toEqual([
      { date: "2025-01-06", sent: 3, received: 2 },
      { date: "2025-01-07", sent: 0, received: 1 },
      { date: "2025-01-08", sent: 1, received: 0 },
    ]);
    const grid = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
    grid[0]![9] = 3; // Monday
    grid[0]![10] = 2;
    grid[1]![23] = 1; // Tuesday
    grid[2]![0] = 1; // Wednesday
    expect(result.byWeekdayHour).toEqual(grid);
    expect(result.topChats).toEqual([
      { chatId: aliceBob, title: bob.user.username, count: 5 },
      { chatId: aliceCarol, title: carol.user.username, count: 2 },
    ]);
    // Replies: 300 s (hi → hello), 31 s (late → yes?), 600 s (ping → pong, 600.9 s counted as 600).
    expect(result.replyTimeSeconds).toMatchObject({ median: 300, p90: 540, count: 3 });
    expect(result.replyTimeSeconds.histogram.map((b) => b.count)).toEqual([1, 0, 2, 0, 0, 0, 0]);
  });

  it("counts what the other side sees from their side", async () => {
    const result = await insights(bob, "from=2025-01-06&to=2025-01-08");
    expect(result.totals).toEqual({ messages: 5, sent: 2, received: 3, characters: 26 });
    expect(result.topChats).toEqual([{ chatId: aliceBob, title: alice.user.username, count: 5 }]);
    // Bob answered alice once: "how are you" (09:21) → "late" (next day 23:59:59).
    expect(result.replyTimeSeconds).toMatchObject({ median: 139_139, p90: 139_139, count: 1 });
  });

  it("narrows everything to one chat with chatId", async () => {
    const result = await insights(alice, `from=2025-01-06&to=2025-01-08&chatId=${aliceCarol}`);
    expect(result.totals).toEqual({ messages: 2, sent: 1, received: 1, characters: 10 });
    expect(result.topChats).toEqual([{ chatId: aliceCarol, title: carol.user.username, count: 2 }]);
    expect(result.replyTimeSeconds).toMatchObject({ median: 600, p90: 600, count: 1 });
  });

  it("groups by local hour and date in a +05:30 zone", async () => {
    const result = await insights(alice, "from=2025-01-06&to=2025-01-08&tz=Asia/Kolkata");
    // The range is 2025-01-05T18:30Z … 2025-01-08T18:30Z: "too early" is in, "yes?" stays in.
    expect(result.totals).toMatchObject({ messages: 8, sent: 4, received: 4 });
    expect(busyHours(result)).toEqual([
      [5, 1, 2], // too early 05:29:59.999, late 05:29:59 (8th), yes? 05:30:30
      [14, 2, 1], // hi 14:45, hello 14:50, how are you 14:51
      [15, 1, 1], // ping 15:30, pong 15:40
    ]);
    expect(result.byDay).toEqual([
      { date: "2025-01-06", sent: 3, received: 3 },
      { date: "2025-01-07", sent: 0, received: 0 },
      { date: "2025-01-08", sent: 1, received: 1 },
    ]);
  });

  it("counts the 23-hour spring-forward day in Berlin without a 02:00 hour", async () => {
    const result = await insights(alice, "from=2025-03-30&to=2025-03-30&tz=Europe/Berlin");
    expect(result.byDay).toEqual([{ date: "2025-03-30", sent: 1, received: 2 }]);
    expect(busyHours(result)).toEqual([
      [1, 0, 1],
      [3, 1, 0],
      [23, 0, 1],
    ]);
    // Sunday is the last row of the Monday-first grid.
    expect(result.byWeekdayHour[6]?.[3]).toBe(1);
    expect(result.replyTimeSeconds).toMatchObject({ median: 1, count: 1 });
  });

  it("counts both 02:xx hours of the 25-hour fall-back day in Berlin as hour 2", async () => {
    const result = await insights(alice, "from=2025-10-26&to=2025-10-26&tz=Europe/Berlin");
    expect(result.byDay).toEqual([{ date: "2025-10-26", sent: 1, received: 2 }]);
    expect(busyHours(result)).toEqual([
      [2, 1, 1],
      [23, 0, 1],
    ]);
    expect(result.replyTimeSeconds).toMatchObject({ median: 3600, count: 1 });
  });

  it("answers a chat the caller is not in exactly like a missing one", async () => {
    const notMine = await carol.api<ErrorBody>("GET", `/api/insights?chatId=${aliceBob}`);
    const missing = await carol.api<ErrorBody>("GET", "/api/insights?chatId=c_does_not_exist");
    expect(notMine.status).toBe(404);
    expect(notMine.body).toEqual(missing.body);
    expect(errorCode(notMine)).toBe("not_found");
  });

  it("asks for a session", async () => {
    const reply = await request(server.url, "GET", "/api/insights");
    expect(reply.status).toBe(401);
    expect(errorCode(reply)).toBe("unauthorized");
  });

  it.each([
    ["tz=Mars/Olympus", "tz"],
    ["from=2025-02-30&to=2025-03-01", "from"],
    ["from=2025-03-02&to=2025-03-01", "to"],
    ["from=2020-01-01&to=2025-01-01", "from"],
    ["from=yesterday", "from"],
  ])("refuses %s with invalid_input on %s", async (query, field) => {
    const reply = await alice.api<ErrorBody>("GET", `/api/insights?${query}`);
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe("invalid_input");
    expect(reply.body.error.fields).toHaveProperty(field);
  });

  it("defaults to the last 90 days up to today in the zone", async () => {
    const result = await insights(alice, "tz=Pacific/Kiritimati");
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Pacific/Kiritimati" }).format(new Date());
    expect(result.range.to).toBe(today);
    expect(result.byDay).toHaveLength(90);
    expect(result.byDay.at(-1)?.date).toBe(today);
    expect(result.totals.messages).toBe(0);
    expect(result.replyTimeSeconds).toMatchObject({ median: null, p90: null, count: 0 });
  });

  it("leaves out what the caller cleared for themselves, not what others still see", async () => {
    const extra = await startChat(bob, carol);
    await insertMessages(server, extra, [
      { from: bob, at: "2025-01-06T08:00:00Z", body: "before clear" },
      { from: carol, at: "2025-01-06T08:01:00Z", body: "reply" },
    ]);
    expect((await insights(bob, `from=2025-01-06&to=2025-01-06&chatId=${extra}`)).totals.messages).toBe(2);

    expect((await bob.api("POST", `/api/chats/${extra}/clear`, {})).status).toBe(204);
    await insertMessages(server, extra, [{ from: carol, at: "2025-01-06T08:30:00Z", body: "after clear" }]);

    const bobView = await insights(bob, `from=2025-01-06&to=2025-01-06&chatId=${extra}`);
    expect(bobView.totals).toEqual({ messages: 1, sent: 0, received: 1, characters: 11 });
    // The hidden message does not count as the one Bob replied to either.
    expect(bobView.replyTimeSeconds.count).toBe(0);
    const carolView = await insights(carol, `from=2025-01-06&to=2025-01-06&chatId=${extra}`);
    expect(carolView.totals.messages).toBe(3);
    expect(carolView.replyTimeSeconds).toMatchObject({ median: 60, count: 1 });

    expect((await carol.api("POST", `/api/chats/${extra}/clear`, { forEveryone: true })).status).toBe(204);
    expect((await insights(carol, `from=2025-01-06&to=2025-01-06&chatId=${extra}`)).totals.messages).toBe(0);
  });

  it("counts neither tombstones nor system notes, nor what the caller hid for themselves", async () => {
    const extra = await startChat(dave, bob);
    const at = "2025-02-03T08:00:00Z";
    await insertMessages(
      server,
      extra,
      ["kept", "tombstone", "system", "hidden"].map((body) => ({ from: dave, at, body })),
    );
    const { db } = server.app.database;
    const seqOf = async (body: string) =>
      (
        await db
          .selectFrom("messages")
          .select(["seq", "client_id"])
          .where("chat_id", "=", extra)
          .where("body", "=", body)
          .executeTakeFirstOrThrow()
      ).seq;
    await db
      .updateTable("messages")
      .set({ body: "", deleted_at: Date.parse(at) })
      .where("chat_id", "=", extra)
      .where("seq", "=", await seqOf("tombstone"))
      .execute();
    await db
      .updateTable("messages")
      .set({ body: "", system: JSON.stringify({ event: "title_changed", userIds: [] }) })
      .where("chat_id", "=", extra)
      .where("seq", "=", await seqOf("system"))
      .execute();
    const page = await bob.api<{ messages: { id: string; body: string }[] }>(
      "GET",
      `/api/chats/${extra}/messages`,
    );
    const hidden = page.body.messages.find((m) => m.body === "hidden");
    expect((await bob.api("DELETE", `/api/chats/${extra}/messages/${hidden?.id}?for=me`)).status).toBe(204);

    const bobView = await insights(bob, `from=2025-02-03&to=2025-02-03&chatId=${extra}`);
    expect(bobView.totals).toEqual({ messages: 1, sent: 0, received: 1, characters: 4 });
    const daveView = await insights(dave, `from=2025-02-03&to=2025-02-03&chatId=${extra}`);
    expect(daveView.totals).toEqual({ messages: 2, sent: 2, received: 0, characters: 10 });
  });
});
