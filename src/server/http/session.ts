import type {} from "@fastify/cookie";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { AccountsService } from "../domain/accounts.service.js";
import { SESSION_TTL_MS } from "../domain/accounts.service.js";
import { AppError } from "../domain/errors.js";
import type { SessionWithUser } from "../storage/sessions.repository.js";

export const SESSION_COOKIE = "glasschat_session";

export function setSessionCookie(reply: FastifyReply, token: string, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure,
    path: "/",
    maxAge: SESSION_TTL_MS / 1000,
  });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: "lax", secure, path: "/" });
}

/** The caller's session, or 401 `unauthorized`. */
export async function requireSession(
  request: FastifyRequest,
  accounts: AccountsService,
): Promise<SessionWithUser> {
  const session = await accounts.authenticate(request.cookies[SESSION_COOKIE]);
  if (!session) throw new AppError("unauthorized", "Sign in first.");
  return session;
}

const sessions = new WeakMap<FastifyRequest, SessionWithUser>();

/**
 * A route's `preValidation` hook: 401 `unauthorized` before the request's input is looked at.
 * The handler then reads the session with `sessionOf(request)`.
 */
export function authenticate(accounts: AccountsService): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    sessions.set(request, await requireSession(request, accounts));
  };
}

/** The session `authenticate` found for this request. */
export function sessionOf(request: FastifyRequest): SessionWithUser {
  const session = sessions.get(request);
  if (!session) throw new Error(`${request.routeOptions.url} has no authenticate hook`);
  return session;
}
