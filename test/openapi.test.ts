import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import Fastify, { type RouteOptions } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_DOCS, withEventReference } from "../scripts/docs-api.js";
import {
  ERROR_STATUS,
  type ErrorCode,
  EVENT_SCHEMAS,
  EVENTS,
  PROTOCOL_VERSION,
  userReplySchema,
} from "../src/protocol/index.js";
import {
  DOCS_PREFIX,
  OPENAPI_PATH,
  registerApiSchemas,
  registeredRoutes,
} from "../src/server/http/schema.js";
import { ERROR_MESSAGES } from "../src/web/app/errors.js";
import { pair, type Reply, request, type TestUser } from "./support/client.js";
import { startServer, type TestServer } from "./support/server.js";

interface Operation {
  summary?: string;
  tags?: string[];
  requestBody?: { content: Record<string, { schema: object }> };
  responses: Record<string, { content?: Record<string, { schema: JsonObject }> }>;
}
type JsonObject = { [key: string]: unknown };
interface Document {
  openapi: string;
  info: { version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, object> };
}

const apiDocs = readFileSync(API_DOCS, "utf8");

let server: TestServer;
let doc: Document;
let alice: TestUser;
let chatId: string;

beforeAll(async () => {
  server = await startServer();
  doc = (await request<Document>(server.url, "GET", OPENAPI_PATH)).body;
  ({ alice, chatId } = await pair(server.url));
});
afterAll(() => server.close());

/** The routes of the API itself: not the web client's files, not the reference page or the document. */
function apiRoutes(): Array<{ method: string; url: string; route: RouteOptions }> {
  return registeredRoutes(server.app.http)
    .flatMap((route) =>
      (Array.isArray(route.method) ? route.method : [route.method]).map((method) => ({
        method,
        url: route.url,
        route,
      })),
    )
    .filter(({ method }) => method !== "HEAD")
    .filter(
      ({ url }) =>
        (url.startsWith("/api/") || url === "/healthz" || url === "/metrics") && !url.startsWith(DOCS_PREFIX),
    )
    .filter(({ url }) => url !== OPENAPI_PATH);
}

const openapiPath = (url: string) => url.replace(/:(\w+)/g, "{$1}");

function operation(method: string, url: string): Operation {
  const op = doc.paths[openapiPath(url)]?.[method.toLowerCase()];
  if (!op) throw new Error(`${method} ${url} is not in ${OPENAPI_PATH}`);
  return op;
}

function jsonSchemaOf(op: Operation, status: string): JsonObject | undefined {
  return op.responses[status]?.content?.["application/json"]?.schema;
}

/** The catalogue codes a route documents for an error status. */
function documentedCodes(op: Operation, status: string): string[] {
  const schema = jsonSchemaOf(op, status) as
    | { properties?: { error?: { properties?: { code?: { enum?: string[] } } } } }
    | undefined;
  return schema?.properties?.error?.properties?.code?.enum ?? [];
}

const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });

