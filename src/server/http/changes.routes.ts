import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { changesPageSchema, changesQuerySchema, chatParamsSchema } from "../../protocol/index.js";
import type { AccountsService } from "../domain/accounts.service.js";
import type { ChangesService } from "../domain/changes.service.js";
import { errorResponses } from "./schema.js";
import { authenticate, sessionOf } from "./session.js";

/** `GET /api/chats/:id/changes?cursor=&limit=`: resume after any outage. */
export function registerChangesRoutes(
  app: FastifyInstance,
  { accounts, changes }: { accounts: AccountsService; changes: ChangesService },
): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/api/chats/:id/changes",
    {
      schema: {
        summary:
          "Everything of a chat created or changed since a cursor (current state, tombstones included) and the ids the caller must drop",
        tags: ["chats"],
        security: [{ session: [] }],
        params: chatParamsSchema,
        querystring: changesQuerySchema,
        response: { 200: changesPageSchema, ...errorResponses("invalid_input", "unauthorized", "not_found") },
      },
      preValidation: authenticate(accounts),
    },
    async (request) => changes.since(request.params.id, sessionOf(request).user.id, request.query),
  );
}
