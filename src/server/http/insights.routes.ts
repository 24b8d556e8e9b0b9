import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { insightsQuerySchema, insightsSchema } from "../../protocol/index.js";
import type { AccountsService } from "../domain/accounts.service.js";
import type { InsightsService } from "../domain/insights.service.js";
import { errorResponses } from "./schema.js";
import { authenticate, sessionOf } from "./session.js";

export function registerInsightsRoutes(
  app: FastifyInstance,
  accounts: AccountsService,
  insights: InsightsService,
): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/api/insights",
    {
      schema: {
        summary: "Message statistics of the caller (local time in tz)",
        tags: ["insights"],
        security: [{ session: [] }],
        querystring: insightsQuerySchema,
        response: { 200: insightsSchema, ...errorResponses("invalid_input", "unauthorized", "not_found") },
      },
      preValidation: authenticate(accounts),
    },
    async (request) => insights.forUser(sessionOf(request).user.id, request.query),
  );
}
