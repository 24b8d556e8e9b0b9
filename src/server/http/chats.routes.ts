import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import {
  chatListSchema,
  chatParamsSchema,
  chatReplySchema,
  clearChatBodySchema,
  markReadBodySchema,
  messagePageSchema,
  messagesQuerySchema,
  startChatBodySchema,
} from "../../protocol/index.js";
import type { AccountsService } from "../domain/accounts.service.js";
import type { ChatsService } from "../domain/chats.service.js";
import type { GroupsService } from "../domain/groups.service.js";
import type { MessagesService } from "../domain/messages.service.js";
import type { SearchService } from "../domain/search.service.js";
import { errorResponses, noContent } from "./schema.js";
import { authenticate, sessionOf } from "./session.js";

export interface ChatRoutesDeps {
  accounts: AccountsService;
  chats: ChatsService;
  messages: MessagesService;
  groups: GroupsService;
  /** `around=` pages (date jumps, opening a search result). */
  search: SearchService;
}

const tags = ["chats"];
const security = [{ session: [] }];

export function registerChatRoutes(
  app: FastifyInstance,
  { accounts, chats, messages, groups, search }: ChatRoutesDeps,
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const preValidation = authenticate(accounts);

  api.get(
    "/api/chats",
    {
      schema: {
        summary: "The caller's chats, most recent activity first",
        tags,
        security,
        response: { 200: chatListSchema, ...errorResponses("unauthorized") },
      },
      preValidation,
    },
    async (request) => ({ chats: await chats.list(sessionOf(request).user.id) }),
  );

  api.post(
    "/api/chats",
    {
      schema: {
        summary:
          'Start a direct chat with the owner of an email (200 when the two already share one), or a group with {kind: "group", title, emails}',
        tags,
        security,
        body: startChatBodySchema,
        response: {
          200: chatReplySchema.describe("The direct chat the two already share"),
          201: chatReplySchema.describe("A new chat"),
          ...errorResponses("invalid_input", "unauthorized", "user_not_found", "rate_limited"),
        },
      },
      preValidation,
    },
    async (request, reply) => {
      const caller = sessionOf(request).user;
      const body = request.body;
      if ("kind" in body) {
        return reply.code(201).send({ chat: await groups.create(caller, body.title, body.emails) });
      }
      const { chat, created } = await chats.startDirect(caller, body.email);
      return reply.code(created ? 201 : 200).send({ chat });
    },
  );

  api.delete(
    "/api/chats/:id",
    {
      schema: {
        summary: "Remove a chat from the caller's list (it comes back with a new message)",
        tags,
        security,
        params: chatParamsSchema,
        response: { 204: noContent, ...errorResponses("unauthorized", "not_found") },
      },
      preValidation,
    },
    async (request, reply) => {
      await chats.remove(request.params.id, sessionOf(request).user.id);
      return reply.code(204).send();
    },
  );

  api.post(
    "/api/chats/:id/accept",
    {
      schema: {
        summary:
          "Accept a message request (a no-op for any other chat); answers the chat as the caller sees it",
        tags,
        security,
        params: chatParamsSchema,
        response: { 200: chatReplySchema, ...errorResponses("unauthorized", "not_found") },
      },
      preValidation,
    },
    async (request) => ({ chat: await chats.accept(request.params.id, sessionOf(request).user.id) }),
  );

  api.post(
    "/api/chats/:id/clear",
    {
      schema: {
        summary: "Clear the history for the caller, or for every member",
        tags,
        security,
        params: chatParamsSchema,
        body: clearChatBodySchema,
        response: {
          204: noContent,
          ...errorResponses("invalid_input", "unauthorized", "forbidden", "not_found"),
        },
      },
      preValidation,
    },
    async (request, reply) => {
      await chats.clear(request.params.id, sessionOf(request).user.id, request.body.forEveryone === true);
      return reply.code(204).send();
    },
  );

  api.get(
    "/api/chats/:id/messages",
    {
      schema: {
        summary:
          "A page of a chat's history in send order (the newest page, before= or after= a message, around= a message or date)",
        tags,
        security,
        params: chatParamsSchema,
        querystring: messagesQuerySchema,
        response: { 200: messagePageSchema, ...errorResponses("invalid_input", "unauthorized", "not_found") },
      },
      preValidation,
    },
    async (request) => {
      const { around, ...query } = request.query;
      const userId = sessionOf(request).user.id;
      if (around !== undefined) return search.around(request.params.id, userId, around, query.limit);
      return messages.history(request.params.id, userId, query);
    },
  );

  api.post(
    "/api/chats/:id/read",
    {
      schema: {
        summary: "Mark the caller's messages up to seq read",
        tags,
        security,
        params: chatParamsSchema,
        body: markReadBodySchema,
        response: { 204: noContent, ...errorResponses("invalid_input", "unauthorized", "not_found") },
      },
      preValidation,
    },
    async (request, reply) => {
      await messages.markRead(request.params.id, sessionOf(request).user.id, request.body.seq);
      return reply.code(204).send();
    },
  );
}
