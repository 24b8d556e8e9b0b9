import { createHmac, randomBytes } from "node:crypto";
import { DEFAULT_SETTINGS, type SettingsPatch, type User, type UserSettings } from "../../protocol/index.js";
import { isUniqueViolation, violatedColumn } from "../storage/dialects/errors.js";
import type { SessionsRepository, SessionWithUser } from "../storage/sessions.repository.js";
import { settingsOf, type UsersRepository } from "../storage/users.repository.js";
import { AppError } from "./errors.js";
import { newId } from "./ids.js";
import { KnownClients } from "./known-clients.js";
import type { Notifier } from "./notifier.js";
import { hashPassword, verifyPassword } from "./passwords.js";
import { RateLimiter } from "./rate-limiter.js";

const DAY = 24 * 60 * 60 * 1000;
export const SESSION_TTL_MS = 30 * DAY;
const FIFTEEN_MINUTES = 15 * 60 * 1000;
const HOUR = 60 * 60 * 1000;
/** A session's "last used" is written at most this often, not on every request. */
const TOUCH_EVERY_MS = 5 * 60 * 1000;

/** What the request says about the client: kept with the session and (locale) the account. */
export interface ClientInfo {
  userAgent?: string | undefined;
  /** "en" or "de", for mail to this user. */
  locale?: string | undefined;
}

export interface AccountsDeps {
  users: UsersRepository;
  sessions: SessionsRepository;
  notifier: Notifier;
  sessionSecret: string;
  now: () => number;
  /** After a settings change is stored: the realtime side honours it at once (signals.service). */
  onSettingsChanged?: (userId: string, patch: SettingsPatch, settings: UserSettings) => Promise<void>;
  limits: {
    registerPerHour: number;
    /** Failed logins per (account, client IP) per 15 minutes. */
    loginFailuresPerAccountIp: number;
    loginFailuresPerIp: number;
    /** Failed logins per account per hour from clients that never signed in to it. */
    loginFailuresPerAccount: number;
  };
}

export interface SignedIn {
  user: User;
  /** The cookie value; only its HMAC is stored. */
  token: string;
}

export type AccountsService = ReturnType<typeof createAccountsService>;

