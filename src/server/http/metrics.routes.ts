import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { FastifyInstance } from "fastify";
import { AppError } from "../domain/errors.js";
import { METRICS_CONTENT_TYPE } from "../metrics.js";

/**
 * Prometheus scrapes `GET /metrics`. In `--workers` mode `render` gathers every worker's series
 * from the primary process, whichever worker the scrape lands on. With `token` (METRICS_TOKEN) a
 * scrape must carry `Authorization: Bearer <token>`; without one only a direct loopback
 * connection may scrape.
 */
export function registerMetricsRoutes(
  app: FastifyInstance,
  render: () => Promise<string>,
  token: string | undefined,
): void {
  app.get("/metrics", async (request, reply) => {
    if (token !== undefined) {
      if (!sameSecret(request.headers.authorization ?? "", `Bearer ${token}`))
        throw new AppError("unauthorized", "Send the metrics token as Authorization: Bearer <token>.");
    } else if (!isDirectLoopback(request.raw)) {
      // As for any other unknown route: nothing tells an outsider that metrics are here.
      throw new AppError("not_found", "No such route.");
    }
    try {
      const text = await render();
      return reply.type(METRICS_CONTENT_TYPE).send(text);
    } catch (error) {
      request.log.warn({ err: error }, "metrics unavailable");
      return reply.code(503).send({ error: { code: "unavailable", message: "Metrics are unavailable." } });
    }
  });
}

const digest = (value: string) => createHash("sha256").update(value).digest();
const sameSecret = (given: string, expected: string) => timingSafeEqual(digest(given), digest(expected));

/**
 * From this machine and not through a proxy: a reverse proxy on the same machine connects from
 * loopback too, but adds forwarding headers (the documented nginx configuration does).
 */
function isDirectLoopback(request: IncomingMessage): boolean {
  const address = request.socket.remoteAddress ?? "";
  const loopback = address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127.");
  const { headers } = request;
  return loopback && !headers["x-forwarded-for"] && !headers.forwarded && !headers["x-real-ip"];
}
