import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import {
  chatReplySchema,
  createInvitationBodySchema,
  invitationListSchema,
  invitationOrChatReplySchema,
  invitationParamsSchema,
} from "../../protocol/index.js";
import type { AccountsService } from "../domain/accounts.service.js";
import type { InvitationsService } from "../domain/invitations.service.js";
import { errorResponses, noContent } from "./schema.js";
import { authenticate, sessionOf } from "./session.js";

export function registerInvitationRoutes(
  app: FastifyInstance,
  accounts: AccountsService,
  invitations: InvitationsService,
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const common = { tags: ["invitations"], security: [{ session: [] }] };

  api.post(
    "/api/invitations",
    {
      schema: {
        summary:
          "Invite an email without an account (mails a 7-day sign-up link); for an email with an account, answers like POST /api/chats",
        ...common,
        body: createInvitationBodySchema,
        response: {
          201: invitationOrChatReplySchema,
          200: chatReplySchema,
          ...errorResponses("invalid_input", "unauthorized", "rate_limited", "unavailable"),
        },
      },
      preValidation: authenticate(accounts),
    },
    async (request, reply) => {
      const { user } = sessionOf(request);
      const result = await invitations.invite(user, request.body.email);
      if ("invitation" in result) return reply.code(201).send({ invitation: result.invitation });
      return reply.code(result.created ? 201 : 200).send({ chat: result.chat });
    },
  );

  api.get(
    "/api/invitations",
    {
      schema: {
        summary: "The caller's pending invitations, newest first",
        ...common,
        response: { 200: invitationListSchema, ...errorResponses("unauthorized") },
      },
      preValidation: authenticate(accounts),
    },
    async (request) => ({ invitations: await invitations.list(sessionOf(request).user.id) }),
  );

  api.delete(
    "/api/invitations/:id",
    {
      schema: {
        summary: "Revoke a pending invitation (its link answers 410 from then on)",
        ...common,
        params: invitationParamsSchema,
        response: { 204: noContent, ...errorResponses("unauthorized", "not_found") },
      },
      preValidation: authenticate(accounts),
    },
    async (request, reply) => {
      await invitations.revoke(sessionOf(request).user.id, request.params.id);
      return reply.code(204).send();
    },
  );
}
