import { Readable } from "node:stream";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { deleteAccountBodySchema } from "../../protocol/index.js";
import type { AccountDeletionService } from "../domain/account-deletion.service.js";
import type { AccountsService } from "../domain/accounts.service.js";
import type { ExportService } from "../export/export.service.js";
import { errorResponses, noContent } from "./schema.js";
import { authenticate, clearSessionCookie, sessionOf } from "./session.js";

export interface AccountDataDeps {
  accounts: AccountsService;
  exports: ExportService;
  deletion: AccountDeletionService;
  secureCookies: boolean;
}

const tags = ["me"];
const security = [{ session: [] }];

/** Taking one's data (GET /api/me/export) and leaving (DELETE /api/me). */
export function registerAccountDataRoutes(app: FastifyInstance, deps: AccountDataDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const preValidation = authenticate(deps.accounts);

  api.get(
    "/api/me/export",
    {
      schema: {
        summary:
          "Everything of the caller's as a streamed ZIP: account.json, chats.json, chats/<chatId>.json (every message they can see), index.html and the files",
        tags,
        security,
        response: {
          200: z.unknown().describe("application/zip (a streamed ZIP archive, not JSON)"),
          ...errorResponses("unauthorized"),
        },
      },
      preValidation,
    },
    async (request, reply) => {
      const { user } = sessionOf(request);
      const day = new Date().toISOString().slice(0, 10);
      const stream = Readable.from(deps.exports.archive(user));
      stream.on("error", (error) => request.log.error({ err: error }, "export failed"));
      return reply
        .type("application/zip")
        .header("cache-control", "no-store")
        .header("content-disposition", `attachment; filename="glasschat-${user.username}-${day}.zip"`)
        .send(stream);
    },
  );

  api.delete(
    "/api/me",
    {
      schema: {
        summary:
          'Delete the account (password to confirm; messages "keep" shows them from deleted-user, "erase" makes them tombstones); every session ends',
        tags,
        security,
        body: deleteAccountBodySchema,
        response: {
          204: noContent,
          ...errorResponses("invalid_input", "unauthorized", "invalid_credentials", "rate_limited"),
        },
      },
      preValidation,
    },
    async (request, reply) => {
      await deps.deletion.deleteAccount(sessionOf(request).user, request.body);
      clearSessionCookie(reply, deps.secureCookies);
      return reply.code(204).send();
    },
  );
}
