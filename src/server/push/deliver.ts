import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import type { CheckedEndpoint } from "./endpoint-guard.js";

const TIMEOUT_MS = 10_000;
/** How long a push service keeps an undelivered message (seconds): a day, like mail. */
const TTL_S = 24 * 60 * 60;

/**
 * POSTs one encrypted push message (RFC 8030) to the address the guard checked: the connection
 * goes to that address and no other (a DNS answer that changed since cannot redirect it), while
 * TLS still verifies the endpoint's host name. Resolves with the push service's status code.
 */
export function deliverPush(target: CheckedEndpoint, body: Buffer, authorization: string): Promise<number> {
  const pinned: LookupFunction = (_host, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const send = target.url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target.url,
      {
        method: "POST",
        lookup: pinned,
        timeout: TIMEOUT_MS,
        headers: {
          "content-type": "application/octet-stream",
          "content-encoding": "aes128gcm",
          "content-length": body.length,
          ttl: String(TTL_S),
          urgency: "high",
          authorization,
        },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on("timeout", () => req.destroy(new Error("push service did not answer in time")));
    req.on("error", reject);
    req.end(body);
  });
}