/** Validates `data` against a schema of the document (its `#/components/...` references resolve). */
function validates(schema: object, data: unknown): string | true {
  const validate = ajv.compile({ ...schema, components: doc.components });
  return validate(data) ? true : ajv.errorsText(validate.errors);
}

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.1 for this protocol version", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.version).toBe(String(PROTOCOL_VERSION));
  });

  it("has every registered route, each with a summary, tags and its error codes", () => {
    const routes = apiRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(13);
    for (const { method, url, route } of routes) {
      const op = operation(method, url);
      const where = `${method} ${url}`;
      expect(op.summary, where).toBeTruthy();
      expect(op.tags?.length, where).toBeGreaterThan(0);
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) < 400 || !documentedCodes(op, status).length) continue;
        for (const code of documentedCodes(op, status))
          expect(ERROR_STATUS[code as ErrorCode], `${where} ${status} ${code}`).toBe(Number(status));
        expect(response.content, where).toBeDefined();
      }
      if (url.startsWith("/api/")) {
        expect(documentedCodes(op, "500"), where).toContain("internal_error");
        expect(documentedCodes(op, "503"), where).toContain("unavailable");
      }
      if (route.preValidation) expect(documentedCodes(op, "401"), where).toContain("unauthorized");
      if (method !== "GET") {
        expect(documentedCodes(op, "400"), where).toContain("invalid_input");
        expect(documentedCodes(op, "403"), where).toContain("forbidden_origin");
        expect(documentedCodes(op, "413"), where).toContain("payload_too_large");
        expect(documentedCodes(op, "415"), where).toContain("unsupported_media_type");
      }
    }
  });

  it("names every operation once (operationId), so a generated client gets one function per route", () => {
    const ids = apiRoutes().map(
      ({ method, url }) => (operation(method, url) as { operationId?: string }).operationId,
    );
    expect(
      ids.every((id) => typeof id === "string" && /^[a-z][A-Za-z0-9]+$/.test(id)),
      ids.join(),
    ).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect((operation("GET", "/api/chats/:id/messages") as { operationId?: string }).operationId).toBe(
      "getChatsByIdMessages",
    );
  });

  it("describes the upload's body as raw bytes", () => {
    const op = operation("POST", "/api/files") as {
      requestBody?: { content: Record<string, { schema: { format?: string } }> };
    };
    expect(op.requestBody?.content["application/octet-stream"]?.schema.format).toBe("binary");
  });

  it("declares every answer a route actually gives, and the answer matches the declared schema", async () => {
    const seen: string[] = [];
    const check = (method: string, url: string, reply: Reply) => {
      const op = operation(method, url);
      const where = `${method} ${url} answered ${reply.status} ${JSON.stringify(reply.body)}`;
      expect(Object.keys(op.responses), where).toContain(String(reply.status));
      const schema = jsonSchemaOf(op, String(reply.status));
      if (schema && reply.body !== undefined) expect(validates(schema, reply.body), where).toBe(true);
      seen.push(`${method} ${url} ${reply.status}`);
    };
    for (const { method, url } of apiRoutes()) {
      if (url === "/metrics") continue; // text, not JSON
      const path = url.replace(":id", chatId);
      const body = method === "GET" ? undefined : {};
      check(method, url, await request(server.url, method, path, { body }));
      if (url === "/api/auth/logout") continue; // it would end alice's session
      if (url === "/api/me/export") continue; // a ZIP, not JSON: test/account-data.test.ts reads it
      check(method, url, await request(server.url, method, path, { body, cookie: alice.cookie }));
      check(
        method,
        url,
        await request(server.url, method, url.replace(":id", "no-such-chat"), { body, cookie: alice.cookie }),
      );
      if (method !== "GET") {
        const text = { body: "x", cookie: alice.cookie, headers: { "content-type": "text/plain" } };
        check(method, url, await request(server.url, method, path, text));
      }
    }
    // The probes reach the interesting answers: success, 400, 401, 404, 415.
    expect(seen).toEqual(
      expect.arrayContaining([
        "GET /api/chats 200",
        "GET /api/chats/:id/messages 200",
        "GET /api/insights 200",
        "GET /api/me 200",
        "POST /api/chats 400",
        "GET /api/chats 401",
        "POST /api/chats 401", // the session is checked before the (empty) body is
        "DELETE /api/chats/:id 404",
        "POST /api/chats/:id/read 415",
      ]),
    );
  });
});

describe("replies", () => {
  it("carry only the fields their schema declares", async () => {
    const app = Fastify();
    await registerApiSchemas(app);
    app
      .withTypeProvider<ZodTypeProvider>()
      .get(
        "/api/leak",
        { schema: { summary: "test", tags: ["test"], response: { 200: userReplySchema } } },
        async () => ({ user: { id: "u1", username: "ann", passwordHash: "secret" } }),
      );
    const reply = await app.inject({ method: "GET", url: "/api/leak" });
    expect(reply.json()).toEqual({ user: { id: "u1", username: "ann" } });
    await app.close();
  });
});

