import { crc32 } from "node:zlib";

const MAX_32 = 0xffff_ffff;

export interface CentralEntry {
  name: string;
  method: number;
  crc: number;
  size: number;
  offset: number;
}

/**
 * The central directory of a ZIP whose end is `tail` (the archive's last bytes; `tailStart` is
 * where they begin in the whole archive), read through the ZIP64 records where the classic
 * fields are all ones.
 */
export function centralDirectory(tail: Buffer, tailStart = 0): CentralEntry[] {
  const end = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error("no end of central directory");
  let count = tail.readUInt16LE(end + 10);
  let at = tail.readUInt32LE(end + 16);
  if (count === 0xffff || at === MAX_32) {
    const locator = end - 20;
    if (tail.readUInt32LE(locator) !== 0x07064b50) throw new Error("no ZIP64 end locator");
    const end64 = Number(tail.readBigUInt64LE(locator + 8)) - tailStart;
    if (tail.readUInt32LE(end64) !== 0x06064b50) throw new Error("no ZIP64 end of central directory");
    count = Number(tail.readBigUInt64LE(end64 + 32));
    at = Number(tail.readBigUInt64LE(end64 + 48));
  }
  at -= tailStart;
  const entries: CentralEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (tail.readUInt32LE(at) !== 0x02014b50) throw new Error("bad central directory entry");
    const nameLength = tail.readUInt16LE(at + 28);
    const extraLength = tail.readUInt16LE(at + 30);
    const commentLength = tail.readUInt16LE(at + 32);
    const entry: CentralEntry = {
      name: tail.subarray(at + 46, at + 46 + nameLength).toString("utf8"),
      method: tail.readUInt16LE(at + 10),
      crc: tail.readUInt32LE(at + 16),
      size: tail.readUInt32LE(at + 24),
      offset: tail.readUInt32LE(at + 42),
    };
    // The ZIP64 extra field holds, in order, each of these that is all ones in the header.
    const extra = tail.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength);
    for (let e = 0; e + 4 <= extra.length; e += 4 + extra.readUInt16LE(e + 2)) {
      if (extra.readUInt16LE(e) !== 0x0001) continue;
      let field = e + 4;
      const wide = () => {
        const value = Number(extra.readBigUInt64LE(field));
        field += 8;
        return value;
      };
      if (entry.size === MAX_32) entry.size = wide();
      if (tail.readUInt32LE(at + 20) === MAX_32) wide(); // compressed size: the same, stored
      if (entry.offset === MAX_32) entry.offset = wide();
    }
    entries.push(entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Reads a store-only ZIP through its central directory, checking each entry's CRC. */
export function unzip(archive: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const { name, method, crc, size, offset } of centralDirectory(archive)) {
    if (method !== 0) throw new Error(`${name}: not stored`);
    if (archive.readUInt32LE(offset) !== 0x04034b50) throw new Error(`${name}: bad local header`);
    const dataStart = offset + 30 + archive.readUInt16LE(offset + 26) + archive.readUInt16LE(offset + 28);
    const data = archive.subarray(dataStart, dataStart + size);
    if (crc32(data) !== crc) throw new Error(`${name}: CRC mismatch`);
    files.set(name, data);
  }
  return files;
}
