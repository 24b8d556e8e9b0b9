import { crc32 } from "node:zlib";

/** One file of the archive; its content may be produced piece by piece. */
export interface ZipEntry {
  name: string;
  content: Buffer | string | AsyncIterable<Buffer | string>;
}

const MAX_SIZE = 0xffff_ffff;

/** MS-DOS time and date of `at` (UTC), as ZIP headers carry them. */
function dosDateTime(at: Date): { time: number; date: number } {
  return {
    time: (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | Math.floor(at.getUTCSeconds() / 2),
    date: ((at.getUTCFullYear() - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate(),
  };
}

async function* chunksOf(content: ZipEntry["content"]): AsyncIterable<Buffer> {
  if (typeof content === "string" || Buffer.isBuffer(content)) {
    yield Buffer.from(content);
    return;
  }
  for await (const chunk of content) yield Buffer.from(chunk);
}

/**
 * A store-only ZIP (no compression: JSON and HTML compress well, but streaming matters more
 * here), written as it goes: each entry's CRC and sizes follow it in a data descriptor, so
 * nothing is held in memory but the central directory. UTF-8 names. Entries and the whole archive
 * stay under 4 GiB (no ZIP64).
 */
export async function* zipStream(entries: AsyncIterable<ZipEntry> | Iterable<ZipEntry>, at = new Date()) {
  const { time, date } = dosDateTime(at);
  const central: Buffer[] = [];
  let offset = 0;
  let count = 0;
  for await (const entry of entries) {
    const name = Buffer.from(entry.name, "utf8");
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0808, 6); // sizes in a data descriptor; UTF-8 name
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt16LE(name.length, 26);
    yield local;
    yield name;
    const start = offset;
    offset += local.length + name.length;
    let crc = 0;
    let size = 0;
    for await (const chunk of chunksOf(entry.content)) {
      if (chunk.length === 0) continue;
      crc = crc32(chunk, crc);
      size += chunk.length;
      if (size > MAX_SIZE || offset + size > MAX_SIZE) throw new Error("export larger than 4 GiB");
      yield chunk;
    }
    offset += size;
    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(crc, 4);
    descriptor.writeUInt32LE(size, 8);
    descriptor.writeUInt32LE(size, 12);
    yield descriptor;
    offset += descriptor.length;

    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0x0808, 8);
    header.writeUInt16LE(0, 10);
    header.writeUInt16LE(time, 12);
    header.writeUInt16LE(date, 14);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(size, 20);
    header.writeUInt32LE(size, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(start, 42);
    central.push(header, name);
    count++;
  }
  const directory = Buffer.concat(central);
  yield directory;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  yield end;
}
