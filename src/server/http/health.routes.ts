import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { healthSchema } from "../../protocol/index.js";

/**
 * 200 when the database answers (and Redis, when this node fans out through it); 503 otherwise.
 * A node cut off from Redis still stores messages, but members on other nodes would not get them
 * live, so it reports itself unavailable and a load balancer can prefer the others.
 */
export function registerHealthRoutes(
  app: FastifyInstance,
  ping: () => Promise<void>,
  pingRedis?: () => Promise<boolean>,
): void {
  const schema = {
    summary: "Whether this node and its database (and Redis, when configured) answer",
    tags: ["operations"],
    response: {
      200: healthSchema.describe("Healthy"),
      503: healthSchema.describe("The database or Redis is unreachable"),
    },
  };
  app.withTypeProvider<ZodTypeProvider>().get("/healthz", { schema }, async (request, reply) => {
    const [database, redis] = await Promise.all([
      ping().then(
        () => "ok" as const,
        (error: unknown) => {
          request.log.warn({ err: error }, "health check: database unreachable");
          return "unreachable" as const;
        },
      ),
      pingRedis?.().then((ok) => (ok ? ("ok" as const) : ("unreachable" as const))),
    ]);
    const healthy = database === "ok" && (redis === undefined || redis === "ok");
    return reply
      .code(healthy ? 200 : 503)
      .send({ status: healthy ? "ok" : "unavailable", database, ...(redis ? { redis } : {}) });
  });
}
