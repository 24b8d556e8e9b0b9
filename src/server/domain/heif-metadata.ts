import { Transform, type TransformCallback } from "node:stream";
import type { BlobStore } from "../storage/file-blobs/index.js";

/**
 * HEIC/HEIF photos lose their metadata without being decoded (the prebuilt sharp has no HEVC
 * decoder). HEIF is ISOBMFF: the top-level `meta` box lists items (`iinf`) and where their bytes
 * lie (`iloc`); EXIF (GPS, camera serial) is an `Exif` item, XMP a `mime` item. Their bytes are
 * overwritten with zeros in a streamed copy, so every offset in the file stays valid and memory
 * holds one chunk plus the `meta` box. Anything this parser does not fully understand is refused
 * (undefined), never passed through with its metadata.
 */

/** Top-level boxes a still HEIF photo may have; anything else (`moov` of a sequence with its
 * track metadata, `uuid`, `udta`…) could hold metadata we do not know how to find. */
const TOP_LEVEL = new Set(["ftyp", "meta", "mdat", "free", "skip"]);
/** Item types that are pictures or their structure; every other item (Exif, mime = XMP, uri) is blanked. */
const PICTURE_ITEMS = new Set([
  "hvc1",
  "av01",
  "grid",
  "iden",
  "iovl",
  "tmap",
  "jpeg",
  "unci",
  "hvt1",
  "vvc1",
]);
/** A `meta` box is a few kilobytes; a larger one is not a photo we take apart. */
const MAX_META_BYTES = 4 * 1024 * 1024;
/** Each top-level box costs a read; a photo has three or four. */
const MAX_TOP_LEVEL_BOXES = 64;

export const HEIF_TYPES: ReadonlySet<string> = new Set(["image/heic", "image/heif"]);

interface Span {
  start: number;
  end: number;
}

class Unsupported extends Error {}

/**
 * Copies the blob with every metadata item's bytes zeroed and resolves with the copy's key, or
 * undefined when the file is not a HEIF still image whose metadata can be located for certain.
 */
