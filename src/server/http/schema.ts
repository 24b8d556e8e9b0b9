import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance, FastifySchema, FastifySchemaCompiler, RouteOptions } from "fastify";
import {
  createJsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import { type ZodError, type ZodType, z } from "zod";
import {
  ERROR_STATUS,
  type ErrorCode,
  errorBodySchema,
  fieldErrors,
  PROTOCOL_VERSION,
} from "../../protocol/index.js";
import { AppError } from "../domain/errors.js";

/*
 * How a route declares its contract (every route under /api does):
 *
 *   app.withTypeProvider<ZodTypeProvider>().post("/api/chats", {
 *     schema: {
 *       summary: "Start a direct chat",            // shown in /api/docs
 *       tags: ["chats"],
 *       body: createChatBodySchema,                 // params / querystring / body: zod from src/protocol
 *       response: { 201: chatReplySchema, ...errorResponses("unauthorized", "user_not_found") },
 *     },
 *     preValidation: authenticate(accounts),        // 401 comes before any validation
 *   }, async (request, reply) => { request.body.email ... });
 *
 * The handler gets typed, already-validated `request.params/query/body`; a failure answers
 * 400 invalid_input with `fields` (see `invalidInput`). Replies are serialized through the
 * response schemas, so undeclared fields are dropped. Errors every route can answer (400, 414, 421,
 * 500, 503; for POST/DELETE also 403, 413, 415) are added to each route here, in `addCommonErrors`.
 */

export const OPENAPI_PATH = "/api/openapi.json";
export const DOCS_PREFIX = "/api/docs";

/** A zod failure as the protocol's 400: the first reason as message, every field's reason in `fields`. */
export function invalidInput(error: ZodError): AppError {
  const fields = fieldErrors(error);
  return new AppError("invalid_input", Object.values(fields)[0] ?? "Invalid input.", fields);
}

/**
 * Validates a request part with its zod schema. A request without a body reaches the validator
 * as `null`; it is treated as absent, so a schema with a default (e.g. `{}`) applies.
 */
export const validatorCompiler: FastifySchemaCompiler<ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    const result = schema.safeParse(httpPart === "body" && data === null ? undefined : data);
    return result.success ? { value: result.data } : { error: invalidInput(result.error) };
  };

/** Response schemas for these catalogue codes, grouped by their HTTP status. */
export function errorResponses(...codes: ErrorCode[]): Record<number, ZodType> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes)) {
    const status = ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => {
      const schema = errorBodySchema(list).describe(list.join(", "));
      declaredCodes.set(schema, list);
      return [status, schema];
    }),
  );
}

const declaredCodes = new WeakMap<ZodType, ErrorCode[]>();

/** 204 No Content. */
export const noContent = z.undefined().describe("No content");

/** A malformed request or URL, a host this server does not answer for, a bug, an outage. */
const EVERY_ROUTE_ERRORS: ErrorCode[] = [
  "invalid_input",
  "uri_too_long",
  "unknown_host",
  "internal_error",
  "unavailable",
];

const STATE_CHANGING_ERRORS: ErrorCode[] = [
  "forbidden_origin",
  "payload_too_large",
  "unsupported_media_type",
];

/** Answers that do not depend on the route: a bug, a database outage; for requests with a body, its framing. */
function addCommonErrors(route: RouteOptions): void {
  const schema = route.schema;
  if (!schema?.response || typeof schema.response !== "object") return;
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  const stateChanging = methods.some((m) => m !== "GET" && m !== "HEAD");
  const declared = schema.response as Record<string, ZodType>;
  const extra = errorResponses(...EVERY_ROUTE_ERRORS, ...(stateChanging ? STATE_CHANGING_ERRORS : []));
  for (const [status, body] of Object.entries(extra)) {
    const existing = declared[status];
    const own = existing && declaredCodes.get(existing);
    if (existing === undefined) declared[status] = body;
    // The route's own codes at that status, plus the common one.
    else if (own)
      declared[status] = errorResponses(...own, ...(declaredCodes.get(body) ?? []))[
        Number(status)
      ] as ZodType;
  }
}

const registered = new WeakMap<FastifyInstance, RouteOptions[]>();

