import type { SessionInfo } from "../../protocol/index.js";
import type { Mailer } from "../mail/mailer.js";
import { passwordResetMail } from "../mail/mails.js";
import { mailLocale } from "../mail/texts/index.js";
import type { AccountTokensRepository } from "../storage/account-tokens.repository.js";
import type { SessionsRepository, SessionWithUser } from "../storage/sessions.repository.js";
import type { UsersRepository } from "../storage/users.repository.js";
import { AppError } from "./errors.js";
import type { Notifier } from "./notifier.js";
import { hashPassword, verifyPassword } from "./passwords.js";
import { RateLimiter } from "./rate-limiter.js";
import { hashLinkToken, newLinkToken, publicIdOf } from "./tokens.js";

const HOUR = 60 * 60 * 1000;
export const RESET_TTL_MS = HOUR;

export interface AccountSecurityDeps {
  users: UsersRepository;
  sessions: SessionsRepository;
  tokens: AccountTokensRepository;
  notifier: Pick<Notifier, "sessionRevoked">;
  mailer: Mailer;
  sessionSecret: string;
  now: () => number;
  /** Password-reset requests per email and per client IP per hour (0: no limit). */
  resetsPerHour: number;
  /** Wrong current passwords per user per 15 minutes before `rate_limited` (0: no limit). */
  passwordFailures: number;
  onBackgroundError: (error: unknown) => void;
}

export type AccountSecurityService = ReturnType<typeof createAccountSecurityService>;

/** Password reset and change, and the list of one's sessions. */
export function createAccountSecurityService(deps: AccountSecurityDeps) {
  const { users, sessions, tokens, now } = deps;
  const resetsByEmail = new RateLimiter(deps.resetsPerHour, HOUR, now);
  const resetsByIp = new RateLimiter(deps.resetsPerHour, HOUR, now);
  const wrongPasswords = new RateLimiter(deps.passwordFailures, 15 * 60 * 1000, now);
  const background = new Set<Promise<void>>();
  const sessionPublicId = (id: string) => publicIdOf(deps.sessionSecret, "session", id);

  /** Ends sessions everywhere: the cookies stop working and their sockets are disconnected. */
  async function endSessions(userId: string, keepId?: string): Promise<void> {
    for (const id of await sessions.deleteForUser(userId, keepId)) deps.notifier.sessionRevoked(id);
  }

  async function mailResetLink(email: string): Promise<void> {
    const row = await users.findByEmail(email);
    // No mail to an email without an account, nor to a disabled one.
    if (!row || row.disabled_at !== null) return;
    await tokens.closePendingFor("reset", email, now());
    const { token, hash } = newLinkToken();
    const createdAt = now();
    await tokens.insert({
      id: `r${hash.slice(0, 20)}`,
      kind: "reset",
      token_hash: hash,
      user_id: row.id,
      email,
      created_at: createdAt,
      expires_at: createdAt + RESET_TTL_MS,
      used_at: null,
      revoked_at: null,
    });
    const site = new URL(deps.mailer.link("/")).host;
    await deps.mailer.send(
      passwordResetMail({
        to: email,
        locale: mailLocale(row.locale),
        site,
        username: row.username,
        url: deps.mailer.link(`/#/reset/${token}`),
      }),
    );
  }

  return {
    /**
     * Answers at once, the same for every email: whether it has an account (a lookup, a token, a
     * mail) is decided after the answer, so neither the answer nor its timing tells.
     */
    requestPasswordReset(email: string, ip: string): void {
      const wait = Math.max(resetsByEmail.retryAfter(email), resetsByIp.retryAfter(ip));
      if (wait > 0)
        throw new AppError(
          "rate_limited",
          `Too many reset requests. Try again in ${wait} s.`,
          undefined,
          wait,
        );
      resetsByEmail.hit(email);
      resetsByIp.hit(ip);
      const task = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => mailResetLink(email))
        .catch(deps.onBackgroundError)
        .finally(() => background.delete(task));
      background.add(task);
    },

    /** Sets the new password and ends every session of the account. */
    async confirmPasswordReset(token: string, password: string): Promise<void> {
      const claimed = await tokens.claim("reset", hashLinkToken(token), now());
      if (!claimed?.user_id) throw tokenInvalid();
      await users.setPasswordHash(claimed.user_id, await hashPassword(password));
      await endSessions(claimed.user_id);
    },

    /** The caller's other sessions end; theirs stays. */
    async changePassword(
      session: SessionWithUser,
      currentPassword: string,
      newPassword: string,
    ): Promise<void> {
      const userId = session.user.id;
      const wait = wrongPasswords.retryAfter(userId);
      if (wait > 0)
        throw new AppError("rate_limited", `Too many attempts. Try again in ${wait} s.`, undefined, wait);
      wrongPasswords.hit(userId);
      const row = await users.findById(userId);
      if (!row || !(await verifyPassword(row.password_hash, currentPassword))) {
        throw new AppError("invalid_credentials", "The current password is wrong.", {
          currentPassword: "Wrong password.",
        });
      }
      wrongPasswords.release(userId);
      await users.setPasswordHash(userId, await hashPassword(newPassword));
      await tokens.closePendingFor("reset", row.email, now());
      await endSessions(userId, session.sessionId);
    },

    async listSessions(session: SessionWithUser): Promise<SessionInfo[]> {
      const rows = await sessions.listForUser(session.user.id, now());
      return rows.map((row) => ({
        id: sessionPublicId(row.id),
        createdAt: new Date(row.created_at).toISOString(),
        lastUsedAt: new Date(row.last_used_at ?? row.created_at).toISOString(),
        userAgent: row.user_agent,
        current: row.id === session.sessionId,
      }));
    },

    async endSession(session: SessionWithUser, publicId: string): Promise<void> {
      const rows = await sessions.listForUser(session.user.id, now());
      const row = rows.find((r) => sessionPublicId(r.id) === publicId);
      if (!row) throw new AppError("not_found", "No such session.");
      await sessions.delete(row.id);
      deps.notifier.sessionRevoked(row.id);
    },

    /** Waits for the mail work started by requests already answered. */
    async drain(): Promise<void> {
      await Promise.all([...background]);
    },
  };
}

export const tokenInvalid = () =>
  new AppError("token_invalid", "This link is used, expired or revoked. Ask for a new one.");
