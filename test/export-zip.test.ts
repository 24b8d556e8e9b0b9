import { describe, expect, it } from "vitest";
import { zipStream } from "../src/server/export/zip.js";
import { centralDirectory, unzip } from "./support/unzip.js";

async function collect(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part);
  return Buffer.concat(parts);
}

describe("the export's ZIP writer", () => {
  it("writes a classic ZIP that reads back entry by entry", async () => {
    const archive = await collect(
      zipStream([
        { name: "messages.json", content: '{"a":1}' },
        {
          name: "files/ü.txt",
          content: (async function* () {
            yield "piece ";
            yield Buffer.from("by piece");
          })(),
        },
      ]),
    );
    const files = unzip(archive);
    expect(files.get("messages.json")?.toString()).toBe('{"a":1}');
    expect(files.get("files/ü.txt")?.toString()).toBe("piece by piece");
    expect(archive.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(false); // no ZIP64 needed
  });

  it("switches to ZIP64 end records past 65,534 entries", async () => {
    const count = 70_000;
    const entries = Array.from({ length: count }, (_, i) => ({ name: `f/${i}.txt`, content: `${i}` }));
    const files = unzip(await collect(zipStream(entries)));
    expect(files.size).toBe(count);
    expect(files.get("f/69999.txt")?.toString()).toBe("69999");
  });

  it("carries an entry of more than 4 GiB, and one starting beyond 4 GiB, in ZIP64 fields", {
    timeout: 120_000,
  }, async () => {
    const chunk = Buffer.alloc(64 * 1024 * 1024, 7);
    const chunks = 65; // 4.06 GiB
    const big = (async function* () {
      for (let i = 0; i < chunks; i++) yield chunk;
    })();
    // Only the archive's end is kept: the central directory and the records after it.
    const keep = 1024 * 1024;
    let total = 0;
    let tail: Buffer = Buffer.alloc(0);
    for await (const part of zipStream([
      { name: "big.bin", content: big },
      { name: "after.txt", content: "still here" },
    ])) {
      total += part.length;
      tail =
        part.length >= keep ? part.subarray(part.length - keep) : Buffer.concat([tail, part]).subarray(-keep);
    }
    const tailStart = total - tail.length;
    const [first, second] = centralDirectory(tail, tailStart);
    expect(first).toMatchObject({ name: "big.bin", size: chunk.length * chunks, offset: 0 });
    expect(second?.name).toBe("after.txt");
    expect(second?.offset).toBeGreaterThan(0xffff_ffff);
    // after.txt's own bytes, found through its ZIP64 offset, are in the tail.
    const local = (second?.offset ?? 0) - tailStart;
    expect(tail.readUInt32LE(local)).toBe(0x04034b50);
    const dataStart = local + 30 + tail.readUInt16LE(local + 26);
    expect(tail.subarray(dataStart, dataStart + 10).toString()).toBe("still here");
    // big.bin's data descriptor, just before after.txt, has 8-byte sizes.
    const descriptor = local - 24;
    expect(tail.readUInt32LE(descriptor)).toBe(0x08074b50);
    expect(Number(tail.readBigUInt64LE(descriptor + 8))).toBe(chunk.length * chunks);
  });
});
