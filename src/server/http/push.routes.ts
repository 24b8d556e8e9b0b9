import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import {
  pushKeyReplySchema,
  pushSubscriptionBodySchema,
  pushUnsubscribeBodySchema,
} from "../../protocol/index.js";
import type { AccountsService } from "../domain/accounts.service.js";
import type { PushService } from "../push/push.service.js";
import { errorResponses, noContent } from "./schema.js";
import { authenticate, sessionOf } from "./session.js";

const tags = ["push"];
const security = [{ session: [] }];

/** Web Push: the server's VAPID key and this browser's subscription (owned by the session). */
export function registerPushRoutes(app: FastifyInstance, accounts: AccountsService, push: PushService): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const preValidation = authenticate(accounts);

  api.get(
    "/api/push/key",
    {
      schema: {
        summary: "The VAPID public key to subscribe with (applicationServerKey)",
        tags,
        security,
        response: { 200: pushKeyReplySchema, ...errorResponses("unauthorized") },
      },
      preValidation,
    },
    async () => ({ publicKey: push.publicKey() }),
  );

  api.post(
    "/api/push/subscriptions",
    {
      schema: {
        summary: "Push new messages to this browser (PushSubscription.toJSON()); ends with the session",
        tags,
        security,
        body: pushSubscriptionBodySchema,
        response: { 201: noContent, ...errorResponses("invalid_input", "unauthorized") },
      },
      preValidation,
    },
    async (request, reply) => {
      const { user, sessionId } = sessionOf(request);
      await push.subscribe(user.id, sessionId, request.body);
      return reply.code(201).send();
    },
  );

  api.delete(
    "/api/push/subscriptions",
    {
      schema: {
        summary: "Stop pushing to this browser (also fine when it was not subscribed)",
        tags,
        security,
        body: pushUnsubscribeBodySchema,
        response: { 204: noContent, ...errorResponses("invalid_input", "unauthorized") },
      },
      preValidation,
    },
    async (request, reply) => {
      await push.unsubscribe(sessionOf(request).user.id, request.body.endpoint);
      return reply.code(204).send();
    },
  );
}
