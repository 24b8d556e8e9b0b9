import type { FastifyInstance } from "fastify";
import { changesQuerySchema, chatParamsSchema } from "../../protocol/index.js";
import type { AccountsService } from "../domain/accounts.service.js";
import type { ChangesService } from "../domain/changes.service.js";
import { requireSession } from "./session.js";
import { parse } from "./validate.js";

/** `GET /api/chats/:id/changes?cursor=&limit=`: resume after any outage. */
export function registerChangesRoutes(
  app: FastifyInstance,
  { accounts, changes }: { accounts: AccountsService; changes: ChangesService },
): void {
  app.get("/api/chats/:id/changes", async (request) => {
    const { user } = await requireSession(request, accounts);
    const { id } = parse(chatParamsSchema, request.params);
    const query = parse(changesQuerySchema, request.query);
    return changes.since(id, user.id, query);
  });
}
