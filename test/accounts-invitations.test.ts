import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Chat } from "../src/protocol/index.js";
import { connected, errorCode, nextEvent, request, signUp } from "./support/client.js";
import { DIALECTS } from "./support/databases.js";
import { linkIn, mailSuite, tokenOf } from "./support/mail.js";
import { startServer, type TestServer } from "./support/server.js";

interface InvitationBody {
  invitation: { id: string; email: string; createdAt: string; expiresAt: string };
}

const register = (server: TestServer, body: Record<string, unknown>) =>
  request<{ user: { id: string; username: string } }>(server.url, "POST", "/api/auth/register", {
    body: { password: "correct horse battery", ...body },
  });

describe.each(DIALECTS)("invitations (%s)", (dialect) => {
  const suite = mailSuite({ dialect });

  it("mails a 7-day link; signing up through it lands in a direct chat with the inviter, who gets chat:new", async () => {
    const ann = await signUp(suite.server.url, "ann");
    const annSocket = await connected(suite.server.url, ann.cookie);
    const invited = `friend-${Date.now()}@example.com`;
    const reply = await ann.api<InvitationBody>("POST", "/api/invitations", { email: invited.toUpperCase() });
    expect(reply.status).toBe(201);
    const { invitation } = reply.body;
    expect(invitation.email).toBe(invited);
    expect(Date.parse(invitation.expiresAt) - Date.parse(invitation.createdAt)).toBe(7 * 24 * 60 * 60 * 1000);
    const listed = await ann.api<{ invitations: unknown[] }>("GET", "/api/invitations");
    expect(listed.body.invitations).toEqual([invitation]);

    const message = await suite.mail.next(invited);
    expect(message.subject).toBe(`${ann.user.username} invited you to Glasschat`);
    const link = linkIn(message, `${suite.server.url}/#/invite/`);
    expect(message.html).toContain(`href="${link.href}"`);

    const chatNew = nextEvent(annSocket, "chat:new");
    const signedUp = await register(suite.server, {
      email: invited,
      username: `friend_${Date.now() % 1e6}`,
      invitation: tokenOf(link),
    });
    expect(signedUp.status).toBe(201);
    const chat = (await chatNew) as Chat;
    expect(chat.kind).toBe("direct");
    // The inviter asked for it: on their side it is no message request.
    expect(chat.request ?? false).toBe(false);
    expect(chat.members.map((m) => m.id).sort()).toEqual([ann.user.id, signedUp.body.user.id].sort());
    expect((await ann.api<{ invitations: unknown[] }>("GET", "/api/invitations")).body.invitations).toEqual(
      [],
    );

    // Used: the same link cannot make a second account.
    const reuse = await register(suite.server, {
      email: `other-${Date.now()}@example.com`,
      username: `other_${Date.now() % 1e6}`,
      invitation: tokenOf(link),
    });
    expect(reuse.status).toBe(410);
    expect(errorCode(reuse)).toBe("token_invalid");
  });

  it("an email that has an account answers exactly like POST /api/chats", async () => {
    const ben = await signUp(suite.server.url, "ben");
    const cy = await signUp(suite.server.url, "cy");
    const first = await ben.api<{ chat: Chat }>("POST", "/api/invitations", { email: cy.email });
    expect(first.status).toBe(201);
    const again = await ben.api<{ chat: Chat }>("POST", "/api/invitations", { email: cy.email });
    const viaChats = await ben.api<{ chat: Chat }>("POST", "/api/chats", { email: cy.email });
    expect(again.status).toBe(viaChats.status);
    expect(again.body).toEqual(viaChats.body);
    expect(first.body.chat.id).toBe(viaChats.body.chat.id);
    const own = await ben.api("POST", "/api/invitations", { email: ben.email });
    expect(own.status).toBe(400);
    expect(own.body).toEqual((await ben.api("POST", "/api/chats", { email: ben.email })).body);
    expect(errorCode(await ben.api("POST", "/api/invitations", { email: "not an email" }))).toBe(
      "invalid_input",
    );
    expect(
      errorCode(
        await request(suite.server.url, "POST", "/api/invitations", { body: { email: "x@example.com" } }),
      ),
    ).toBe("unauthorized");
  });

  it("a revoked or expired invitation answers 410; revoking someone else's is 404", async () => {
    const dee = await signUp(suite.server.url, "dee");
    const eve = await signUp(suite.server.url, "eve");
    const email = `revoked-${Date.now()}@example.com`;
    const { invitation } = (await dee.api<InvitationBody>("POST", "/api/invitations", { email })).body;
    const token = tokenOf(linkIn(await suite.mail.next(email), `${suite.server.url}/#/invite/`));
    expect(errorCode(await eve.api("DELETE", `/api/invitations/${invitation.id}`))).toBe("not_found");
    expect((await dee.api("DELETE", `/api/invitations/${invitation.id}`)).status).toBe(204);
    expect(errorCode(await dee.api("DELETE", `/api/invitations/${invitation.id}`))).toBe("not_found");
    expect((await dee.api<{ invitations: unknown[] }>("GET", "/api/invitations")).body.invitations).toEqual(
      [],
    );
    const revoked = await register(suite.server, {
      email,
      username: `rev_${Date.now() % 1e6}`,
      invitation: token,
    });
    expect(revoked.status).toBe(410);

    const later = `expired-${Date.now()}@example.com`;
    await dee.api("POST", "/api/invitations", { email: later });
    const expiring = tokenOf(linkIn(await suite.mail.next(later), `${suite.server.url}/#/invite/`));
    suite.clock = 7 * 24 * 60 * 60 * 1000 + 1000;
    expect((await dee.api<{ invitations: unknown[] }>("GET", "/api/invitations")).body.invitations).toEqual(
      [],
    );
    const expired = await register(suite.server, {
      email: later,
      username: `exp_${Date.now() % 1e6}`,
      invitation: expiring,
    });
    expect(errorCode(expired)).toBe("token_invalid");
    suite.clock = 0;
    expect(
      errorCode(
        await register(suite.server, {
          email: later,
          username: `nev_${Date.now() % 1e6}`,
          invitation: "never-issued",
        }),
      ),
    ).toBe("token_invalid");
  });

  it("a sign-up that fails (email taken) leaves the invitation usable", async () => {
    const fay = await signUp(suite.server.url, "fay");
    const taken = await signUp(suite.server.url, "taken");
    const email = `retry-${Date.now()}@example.com`;
    await fay.api("POST", "/api/invitations", { email });
    const token = tokenOf(linkIn(await suite.mail.next(email), `${suite.server.url}/#/invite/`));
    const clash = await register(suite.server, {
      email: taken.email,
      username: `clash_${Date.now() % 1e6}`,
      invitation: token,
    });
    expect(errorCode(clash)).toBe("email_taken");
    expect(
      (await register(suite.server, { email, username: `ok_${Date.now() % 1e6}`, invitation: token })).status,
    ).toBe(201);
  });
});

