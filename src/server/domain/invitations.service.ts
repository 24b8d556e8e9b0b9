import { randomBytes } from "node:crypto";
import type { Chat, Invitation, UserRef } from "../../protocol/index.js";
import type { Mailer } from "../mail/mailer.js";
import { invitationMail } from "../mail/mails.js";
import { mailLocale } from "../mail/texts/index.js";
import type { AccountTokenRow, AccountTokensRepository } from "../storage/account-tokens.repository.js";
import type { UsersRepository } from "../storage/users.repository.js";
import { tokenInvalid } from "./account-security.service.js";
import type { AccountsService, ClientInfo, SignedIn } from "./accounts.service.js";
import type { ChatsService } from "./chats.service.js";
import { AppError } from "./errors.js";
import { RateLimiter } from "./rate-limiter.js";
import { hashLinkToken, newLinkToken } from "./tokens.js";

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export interface InvitationsDeps {
  tokens: AccountTokensRepository;
  users: UsersRepository;
  chats: ChatsService;
  accounts: AccountsService;
  mailer: Mailer;
  now: () => number;
  registration: "open" | "invite";
  /** Invitations a user may send per hour (0: no limit). */
  invitationsPerHour: number;
}

export type InvitationsService = ReturnType<typeof createInvitationsService>;

const toInvitation = (row: AccountTokenRow): Invitation => ({
  id: row.id,
  email: row.email,
  createdAt: new Date(row.created_at).toISOString(),
  expiresAt: new Date(row.expires_at).toISOString(),
});

/**
 * Stores a new invitation to `email` (`inviterId` null: the admin command's) and answers it with
 * the token for the link; only the token's hash is kept.
 */
export async function storeInvitation(
  tokens: AccountTokensRepository,
  inviterId: string | null,
  email: string,
  now: number,
): Promise<{ row: AccountTokenRow; token: string }> {
  const { token, hash } = newLinkToken();
  const row: AccountTokenRow = {
    id: `i${randomBytes(10).toString("hex")}`,
    kind: "invite",
    token_hash: hash,
    user_id: inviterId,
    email,
    created_at: now,
    expires_at: now + INVITATION_TTL_MS,
    used_at: null,
    revoked_at: null,
  };
  await tokens.insert(row);
  return { row, token };
}

export const invitationPath = (token: string) => `/#/invite/${token}`;

/** Invitations by email for people without an account, and signing up (through one or not). */
export function createInvitationsService(deps: InvitationsDeps) {
  const { tokens, users, chats, now } = deps;
  const sent = new RateLimiter(deps.invitationsPerHour, 60 * 60 * 1000, now);

  return {
    /**
     * For an email that has an account this is `POST /api/chats` (same answers); otherwise a new
     * invitation is stored and mailed (one pending per inviter and email: a new one replaces it).
     */
    async invite(
      caller: UserRef & { email: string },
      email: string,
    ): Promise<{ chat: Chat; created: boolean } | { invitation: Invitation }> {
      try {
        return await chats.startDirect(caller, email);
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== "user_not_found") throw error;
      }
      const wait = sent.reserve(caller.id);
      if (wait > 0)
        throw new AppError("rate_limited", `Too many invitations. Try again in ${wait} s.`, undefined, wait);
      for (const pending of await tokens.pendingInvitations(caller.id, now()))
        if (pending.email === email) await tokens.revokeInvitation(pending.id, caller.id, now());
      const { row, token } = await storeInvitation(tokens, caller.id, email, now());
      const inviter = await users.findById(caller.id);
      try {
        await deps.mailer.send(
          invitationMail({
            to: email,
            locale: mailLocale(inviter?.locale),
            site: new URL(deps.mailer.link("/")).host,
            inviter: caller.username,
            url: deps.mailer.link(invitationPath(token)),
          }),
        );
      } catch {
        await tokens.revokeInvitation(row.id, caller.id, now());
        sent.release(caller.id);
        throw new AppError("unavailable", "The invitation mail could not be sent. Try again later.");
      }
      return { invitation: toInvitation(row) };
    },

    async list(userId: string): Promise<Invitation[]> {
      return (await tokens.pendingInvitations(userId, now())).map(toInvitation);
    },

    async revoke(userId: string, id: string): Promise<void> {
      if (!(await tokens.revokeInvitation(id, userId, now())))
        throw new AppError("not_found", "No such invitation.");
    },

    /**
     * Signs up. With an invitation the token is used up first (410 when it cannot be) and the new
     * account gets a direct chat with the inviter, and with everyone else who invited that email
     * (they get chat:new). With REGISTRATION=invite, no sign-up without one.
     */
    async register(
      input: { email: string; username: string; password: string; invitation?: string | undefined },
      ip: string,
      client: ClientInfo,
    ): Promise<SignedIn> {
      let claimed: AccountTokenRow | undefined;
      if (input.invitation !== undefined) {
        claimed = await tokens.claim("invite", hashLinkToken(input.invitation), now());
        if (!claimed) throw tokenInvalid();
      } else if (deps.registration === "invite") {
        throw new AppError("registration_closed", "Signing up on this server needs an invitation.");
      }
      let signedIn: SignedIn;
      try {
        signedIn = await deps.accounts.register(input, ip, client);
      } catch (error) {
        if (claimed) await tokens.unclaim(claimed.id);
        throw error;
      }
      if (claimed) {
        const inviters = new Set(await tokens.pendingInvitersOf(input.email, now()));
        if (claimed.user_id) inviters.add(claimed.user_id);
        await tokens.closePendingFor("invite", input.email, now());
        const me = { id: signedIn.user.id, username: signedIn.user.username };
        for (const inviterId of inviters) {
          const inviter = await users.findById(inviterId);
          // The inviter asked for this chat: on their side it is no message request.
          if (inviter && inviter.disabled_at === null)
            await chats.startDirect(me, inviter.email, { fromInvitation: true });
        }
      }
      return signedIn;
    },
  };
}