export function createAccountsService(deps: AccountsDeps) {
  const { users, sessions, now } = deps;
  const registrations = new RateLimiter(deps.limits.registerPerHour, 60 * 60 * 1000, now);
  // A password guess is counted three ways: against this account from this address (the lockout
  // people notice), against the address for every account, and against the account from anywhere
  // but the addresses its owner signed in from (so many addresses together cannot guess freely,
  // yet cannot lock the owner out either).
  const pairFailures = new RateLimiter(deps.limits.loginFailuresPerAccountIp, FIFTEEN_MINUTES, now);
  const ipFailures = new RateLimiter(deps.limits.loginFailuresPerIp, FIFTEEN_MINUTES, now);
  const accountFailures = new RateLimiter(deps.limits.loginFailuresPerAccount, HOUR, now);
  const knownClients = new KnownClients(30 * DAY, 16, now);

  const sessionIdOf = (token: string) => createHmac("sha256", deps.sessionSecret).update(token).digest("hex");

  async function startSession(user: User, client: ClientInfo): Promise<SignedIn> {
    const token = randomBytes(32).toString("base64url");
    const createdAt = now();
    await sessions.insert({
      id: sessionIdOf(token),
      user_id: user.id,
      created_at: createdAt,
      expires_at: createdAt + SESSION_TTL_MS,
      last_used_at: createdAt,
      user_agent: client.userAgent?.slice(0, 512) ?? null,
    });
    return { user, token };
  }

  function refuseIfLimited(...waits: number[]): void {
    const wait = Math.max(...waits);
    if (wait > 0)
      throw new AppError("rate_limited", `Too many attempts. Try again in ${wait} s.`, undefined, wait);
  }

  return {
    /** Input is already validated and normalised (trimmed, lower-cased email and username). */
    async register(
      input: { email: string; username: string; password: string },
      ip: string,
      client: ClientInfo = {},
    ): Promise<SignedIn> {
      refuseIfLimited(registrations.hit(ip));
      if (await users.findByEmail(input.email)) throw emailTaken();
      if (await users.usernameTaken(input.username)) throw usernameTaken();
      const user = {
        id: newId("u"),
        username: input.username,
        email: input.email,
        settings: DEFAULT_SETTINGS,
      };
      try {
        await users.insert({
          id: user.id,
          username: user.username,
          email: user.email,
          password_hash: await hashPassword(input.password),
          created_at: now(),
          locale: client.locale ?? null,
        });
      } catch (error) {
        // Two sign-ups racing for the same email or name: the database's unique index decides.
        if (!isUniqueViolation(error)) throw error;
        throw violatedColumn(error) === "username" ? usernameTaken() : emailTaken();
      }
      knownClients.remember(user.email, ip);
      return startSession(user, client);
    },

    async login(
      input: { email: string; password: string },
      ip: string,
      client: ClientInfo = {},
    ): Promise<SignedIn> {
      const pair = `${input.email} ${ip}`;
      const known = knownClients.has(input.email, ip);
      refuseIfLimited(
        pairFailures.retryAfter(pair),
        ipFailures.retryAfter(ip),
        known ? 0 : accountFailures.retryAfter(input.email),
      );
      // Counted as a failure before the password is checked, with no await in between, so that
      // parallel attempts cannot all pass the check; given back below when the password is right.
      pairFailures.hit(pair);
      ipFailures.hit(ip);
      if (!known) accountFailures.hit(input.email);
      const giveBack = () => {
        pairFailures.release(pair);
        ipFailures.release(ip);
        if (!known) accountFailures.release(input.email);
      };
      const row = await users.findByEmail(input.email).catch((error: unknown) => {
        giveBack();
        throw error;
      });
      if (!(await verifyPassword(row?.password_hash, input.password)) || !row) {
        throw new AppError("invalid_credentials", "Wrong email or password.");
      }
      giveBack();
      if (row.disabled_at !== null) throw new AppError("invalid_credentials", "This account is disabled.");
      pairFailures.reset(pair);
      knownClients.remember(input.email, ip);
      return startSession(
        {
          id: row.id,
          username: row.username,
          email: row.email,
          settings: settingsOf(row),
        },
        client,
      );
    },

    /** The signed-in session behind a cookie token, sliding its expiry forward when half used. */
    async authenticate(token: string | undefined): Promise<SessionWithUser | undefined> {
      if (!token || token.length > 128) return undefined;
      const session = await sessions.findValid(sessionIdOf(token), now());
      if (session && session.expiresAt - now() < SESSION_TTL_MS / 2) {
        session.expiresAt = now() + SESSION_TTL_MS;
        await sessions.extend(session.sessionId, session.expiresAt);
      }
      if (session && now() - (session.lastUsedAt ?? 0) >= TOUCH_EVERY_MS) {
        session.lastUsedAt = now();
        await sessions.touch(session.sessionId, session.lastUsedAt);
      }
      return session;
    },

    /** Changes the caller's settings; answers their whole record. */
    async updateSettings(user: User, patch: SettingsPatch): Promise<User> {
      const settings = await users.updateSettings(user.id, patch);
      await deps.onSettingsChanged?.(user.id, patch, settings);
      return { ...user, settings };
    },

    /** Revokes the session everywhere: the cookie stops working and its sockets are closed. */
    async logout(sessionId: string): Promise<void> {
      await sessions.delete(sessionId);
      deps.notifier.sessionRevoked(sessionId);
    },

    async purgeExpiredSessions(): Promise<void> {
      await sessions.deleteExpired(now());
    },
  };
}

const emailTaken = () =>
  new AppError("email_taken", "An account with this email already exists.", { email: "Already registered." });
const usernameTaken = () =>
  new AppError("username_taken", "This username is taken.", { username: "Already taken." });
