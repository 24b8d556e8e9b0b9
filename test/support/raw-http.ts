import { request as httpRequest } from "node:http";
import { connect as tcpConnect } from "node:net";
import { expect } from "vitest";

interface RawReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends bytes exactly as given (what fetch refuses to send) and reads the answer until the server closes. */
export function rawHttp(baseUrl: string, bytes: string): Promise<RawReply> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(Number(port), hostname);
    let text = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within 5 s: ${JSON.stringify(text)}`));
    }, 5000);
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      text += chunk;
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      clearTimeout(timer);
      const [head = "", body = ""] = text.split("\r\n\r\n", 2);
      const [statusLine = "", ...lines] = head.split("\r\n");
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(":");
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status: Number(statusLine.split(" ")[1]), headers, body });
    });
    socket.write(bytes);
  });
}

/** One request with headers fetch will not set (Host), over node:http. */
export function withHeaders(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string>,
): Promise<RawReply> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, method, path, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers as Record<string, string>, body }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

const headersOf = (headers: Headers | Record<string, string>) =>
  headers instanceof Headers ? Object.fromEntries(headers.entries()) : headers;

export function expectSecurityHeaders(headers: Headers | Record<string, string>): void {
  const h = headersOf(headers);
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["x-frame-options"]).toBe("DENY");
  expect(h["referrer-policy"]).toBe("no-referrer");
  expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
}

/** The protocol's error shape, with `code`, and nothing of what the client sent. */
export function expectErrorShape(body: string, code: string, mustNotEcho: string[] = []): void {
  const parsed = JSON.parse(body) as { error: { code: string; message: string } };
  expect(Object.keys(parsed)).toEqual(["error"]);
  expect(parsed.error.code).toBe(code);
  expect(typeof parsed.error.message).toBe("string");
  for (const echoed of mustNotEcho) expect(body).not.toContain(echoed);
}
