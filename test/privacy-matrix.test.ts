import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Chat, ChatMember, UserSettings } from "../src/protocol/index.js";
import {
  type ClientSocket,
  clientId,
  closeAllSockets,
  collect,
  connected,
  eventually,
  nextEvent,
  pair,
  send,
  type TestUser,
} from "./support/client.js";
import { startServer, type TestServer } from "./support/server.js";

type Switches = Pick<UserSettings, "shareReadReceipts" | "shareLastSeen">;

/** Everything one client received: HTTP bodies and socket frames, in order. */
interface Recording {
  received: Array<{ via: string; name: string; body: unknown }>;
}

function recorder(user: TestUser, recording: Recording): TestUser["api"] {
  return async (method, path, body) => {
    const reply = await user.api(method, path, body);
    recording.received.push({ via: "http", name: `${method} ${path}`, body: reply.body });
    return reply as never;
  };
}

function listen(socket: ClientSocket, recording: Recording): void {
  socket.onAny((name: string, body: unknown) => recording.received.push({ via: "socket", name, body }));
}

/** Every member entry inside a value (Chat objects anywhere in a body or frame). */
function membersIn(value: unknown, out: ChatMember[] = []): ChatMember[] {
  if (Array.isArray(value)) for (const item of value) membersIn(item, out);
  else if (value && typeof value === "object") {
    const members = (value as Partial<Chat>).members;
    if (Array.isArray(members)) out.push(...members);
    for (const child of Object.values(value)) membersIn(child, out);
  }
  return out;
}

const combos: Array<[Switches, Switches]> = [];
for (const a of [true, false])
  for (const b of [true, false])
    for (const c of [true, false])
      for (const d of [true, false])
        combos.push([
          { shareReadReceipts: a, shareLastSeen: b },
          { shareReadReceipts: c, shareLastSeen: d },
        ]);

describe("privacy matrix: no answer or frame carries what the switches keep private", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.close());
  afterEach(() => closeAllSockets());

  it.each(combos)("ann %j, ben %j", async (annSwitches, benSwitches) => {
    const { alice: ann, bob: ben, chatId } = await pair(server.url);
    await ann.api("PATCH", "/api/me/settings", annSwitches);
    await ben.api("PATCH", "/api/me/settings", benSwitches);
    const recordings = { ann: { received: [] } as Recording, ben: { received: [] } as Recording };
    const annApi = recorder(ann, recordings.ann);
    const benApi = recorder(ben, recordings.ben);

    // The script: both come online, type, write, read, list, and ben leaves and comes back.
    const annSocket = await connected(server.url, ann.cookie);
    listen(annSocket, recordings.ann);
    let benSocket = await connected(server.url, ben.cookie);
    listen(benSocket, recordings.ben);
    const annMessages = collect(annSocket, "message:new");
    await benSocket.timeout(5000).emitWithAck("typing:start", { chatId });
    await send(benSocket, { chatId, body: "hello ann", clientId: clientId() });
    await benSocket.timeout(5000).emitWithAck("typing:stop", { chatId });
    await eventually(() => expect(annMessages).toHaveLength(1));
    await annApi("GET", `/api/chats/${chatId}/messages`);
    await annSocket.timeout(5000).emitWithAck("typing:start", { chatId });
    await send(annSocket, { chatId, body: "hi ben", clientId: clientId() });
    await benApi("POST", `/api/chats/${chatId}/read`, { seq: 2 });
    await annApi("GET", "/api/chats");
    await benApi("GET", "/api/chats");
    benSocket.disconnect();
    await new Promise((resolve) => setTimeout(resolve, 300));
    benSocket = await connected(server.url, ben.cookie);
    listen(benSocket, recordings.ben);
    await annApi("GET", "/api/chats");
    await benApi("GET", "/api/chats");
    await benApi("GET", "/api/me");
    await new Promise((resolve) => setTimeout(resolve, 300));

    const receipts = annSwitches.shareReadReceipts && benSwitches.shareReadReceipts;
    const presence = annSwitches.shareLastSeen && benSwitches.shareLastSeen;
    for (const [viewer, other] of [
      ["ann", ben.user.id],
      ["ben", ann.user.id],
    ] as const) {
      const { received } = recordings[viewer];
      const names = received.map((r) => r.name);
      const aboutOther = membersIn(received.map((r) => r.body)).filter((m) => m.id === other);
      expect(aboutOther.length).toBeGreaterThan(0);
      // Typing is not a privacy switch: it always passes between members.
      expect(names).toContain("typing");
      if (receipts) {
        expect(aboutOther.some((m) => m.readSeq !== null)).toBe(true);
      } else {
        expect(names).not.toContain("chat:read");
        expect(aboutOther.every((m) => m.readSeq === null)).toBe(true);
      }
      if (presence) {
        expect(aboutOther.every((m) => m.online !== null)).toBe(true);
      } else {
        expect(names).not.toContain("presence");
        expect(aboutOther.every((m) => m.online === null && m.lastSeenAt === null)).toBe(true);
      }
    }
    // Positive controls (so that the test can fail): ann sees ben read, leave and come back.
    const annNames = recordings.ann.received.map((r) => r.name);
    if (receipts) expect(annNames).toContain("chat:read");
    if (presence) expect(annNames).toContain("presence");
  });

  it("switching receipts and last seen off at runtime takes effect at once in both directions", async () => {
    const { alice: ann, bob: ben, chatId } = await pair(server.url);
    const annSocket = await connected(server.url, ann.cookie);
    const benSocket = await connected(server.url, ben.cookie);
    await send(annSocket, { chatId, body: "one", clientId: clientId() });
    // Ben's read reaches ann before the switch: what follows is only what the switch allows.
    const benRead = nextEvent(annSocket, "chat:read");
    await ben.api("GET", `/api/chats/${chatId}/messages`);
    await benRead;
    const toAnn = collect(annSocket, "chat:read");
    const annUpdates = collect(annSocket, "chat:updated");
    const toBen = collect(benSocket, "chat:read");
    const benPresence = collect(benSocket, "presence");

    await ann.api("PATCH", "/api/me/settings", { shareReadReceipts: false, shareLastSeen: false });
    // Ben forgets ann's position and presence; ann's view loses ben's.
    await eventually(() => {
      expect(toBen).toContainEqual({ chatId, userId: ann.user.id, seq: null });
      expect(benPresence).toContainEqual({ userId: ann.user.id, online: null, lastSeenAt: null });
      const benSeen = annUpdates.at(-1)?.members.find((m) => m.id === ben.user.id);
      expect(benSeen).toMatchObject({ readSeq: null, online: null, lastSeenAt: null });
    });
    await send(annSocket, { chatId, body: "two", clientId: clientId() });
    await ben.api("GET", `/api/chats/${chatId}/messages`);
    await ann.api("GET", `/api/chats/${chatId}/messages`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(toAnn).toEqual([]);

    await ann.api("PATCH", "/api/me/settings", { shareReadReceipts: true, shareLastSeen: true });
    await eventually(() => {
      expect(toBen.at(-1)).toEqual({ chatId, userId: ann.user.id, seq: 2 });
      expect(benPresence.at(-1)).toMatchObject({ userId: ann.user.id, online: true });
    });
    await send(annSocket, { chatId, body: "three", clientId: clientId() });
    await ben.api("GET", `/api/chats/${chatId}/messages`);
    await eventually(() => expect(toAnn).toEqual([{ chatId, userId: ben.user.id, seq: 3 }]));
  });
});
