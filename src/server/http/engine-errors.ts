import type { IncomingMessage, OutgoingHttpHeaders, Server, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { ERROR_STATUS, type ErrorBody, type ErrorCode } from "../../protocol/index.js";
import type { OriginPolicy } from "../origin.js";
import { rawErrorResponse } from "./raw-errors.js";

/*
 * Engine.IO (under Socket.IO) refuses bad handshakes itself, before any of our code runs: over
 * HTTP as `{"code": 4, "message": "Forbidden"}`, and on a WebSocket upgrade by writing a raw
 * `400 Bad Request` in text/html. Both are rewritten here into the protocol's error shape with a
 * catalogue code. Only refusals are touched: a successful poll or upgrade passes through, and the
 * upgrade's socket gets its own `write` back after the first answer (nothing on the message path).
 */

/** Engine.IO's error codes (engine.io Server.errors) and messages, as ours. */
const BY_ENGINE_CODE: Record<number, ErrorCode> = {
  0: "invalid_input", // unknown transport
  1: "invalid_input", // unknown session id: the client starts a new session
  2: "invalid_input", // bad handshake method
  3: "invalid_input", // bad request
  4: "forbidden_origin", // allowRequest refused: a foreign Origin, or a Host we do not serve
  5: "invalid_input", // unsupported protocol version
};
const ENGINE_MESSAGES: Record<string, number> = {
  "Transport unknown": 0,
  "Session ID unknown": 1,
  "Bad handshake method": 2,
  "Bad request": 3,
  Forbidden: 4,
  "Unsupported protocol version": 5,
};
const MESSAGES: Partial<Record<ErrorCode, string>> = {
  invalid_input: "This is not a valid Socket.IO request.",
  forbidden_origin: "Connections from other sites are not allowed.",
  unknown_host: "This server does not answer for that host name: set PUBLIC_URL or ALLOWED_HOSTS to add it.",
};

function ourError(engineCode: number | undefined, request: IncomingMessage, origins: OriginPolicy) {
  let code = BY_ENGINE_CODE[engineCode ?? 3] ?? "invalid_input";
  if (code === "forbidden_origin" && !origins.hostAllowed(request)) code = "unknown_host";
  return { status: ERROR_STATUS[code], code, message: MESSAGES[code] ?? "Refused." };
}

function engineCodeOf(body: unknown): number | undefined {
  try {
    const parsed = JSON.parse(String(body)) as { code?: unknown };
    return typeof parsed.code === "number" ? parsed.code : undefined;
  } catch {
    return undefined;
  }
}

export function answerEngineErrorsInOurShape(
  server: Server,
  origins: OriginPolicy,
  path = "/socket.io/",
): void {
  server.prependListener("request", (request: IncomingMessage, response: ServerResponse) => {
    if (!request.url?.startsWith(path)) return;
    const writeHead = response.writeHead.bind(response);
    // Engine.IO answers a refusal with writeHead(status, headers) and then end(body).
    response.writeHead = ((status: number, ...rest: [OutgoingHttpHeaders?]) => {
      if (status < 400) return writeHead(status, ...rest);
      const end = response.end.bind(response);
      response.end = ((body?: unknown) => {
        const error = ourError(engineCodeOf(body), request, origins);
        const json = JSON.stringify({
          error: { code: error.code, message: error.message },
        } satisfies ErrorBody);
        writeHead(error.status, {
          "content-type": "application/json; charset=utf-8",
          "content-length": Buffer.byteLength(json),
        });
        return end(json);
      }) as ServerResponse["end"];
      return response;
    }) as ServerResponse["writeHead"];
  });

  server.prependListener("upgrade", (request: IncomingMessage, socket: Duplex) => {
    const write = socket.write.bind(socket) as (chunk: unknown, ...rest: unknown[]) => boolean;
    socket.write = ((chunk: unknown, ...rest: unknown[]) => {
      socket.write = write as Duplex["write"];
      const text = typeof chunk === "string" ? chunk : "";
      if (!text.startsWith("HTTP/1.1 400 Bad Request\r\n")) return write(chunk, ...rest);
      const message = text.slice(text.indexOf("\r\n\r\n") + 4);
      const error = ourError(ENGINE_MESSAGES[message], request, origins);
      return write(rawErrorResponse(error.status, error.code, error.message), ...rest);
    }) as Duplex["write"];
  });
}
