import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import {
  deleteMessageQuerySchema,
  editMessageBodySchema,
  messageParamsSchema,
  messageReplySchema,
  reactionParamsSchema,
} from "../../protocol/index.js";
import type { AccountsService } from "../domain/accounts.service.js";
import type { MessageActionsService } from "../domain/message-actions.service.js";
import { errorResponses, noContent } from "./schema.js";
import { authenticate, sessionOf } from "./session.js";

export interface MessageActionRoutesDeps {
  accounts: AccountsService;
  actions: MessageActionsService;
}

const tags = ["messages"];
const security = [{ session: [] }];

/** Edit, delete (for me / for everyone) and react: `/api/chats/:id/messages/:messageId…`. */
export function registerMessageActionRoutes(
  app: FastifyInstance,
  { accounts, actions }: MessageActionRoutesDeps,
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const preValidation = authenticate(accounts);

  api.patch(
    "/api/chats/:id/messages/:messageId",
    {
      schema: {
        summary: "Edit the caller's own message (within MESSAGE_EDIT_WINDOW_S)",
        tags,
        security,
        params: messageParamsSchema,
        body: editMessageBodySchema,
        response: {
          200: messageReplySchema,
          ...errorResponses("invalid_input", "unauthorized", "forbidden", "not_found"),
        },
      },
      preValidation,
    },
    async (request) => ({
      message: await actions.edit(
        request.params.id,
        sessionOf(request).user.id,
        request.params.messageId,
        request.body.body,
      ),
    }),
  );

  api.delete(
    "/api/chats/:id/messages/:messageId",
    {
      schema: {
        summary:
          "Delete a message for the caller only (for=me) or as a tombstone for everyone (for=everyone)",
        tags,
        security,
        params: messageParamsSchema,
        querystring: deleteMessageQuerySchema,
        response: {
          204: noContent,
          ...errorResponses("invalid_input", "unauthorized", "forbidden", "not_found"),
        },
      },
      preValidation,
    },
    async (request, reply) => {
      const userId = sessionOf(request).user.id;
      const { id, messageId } = request.params;
      if (request.query.for === "me") await actions.hide(id, userId, messageId);
      else await actions.deleteForEveryone(id, userId, messageId);
      return reply.code(204).send();
    },
  );

  api.put(
    "/api/chats/:id/messages/:messageId/reactions/:emoji",
    {
      schema: {
        summary: "React with an emoji (idempotent; at most 20 distinct per message)",
        tags,
        security,
        params: reactionParamsSchema,
        response: {
          200: messageReplySchema,
          ...errorResponses("invalid_input", "unauthorized", "forbidden", "not_found"),
        },
      },
      preValidation,
    },
    async (request) => {
      const { id, messageId, emoji } = request.params;
      return { message: await actions.react(id, sessionOf(request).user.id, messageId, emoji) };
    },
  );

  api.delete(
    "/api/chats/:id/messages/:messageId/reactions/:emoji",
    {
      schema: {
        summary: "Take the caller's reaction back (also fine when there was none)",
        tags,
        security,
        params: reactionParamsSchema,
        response: {
          200: messageReplySchema,
          ...errorResponses("invalid_input", "unauthorized", "not_found"),
        },
      },
      preValidation,
    },
    async (request) => {
      const { id, messageId, emoji } = request.params;
      return { message: await actions.unreact(id, sessionOf(request).user.id, messageId, emoji) };
    },
  );
}
