import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { clientId, closeAllSockets, connected, pair, send } from "./support/client.js";
import { health, parseMetrics, type Sample } from "./support/metrics.js";
import { startServer, type TestServer } from "./support/server.js";

const value = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((n, s) => n + s.value, 0);

describe("GET /metrics", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.close());
  afterEach(() => closeAllSockets());

  it("counts sockets, sent and refused messages, send latency and database time in Prometheus text", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const aliceSocket = await connected(server.url, alice.cookie);
    await connected(server.url, bob.cookie);
    expect((await send(aliceSocket, { chatId, body: "counted", clientId: clientId() })).ok).toBe(true);
    expect((await send(aliceSocket, { chatId: "nope", body: "x", clientId: clientId() })).ok).toBe(false);

    const reply = await fetch(`${server.url}/metrics`);
    expect(reply.status).toBe(200);
    expect(reply.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = parseMetrics(await reply.text());
    expect(value(samples, "glasschat_connected_sockets", { worker: "0" })).toBe(2);
    expect(value(samples, "glasschat_messages_sent_total")).toBe(1);
    expect(value(samples, "glasschat_messages_refused_total", { code: "not_found" })).toBe(1);
    expect(value(samples, "glasschat_send_latency_seconds_count")).toBe(1);
    expect(value(samples, "glasschat_send_latency_seconds_bucket", { le: "+Inf" })).toBe(1);
    expect(value(samples, "glasschat_db_query_duration_seconds_count", { operation: "store_batch" })).toBe(1);
    expect(
      value(samples, "glasschat_db_query_duration_seconds_count", { operation: "select" }),
    ).toBeGreaterThan(0);
    expect(value(samples, "process_cpu_seconds_total")).toBeGreaterThan(0);
  });

  it("leaves Redis out of /healthz when it is not configured", async () => {
    const reply = await health(server.url);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ status: "ok", database: "ok" });
  });
});
