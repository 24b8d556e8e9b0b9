import type { FastifyInstance } from "fastify";
import {
  deleteMessageQuerySchema,
  editMessageBodySchema,
  messageParamsSchema,
  reactionParamsSchema,
} from "../../protocol/index.js";
import type { AccountsService } from "../domain/accounts.service.js";
import type { MessageActionsService } from "../domain/message-actions.service.js";
import { requireSession } from "./session.js";
import { parse } from "./validate.js";

export interface MessageActionRoutesDeps {
  accounts: AccountsService;
  actions: MessageActionsService;
}

/** Edit, delete (for me / for everyone) and react: `/api/chats/:id/messages/:messageId…`. */
export function registerMessageActionRoutes(
  app: FastifyInstance,
  { accounts, actions }: MessageActionRoutesDeps,
): void {
  app.patch("/api/chats/:id/messages/:messageId", async (request) => {
    const { user } = await requireSession(request, accounts);
    const { id, messageId } = parse(messageParamsSchema, request.params);
    const { body } = parse(editMessageBodySchema, request.body);
    return { message: await actions.edit(id, user.id, messageId, body) };
  });

  app.delete("/api/chats/:id/messages/:messageId", async (request, reply) => {
    const { user } = await requireSession(request, accounts);
    const { id, messageId } = parse(messageParamsSchema, request.params);
    const query = parse(deleteMessageQuerySchema, request.query);
    if (query.for === "me") await actions.hide(id, user.id, messageId);
    else await actions.deleteForEveryone(id, user.id, messageId);
    return reply.code(204).send();
  });

  app.put("/api/chats/:id/messages/:messageId/reactions/:emoji", async (request) => {
    const { user } = await requireSession(request, accounts);
    const { id, messageId, emoji } = parse(reactionParamsSchema, request.params);
    return { message: await actions.react(id, user.id, messageId, emoji) };
  });

  app.delete("/api/chats/:id/messages/:messageId/reactions/:emoji", async (request) => {
    const { user } = await requireSession(request, accounts);
    const { id, messageId, emoji } = parse(reactionParamsSchema, request.params);
    return { message: await actions.unreact(id, user.id, messageId, emoji) };
  });
}
