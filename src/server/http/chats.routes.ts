import type { FastifyInstance } from "fastify";
import {
  chatParamsSchema,
  clearChatBodySchema,
  createChatBodySchema,
  createGroupBodySchema,
  markReadBodySchema,
  messagesQuerySchema,
} from "../../protocol/index.js";
import type { AccountsService } from "../domain/accounts.service.js";
import type { ChatsService } from "../domain/chats.service.js";
import type { GroupsService } from "../domain/groups.service.js";
import type { MessagesService } from "../domain/messages.service.js";
import { requireSession } from "./session.js";
import { parse } from "./validate.js";

export interface ChatRoutesDeps {
  accounts: AccountsService;
  chats: ChatsService;
  messages: MessagesService;
  groups: GroupsService;
}

/** `POST /api/chats` makes a group for `{kind: "group", …}`, else a direct chat (v1's `{email}`). */
const isGroupRequest = (body: unknown) =>
  typeof body === "object" && body !== null && (body as { kind?: unknown }).kind === "group";

export function registerChatRoutes(
  app: FastifyInstance,
  { accounts, chats, messages, groups }: ChatRoutesDeps,
): void {
  app.get("/api/chats", async (request) => {
    const { user } = await requireSession(request, accounts);
    return { chats: await chats.list(user.id) };
  });

  app.post("/api/chats", async (request, reply) => {
    const { user } = await requireSession(request, accounts);
    if (isGroupRequest(request.body)) {
      const { title, emails } = parse(createGroupBodySchema, request.body);
      return reply.code(201).send({ chat: await groups.create(user, title, emails) });
    }
    const { email } = parse(createChatBodySchema, request.body);
    const { chat, created } = await chats.startDirect(user, email);
    return reply.code(created ? 201 : 200).send({ chat });
  });

  app.delete("/api/chats/:id", async (request, reply) => {
    const { user } = await requireSession(request, accounts);
    const { id } = parse(chatParamsSchema, request.params);
    await chats.remove(id, user.id);
    return reply.code(204).send();
  });

  app.post("/api/chats/:id/clear", async (request, reply) => {
    const { user } = await requireSession(request, accounts);
    const { id } = parse(chatParamsSchema, request.params);
    const { forEveryone } = parse(clearChatBodySchema, request.body ?? {});
    await chats.clear(id, user.id, forEveryone === true);
    return reply.code(204).send();
  });

  app.get("/api/chats/:id/messages", async (request) => {
    const { user } = await requireSession(request, accounts);
    const { id } = parse(chatParamsSchema, request.params);
    const query = parse(messagesQuerySchema, request.query);
    return messages.history(id, user.id, query);
  });

  app.post("/api/chats/:id/read", async (request, reply) => {
    const { user } = await requireSession(request, accounts);
    const { id } = parse(chatParamsSchema, request.params);
    const { seq } = parse(markReadBodySchema, request.body);
    await messages.markRead(id, user.id, seq);
    return reply.code(204).send();
  });
}