describe("docs/api.md", () => {
  const examples = [...apiDocs.matchAll(/(?:<!-- example: ([^>]*?) -->\n)?```json\n([\s\S]*?)```/g)].map(
    (m) => ({
      marker: m[1],
      json: m[2] as string,
    }),
  );

  it("is checked by a validator that does refuse a wrong body", () => {
    const op = operation("POST", "/api/auth/register");
    expect(validates(jsonSchemaOf(op, "201") as object, { user: { id: "u1", username: "ann" } })).toBe(true);
    expect(validates(jsonSchemaOf(op, "201") as object, { user: { id: 1 } })).not.toBe(true);
    expect(
      validates(jsonSchemaOf(op, "409") as object, { error: { code: "not_found", message: "x" } }),
    ).not.toBe(true);
  });

  it("marks every JSON example with what it is an example of", () => {
    expect(examples.length).toBeGreaterThan(5);
    for (const { marker, json } of examples) expect(marker, json).toBeDefined();
  });

  it.each(examples.filter((e) => e.marker).map((e) => [e.marker as string, e.json]))(
    "example %s matches the contract",
    (marker, json) => {
      const data: unknown = JSON.parse(json);
      const [kind, ...rest] = marker.split(" ");
      if (kind === "request" || kind === "response") {
        const [method, path, status] = rest as [string, string, string?];
        const op = doc.paths[path]?.[method.toLowerCase()];
        expect(op, marker).toBeDefined();
        const schema =
          kind === "request"
            ? op?.requestBody?.content["application/json"]?.schema
            : jsonSchemaOf(op as Operation, status ?? "200");
        expect(schema, marker).toBeDefined();
        expect(validates(schema as object, data), marker).toBe(true);
      } else {
        const spec = EVENT_SCHEMAS[rest[0] as keyof typeof EVENT_SCHEMAS];
        const schema = kind === "ack" && "ack" in spec ? spec.ack : spec.payload;
        const result = schema.safeParse(data);
        expect(result.success, `${marker}: ${result.error?.message}`).toBe(true);
      }
    },
  );

  it("has an event reference generated from the current event schemas (npm run docs:api)", () => {
    expect(apiDocs).toBe(withEventReference(apiDocs));
    for (const event of Object.values(EVENTS)) expect(Object.keys(EVENT_SCHEMAS)).toContain(event);
  });
});

describe("the error catalogue", () => {
  const codes = Object.keys(ERROR_STATUS);

  it("is exactly docs/api.md's error table", () => {
    const table = Object.fromEntries(
      [...apiDocs.matchAll(/^\| `([a-z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]),
    );
    expect(table).toEqual(ERROR_STATUS);
  });

  it("has a message in the web client for every code", () => {
    for (const code of codes) expect(ERROR_MESSAGES[code as ErrorCode], code).toBeTruthy();
    const clientOnly = Object.keys(ERROR_MESSAGES).filter((code) => !codes.includes(code));
    expect(clientOnly.sort()).toEqual(["network_error", "timeout"]);
  });

  it("has every code the sign-in form handles", () => {
    const source = readFileSync(new URL("../src/web/features/auth/auth-errors.ts", import.meta.url), "utf8");
    const handled = [...source.matchAll(/case "([a-z_]+)":/g)].map((m) => m[1]);
    expect(handled.length).toBeGreaterThan(0);
    for (const code of handled) expect(codes, `auth-errors.ts handles ${code}`).toContain(code);
  });
});

describe("the reference page", () => {
  it("serves /api/docs with every asset from this server", async () => {
    const page = await fetch(`${server.url}${DOCS_PREFIX}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
    expect(assets.length).toBeGreaterThan(2);
    for (const asset of assets) {
      expect(asset, "no other host").not.toMatch(/^(https?:)?\/\//);
      const response = await fetch(new URL(asset, `${server.url}${DOCS_PREFIX}/`));
      await response.arrayBuffer();
      expect(response.status, asset).toBe(200);
    }
  });
});
