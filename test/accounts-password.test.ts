import { describe, expect, it } from "vitest";
import {
  connected,
  errorCode,
  eventually,
  request,
  sessionCookie,
  signUp,
  type TestUser,
} from "./support/client.js";
import { DIALECTS } from "./support/databases.js";
import { linkIn, mailSuite, tokenOf } from "./support/mail.js";
import type { TestServer } from "./support/server.js";

const NEW_PASSWORD = "a brand new password";

async function login(server: TestServer, email: string, password: string, userAgent = "test-agent/1") {
  return request(server.url, "POST", "/api/auth/login", {
    body: { email, password },
    headers: { "user-agent": userAgent },
  });
}

describe.each(DIALECTS)("password reset, password change and sessions (%s)", (dialect) => {
  const suite = mailSuite({ dialect });

  async function resetLink(user: TestUser): Promise<URL> {
    const reply = await request(suite.server.url, "POST", "/api/auth/password-reset", {
      body: { email: user.email },
    });
    expect(reply.status).toBe(202);
    const message = await suite.mail.next(user.email);
    return linkIn(message, `${new URL(suite.server.url).origin}/#/reset/`);
  }

  it("mails a reset link over SMTP with TLS and auth, in text and HTML, that sets a new password and ends every session", async () => {
    const ann = await signUp(suite.server.url, "ann");
    const socket = await connected(suite.server.url, ann.cookie);
    const disconnected = new Promise((resolve) => socket.once("disconnect", resolve));
    const reply = await request(suite.server.url, "POST", "/api/auth/password-reset", {
      body: { email: ` ${ann.email.toUpperCase()} ` },
    });
    expect(reply.status).toBe(202);
    const message = await suite.mail.next(ann.email);
    expect(message.secure).toBe(true);
    expect(message.user).toBe("glasschat");
    expect(message.subject).toBe("Reset your Glasschat password");
    expect(message.text).toContain(ann.user.username);
    const link = linkIn(message, `${suite.server.url}/#/reset/`);
    expect(message.html).toContain(`href="${link.href}"`);

    // Following the link like a person: the token from the link and a new password.
    const confirm = await request(suite.server.url, "POST", "/api/auth/password-reset/confirm", {
      body: { token: tokenOf(link), password: NEW_PASSWORD },
    });
    expect(confirm.status).toBe(204);
    await disconnected;
    expect((await ann.api("GET", "/api/me")).status).toBe(401);
    expect(errorCode(await login(suite.server, ann.email, ann.password))).toBe("invalid_credentials");
    expect((await login(suite.server, ann.email, NEW_PASSWORD)).status).toBe(200);
  });

  it("a reset link works once: used, expired after an hour, or never issued answers 410 token_invalid", async () => {
    const ben = await signUp(suite.server.url, "ben");
    const confirm = (token: string) =>
      request(suite.server.url, "POST", "/api/auth/password-reset/confirm", {
        body: { token, password: NEW_PASSWORD },
      });
    const used = tokenOf(await resetLink(ben));
    expect((await confirm(used)).status).toBe(204);
    const again = await confirm(used);
    expect(again.status).toBe(410);
    expect(errorCode(again)).toBe("token_invalid");

    const expiring = tokenOf(await resetLink(ben));
    suite.clock = 60 * 60 * 1000 + 1000;
    expect(errorCode(await confirm(expiring))).toBe("token_invalid");
    suite.clock = 0;

    expect(errorCode(await confirm("never-issued-token"))).toBe("token_invalid");
    expect(errorCode(await confirm(""))).toBe("invalid_input");
  });

  it("a newer reset link replaces an older one", async () => {
    const cy = await signUp(suite.server.url, "cy");
    const first = tokenOf(await resetLink(cy));
    const second = tokenOf(await resetLink(cy));
    const confirm = (token: string) =>
      request(suite.server.url, "POST", "/api/auth/password-reset/confirm", {
        body: { token, password: NEW_PASSWORD },
      });
    expect(errorCode(await confirm(first))).toBe("token_invalid");
    expect((await confirm(second)).status).toBe(204);
  });

  it("answers an unknown email exactly like a known one, sends it no mail, and shows no timing gap", async () => {
    const dee = await signUp(suite.server.url, "dee");
    const ask = (email: string) =>
      request(suite.server.url, "POST", "/api/auth/password-reset", { body: { email } });
    const known = await ask(dee.email);
    const unknown = await ask("nobody-here@example.com");
    expect(unknown.status).toBe(known.status);
    expect(unknown.body).toEqual(known.body);
    await suite.mail.next(dee.email);
    // Timing: medians over alternating runs (each request to a fresh address, so no rate limit applies).
    const times = { known: [] as number[], unknown: [] as number[] };
    for (let i = 0; i < 12; i++) {
      for (const kind of ["known", "unknown"] as const) {
        const email = kind === "known" ? dee.email : `ghost-${i}@example.com`;
        const started = performance.now();
        expect((await ask(email)).status).toBe(202);
        times[kind].push(performance.now() - started);
      }
    }
    const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? 0;
    // The known path (a lookup, a token, SMTP with TLS) takes many ms when done inline; here it is after the answer.
    expect(Math.abs(median(times.known) - median(times.unknown))).toBeLessThan(15);
    await eventually(() => expect(suite.mail.received.filter((m) => m.to.startsWith("ghost-"))).toEqual([]));
  });

  it("change password: other sessions end with their sockets, the caller's stays; a wrong current password is 401", async () => {
    const eve = await signUp(suite.server.url, "eve");
    const other = sessionCookie(await login(suite.server, eve.email, eve.password));
    const otherSocket = await connected(suite.server.url, other);
    const mySocket = await connected(suite.server.url, eve.cookie);
    const otherGone = new Promise((resolve) => otherSocket.once("disconnect", resolve));

    const wrong = await eve.api("POST", "/api/auth/password", {
      currentPassword: "not the password",
      newPassword: NEW_PASSWORD,
    });
    expect(wrong.status).toBe(401);
    expect(errorCode(wrong)).toBe("invalid_credentials");
    expect(
      errorCode(
        await eve.api("POST", "/api/auth/password", { currentPassword: eve.password, newPassword: "short" }),
      ),
    ).toBe("invalid_input");
    expect(
      errorCode(
        await request(suite.server.url, "POST", "/api/auth/password", {
          body: { currentPassword: eve.password, newPassword: NEW_PASSWORD },
        }),
      ),
    ).toBe("unauthorized");

    const ok = await eve.api("POST", "/api/auth/password", {
      currentPassword: eve.password,
      newPassword: NEW_PASSWORD,
    });
    expect(ok.status).toBe(204);
    await otherGone;
    expect((await request(suite.server.url, "GET", "/api/me", { cookie: other })).status).toBe(401);
    expect((await eve.api("GET", "/api/me")).status).toBe(200);
    expect(mySocket.connected).toBe(true);
    expect((await login(suite.server, eve.email, NEW_PASSWORD)).status).toBe(200);
  });

  it("lists the caller's sessions and ends one with its sockets; another user's session id is 404", async () => {
    const fay = await signUp(suite.server.url, "fay");
    const phone = sessionCookie(await login(suite.server, fay.email, fay.password, "PhoneBrowser/2"));
    const phoneSocket = await connected(suite.server.url, phone);
    const list = await fay.api<{
      sessions: Array<{
        id: string;
        userAgent: string | null;
        current: boolean;
        createdAt: string;
        lastUsedAt: string;
      }>;
    }>("GET", "/api/me/sessions");
    expect(list.status).toBe(200);
    expect(list.body.sessions).toHaveLength(2);
    const current = list.body.sessions.find((s) => s.current);
    const phoneSession = list.body.sessions.find((s) => s.userAgent === "PhoneBrowser/2");
    expect(current).toBeDefined();
    expect(phoneSession?.current).toBe(false);
    expect(Date.parse(phoneSession?.lastUsedAt ?? "")).toBeGreaterThanOrEqual(
      Date.parse(phoneSession?.createdAt ?? ""),
    );

    const gus = await signUp(suite.server.url, "gus");
    expect(errorCode(await gus.api("DELETE", `/api/me/sessions/${phoneSession?.id}`))).toBe("not_found");
    expect(errorCode(await request(suite.server.url, "GET", "/api/me/sessions"))).toBe("unauthorized");

    const gone = new Promise((resolve) => phoneSocket.once("disconnect", resolve));
    expect((await fay.api("DELETE", `/api/me/sessions/${phoneSession?.id}`)).status).toBe(204);
    await gone;
    expect((await request(suite.server.url, "GET", "/api/me", { cookie: phone })).status).toBe(401);
    const after = await fay.api<{ sessions: unknown[] }>("GET", "/api/me/sessions");
    expect(after.body.sessions).toHaveLength(1);
    expect(errorCode(await fay.api("DELETE", `/api/me/sessions/${phoneSession?.id}`))).toBe("not_found");
  });
});

describe("password reset rate limits", () => {
  const suite = mailSuite({ env: { RATE_LIMIT_PASSWORD_RESET_PER_HOUR: "2" } });

  it("limits requests per email, the same for known and unknown emails, and per IP", async () => {
    const ask = (email: string) =>
      request(suite.server.url, "POST", "/api/auth/password-reset", { body: { email } });
    expect((await ask("one@example.com")).status).toBe(202);
    expect((await ask("one@example.com")).status).toBe(202);
    const limited = await ask("one@example.com");
    expect(limited.status).toBe(429);
    expect(errorCode(limited)).toBe("rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // The IP has used its 2 as well: another email from it is refused too.
    expect(errorCode(await ask("two@example.com"))).toBe("rate_limited");
  });
});
