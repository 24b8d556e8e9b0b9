import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp } from "./support/client.js";
import { fetchFile, upload } from "./support/files.js";
import { heifSample, moovBox, XMP_GPS } from "./support/heif.js";
import { startServer, type TestServer } from "./support/server.js";

describe.each(["disk", "database"] as const)(
  "HEIC photos lose their metadata (FILE_STORAGE=%s)",
  (storage) => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer({ env: { FILE_STORAGE: storage } });
    });
    afterAll(() => server?.close());

    for (const exifInIdat of [false, true]) {
      it(`blanks the Exif (GPS, camera serial) and XMP items in place, every other byte kept${exifInIdat ? " (Exif in idat)" : ""}`, async () => {
        const user = await signUp(server.url, `heic${exifInIdat ? "idat" : "mdat"}`);
        // The first metadata item after the picture straddles 256 KiB: a border of the database
        // store's chunks and of the disk store's 64 KiB reads.
        const small = await heifSample({ exifInIdat });
        const after = small.bytes.indexOf(small.picture) + small.picture.length;
        const sample = await heifSample({ exifInIdat, pictureBytes: 3000 + 256 * 1024 - 50 - after });
        expect(sample.bytes.indexOf(exifInIdat ? sample.xmp : sample.exif)).toBe(256 * 1024 - 50);
        expect(sample.bytes.includes(sample.exif)).toBe(true);
        expect(sample.bytes.includes(Buffer.from("SN-4242-CAMERA"))).toBe(true);
        expect(sample.bytes.includes(Buffer.from(XMP_GPS))).toBe(true);

        const reply = await upload(server.url, user, "IMG_0001.HEIC", sample.bytes, "image/heic");
        expect(reply.status).toBe(201);
        expect(reply.file).toMatchObject({ type: "image/heic", size: sample.bytes.length });
        const served = await fetchFile(server.url, reply.file?.url as string, user);
        expect(served.headers.get("content-disposition")).toMatch(/^attachment/);
        const out = served.bytes;
        expect(out.length).toBe(sample.bytes.length);
        expect(out.includes(Buffer.from("SN-4242-CAMERA"))).toBe(false);
        expect(out.includes(Buffer.from("PhoneCo"))).toBe(false);
        expect(out.includes(Buffer.from(XMP_GPS))).toBe(false);
        // Where they were there are zeros now; every other byte (boxes, offsets, the picture) is kept.
        const expected = Buffer.from(sample.bytes);
        for (const item of [sample.exif, sample.xmp]) {
          const at = sample.bytes.indexOf(item);
          expected.fill(0, at, at + item.length);
        }
        expect(out.equals(expected)).toBe(true);
        expect(out.includes(sample.picture)).toBe(true);
      });
    }

    it("refuses a HEIF whose metadata it cannot locate for certain (an image sequence's moov) with 415, storing nothing", async () => {
      const user = await signUp(server.url, "heicseq");
      const sample = await heifSample({ extraTopLevel: moovBox });
      const reply = await upload(server.url, user, "burst.heic", sample.bytes, "image/heic");
      expect([reply.status, reply.error?.code]).toEqual([415, "unsupported_media_type"]);
      expect(reply.error?.message).toMatch(/location/);
      expect(await server.app.files.filesOfUser(user.user.id)).toEqual([]);
    });

    it("refuses a HEIF whose boxes run past its end", async () => {
      const user = await signUp(server.url, "heicbroken");
      const sample = await heifSample();
      const reply = await upload(
        server.url,
        user,
        "cut.heic",
        sample.bytes.subarray(0, sample.bytes.length - 100),
        "image/heic",
      );
      expect(reply.status).toBe(415);
    });
  },
);
