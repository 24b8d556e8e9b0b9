import { type IncomingMessage, type Server, STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { ErrorBody, ErrorCode } from "../../protocol/index.js";
import { SECURITY_HEADERS } from "./security.js";

// Answers written straight on a socket, for requests that never become a Fastify request.

/**
 * Fastify's `clientErrorHandler`: Node's HTTP parser refused the bytes themselves (an unknown
 * method, a malformed chunked body, headers over 16 KiB, a timeout). Nothing reached a route, so
 * the answer is written on the socket, in our error shape and with our headers, and the
 * connection is closed: after a parse error the rest of the stream cannot be trusted.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const [status, code, message]: [number, ErrorCode, string] =
    error.code === "HPE_HEADER_OVERFLOW"
      ? [431, "headers_too_large", "The request headers are too large."]
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "request_timeout", "The request took too long to arrive."]
        : [400, "invalid_input", "The request is not valid HTTP."];
  // A response already under way on this socket cannot be replaced.
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) socket.end(rawErrorResponse(status, code, message));
  socket.destroySoon();
}

/** Node hands CONNECT (a proxy's method) to 'connect' listeners and drops the socket when none: answer it. */
export function answerConnectRequests(server: Server): void {
  server.on("connect", (_request: IncomingMessage, socket: Socket) => {
    socket.on("error", () => socket.destroy());
    socket.end(rawErrorResponse(400, "invalid_input", "This server is not a proxy."));
  });
}

/** A whole HTTP/1.1 error answer, for writing straight on a socket that no HTTP server handles. */
export function rawErrorResponse(
  status: number,
  code: ErrorCode,
  message: string,
  extraHeaders: Record<string, string> = {},
): string {
  const body = JSON.stringify({ error: { code, message } } satisfies ErrorBody);
  const headers = {
    ...SECURITY_HEADERS,
    ...extraHeaders,
    "content-type": "application/json; charset=utf-8",
    "content-length": String(Buffer.byteLength(body)),
    connection: "close",
  };
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ""}\r\n${head}\r\n${body}`;
}
