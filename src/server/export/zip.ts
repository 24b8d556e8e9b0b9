import { crc32 } from "node:zlib";

/** One file of the archive; its content may be produced piece by piece. */
export interface ZipEntry {
  name: string;
  content: Buffer | string | AsyncIterable<Buffer | string>;
}

/** The largest value a classic (32-bit) field holds; at or above it, ZIP64 records carry it. */
const MAX_32 = 0xffff_ffff;
const MAX_16 = 0xffff;

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

function localHeader(name: Buffer, time: number, date: number): Buffer {
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4); // ZIP64 or not shows in the central directory, once sizes are known
  local.writeUInt16LE(0x0808, 6); // sizes in a data descriptor; UTF-8 name
  local.writeUInt16LE(0, 8); // stored
  local.writeUInt16LE(time, 10);
  local.writeUInt16LE(date, 12);
  local.writeUInt16LE(name.length, 26);
  return local;
}

/** The data descriptor after an entry: 8-byte sizes once the entry reaches 4 GiB (ZIP64). */
function dataDescriptor(crc: number, size: number): Buffer {
  const wide = size >= MAX_32;
  const descriptor = Buffer.alloc(wide ? 24 : 16);
  descriptor.writeUInt32LE(0x08074b50, 0);
  descriptor.writeUInt32LE(crc, 4);
  if (wide) {
    descriptor.writeBigUInt64LE(BigInt(size), 8);
    descriptor.writeBigUInt64LE(BigInt(size), 16);
  } else {
    descriptor.writeUInt32LE(size, 8);
    descriptor.writeUInt32LE(size, 12);
  }
  return descriptor;
}

/**
 * The entry's central directory header. An entry of 4 GiB or more, or one that starts beyond
 * 4 GiB, keeps all-ones in the classic fields and its sizes and offset in a ZIP64 extra field.
 */
function centralHeader(
  name: Buffer,
  entry: { crc: number; size: number; start: number },
  time: number,
  date: number,
) {
  const zip64 = entry.size >= MAX_32 || entry.start >= MAX_32;
  const extra = Buffer.alloc(zip64 ? 28 : 0);
  if (zip64) {
    extra.writeUInt16LE(0x0001, 0);
    extra.writeUInt16LE(24, 2);
    extra.writeBigUInt64LE(BigInt(entry.size), 4);
    extra.writeBigUInt64LE(BigInt(entry.size), 12);
    extra.writeBigUInt64LE(BigInt(entry.start), 20);
  }
  const header = Buffer.alloc(46);
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE(45, 4);
  header.writeUInt16LE(zip64 ? 45 : 20, 6);
  header.writeUInt16LE(0x0808, 8);
  header.writeUInt16LE(0, 10);
  header.writeUInt16LE(time, 12);
  header.writeUInt16LE(date, 14);
  header.writeUInt32LE(entry.crc, 16);
  header.writeUInt32LE(zip64 ? MAX_32 : entry.size, 20);
  header.writeUInt32LE(zip64 ? MAX_32 : entry.size, 24);
  header.writeUInt16LE(name.length, 28);
  header.writeUInt16LE(extra.length, 30);
  header.writeUInt32LE(zip64 ? MAX_32 : entry.start, 42);
  return Buffer.concat([header, name, extra]);
}

/**
 * The end records: ZIP64's end of central directory and its locator first when there are more
 * than 65,534 entries or the directory sits or ends beyond 4 GiB; then the classic one.
 */
function endRecords(count: number, directorySize: number, directoryStart: number): Buffer[] {
  const records: Buffer[] = [];
  const zip64 = count >= MAX_16 || directorySize >= MAX_32 || directoryStart >= MAX_32;
  if (zip64) {
    const end64 = Buffer.alloc(56);
    end64.writeUInt32LE(0x06064b50, 0);
    end64.writeBigUInt64LE(44n, 4); // size of the rest of this record
    end64.writeUInt16LE(45, 12);
    end64.writeUInt16LE(45, 14);
    end64.writeBigUInt64LE(BigInt(count), 24);
    end64.writeBigUInt64LE(BigInt(count), 32);
    end64.writeBigUInt64LE(BigInt(directorySize), 40);
    end64.writeBigUInt64LE(BigInt(directoryStart), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(directoryStart + directorySize), 8);
    locator.writeUInt32LE(1, 16); // disks in all
    records.push(end64, locator);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(zip64 ? MAX_16 : count, 8);
  end.writeUInt16LE(zip64 ? MAX_16 : count, 10);
  end.writeUInt32LE(zip64 ? MAX_32 : directorySize, 12);
  end.writeUInt32LE(zip64 ? MAX_32 : directoryStart, 16);
  records.push(end);
  return records;
}

/**
 * A store-only ZIP (no compression: JSON and HTML compress well, but streaming matters more
 * here), written as it goes: each entry's CRC and sizes follow it in a data descriptor, so
 * nothing is held in memory but the central directory. UTF-8 names. Past 4 GiB or 65,534
 * entries it switches to ZIP64 records, as Go's archive/zip does, so any size can be exported.
 */
export async function* zipStream(entries: AsyncIterable<ZipEntry> | Iterable<ZipEntry>, at = new Date()) {
  const { time, date } = dosDateTime(at);
  const central: Buffer[] = [];
  let offset = 0;
  let count = 0;
  for await (const entry of entries) {
    const name = Buffer.from(entry.name, "utf8");
    const local = localHeader(name, time, date);
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
      yield chunk;
    }
    offset += size;
    const descriptor = dataDescriptor(crc, size);
    yield descriptor;
    offset += descriptor.length;
    central.push(centralHeader(name, { crc, size, start }, time, date));
    count++;
  }
  const directory = Buffer.concat(central);
  yield directory;
  yield* endRecords(count, directory.length, offset);
}
