import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import {
  changePasswordBodySchema,
  passwordResetBodySchema,
  passwordResetConfirmBodySchema,
  sessionListSchema,
  sessionParamsSchema,
  unsubscribeBodySchema,
} from "../../protocol/index.js";
import type { AccountSecurityService } from "../domain/account-security.service.js";
import type { AccountsService } from "../domain/accounts.service.js";
import { UNSUBSCRIBE_PURPOSE } from "../domain/email-notifications.js";
import { AppError } from "../domain/errors.js";
import { verifySubject } from "../domain/tokens.js";
import { errorResponses, noContent } from "./schema.js";
import { authenticate, sessionOf } from "./session.js";

export interface AccountRoutesDeps {
  accounts: AccountsService;
  security: AccountSecurityService;
  sessionSecret: string;
  /** Turns the unread-messages mail off for a user. */
  unsubscribe: (userId: string) => Promise<void>;
}

/** Password reset and change, the caller's sessions, and the unsubscribe link of notification mail. */
export function registerAccountRoutes(app: FastifyInstance, deps: AccountRoutesDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { accounts, security } = deps;
  const signedIn = { security: [{ session: [] }], tags: ["me"] };

  api.post(
    "/api/auth/password-reset",
    {
      schema: {
        summary: "Mail a password-reset link (the same answer whether or not the email has an account)",
        tags: ["auth"],
        body: passwordResetBodySchema,
        response: { 202: noContent, ...errorResponses("invalid_input", "rate_limited") },
      },
    },
    async (request, reply) => {
      security.requestPasswordReset(request.body.email, request.ip);
      return reply.code(202).send();
    },
  );

  api.post(
    "/api/auth/password-reset/confirm",
    {
      schema: {
        summary: "Set a new password with a reset link's token; every session of the account ends",
        tags: ["auth"],
        body: passwordResetConfirmBodySchema,
        response: { 204: noContent, ...errorResponses("invalid_input", "token_invalid") },
      },
    },
    async (request, reply) => {
      await security.confirmPasswordReset(request.body.token, request.body.password);
      return reply.code(204).send();
    },
  );

  api.post(
    "/api/auth/password",
    {
      schema: {
        summary: "Change the password; the caller's other sessions end",
        ...signedIn,
        tags: ["auth"],
        body: changePasswordBodySchema,
        response: {
          204: noContent,
          ...errorResponses("invalid_input", "unauthorized", "invalid_credentials", "rate_limited"),
        },
      },
      preValidation: authenticate(accounts),
    },
    async (request, reply) => {
      const { currentPassword, newPassword } = request.body;
      await security.changePassword(sessionOf(request), currentPassword, newPassword);
      return reply.code(204).send();
    },
  );

  api.get(
    "/api/me/sessions",
    {
      schema: {
        summary: "The caller's signed-in sessions, newest first",
        ...signedIn,
        response: { 200: sessionListSchema, ...errorResponses("unauthorized") },
      },
      preValidation: authenticate(accounts),
    },
    async (request) => ({ sessions: await security.listSessions(sessionOf(request)) }),
  );

  api.delete(
    "/api/me/sessions/:id",
    {
      schema: {
        summary: "End one of the caller's sessions (its sockets are disconnected)",
        ...signedIn,
        params: sessionParamsSchema,
        response: { 204: noContent, ...errorResponses("unauthorized", "not_found") },
      },
      preValidation: authenticate(accounts),
    },
    async (request, reply) => {
      await security.endSession(sessionOf(request), request.params.id);
      return reply.code(204).send();
    },
  );

  api.post(
    "/api/email/unsubscribe",
    {
      schema: {
        summary: "Turn off unread-messages mail with the signed token of its link (no sign-in needed)",
        tags: ["me"],
        body: unsubscribeBodySchema,
        response: { 204: noContent, ...errorResponses("invalid_input", "token_invalid") },
      },
    },
    async (request, reply) => {
      const userId = verifySubject(deps.sessionSecret, UNSUBSCRIBE_PURPOSE, request.body.token);
      if (!userId) throw new AppError("token_invalid", "This unsubscribe link is not valid.");
      await deps.unsubscribe(userId);
      return reply.code(204).send();
    },
  );
}
