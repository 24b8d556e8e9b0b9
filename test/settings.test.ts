import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../src/protocol/index.js";
import { errorCode, request, signUp } from "./support/client.js";
import { DIALECTS } from "./support/databases.js";
import { startServer, type TestServer } from "./support/server.js";

describe.each(DIALECTS)("user settings (%s)", (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ dialect });
  });
  afterAll(() => server?.close());

  it("a new account starts with every switch on, shown in /api/me and the sign-up answer", async () => {
    const ann = await signUp(server.url, "ann");
    expect(ann.user.settings).toEqual(DEFAULT_SETTINGS);
    const me = await ann.api("GET", "/api/me");
    expect((me.body as { user: { settings: unknown } }).user.settings).toEqual(DEFAULT_SETTINGS);
  });

  it("PATCH changes only the given keys, answers the whole record and survives a new login", async () => {
    const ben = await signUp(server.url, "ben");
    const reply = await ben.api("PATCH", "/api/me/settings", {
      shareReadReceipts: false,
      pushPreviews: false,
    });
    expect(reply.status).toBe(200);
    const expected = { ...DEFAULT_SETTINGS, shareReadReceipts: false, pushPreviews: false };
    expect(reply.body).toEqual({ user: { ...ben.user, settings: expected } });
    const login = await request<{ user: { settings: unknown } }>(server.url, "POST", "/api/auth/login", {
      body: { email: ben.email, password: ben.password },
    });
    expect(login.body.user.settings).toEqual(expected);
  });

  it.each([
    [{ shareLastSeen: "no" }],
    [{ shareLastSeen: false, colour: "red" }],
    [{ shareLastSeen: null }],
    [[true]],
  ])("refuses %j with invalid_input and changes nothing", async (body) => {
    const cam = await signUp(server.url, "cam");
    const reply = await cam.api("PATCH", "/api/me/settings", body);
    expect(reply.status).toBe(400);
    expect(errorCode(reply)).toBe("invalid_input");
    const me = await cam.api("GET", "/api/me");
    expect((me.body as { user: { settings: unknown } }).user.settings).toEqual(DEFAULT_SETTINGS);
  });

  it("without a session it is 401", async () => {
    const reply = await request(server.url, "PATCH", "/api/me/settings", { body: { shareLastSeen: false } });
    expect(reply.status).toBe(401);
    expect(errorCode(reply)).toBe("unauthorized");
  });
});