/** Every route registered after `registerApiSchemas` (test/openapi.test.ts checks each is documented). */
export function registeredRoutes(app: FastifyInstance): readonly RouteOptions[] {
  return registered.get(app) ?? [];
}

const transform = createJsonSchemaTransform({ skipList: [] });

/**
 * Document entries for routes that reply in text and are registered without a schema by the
 * module that owns them; they only describe, the route itself is unchanged.
 */
const DOCUMENT_ONLY: Record<string, FastifySchema> = {
  "/metrics": {
    summary:
      "Prometheus metrics of every worker (text exposition format); with METRICS_TOKEN a Bearer token, else loopback only (404)",
    tags: ["operations"],
    response: {
      200: { description: "Prometheus text", content: { "text/plain": { schema: z.string() } } },
      ...errorResponses("unauthorized", "not_found", "unavailable"),
    },
  },
};

/**
 * A stable name per operation, for the functions of generated clients: the method, then each
 * path segment, parameters as `By<Name>`; e.g. `GET /api/chats/:id/messages` → `getChatsByIdMessages`.
 */
export function operationIdOf(method: string, url: string): string {
  const words = url
    .split("/")
    .filter((segment) => segment !== "" && segment !== "api")
    .map((segment) => (segment.startsWith(":") ? `by-${segment.slice(1)}` : segment))
    .flatMap((segment) => segment.split(/[^A-Za-z0-9]+|(?=[A-Z])/))
    .filter(Boolean);
  return method.toLowerCase() + words.map((w) => w[0]?.toUpperCase() + w.slice(1).toLowerCase()).join("");
}

/** Routes that read their body as raw bytes (no zod body schema): described for the document only. */
const RAW_BODIES: Record<string, Record<string, unknown>> = {
  "POST /api/files": {
    consumes: ["application/octet-stream"],
    body: { type: "string", format: "binary", description: "The file's bytes." },
  },
};

/**
 * Zod validation and serialization for every route, and the OpenAPI 3.1 document made from the
 * same schemas (`GET /api/openapi.json`, readable at `/api/docs` with Swagger UI's own bundled
 * assets: nothing is loaded from another host). Register before any route.
 */
export async function registerApiSchemas(app: FastifyInstance): Promise<void> {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const routes: RouteOptions[] = [];
  registered.set(app, routes);
  app.addHook("onRoute", (route) => {
    routes.push(route);
    addCommonErrors(route);
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Glasschat API",
        version: String(PROTOCOL_VERSION),
        description:
          "HTTP API of a Glasschat server. The session is the httpOnly cookie `glasschat_session`, set by register and login. Real-time events (Socket.IO) are described in docs/api.md.",
      },
      components: {
        securitySchemes: { session: { type: "apiKey", in: "cookie", name: "glasschat_session" } },
      },
    },
    transform: (document) => {
      // Swagger UI's own routes and the document itself are not part of the API.
      if (document.url.startsWith(DOCS_PREFIX) || document.url === OPENAPI_PATH)
        return { schema: { hide: true }, url: document.url };
      const documentOnly = document.schema ? undefined : DOCUMENT_ONLY[document.url];
      const result = transform(documentOnly ? { ...document, schema: documentOnly } : document);
      const method = [document.route.method].flat()[0] ?? "GET";
      const schema: Record<string, unknown> = {
        ...result.schema,
        operationId: result.schema.operationId ?? operationIdOf(method, document.url),
        ...RAW_BODIES[`${method} ${document.url}`],
      };
      return { ...result, schema };
    },
    transformObject: (document) => {
      const result = jsonSchemaTransformObject(document) as {
        components?: { schemas?: Record<string, unknown> };
      };
      // The provider adds an "…Input" copy of every named schema; keep only those a request uses.
      const schemas = result.components?.schemas ?? {};
      const text = JSON.stringify(result);
      for (const name of Object.keys(schemas))
        if (name.endsWith("Input") && !text.includes(`"#/components/schemas/${name}"`)) delete schemas[name];
      return result as ReturnType<typeof jsonSchemaTransformObject>;
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: DOCS_PREFIX });
  app
    .withTypeProvider<ZodTypeProvider>()
    .get(OPENAPI_PATH, { schema: { hide: true } }, async () => app.swagger());
}