describe("REGISTRATION=invite", () => {
  const suite = mailSuite({ env: { REGISTRATION: "invite" } });

  it("refuses sign-up without an invitation (403 registration_closed) and accepts one with it", async () => {
    const closed = await register(suite.server, { email: "walk-in@example.com", username: "walk_in" });
    expect(closed.status).toBe(403);
    expect(errorCode(closed)).toBe("registration_closed");
    const { token, url } = await adminInvite(suite.server, "first@example.com");
    expect(url.startsWith(`${suite.server.url}/#/invite/`)).toBe(true);
    const first = await register(suite.server, {
      email: "first@example.com",
      username: "first_one",
      invitation: token,
    });
    expect(first.status).toBe(201);
  });
});

/** What `npm run admin -- invite` does, in-process: the same function, the same database. */
async function adminInvite(server: TestServer, email: string) {
  const { storeInvitation, invitationPath } = await import("../src/server/domain/invitations.service.js");
  const { createAccountTokensRepository } = await import(
    "../src/server/storage/account-tokens.repository.js"
  );
  const { token } = await storeInvitation(
    createAccountTokensRepository(server.app.database.db),
    null,
    email,
    Date.now(),
  );
  return { token, url: `${server.url}${invitationPath(token)}` };
}

describe("outbox without SMTP_URL", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.close());

  it("writes each mail to DATA_DIR/outbox with links to the server's own http://localhost:PORT", async () => {
    const { readOutbox } = await import("../src/server/mail/outbox.js");
    const ann = await signUp(server.url, "ann");
    expect((await ann.api("POST", "/api/invitations", { email: "outbox-friend@example.com" })).status).toBe(
      201,
    );
    const port = new URL(server.url).port;
    const mails = readOutbox(join(server.dataDir, "outbox"));
    expect(mails).toHaveLength(1);
    expect(mails[0]?.to).toBe("outbox-friend@example.com");
    expect(mails[0]?.text).toContain(`http://localhost:${port}/#/invite/`);
  });
});
