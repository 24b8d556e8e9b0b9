import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import { dirname, join, normalize, sep } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";

/**
 * A tiny ustar writer and reader with gzip, enough for Glasschat's backups: regular files only,
 * names up to 255 bytes. The archives open with any `tar xzf`.
 */

const BLOCK = 512;

export interface TarSource {
  /** Path inside the archive, with `/`. */
  name: string;
  /** A file on disk, or bytes. */
  file?: string;
  data?: Buffer;
}

/** Writes `entries` into a .tar.gz at `path` (through a temporary file, renamed when complete). */
export async function writeTarGz(path: string, entries: TarSource[]): Promise<void> {
  const temporary = `${path}.partial-${process.pid}`;
  try {
    await pipeline(Readable.from(tarBlocks(entries)), createGzip(), createWriteStream(temporary));
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

async function* tarBlocks(entries: TarSource[]): AsyncGenerator<Buffer> {
  for (const entry of entries) {
    const size = entry.data ? entry.data.length : (await stat(entry.file as string)).size;
    const short = ustarName(entry.name);
    if (!short) {
      // A name longer than ustar holds goes in a PAX extended header just before the entry.
      const record = paxRecord("path", entry.name);
      yield header({ prefix: "", base: "PaxHeader", type: "x" }, record.length);
      yield record;
      yield Buffer.alloc((BLOCK - (record.length % BLOCK)) % BLOCK);
    }
    yield header(short ?? { prefix: "", base: entry.name.slice(-100), type: "0" }, size);
    let written = 0;
    if (entry.data) {
      yield entry.data;
      written = entry.data.length;
    } else {
      // Exactly `size` bytes, even if the file grew after stat: the header already said how many.
      for await (const chunk of createReadStream(entry.file as string, { end: Math.max(0, size - 1) })) {
        const buffer = chunk as Buffer;
        const take = buffer.subarray(0, size - written);
        written += take.length;
        yield take;
        if (written >= size) break;
      }
    }
    if (written < size) throw new Error(`${entry.file} shrank while it was archived`);
    const padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (padding) yield Buffer.alloc(padding);
  }
  yield Buffer.alloc(BLOCK * 2);
}

interface HeaderName {
  prefix: string;
  base: string;
  type: "0" | "x";
}

/** The name split the ustar way (prefix up to 155 bytes, base up to 100), or null if it cannot be. */
function ustarName(name: string): HeaderName | null {
  if (Buffer.byteLength(name) <= 100) return { prefix: "", base: name, type: "0" };
  for (let cut = name.indexOf("/"); cut > 0; cut = name.indexOf("/", cut + 1)) {
    const prefix = name.slice(0, cut);
    const base = name.slice(cut + 1);
    if (Buffer.byteLength(prefix) > 155) return null;
    if (Buffer.byteLength(base) <= 100) return { prefix, base, type: "0" };
  }
  return null;
}

/** One PAX record, `<length> <key>=<value>\n`, where length counts the whole record. */
function paxRecord(key: string, value: string): Buffer {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body);
  while (String(length).length + Buffer.byteLength(body) !== length)
    length = String(length).length + Buffer.byteLength(body);
  return Buffer.from(`${length}${body}`);
}

function header({ prefix, base, type }: HeaderName, size: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(base, 0, 100, "utf8");
  block.write("0000600\0", 100, 8, "ascii");
  block.write("0000000\0", 108, 8, "ascii");
  block.write("0000000\0", 116, 8, "ascii");
  block.write(`${size.toString(8).padStart(11, "0")}\0`, 124, 12, "ascii");
  block.write(
    `${Math.floor(Date.now() / 1000)
      .toString(8)
      .padStart(11, "0")}\0`,
    136,
    12,
    "ascii",
  );
  block.write("        ", 148, 8, "ascii");
  block.write(type, 156, 1, "ascii");
  block.write("ustar\0", 257, 6, "ascii");
  block.write("00", 263, 2, "ascii");
  block.write(prefix, 345, 155, "utf8");
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8, "ascii");
  return block;
}

/**
 * Extracts a .tar.gz into `dir`; resolves with the names written. Anything but regular files
 * and directories, and any name that would land outside `dir`, is refused.
 */
export async function extractTarGz(path: string, dir: string): Promise<string[]> {
  const names: string[] = [];
  const reader = new ByteReader(createReadStream(path).pipe(createGunzip()));
  let longName: string | undefined;
  for (;;) {
    const block = await reader.read(BLOCK);
    if (!block || block.every((byte) => byte === 0)) break;
    const name = longName ?? readName(block);
    longName = undefined;
    const size = Number.parseInt(block.toString("ascii", 124, 136).replace(/\0.*$/, "").trim() || "0", 8);
    const type = String.fromCharCode(block[156] ?? 0);
    const target = normalize(join(dir, name));
    if (!target.startsWith(normalize(dir) + sep) || !Number.isSafeInteger(size)) {
      throw new Error(`unsafe entry in the archive: ${name}`);
    }
    if (type === "x" || type === "g") {
      const records = (await reader.read(size))?.toString("utf8") ?? "";
      const path = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(records)?.[1];
      if (type === "x" && path) longName = path;
      await reader.read((BLOCK - (size % BLOCK)) % BLOCK);
      continue;
    }
    if (type === "5") {
      await mkdir(target, { recursive: true });
    } else if (type === "0" || type === "\0") {
      await mkdir(dirname(target), { recursive: true });
      const handle = await open(target, "w", 0o600);
      try {
        let left = size;
        while (left > 0) {
          const chunk = await reader.readSome(left);
          if (!chunk) throw new Error(`the archive ends inside ${name}`);
          await handle.write(chunk);
          left -= chunk.length;
        }
        await handle.sync();
      } finally {
        await handle.close();
      }
      names.push(name);
    } else {
      throw new Error(`unsupported entry type ${JSON.stringify(type)} in the archive: ${name}`);
    }
    const padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (padding && type !== "5") await reader.read(padding);
  }
  return names;
}

function readName(block: Buffer): string {
  const field = (start: number, length: number) =>
    block.toString("utf8", start, start + length).replace(/\0.*$/s, "");
  const prefix = field(345, 155);
  const base = field(0, 100);
  return prefix ? `${prefix}/${base}` : base;
}

/** Exact-size reads from a stream of chunks. */
class ByteReader {
  private readonly chunks: AsyncIterator<Buffer>;
  private buffer: Buffer = Buffer.alloc(0);

  constructor(stream: AsyncIterable<Buffer>) {
    this.chunks = stream[Symbol.asyncIterator]();
  }

  /** Between 1 and `n` bytes, whatever is at hand, or null at the end of the stream. */
  async readSome(n: number): Promise<Buffer | null> {
    if (this.buffer.length === 0) {
      const next = await this.chunks.next();
      if (next.done) return null;
      this.buffer = next.value;
    }
    const out = this.buffer.subarray(0, n);
    this.buffer = this.buffer.subarray(out.length);
    return out;
  }

  /** `n` bytes, or fewer at the end of the stream, or null when nothing is left. */
  async read(n: number): Promise<Buffer | null> {
    while (this.buffer.length < n) {
      const next = await this.chunks.next();
      if (next.done) break;
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, next.value]) : next.value;
    }
    if (this.buffer.length === 0) return null;
    const out = this.buffer.subarray(0, n);
    this.buffer = this.buffer.subarray(out.length);
    return out;
  }
}
