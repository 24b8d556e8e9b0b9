import type { FastifyInstance } from "fastify";
import { loginBodySchema, registerBodySchema } from "../../protocol/index.js";
import type { AccountsService } from "../domain/accounts.service.js";
import { clearSessionCookie, requireSession, SESSION_COOKIE, setSessionCookie } from "./session.js";
import { parse } from "./validate.js";

export function registerAuthRoutes(
  app: FastifyInstance,
  accounts: AccountsService,
  secureCookies: boolean,
): void {
  app.post("/api/auth/register", async (request, reply) => {
    const input = parse(registerBodySchema, request.body);
    const { user, token } = await accounts.register(input, request.ip);
    setSessionCookie(reply, token, secureCookies);
    return reply.code(201).send({ user });
  });

  app.post("/api/auth/login", async (request, reply) => {
    const input = parse(loginBodySchema, request.body);
    const { user, token } = await accounts.login(input, request.ip);
    setSessionCookie(reply, token, secureCookies);
    return { user };
  });

  app.post("/api/auth/logout", async (request, reply) => {
    const session = await accounts.authenticate(request.cookies[SESSION_COOKIE]);
    if (session) await accounts.logout(session.sessionId);
    clearSessionCookie(reply, secureCookies);
    return reply.code(204).send();
  });

  app.get("/api/me", async (request) => {
    const { user } = await requireSession(request, accounts);
    return { user };
  });
}
