import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp } from "./support/client.js";
import { upload } from "./support/files.js";
import { startServer, type TestServer } from "./support/server.js";

const KB = 1024;

describe.each(["disk", "database"] as const)("upload rate limits (FILE_STORAGE=%s)", (storage) => {
  let server: TestServer;
  let clock = Date.now();
  beforeAll(async () => {
    server = await startServer({
      now: () => clock,
      env: {
        FILE_STORAGE: storage,
        RATE_LIMIT_UPLOADS_PER_HOUR: "3",
        RATE_LIMIT_UPLOAD_BYTES_PER_HOUR: String(100 * KB),
      },
    });
  });
  afterAll(() => server?.close());

  async function ownFiles(userId: string): Promise<number> {
    return (await server.app.files.filesOfUser(userId)).length;
  }

  it("refuses a user's uploads past RATE_LIMIT_UPLOADS_PER_HOUR with 429 rate_limited and Retry-After, per user, for an hour", async () => {
    const alice = await signUp(server.url, "uploader");
    const bob = await signUp(server.url, "neighbour");
    for (let i = 0; i < 3; i++)
      expect((await upload(server.url, alice, `${i}.txt`, "hello")).status).toBe(201);
    const response = await fetch(`${server.url}/api/files`, {
      method: "POST",
      headers: { cookie: alice.cookie, "x-file-name": "4.txt" },
      body: "hello",
    });
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
    expect(await ownFiles(alice.user.id)).toBe(3);
    // Someone else is not held back, and the hour passes.
    expect((await upload(server.url, bob, "b.txt", "hello")).status).toBe(201);
    clock += 60 * 60 * 1000 + 1;
    expect((await upload(server.url, alice, "later.txt", "hello")).status).toBe(201);
  });

  it("counts uploaded bytes as they arrive against RATE_LIMIT_UPLOAD_BYTES_PER_HOUR: the upload that passes it is cut off, nothing of it stored", async () => {
    const carol = await signUp(server.url, "bulk");
    expect((await upload(server.url, carol, "a.bin", Buffer.alloc(60 * KB, 1))).status).toBe(201);
    const over = await upload(server.url, carol, "b.bin", Buffer.alloc(60 * KB, 2));
    expect([over.status, over.error?.code]).toEqual([429, "rate_limited"]);
    // Past the byte budget even a tiny upload waits for the window.
    expect((await upload(server.url, carol, "c.txt", "x")).status).toBe(429);
    expect(await ownFiles(carol.user.id)).toBe(1);
    clock += 60 * 60 * 1000 + 1;
    expect((await upload(server.url, carol, "d.bin", Buffer.alloc(60 * KB, 3))).status).toBe(201);
  });
});
