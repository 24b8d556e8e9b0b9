/**
 * `npm run bench:files`: the figures of issue 13. For each FILE_STORAGE (disk, database on SQLite,
 * and database on PostgreSQL when TEST_DATABASE_URL is set) a real server (on core BENCH_SERVER_CPUS, 0) takes BENCH_FILES_MB (100) MB up and gives it
 * back down over loopback, BENCH_FILES_RUNS (3) times: MB/s each way and the server's peak RSS
 * growth meanwhile (sampled every 20 ms from /proc). Then the time to re-encode and thumbnail a
 * 12-megapixel JPEG in this process. Medians of the runs; the machine is shared, so compare
 * only within one run. BENCH_NODE_ARGS passes V8 options to the server (e.g.
 * `--max-semi-space-size=1`), for investigating memory.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { RATE_LIMITS_OFF } from "../src/server/config.js";
import { processImage } from "../src/server/domain/images.js";
import { createDiskBlobStore } from "../src/server/storage/file-blobs/disk.js";
import { twelveMegapixelJpeg, writeRepeated } from "../test/support/files.js";
import { withDefaultUser, withFreshDatabase } from "./lib/postgres.js";
import { freePort, spawnNode, stop, waitHealthy } from "./lib/proc.js";
import { signUpUsers } from "./lib/signup.js";
import { fmt, table } from "./lib/stats.js";

const MB = 1024 * 1024;
const FILE_MB = Number(process.env.BENCH_FILES_MB ?? 100);
const RUNS = Number(process.env.BENCH_FILES_RUNS ?? 3);
const STORAGES = (process.env.BENCH_FILES_STORAGE ?? "disk,database").split(",");
const SERVER_CPUS = process.env.BENCH_SERVER_CPUS ?? "0";
const MAX_MB = Math.max(FILE_MB, 16);
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);

const rss = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]) * 1024;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

/** Runs `work` while sampling `pid`'s RSS; resolves with its seconds and the peak growth in MB. */
async function sampled(
  pid: number,
  work: () => Promise<void>,
): Promise<{ seconds: number; growthMb: number }> {
  const base = rss(pid);
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, rss(pid));
  }, 20);
  const started = performance.now();
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return { seconds: (performance.now() - started) / 1000, growthMb: (Math.max(peak, rss(pid)) - base) / MB };
}

/** POSTs `bytes` of a pattern in 1 MiB writes, honouring backpressure; resolves with the file's URL. */
function uploadFile(url: string, cookie: string, bytes: number): Promise<string> {
  const block = Buffer.alloc(MB);
  for (let i = 0; i < block.length; i++) block[i] = (i * 31) & 255;
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/files`, {
      method: "POST",
      headers: { cookie, "content-length": String(bytes), "x-file-name": "bench.bin" },
    });
    req.on("response", (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () =>
        res.statusCode === 201
          ? resolve((JSON.parse(body) as { file: { url: string } }).file.url)
          : reject(new Error(`upload: HTTP ${res.statusCode} ${body}`)),
      );
    });
    req.on("error", reject);
    writeRepeated(req, block, bytes);
  });
}

async function downloadFile(url: string, cookie: string, expected: number): Promise<void> {
  const response = await fetch(url, { headers: { cookie } });
  let received = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>)
    received += chunk.byteLength;
  if (received !== expected) throw new Error(`download: ${received} of ${expected} bytes`);
}

async function transfer(storage: string, databaseUrl?: string) {
  const dir = mkdtempSync(join(tmpdir(), "glasschat-bench-files-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = spawnNode("src/server/main.ts", [], {
    cpus: SERVER_CPUS,
    nodeArgs: NODE_ARGS,
    logFile: join(dir, "server.log"),
    env: {
      ...RATE_LIMITS_OFF,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dir,
      LOG_LEVEL: "warn",
      FILE_STORAGE: storage,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      FILE_MAX_BYTES: String((MAX_MB + 1) * MB),
      FILE_QUOTA_BYTES: String((RUNS + 2) * (MAX_MB + 1) * MB),
    },
  });
  try {
    await waitHealthy(url, server);
    const pid = server.pid as number;
    const [user] = await signUpUsers(url, 2);
    const cookie = user?.cookie as string;
    // Warm-up: the allocator's and the database's steady-state pools are not growth.
    await downloadFile(url + (await uploadFile(url, cookie, 16 * MB)), cookie, 16 * MB);
    const up: { seconds: number; growthMb: number }[] = [];
    const down: { seconds: number; growthMb: number }[] = [];
    for (let run = 0; run < RUNS; run++) {
      let path = "";
      up.push(
        await sampled(pid, async () => {
          path = await uploadFile(url, cookie, FILE_MB * MB);
        }),
      );
      down.push(await sampled(pid, () => downloadFile(url + path, cookie, FILE_MB * MB)));
    }
    return {
      storage: databaseUrl ? `${storage} (PostgreSQL)` : storage,
      upMbS: median(up.map((r) => FILE_MB / r.seconds)),
      upGrowthMb: median(up.map((r) => r.growthMb)),
      upGrowthMaxMb: Math.max(...up.map((r) => r.growthMb)),
      downMbS: median(down.map((r) => FILE_MB / r.seconds)),
      downGrowthMb: median(down.map((r) => r.growthMb)),
    };
  } finally {
    await stop(server);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function thumbnailMs(): Promise<{ ms: number; mb: number }> {
  const dir = mkdtempSync(join(tmpdir(), "glasschat-bench-thumb-"));
  try {
    const blobs = createDiskBlobStore(dir);
    const photo = await twelveMegapixelJpeg();
    const key = await blobs.put(Readable.from([photo]));
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now();
      const image = await processImage(blobs, key, photo.length, "image/jpeg");
      times.push(performance.now() - started);
      if (image?.width !== 4000) throw new Error("thumbnail: not processed");
    }
    return { ms: median(times), mb: photo.length / MB };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const results = [];
for (const storage of STORAGES) results.push(await transfer(storage));
const pgAdmin = process.env.TEST_DATABASE_URL;
if (pgAdmin && STORAGES.includes("database"))
  results.push(await withFreshDatabase(withDefaultUser(pgAdmin), (url) => transfer("database", url)));
console.log(
  `files: ${FILE_MB} MB over loopback, median of ${RUNS} runs, Node ${process.versions.node}` +
    (NODE_ARGS.length ? `, server ${NODE_ARGS.join(" ")}` : ""),
);
console.log(
  table(
    [
      "FILE_STORAGE",
      "upload MB/s",
      "RSS growth up (MB, median / max)",
      "download MB/s",
      "RSS growth down (MB)",
    ],
    results.map((r) => [
      r.storage,
      fmt(r.upMbS, 0),
      `${fmt(r.upGrowthMb)} / ${fmt(r.upGrowthMaxMb)}`,
      fmt(r.downMbS, 0),
      fmt(r.downGrowthMb),
    ]),
  ),
);
const thumb = await thumbnailMs();
console.log(
  `12-megapixel JPEG (${fmt(thumb.mb)} MB): re-encode without metadata + 480 px WebP thumbnail, median ${fmt(thumb.ms, 0)} ms`,
);
