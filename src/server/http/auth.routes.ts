import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { loginBodySchema, registerBodySchema, userReplySchema } from "../../protocol/index.js";
import type { AccountsService } from "../domain/accounts.service.js";
import type { InvitationsService } from "../domain/invitations.service.js";
import { clientInfo } from "./client-info.js";
import { errorResponses, noContent } from "./schema.js";
import { authenticate, clearSessionCookie, SESSION_COOKIE, sessionOf, setSessionCookie } from "./session.js";

export function registerAuthRoutes(
  app: FastifyInstance,
  accounts: AccountsService,
  secureCookies: boolean,
  signUp: InvitationsService["register"],
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    "/api/auth/register",
    {
      schema: {
        summary:
          "Create an account and sign in (sets the session cookie); with `invitation`, also the direct chat with the inviter",
        tags: ["auth"],
        body: registerBodySchema,
        response: {
          201: userReplySchema,
          ...errorResponses(
            "invalid_input",
            "email_taken",
            "username_taken",
            "rate_limited",
            "registration_closed",
            "token_invalid",
          ),
        },
      },
    },
    async (request, reply) => {
      const { user, token } = await signUp(
        request.body,
        request.ip,
        clientInfo(request, request.body.locale),
      );
      setSessionCookie(reply, token, secureCookies);
      return reply.code(201).send({ user });
    },
  );

  api.post(
    "/api/auth/login",
    {
      schema: {
        summary: "Sign in (sets the session cookie)",
        tags: ["auth"],
        body: loginBodySchema,
        response: {
          200: userReplySchema,
          ...errorResponses("invalid_input", "invalid_credentials", "rate_limited"),
        },
      },
    },
    async (request, reply) => {
      const { user, token } = await accounts.login(request.body, request.ip, clientInfo(request));
      setSessionCookie(reply, token, secureCookies);
      return reply.send({ user });
    },
  );

  api.post(
    "/api/auth/logout",
    {
      schema: {
        summary: "Sign out: revokes the session, clears the cookie, disconnects its sockets",
        tags: ["auth"],
        response: { 204: noContent },
      },
    },
    async (request, reply) => {
      const session = await accounts.authenticate(request.cookies[SESSION_COOKIE]);
      if (session) await accounts.logout(session.sessionId);
      clearSessionCookie(reply, secureCookies);
      return reply.code(204).send();
    },
  );

  api.get(
    "/api/me",
    {
      schema: {
        summary: "The signed-in user",
        tags: ["auth"],
        security: [{ session: [] }],
        response: { 200: userReplySchema, ...errorResponses("unauthorized") },
      },
      preValidation: authenticate(accounts),
    },
    async (request) => ({ user: sessionOf(request).user }),
  );
}
