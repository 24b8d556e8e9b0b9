import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import {
  addMemberBodySchema,
  changeRoleBodySchema,
  chatParamsSchema,
  chatReplySchema,
  memberParamsSchema,
  renameGroupBodySchema,
} from "../../protocol/index.js";
import type { AccountsService } from "../domain/accounts.service.js";
import type { GroupsService } from "../domain/groups.service.js";
import { errorResponses, noContent } from "./schema.js";
import { authenticate, sessionOf } from "./session.js";

export interface GroupRoutesDeps {
  accounts: AccountsService;
  groups: GroupsService;
}

const tags = ["groups"];
const security = [{ session: [] }];

/** Group management; creating a group is `POST /api/chats` (chats.routes.ts). */
export function registerGroupRoutes(app: FastifyInstance, { accounts, groups }: GroupRoutesDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const preValidation = authenticate(accounts);

  api.patch(
    "/api/chats/:id",
    {
      schema: {
        summary: "Rename a group (owner and admins)",
        tags,
        security,
        params: chatParamsSchema,
        body: renameGroupBodySchema,
        response: {
          200: chatReplySchema,
          ...errorResponses("invalid_input", "unauthorized", "forbidden", "not_found"),
        },
      },
      preValidation,
    },
    async (request) => ({
      chat: await groups.rename(sessionOf(request).user, request.params.id, request.body.title),
    }),
  );

  api.post(
    "/api/chats/:id/members",
    {
      schema: {
        summary: "Add someone to a group by email (owner and admins)",
        tags,
        security,
        params: chatParamsSchema,
        body: addMemberBodySchema,
        response: {
          200: chatReplySchema,
          ...errorResponses(
            "invalid_input",
            "unauthorized",
            "forbidden",
            "not_found",
            "user_not_found",
            "rate_limited",
          ),
        },
      },
      preValidation,
    },
    async (request) => ({
      chat: await groups.addMember(sessionOf(request).user, request.params.id, request.body.email),
    }),
  );

  api.patch(
    "/api/chats/:id/members/:userId",
    {
      schema: {
        summary: "Make a member an admin or a plain member (the owner only)",
        tags,
        security,
        params: memberParamsSchema,
        body: changeRoleBodySchema,
        response: {
          200: chatReplySchema,
          ...errorResponses("invalid_input", "unauthorized", "forbidden", "not_found"),
        },
      },
      preValidation,
    },
    async (request) => ({
      chat: await groups.setRole(
        sessionOf(request).user,
        request.params.id,
        request.params.userId,
        request.body.role,
      ),
    }),
  );

  api.delete(
    "/api/chats/:id/members/:userId",
    {
      schema: {
        summary: "Remove a member (owner and admins), or leave (your own id)",
        tags,
        security,
        params: memberParamsSchema,
        response: { 204: noContent, ...errorResponses("unauthorized", "forbidden", "not_found") },
      },
      preValidation,
    },
    async (request, reply) => {
      await groups.removeMember(sessionOf(request).user, request.params.id, request.params.userId);
      return reply.code(204).send();
    },
  );
}
