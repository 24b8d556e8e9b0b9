import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Insights } from "../src/protocol/index.js";
import { DEMO_PASSWORD, seedDemo } from "../src/server/seed-demo.js";
import { request, sessionCookie, signUp } from "./support/client.js";
import { DIALECTS } from "./support/databases.js";
import { startServer, type TestServer } from "./support/server.js";

describe.each(DIALECTS)("seed:demo (%s)", (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ dialect });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("seeds months of history once, then changes nothing", async () => {
    const first = await seedDemo(server.app.database);
    expect(first.status).toBe("seeded");
    expect(first.users).toBe(6);
    expect(first.messages).toBeGreaterThan(5000);
    expect(await seedDemo(server.app.database)).toMatchObject({
      status: "already-seeded",
      users: 0,
      messages: 0,
    });

    const login = await request(server.url, "POST", "/api/auth/login", {
      body: { email: "ann@demo.glasschat.example", password: DEMO_PASSWORD },
    });
    expect(login.status).toBe(200);
    const cookie = sessionCookie(login);
    const year = await request<Insights>(server.url, "GET", "/api/insights?tz=UTC", { cookie });
    expect(year.body.topChats.length).toBeGreaterThanOrEqual(5);
    // A daily rhythm: ann (an evening person) writes more at 21:00 than at 04:00.
    const at = (hour: number) => year.body.byHour[hour]?.sent ?? 0;
    expect(at(21)).toBeGreaterThan(at(4) * 3);
    expect(year.body.replyTimeSeconds.median).not.toBeNull();
  });

  it("refuses a database with real users unless forced", async () => {
    await signUp(server.url, "real");
    const refused = await seedDemo(server.app.database);
    expect(refused.status).toBe("refused");
    expect(refused.reason).toMatch(/1 real user/);
    expect(await seedDemo(server.app.database, { force: true })).toMatchObject({ status: "already-seeded" });
  });
});
