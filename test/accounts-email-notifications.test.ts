import { describe, expect, it } from "vitest";
import { clientId, closeAllSockets, connected, eventually, pair, request, send } from "./support/client.js";
import { DIALECTS } from "./support/databases.js";
import { linkIn, mailSuite, tokenOf } from "./support/mail.js";

const HOUR = 60 * 60 * 1000;

describe.each(DIALECTS)("unread-messages mail (%s)", (dialect) => {
  // Messages count as unread after 1 s instead of 15 min; one check every 200 ms.
  const suite = mailSuite({ dialect, env: { EMAIL_NOTIFY_AFTER_S: "1", EMAIL_NOTIFY_CHECK_MS: "200" } });

  const mailsTo = (email: string) => suite.mail.received.filter((m) => m.to === email);
  /** A direct chat Bob accepted: a pending message request sends no mail. */
  const acceptedPair = async () => {
    const chat = await pair(suite.server.url);
    expect((await chat.bob.api("POST", `/api/chats/${chat.chatId}/accept`)).status).toBe(200);
    return chat;
  };

  it("mails an offline member the chats with unread messages, at most once an hour", async () => {
    const { alice, bob, chatId } = await acceptedPair();
    const aliceSocket = await connected(suite.server.url, alice.cookie);
    expect((await send(aliceSocket, { chatId, body: "are you there?", clientId: clientId() })).ok).toBe(true);
    const first = await suite.mail.next(bob.email);
    expect(first.subject).toBe("An unread chat on Glasschat");
    expect(first.text).toContain(`${alice.user.username}: 1 unread message`);
    expect(first.html).toContain(alice.user.username);
    expect(JSON.stringify(first.headers.get("list"))).toContain("/#/unsubscribe/");

    expect((await send(aliceSocket, { chatId, body: "hello again", clientId: clientId() })).ok).toBe(true);
    // Several checks later, still one mail: the hour has not passed.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(mailsTo(bob.email)).toHaveLength(1);

    suite.clock += HOUR;
    const second = await suite.mail.next(bob.email);
    // Only what arrived after the first mail.
    expect(second.text).toContain(`${alice.user.username}: 1 unread message`);
    suite.clock = 0;
  });

  it("sends nothing for a message request until it is accepted", async () => {
    const { alice, bob, chatId } = await pair(suite.server.url);
    const aliceSocket = await connected(suite.server.url, alice.cookie);
    await send(aliceSocket, { chatId, body: "a stranger writes", clientId: clientId() });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(mailsTo(bob.email)).toHaveLength(0);
    expect((await bob.api("POST", `/api/chats/${chatId}/accept`)).status).toBe(200);
    const mail = await suite.mail.next(bob.email);
    expect(mail.text).toContain(`${alice.user.username}: 1 unread message`);
  });

  it("sends nothing to a member with a connected socket, nor for messages they read", async () => {
    const { alice, bob, chatId } = await acceptedPair();
    const aliceSocket = await connected(suite.server.url, alice.cookie);
    await connected(suite.server.url, bob.cookie);
    await send(aliceSocket, { chatId, body: "seen live", clientId: clientId() });
    await new Promise((resolve) => setTimeout(resolve, 1800));
    expect(mailsTo(bob.email)).toHaveLength(0);
    // Reading the history marks it read: once offline, nothing is due.
    await bob.api("GET", `/api/chats/${chatId}/messages`);
    closeAllSockets();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(mailsTo(bob.email)).toHaveLength(0);
  });

  it("the unsubscribe link turns the mail off without signing in; a forged token is 410", async () => {
    const { alice, bob, chatId } = await acceptedPair();
    const aliceSocket = await connected(suite.server.url, alice.cookie);
    await send(aliceSocket, { chatId, body: "ping", clientId: clientId() });
    const message = await suite.mail.next(bob.email);
    const link = linkIn(message, `${suite.server.url}/#/unsubscribe/`);
    const forged = await request(suite.server.url, "POST", "/api/email/unsubscribe", {
      body: { token: `${bob.user.id}.AAAA` },
    });
    expect(forged.status).toBe(410);
    const ok = await request(suite.server.url, "POST", "/api/email/unsubscribe", {
      body: { token: tokenOf(link) },
    });
    expect(ok.status).toBe(204);
    const me = await bob.api<{ user: { settings: { emailNotifications: boolean } } }>("GET", "/api/me");
    expect(me.body.user.settings.emailNotifications).toBe(false);

    suite.clock += HOUR;
    await send(aliceSocket, { chatId, body: "ping again", clientId: clientId() });
    await new Promise((resolve) => setTimeout(resolve, 1800));
    expect(mailsTo(bob.email)).toHaveLength(1);
    suite.clock = 0;
    await eventually(() => expect(mailsTo(alice.email)).toHaveLength(0));
  });
});
