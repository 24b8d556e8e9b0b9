import type { FastifyInstance } from "fastify";

export function registerHealthRoutes(app: FastifyInstance, ping: () => Promise<void>): void {
  app.get("/healthz", async (request, reply) => {
    try {
      await ping();
      return { status: "ok", database: "ok" };
    } catch (error) {
      request.log.warn({ err: error }, "health check: database unreachable");
      return reply.code(503).send({ status: "unavailable", database: "unreachable" });
    }
  });
}
