import type { Readable } from "node:stream";
import sharp, { type Metadata, type OutputInfo, type Sharp } from "sharp";
import type { BlobStore } from "../storage/file-blobs/index.js";
import { PROCESSED_IMAGES } from "./file-types.js";

/** Larger images are kept as plain downloads: decoding them would take too much memory. */
export const MAX_IMAGE_PIXELS = 64_000_000;
/** Thumbnails fit in this square (CSS pixels × 2 for sharp screens). */
export const THUMB_PX = 480;

export interface ProcessedImage {
  key: string;
  size: number;
  width: number;
  height: number;
  thumbKey: string;
  thumbSize: number;
}

/**
 * Re-encodes an uploaded raster image with its orientation applied and every metadata block
 * (EXIF with GPS and camera serial, XMP, IPTC, comments) left out, and makes its thumbnail
 * (WebP), both from one decode. Animated GIFs keep their bytes (GIF has no EXIF) and get a
 * thumbnail of their first frame. Resolves undefined when the bytes are not a decodable image.
 */
export async function processImage(
  blobs: BlobStore,
  key: string,
  size: number,
  type: string,
): Promise<ProcessedImage | undefined> {
  const format = PROCESSED_IMAGES[type];
  if (!format) return undefined;
  const read = () => blobs.get(key, { start: 0, end: size - 1 });
  try {
    const decoder = sharp({ limitInputPixels: MAX_IMAGE_PIXELS, failOn: "error" }).rotate();
    const thumb = decoder
      .clone()
      .resize(THUMB_PX, THUMB_PX, { fit: "inside", withoutEnlargement: true })
      .webp({ quality: 75 });
    let thumbInfo: OutputInfo | undefined;
    thumb.on("info", (info: OutputInfo) => {
      thumbInfo = info;
    });
    let full: Sharp | undefined;
    let fullInfo: OutputInfo | undefined;
    if (format !== "gif") {
      full = encode(decoder.clone(), format);
      full.on("info", (info: OutputInfo) => {
        fullInfo = info;
      });
    }
    const source = feed(read(), decoder);
    const [thumbKey, fullKey] = await Promise.all([
      blobs.put(thumb),
      full ? blobs.put(full) : Promise.resolve(key),
      source,
    ]).then(([t, f]) => [t, f] as const);
    const meta =
      fullInfo ??
      toInfo(
        await read()
          .pipe(sharp({ limitInputPixels: MAX_IMAGE_PIXELS }))
          .metadata(),
      );
    return {
      key: fullKey,
      size: fullInfo?.size ?? size,
      width: meta.width,
      height: meta.height,
      thumbKey,
      thumbSize: thumbInfo?.size ?? 0,
    };
  } catch {
    return undefined;
  }
}

function encode(image: Sharp, format: Exclude<(typeof PROCESSED_IMAGES)[string], "gif">): Sharp {
  switch (format) {
    case "jpeg":
      return image.jpeg({ quality: 90 });
    case "png":
      return image.png();
    case "webp":
      return image.webp({ quality: 90 });
    case "avif":
      return image.avif({ quality: 60, effort: 2 });
    case "tiff":
      return image.tiff();
  }
}

/** Pipes the blob into sharp; a read error fails the decode. */
function feed(input: Readable, decoder: Sharp): Promise<void> {
  return new Promise((resolve, reject) => {
    input.on("error", (error) => {
      decoder.destroy(error);
      reject(error);
    });
    input.on("end", () => resolve());
    input.pipe(decoder);
  });
}

function toInfo(meta: Metadata): { width: number; height: number } {
  if (!meta.width || !meta.height) throw new Error("no dimensions");
  return { width: meta.width, height: meta.height };
}
