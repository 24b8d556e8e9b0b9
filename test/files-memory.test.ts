import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processImage } from "../src/server/domain/images.js";
import { createDiskBlobStore } from "../src/server/storage/file-blobs/disk.js";
import { signUp, type TestUser } from "./support/client.js";
import { twelveMegapixelJpeg, writeRepeated } from "./support/files.js";
import { type ServerProcess, startServerProcess } from "./support/process.js";

const MB = 1024 * 1024;

/** Resident memory of a process (Linux), in bytes. */
function rss(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(match?.[1] ?? 0) * 1024;
}

/** Streams `bytes` of a repeating pattern as the body of POST /api/files; resolves with the status. */
function uploadStream(url: string, user: TestUser, bytes: number): Promise<number> {
  const block = Buffer.alloc(MB);
  for (let i = 0; i < block.length; i++) block[i] = (i * 31) & 255;
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}/api/files`, {
      method: "POST",
      headers: {
        cookie: user.cookie,
        "content-type": "application/octet-stream",
        "content-length": String(bytes),
        "x-file-name": "big.bin",
      },
    });
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    writeRepeated(req, block, bytes);
  });
}

describe.each(["disk", "database"] as const)(
  "large files stay out of memory (FILE_STORAGE=%s)",
  (storage) => {
    let server: ServerProcess;
    let dataDir: string;
    let user: TestUser;
    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), "glasschat-files-"));
      server = await startServerProcess({
        DATA_DIR: dataDir,
        FILE_STORAGE: storage,
        FILE_MAX_BYTES: String(300 * MB),
        FILE_QUOTA_BYTES: String(1024 * MB),
      });
      user = await signUp(server.url, "heavy");
    }, 60_000);
    afterAll(async () => {
      server?.child.kill("SIGTERM");
      await server?.exited;
      rmSync(dataDir, { recursive: true, force: true });
    });

    it("a 200 MB upload grows the server's RSS by less than 50 MB; 100 MB up and down at loopback speed", async () => {
      const pid = server.child.pid as number;
      // Warmed up first: the allocator's and the database's steady-state pools are not growth.
      expect(await uploadStream(server.url, user, 16 * MB)).toBe(201);
      const baseline = rss(pid);
      let peak = baseline;
      const sampler = setInterval(() => {
        peak = Math.max(peak, rss(pid));
      }, 20);
      try {
        expect(await uploadStream(server.url, user, 200 * MB)).toBe(201);
      } finally {
        clearInterval(sampler);
      }
      const growth = peak - baseline;

      const startedUp = performance.now();
      const hundred = await uploadAndGetUrl(server.url, user, 100 * MB);
      const upSeconds = (performance.now() - startedUp) / 1000;

      const downloadPeakBase = rss(pid);
      let downloadPeak = downloadPeakBase;
      const downSampler = setInterval(() => {
        downloadPeak = Math.max(downloadPeak, rss(pid));
      }, 20);
      const startedDown = performance.now();
      let received = 0;
      try {
        const response = await fetch(server.url + hundred, { headers: { cookie: user.cookie } });
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>)
          received += chunk.byteLength;
      } finally {
        clearInterval(downSampler);
      }
      const downSeconds = (performance.now() - startedDown) / 1000;
      expect(received).toBe(100 * MB);
      console.log(
        `[files figures] FILE_STORAGE=${storage}: 200 MB upload RSS growth ${(growth / MB).toFixed(1)} MB; ` +
          `100 MB upload ${(100 / upSeconds).toFixed(0)} MB/s, download ${(100 / downSeconds).toFixed(0)} MB/s ` +
          `(RSS growth while downloading ${((downloadPeak - downloadPeakBase) / MB).toFixed(1)} MB)`,
      );
      // Node 24 held up to 72 MB of dead socket buffers here until file streams asked for
      // young-generation collections (src/server/young-gc.ts).
      expect(growth).toBeLessThan(50 * MB);
    }, 240_000);
  },
);

/** Uploads `bytes` and returns the file's URL. */
async function uploadAndGetUrl(url: string, user: TestUser, bytes: number): Promise<string> {
  const block = Buffer.alloc(MB, 7);
  const body = new ReadableStream<Uint8Array>({
    start() {},
    pull(controller) {
      if (bytes <= 0) return controller.close();
      const n = Math.min(MB, bytes);
      bytes -= n;
      controller.enqueue(block.subarray(0, n));
    },
  });
  const response = await fetch(`${url}/api/files`, {
    method: "POST",
    headers: { cookie: user.cookie, "content-type": "application/octet-stream" },
    body,
    duplex: "half",
  } as RequestInit);
  const reply = (await response.json()) as { file: { url: string } };
  return reply.file.url;
}

describe("thumbnails", () => {
  it("re-encodes and thumbnails a 12-megapixel JPEG", async () => {
    const dir = mkdtempSync(join(tmpdir(), "glasschat-thumb-"));
    try {
      const blobs = createDiskBlobStore(dir);
      const photo = await twelveMegapixelJpeg();
      const key = await blobs.put(Readable.from([photo]));
      const started = performance.now();
      const image = await processImage(blobs, key, photo.length, "image/jpeg");
      const ms = performance.now() - started;
      expect(image).toMatchObject({ width: 4000, height: 3000 });
      console.log(
        `[files figures] 12 MP JPEG (${(photo.length / MB).toFixed(1)} MB): re-encode without metadata + thumbnail in ${ms.toFixed(0)} ms`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
