import type { FastifyInstance } from "fastify";
import { insightsQuerySchema } from "../../protocol/index.js";
import type { AccountsService } from "../domain/accounts.service.js";
import type { InsightsService } from "../domain/insights.service.js";
import { requireSession } from "./session.js";
import { parse } from "./validate.js";

export function registerInsightsRoutes(
  app: FastifyInstance,
  accounts: AccountsService,
  insights: InsightsService,
): void {
  app.get("/api/insights", async (request) => {
    const { user } = await requireSession(request, accounts);
    const query = parse(insightsQuerySchema, request.query);
    return insights.forUser(user.id, query);
  });
}
