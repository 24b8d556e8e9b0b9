import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

// Same relative path from src/server/http (tsx) and dist/server/http (compiled).
const WEB_ROOT = fileURLToPath(new URL("../../../dist/web/", import.meta.url));

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Glasschat</title>
<p>The web client is not built yet. Run <code>npm run build</code> (npm start does it for you).</p>`;

export interface WebClient {
  /** A browser navigating to a client-side route, which gets index.html; any other miss is a 404. */
  isNavigation(request: FastifyRequest): boolean;
  serveIndex(reply: FastifyReply): unknown;
}

/** Serves the built web client, with index.html for every client-side route. */
export async function registerWebClient(app: FastifyInstance): Promise<WebClient> {
  const built = existsSync(`${WEB_ROOT}index.html`);
  if (built) {
    await app.register(fastifyStatic, {
      root: WEB_ROOT,
      index: false,
      wildcard: false,
      setHeaders: (res, path) => {
        // Vite fingerprints everything under assets/: safe to cache forever.
        res.setHeader(
          "cache-control",
          path.includes("/assets/") ? "public, max-age=31536000, immutable" : "no-cache",
        );
      },
    });
  }
  return {
    isNavigation: (request) => {
      if (request.method !== "GET" && request.method !== "HEAD") return false;
      if (!(request.headers.accept ?? "").includes("text/html")) return false;
      const path = request.url.split("?")[0] ?? "";
      // Files (anything with an extension, everything under /assets) are never a client route.
      return !/^\/(api|socket\.io|assets)(\/|$)/.test(path) && !/\.[^/]*$/.test(path);
    },
    serveIndex: (reply) =>
      built
        ? reply.header("cache-control", "no-cache").sendFile("index.html")
        : reply.type("text/html; charset=utf-8").send(NOT_BUILT),
  };
}
