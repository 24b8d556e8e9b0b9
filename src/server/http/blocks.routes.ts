import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { blockedUsersSchema, blockParamsSchema } from "../../protocol/index.js";
import type { AccountsService } from "../domain/accounts.service.js";
import type { ReachService } from "../domain/reach.service.js";
import { errorResponses, noContent } from "./schema.js";
import { authenticate, sessionOf } from "./session.js";

export interface BlockRoutesDeps {
  accounts: AccountsService;
  reach: ReachService;
}

const tags = ["me"];
const security = [{ session: [] }];

/** The caller's blocks (domain/reach.service.ts has the rule). The blocked user is never told. */
export function registerBlockRoutes(app: FastifyInstance, { accounts, reach }: BlockRoutesDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const preValidation = authenticate(accounts);
  const errors = errorResponses("invalid_input", "unauthorized", "user_not_found");

  api.get(
    "/api/me/blocks",
    {
      schema: {
        summary: "The people the caller blocks",
        tags,
        security,
        response: { 200: blockedUsersSchema, ...errorResponses("unauthorized") },
      },
      preValidation,
    },
    async (request) => ({ users: await reach.blockedBy(sessionOf(request).user.id) }),
  );

  api.put(
    "/api/me/blocks/:userId",
    {
      schema: {
        summary: "Block a user (idempotent): their messages and signals no longer reach the caller",
        tags,
        security,
        params: blockParamsSchema,
        response: { 204: noContent, ...errors },
      },
      preValidation,
    },
    async (request, reply) => {
      await reach.block(sessionOf(request).user.id, request.params.userId);
      return reply.code(204).send();
    },
  );

  api.delete(
    "/api/me/blocks/:userId",
    {
      schema: {
        summary: "Unblock a user (idempotent): live delivery resumes; what came meanwhile stays hidden",
        tags,
        security,
        params: blockParamsSchema,
        response: { 204: noContent, ...errors },
      },
      preValidation,
    },
    async (request, reply) => {
      await reach.unblock(sessionOf(request).user.id, request.params.userId);
      return reply.code(204).send();
    },
  );
}
