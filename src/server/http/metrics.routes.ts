import type { FastifyInstance } from "fastify";
import { METRICS_CONTENT_TYPE } from "../metrics.js";

/**
 * Prometheus scrapes `GET /metrics`. In `--workers` mode `render` gathers every worker's series
 * from the primary process, whichever worker the scrape lands on.
 */
export function registerMetricsRoutes(app: FastifyInstance, render: () => Promise<string>): void {
  app.get("/metrics", async (request, reply) => {
    try {
      const text = await render();
      return reply.type(METRICS_CONTENT_TYPE).send(text);
    } catch (error) {
      request.log.warn({ err: error }, "metrics unavailable");
      return reply.code(503).send({ error: { code: "unavailable", message: "Metrics are unavailable." } });
    }
  });
}
