import { createHash, randomBytes } from "node:crypto";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";

const WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

export type UpgradeOutcome =
  | { ok: true; sid: string }
  | { ok: false; stage: "handshake" | "upgrade"; reason: string };

/**
 * What a browser does through the reverse proxy: the Engine.IO handshake over HTTP long-polling
 * (`GET /socket.io/?EIO=4&transport=polling`), then the WebSocket upgrade of that session. A
 * proxy that does not forward `Upgrade`/`Connection`, or routes the upgrade to another node
 * without sticky sessions, fails the second step.
 */
export async function socketIoUpgrade(publicUrl: string, timeoutMs = 5000): Promise<UpgradeOutcome> {
  const base = new URL(publicUrl);
  const origin = base.origin;
  let sid: string;
  try {
    const response = await fetch(new URL("/socket.io/?EIO=4&transport=polling", base), {
      headers: { origin },
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await response.text();
    if (!response.ok) {
      return { ok: false, stage: "handshake", reason: `answered ${response.status}: ${body.slice(0, 120)}` };
    }
    const open = JSON.parse(body.replace(/^0/, "")) as { sid?: string; upgrades?: string[] };
    if (!open.sid)
      return { ok: false, stage: "handshake", reason: `unexpected answer: ${body.slice(0, 120)}` };
    if (!open.upgrades?.includes("websocket")) {
      return { ok: false, stage: "handshake", reason: "the server offers no WebSocket upgrade" };
    }
    sid = open.sid;
  } catch (error) {
    return { ok: false, stage: "handshake", reason: (error as Error).message };
  }

  const key = randomBytes(16).toString("base64");
  const expected = createHash("sha1")
    .update(key + WEBSOCKET_GUID)
    .digest("base64");
  const url = new URL(`/socket.io/?EIO=4&transport=websocket&sid=${encodeURIComponent(sid)}`, base);
  const request = (base.protocol === "https:" ? httpsRequest : httpRequest)(url, {
    headers: {
      connection: "Upgrade",
      upgrade: "websocket",
      "sec-websocket-version": "13",
      "sec-websocket-key": key,
      origin,
    },
    timeout: timeoutMs,
  });
  return new Promise((resolve) => {
    const done = (outcome: UpgradeOutcome) => {
      request.destroy();
      resolve(outcome);
    };
    request.on("upgrade", (response: IncomingMessage, socket) => {
      socket.destroy();
      if (response.headers["sec-websocket-accept"] !== expected) {
        done({ ok: false, stage: "upgrade", reason: "a 101 answer with the wrong Sec-WebSocket-Accept" });
      } else done({ ok: true, sid });
    });
    request.on("response", (response: IncomingMessage) => {
      response.resume();
      done({
        ok: false,
        stage: "upgrade",
        reason: `answered ${response.statusCode} instead of 101 Switching Protocols`,
      });
    });
    request.on("timeout", () =>
      done({ ok: false, stage: "upgrade", reason: "no answer to the upgrade in time" }),
    );
    request.on("error", (error) => done({ ok: false, stage: "upgrade", reason: error.message }));
    request.end();
  });
}
