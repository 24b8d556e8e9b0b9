import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { settingsPatchSchema, userReplySchema } from "../../protocol/index.js";
import type { AccountsService } from "../domain/accounts.service.js";
import { errorResponses } from "./schema.js";
import { authenticate, sessionOf } from "./session.js";

/** The caller's own account: settings (and, with later issues, blocks, sessions, export). */
export function registerMeRoutes(app: FastifyInstance, accounts: AccountsService): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.patch(
    "/api/me/settings",
    {
      schema: {
        summary: "Change privacy and notification settings (any subset); answers the whole record",
        tags: ["me"],
        security: [{ session: [] }],
        body: settingsPatchSchema,
        response: { 200: userReplySchema, ...errorResponses("invalid_input", "unauthorized") },
      },
      preValidation: authenticate(accounts),
    },
    async (request) => ({ user: await accounts.updateSettings(sessionOf(request).user, request.body) }),
  );
}
