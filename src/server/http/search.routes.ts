import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { searchPageSchema, searchQuerySchema } from "../../protocol/index.js";
import type { AccountsService } from "../domain/accounts.service.js";
import type { SearchService } from "../domain/search.service.js";
import { errorResponses } from "./schema.js";
import { authenticate, sessionOf } from "./session.js";

export function registerSearchRoutes(
  app: FastifyInstance,
  accounts: AccountsService,
  search: SearchService,
): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/api/search",
    {
      schema: {
        summary: "Search the messages the caller can see (every word by prefix, ignoring case and accents)",
        tags: ["chats"],
        security: [{ session: [] }],
        querystring: searchQuerySchema,
        response: {
          200: searchPageSchema,
          ...errorResponses("invalid_input", "unauthorized", "not_found", "rate_limited"),
        },
      },
      preValidation: authenticate(accounts),
    },
    async (request) => search.search(sessionOf(request).user.id, request.query),
  );
}