export async function blankHeifMetadata(
  blobs: BlobStore,
  key: string,
  size: number,
): Promise<string | undefined> {
  let spans: Span[];
  try {
    spans = await metadataSpans((start, end) => readBytes(blobs, key, start, end), size);
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
  if (spans.length === 0) return key;
  return blobs.put(blobs.get(key, { start: 0, end: size - 1 }).pipe(zeroing(spans)));
}

type Read = (start: number, end: number) => Promise<Buffer>;

/** Where the metadata items' bytes are (absolute, half-open), sorted. */
export async function metadataSpans(read: Read, size: number): Promise<Span[]> {
  let meta: { start: number; end: number } | undefined;
  for (let offset = 0, boxes = 0; offset < size; boxes++) {
    if (boxes === MAX_TOP_LEVEL_BOXES) throw new Unsupported("too many top-level boxes");
    const header = await read(offset, Math.min(size, offset + 16));
    const box = boxAt(header, 0, offset, size);
    if (!TOP_LEVEL.has(box.type)) throw new Unsupported(`top-level box ${box.type}`);
    if (box.type === "meta") {
      if (meta) throw new Unsupported("two meta boxes");
      meta = { start: offset, end: box.end };
    }
    offset = box.end;
  }
  if (!meta || meta.end - meta.start > MAX_META_BYTES) throw new Unsupported("no meta box");
  const bytes = await read(meta.start, meta.end);
  return parseMeta(bytes, meta.start, size);
}

interface Box {
  type: string;
  /** Where the payload starts and the box ends (absolute). */
  body: number;
  end: number;
}

/** The box whose header is at `at` in `buf` (which starts at absolute `base`); `limit` bounds it. */
function boxAt(buf: Buffer, at: number, base: number, limit: number): Box {
  if (at + 8 > buf.length) throw new Unsupported("truncated box header");
  let length = buf.readUInt32BE(at);
  const type = buf.toString("latin1", at + 4, at + 8);
  let header = 8;
  if (length === 1) {
    if (at + 16 > buf.length) throw new Unsupported("truncated large box");
    length = Number(buf.readBigUInt64BE(at + 8));
    header = 16;
  } else if (length === 0) {
    length = limit - (base + at);
  }
  const start = base + at;
  if (length < header || start + length > limit) throw new Unsupported(`box ${type} out of bounds`);
  return { type, body: start + header, end: start + length };
}

/** The boxes inside `[from, to)` of `buf` (absolute offsets, `buf` starting at `base`). */
function children(buf: Buffer, base: number, from: number, to: number): Box[] {
  const boxes: Box[] = [];
  for (let at = from; at < to; ) {
    const box = boxAt(buf, at - base, base, to);
    boxes.push(box);
    at = box.end;
  }
  return boxes;
}

function parseMeta(buf: Buffer, base: number, size: number): Span[] {
  const meta = boxAt(buf, 0, base, base + buf.length);
  // `meta` is a FullBox: 4 bytes of version and flags before its children.
  const boxes = children(buf, base, meta.body + 4, meta.end);
  const one = (type: string) => {
    const found = boxes.filter((b) => b.type === type);
    if (found.length > 1) throw new Unsupported(`two ${type} boxes`);
    return found[0];
  };
  const iinf = one("iinf");
  const iloc = one("iloc");
  if (!iinf) return [];
  const blanked = metadataItems(buf, base, iinf);
  if (blanked.size === 0) return [];
  if (!iloc) throw new Unsupported("items without iloc");
  const idat = one("idat");
  const spans = itemSpans(buf, base, iloc, blanked, idat, size);
  return spans.sort((a, b) => a.start - b.start);
}

/** Ids of the items that are not pictures (Exif, XMP and any other metadata). */
function metadataItems(buf: Buffer, base: number, iinf: Box): Set<number> {
  const r = reader(buf, base, iinf.body, iinf.end);
  const version = r.u8();
  r.skip(3);
  const count = version === 0 ? r.u16() : r.u32();
  const entries = children(buf, base, r.at(), iinf.end).filter((b) => b.type === "infe");
  if (entries.length !== count) throw new Unsupported("iinf count");
  const ids = new Set<number>();
  for (const infe of entries) {
    const e = reader(buf, base, infe.body, infe.end);
    const v = e.u8();
    e.skip(3);
    if (v < 2) {
      // Versions 0 and 1 describe MIME-typed items only: metadata.
      ids.add(e.u16());
      continue;
    }
    const id = v === 2 ? e.u16() : e.u32();
    e.skip(2);
    const type = e.fourcc();
    if (!PICTURE_ITEMS.has(type)) ids.add(id);
  }
  return ids;
}

/** The absolute spans of the given items' extents. */
function itemSpans(
  buf: Buffer,
  base: number,
  iloc: Box,
  ids: Set<number>,
  idat: Box | undefined,
  size: number,
): Span[] {
  const r = reader(buf, base, iloc.body, iloc.end);
  const version = r.u8();
  r.skip(3);
  if (version > 2) throw new Unsupported("iloc version");
  const sizes = r.u8();
  const more = r.u8();
  const offsetSize = sizes >> 4;
  const lengthSize = sizes & 15;
  const baseOffsetSize = more >> 4;
  const indexSize = version === 0 ? 0 : more & 15;
  const count = version < 2 ? r.u16() : r.u32();
  const spans: Span[] = [];
  const found = new Set<number>();
  for (let i = 0; i < count; i++) {
    const id = version < 2 ? r.u16() : r.u32();
    const method = version === 0 ? 0 : r.u16() & 15;
    const dataReference = r.u16();
    const baseOffset = r.uint(baseOffsetSize);
    const extents = r.u16();
    for (let x = 0; x < extents; x++) {
      if (indexSize > 0) r.uint(indexSize);
      const offset = r.uint(offsetSize);
      const length = r.uint(lengthSize);
      if (!ids.has(id) || dataReference !== 0) continue;
      if (method === 2 || method > 2) throw new Unsupported("item data by reference");
      if (length === 0) throw new Unsupported("extent to the end of the file");
      const origin = method === 1 ? idat?.body : 0;
      if (origin === undefined) throw new Unsupported("idat missing");
      const start = origin + baseOffset + offset;
      const limit = method === 1 ? (idat as Box).end : size;
      if (start + length > limit) throw new Unsupported("extent out of bounds");
      spans.push({ start, end: start + length });
    }
    if (ids.has(id)) found.add(id);
  }
  // An item whose bytes we could not locate might be anywhere.
  if (found.size !== ids.size) throw new Unsupported("item without location");
  return spans;
}

/** Big-endian reads within `[from, to)` (absolute) of `buf`, which starts at `base`. */
function reader(buf: Buffer, base: number, from: number, to: number) {
  let at = from - base;
  const end = to - base;
  const need = (n: number) => {
    if (at + n > end) throw new Unsupported("truncated box");
    const here = at;
    at += n;
    return here;
  };
  return {
    at: () => at + base,
    skip: (n: number) => void need(n),
    u8: () => buf.readUInt8(need(1)),
    u16: () => buf.readUInt16BE(need(2)),
    u32: () => buf.readUInt32BE(need(4)),
    fourcc: () => buf.toString("latin1", need(4), at),
    uint(bytes: number): number {
      if (bytes === 0) return 0;
      if (bytes === 4) return buf.readUInt32BE(need(4));
      if (bytes === 8) return Number(buf.readBigUInt64BE(need(8)));
      throw new Unsupported("field size");
    },
  };
}

/** A pass-through that writes zeros over `spans` (sorted, absolute), copying only chunks it changes. */
function zeroing(spans: Span[]): Transform {
  let position = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      const from = position;
      const to = position + chunk.length;
      position = to;
      let out = chunk;
      for (const span of spans) {
        if (span.end <= from || span.start >= to) continue;
        if (out === chunk) out = Buffer.from(chunk);
        out.fill(0, Math.max(span.start, from) - from, Math.min(span.end, to) - from);
      }
      done(null, out);
    },
  });
}

async function readBytes(blobs: BlobStore, key: string, start: number, end: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of blobs.get(key, { start, end: end - 1 })) parts.push(part as Buffer);
  return Buffer.concat(parts);
}
