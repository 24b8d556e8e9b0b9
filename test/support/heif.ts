import sharp from "sharp";

/**
 * A minimal HEIF (ISOBMFF) still image built byte by byte: `ftyp`, a `meta` box (hdlr, pitm,
 * iinf, iloc, and `idat` when asked) and an `mdat` holding a stand-in HEVC picture, an `Exif`
 * item with GPS and a camera serial, and an XMP (`mime`) item with a location. Enough for a
 * parser to find the items; not decodable as a picture (nothing here needs that).
 */
export interface HeifSample {
  bytes: Buffer;
  /** The EXIF (TIFF) bytes, the XMP packet and the picture bytes, as placed in the file. */
  exif: Buffer;
  xmp: Buffer;
  picture: Buffer;
}

export const XMP_GPS = "exif:GPSLatitude>48,8.5N</exif:GPSLatitude";

/** EXIF with GPS (IFD3) and a camera serial, as sharp writes it into a JPEG's APP1. */
export async function exifWithGps(): Promise<Buffer> {
  const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#fff" } })
    .withExif({
      IFD0: { Make: "PhoneCo", Model: "Phone 15" },
      IFD2: { BodySerialNumber: "SN-4242-CAMERA" },
      IFD3: {
        GPSLatitudeRef: "N",
        GPSLatitude: "48/1 8/1 30/1",
        GPSLongitudeRef: "E",
        GPSLongitude: "11/1 34/1 0/1",
      },
    })
    .jpeg()
    .toBuffer();
  for (let at = 2; at + 4 < jpeg.length; ) {
    const marker = jpeg.readUInt16BE(at);
    const length = jpeg.readUInt16BE(at + 2);
    const body = jpeg.subarray(at + 4, at + 2 + length);
    if (marker === 0xffe1 && body.subarray(0, 6).toString("latin1") === "Exif\0\0") return body.subarray(6);
    at += 2 + length;
  }
  throw new Error("sharp wrote no EXIF");
}

const u8 = (n: number) => Buffer.from([n]);
const u16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
};
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const str = (s: string) => Buffer.from(`${s}\0`, "latin1");
const box = (type: string, ...parts: Buffer[]) => {
  const body = Buffer.concat(parts);
  return Buffer.concat([u32(body.length + 8), Buffer.from(type, "latin1"), body]);
};
const fullBox = (type: string, version: number, ...parts: Buffer[]) =>
  box(type, u8(version), Buffer.alloc(3), ...parts);
const infe = (id: number, type: string, ...extra: Buffer[]) =>
  fullBox("infe", 2, u16(id), u16(0), Buffer.from(type, "latin1"), str(""), ...extra);

export async function heifSample(
  options: { exifInIdat?: boolean; extraTopLevel?: Buffer; pictureBytes?: number } = {},
): Promise<HeifSample> {
  const tiff = await exifWithGps();
  // The HEIF Exif item: a 4-byte offset to the TIFF header, then the TIFF data.
  const exif = Buffer.concat([u32(6), Buffer.from("Exif\0\0", "latin1"), tiff]);
  const xmp = Buffer.from(
    `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description><${XMP_GPS}></rdf:Description></rdf:RDF></x:xmpmeta>`,
  );
  const picture = Buffer.from(
    Array.from({ length: options.pictureBytes ?? 3000 }, (_, i) => (i * 7 + 1) & 255),
  );
  const ftyp = box("ftyp", Buffer.from("heic", "latin1"), u32(0), Buffer.from("mif1heic", "latin1"));

  const build = (mdatStart: number) => {
    // mdat payload: picture, [exif], xmp
    const inMdat = options.exifInIdat ? [picture, xmp] : [picture, exif, xmp];
    const pictureAt = mdatStart + 8;
    const exifAt = options.exifInIdat ? 0 : pictureAt + picture.length;
    const xmpAt = pictureAt + picture.length + (options.exifInIdat ? 0 : exif.length);
    const location = (id: number, method: number, offset: number, length: number) =>
      Buffer.concat([u16(id), u16(method), u16(0), u16(1), u32(offset), u32(length)]);
    const iloc = fullBox(
      "iloc",
      1,
      u8(0x44),
      u8(0x00),
      u16(3),
      location(1, 0, pictureAt, picture.length),
      location(2, options.exifInIdat ? 1 : 0, exifAt, exif.length),
      location(3, 0, xmpAt, xmp.length),
    );
    const meta = fullBox(
      "meta",
      0,
      fullBox("hdlr", 0, u32(0), Buffer.from("pict", "latin1"), Buffer.alloc(12), str("")),
      fullBox("pitm", 0, u16(1)),
      fullBox(
        "iinf",
        0,
        u16(3),
        infe(1, "hvc1"),
        infe(2, "Exif"),
        infe(3, "mime", str("application/rdf+xml")),
      ),
      iloc,
      ...(options.exifInIdat ? [box("idat", exif)] : []),
    );
    return { meta, mdat: box("mdat", ...inMdat) };
  };
  // Offsets depend on the meta box's length, which does not depend on them.
  const first = build(0);
  const mdatStart = ftyp.length + first.meta.length + (options.extraTopLevel?.length ?? 0);
  const { meta, mdat } = build(mdatStart);
  const bytes = Buffer.concat([ftyp, meta, options.extraTopLevel ?? Buffer.alloc(0), mdat]);
  return { bytes, exif, xmp, picture };
}

/** A top-level `moov` box, as a HEIF image sequence carries (with its own track metadata). */
export const moovBox = box("moov", box("udta", Buffer.from("\xa9xyz+48.1+011.5/", "latin1")));
