import type { FastifyInstance } from "fastify";
import {
  addMemberBodySchema,
  changeRoleBodySchema,
  chatParamsSchema,
  memberParamsSchema,
  renameGroupBodySchema,
} from "../../protocol/index.js";
import type { AccountsService } from "../domain/accounts.service.js";
import type { GroupsService } from "../domain/groups.service.js";
import { requireSession } from "./session.js";
import { parse } from "./validate.js";

export interface GroupRoutesDeps {
  accounts: AccountsService;
  groups: GroupsService;
}

/** Group management; creating a group is `POST /api/chats` (chats.routes.ts). */
export function registerGroupRoutes(app: FastifyInstance, { accounts, groups }: GroupRoutesDeps): void {
  app.patch("/api/chats/:id", async (request) => {
    const { user } = await requireSession(request, accounts);
    const { id } = parse(chatParamsSchema, request.params);
    const { title } = parse(renameGroupBodySchema, request.body);
    return { chat: await groups.rename(user, id, title) };
  });

  app.post("/api/chats/:id/members", async (request) => {
    const { user } = await requireSession(request, accounts);
    const { id } = parse(chatParamsSchema, request.params);
    const { email } = parse(addMemberBodySchema, request.body);
    return { chat: await groups.addMember(user, id, email) };
  });

  app.patch("/api/chats/:id/members/:userId", async (request) => {
    const { user } = await requireSession(request, accounts);
    const { id, userId } = parse(memberParamsSchema, request.params);
    const { role } = parse(changeRoleBodySchema, request.body);
    return { chat: await groups.setRole(user, id, userId, role) };
  });

  app.delete("/api/chats/:id/members/:userId", async (request, reply) => {
    const { user } = await requireSession(request, accounts);
    const { id, userId } = parse(memberParamsSchema, request.params);
    await groups.removeMember(user, id, userId);
    return reply.code(204).send();
  });
}
