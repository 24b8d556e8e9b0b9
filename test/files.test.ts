import { readdirSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Chat, FileInfo, Message, MessagePage } from "../src/protocol/index.js";
import {
  clientId,
  closeAllSockets,
  connected,
  eventually,
  nextEvent,
  pair,
  send,
  signUp,
  type TestUser,
} from "./support/client.js";
import { DIALECTS } from "./support/databases.js";
import { fetchFile, upload, uploaded } from "./support/files.js";
import { startServer, type TestServer } from "./support/server.js";

const MAX = 1024 * 1024;
const QUOTA = 3 * MAX;
const CASES = DIALECTS.flatMap((dialect) =>
  (["disk", "database"] as const).map((storage) => [dialect, storage] as const),
);

describe.each(CASES)("files (%s, FILE_STORAGE=%s)", (dialect, storage) => {
  let server: TestServer;
  let clock = Date.now();
  beforeAll(async () => {
    server = await startServer({
      dialect,
      now: () => clock,
      env: { FILE_STORAGE: storage, FILE_MAX_BYTES: String(MAX), FILE_QUOTA_BYTES: String(QUOTA) },
    });
  });
  afterAll(() => server?.close());
  afterEach(() => closeAllSockets());

  /** Blobs in the store: files under DATA_DIR/files, or distinct keys of file_chunks. */
  async function storedBlobs(): Promise<number> {
    if (storage === "database") {
      const rows = await server.app.database.db
        .selectFrom("file_chunks")
        .select("blob_key")
        .distinct()
        .execute();
      return rows.length;
    }
    const root = join(server.dataDir, "files");
    let count = 0;
    for (const folder of safeList(root)) count += safeList(join(root, folder)).length;
    return count;
  }

  async function sendFiles(user: TestUser, chatId: string, fileIds: string[], body = "") {
    const socket = await connected(server.url, user.cookie);
    return send(socket, { chatId, body, clientId: clientId(), fileIds });
  }

  it("a file sent in a chat reaches the other member live, in history, in the feed, and they fetch it", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const bytes = Buffer.from("%PDF-1.4\n% a small document\n");
    const file = await uploaded(server.url, alice, "report 2026.pdf", bytes, "text/plain");
    expect(file).toMatchObject({ name: "report 2026.pdf", type: "application/pdf", size: bytes.length });
    expect(file.url).toBe(`/api/files/${file.id}`);
    const bobSocket = await connected(server.url, bob.cookie);
    const live = nextEvent(bobSocket, "message:new");
    const ack = await sendFiles(alice, chatId, [file.id], "the report");
    expect(ack.ok).toBe(true);
    const sent = (ack as { message: Message }).message;
    expect(sent.files).toEqual([file]);
    expect((await live).files).toEqual([file]);

    const history = await bob.api<MessagePage>("GET", `/api/chats/${chatId}/messages`);
    expect(history.body.messages.at(-1)?.files).toEqual([file]);
    const feed = await bob.api<{ messages: Message[] }>("GET", `/api/chats/${chatId}/changes`);
    expect(feed.body.messages.find((m) => m.id === sent.id)).toMatchObject({ files: [file], rev: sent.rev });
    const list = await bob.api<{ chats: Chat[] }>("GET", "/api/chats");
    expect(list.body.chats.find((c) => c.id === chatId)?.lastMessage?.files).toEqual([file]);

    const fetched = await fetchFile(server.url, file.url, bob);
    expect(fetched.status).toBe(200);
    expect(fetched.bytes.equals(bytes)).toBe(true);
    expect(fetched.headers.get("content-type")).toBe("application/pdf");
    expect(fetched.headers.get("content-disposition")).toMatch(
      /^inline; .*filename\*=UTF-8''report%202026\.pdf/,
    );
  });

  it("answers 404 to a non-member, a logged-out visitor, a removed group member and for unknown ids", async () => {
    const ann = await signUp(server.url, "ann");
    const ben = await signUp(server.url, "ben");
    const cy = await signUp(server.url, "cy");
    const group = await ann.api<{ chat: Chat }>("POST", "/api/chats", {
      kind: "group",
      title: "Trip",
      emails: [ben.email, cy.email],
    });
    const chatId = group.body.chat.id;
    const file = await uploaded(server.url, ann, "notes.txt", "secret plans");
    // Before it is sent, only its uploader has it.
    expect((await fetchFile(server.url, file.url, ann)).status).toBe(200);
    expect((await fetchFile(server.url, file.url, ben)).status).toBe(404);
    expect((await sendFiles(ann, chatId, [file.id])).ok).toBe(true);
    expect((await fetchFile(server.url, file.url, cy)).status).toBe(200);

    const stranger = await signUp(server.url, "stranger");
    const answers = [
      await fetchFile(server.url, file.url, stranger),
      await fetchFile(server.url, file.url),
      await fetchFile(server.url, "/api/files/fnothere"),
    ];
    expect((await ann.api("DELETE", `/api/chats/${chatId}/members/${cy.user.id}`)).status).toBe(204);
    answers.push(await fetchFile(server.url, file.url, cy));
    const loggedOut = await signUp(server.url, "gone");
    await loggedOut.api("POST", "/api/auth/logout");
    answers.push(await fetchFile(server.url, file.url, loggedOut));
    for (const answer of answers) {
      expect(answer.status).toBe(404);
      expect(JSON.parse(answer.bytes.toString()).error.code).toBe("not_found");
    }
  });

  it("attaches only own, unsent uploads, each to one message; a retry keeps its files; body may be empty only with files", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const mine = await uploaded(server.url, alice, "a.txt", "a");
    const theirs = await uploaded(server.url, bob, "b.txt", "b");
    const socket = await connected(server.url, alice.cookie);
    const bad = async (payload: object) => {
      const ack = await send(socket, { chatId, clientId: clientId(), body: "", ...payload });
      expect(ack.ok).toBe(false);
      return ack.ok ? undefined : ack.error;
    };
    expect((await bad({ fileIds: [theirs.id] }))?.fields).toHaveProperty("fileIds");
    expect((await bad({}))?.fields).toHaveProperty("body");
    expect((await bad({ fileIds: [] }))?.code).toBe("invalid_input");
    expect((await bad({ fileIds: Array.from({ length: 11 }, () => mine.id) }))?.code).toBe("invalid_input");
    expect((await bad({ fileIds: [mine.id, mine.id] }))?.code).toBe("invalid_input");

    const id = clientId();
    const first = await send(socket, { chatId, clientId: id, body: "", fileIds: [mine.id] });
    const retry = await send(socket, { chatId, clientId: id, body: "", fileIds: [mine.id] });
    expect(first.ok && retry.ok).toBe(true);
    if (!first.ok || !retry.ok) return;
    expect(retry.message).toMatchObject({ id: first.message.id, files: [mine] });
    expect((await bad({ fileIds: [mine.id] }))?.fields).toHaveProperty("fileIds");
    // A refused send gives its files back: they can go with the next one.
    const spare = await uploaded(server.url, alice, "c.txt", "c");
    expect((await bad({ fileIds: [spare.id], replyTo: `${chatId}-0000009999` }))?.code).toBe("invalid_input");
    expect(
      (await send(socket, { chatId, clientId: clientId(), body: "again", fileIds: [spare.id] })).ok,
    ).toBe(true);
  });

  it("refuses files over FILE_MAX_BYTES and past FILE_QUOTA_BYTES with 413, storing nothing", async () => {
    const user = await signUp(server.url, "big");
    const before = await storedBlobs();
    const tooBig = await upload(server.url, user, "big.bin", Buffer.alloc(MAX + 1));
    expect([tooBig.status, tooBig.error?.code]).toEqual([413, "payload_too_large"]);
    // Without a Content-Length the limit applies as the bytes arrive.
    const chunked = await streamUpload(user, [
      Buffer.alloc(MAX / 2),
      Buffer.alloc(MAX / 2),
      Buffer.alloc(10),
    ]);
    expect([chunked.status, JSON.parse(chunked.body).error.code]).toEqual([413, "payload_too_large"]);
    for (let i = 0; i < 3; i++)
      expect((await upload(server.url, user, `${i}.bin`, Buffer.alloc(MAX))).status).toBe(201);
    const full = await upload(server.url, user, "more.bin", Buffer.alloc(1));
    expect([full.status, full.error?.code]).toEqual([413, "quota_exceeded"]);
    expect(await storedBlobs()).toBe(before + 3);
  });

  it("takes any Content-Type, or none, as raw bytes (never a parsed body)", async () => {
    const user = await signUp(server.url, "raw");
    for (const type of [undefined, "application/json", "multipart/form-data; boundary=x"]) {
      const response = await fetch(`${server.url}/api/files`, {
        method: "POST",
        headers: { cookie: user.cookie, ...(type ? { "content-type": type } : {}) },
        body: new Blob(['{"not": "parsed"}']),
      });
      expect(response.status).toBe(201);
      const { file } = (await response.json()) as { file: FileInfo };
      expect(file.type).toBe("text/plain");
      expect((await fetchFile(server.url, file.url, user)).bytes.toString()).toBe('{"not": "parsed"}');
    }
  });

  it("a cancelled upload leaves nothing stored", async () => {
    const user = await signUp(server.url, "quitter");
    const before = await storedBlobs();
    await new Promise<void>((resolve) => {
      const req = httpRequest(`${server.url}/api/files`, {
        method: "POST",
        headers: {
          cookie: user.cookie,
          "content-type": "application/octet-stream",
          "content-length": String(MAX),
        },
      });
      req.on("error", () => resolve());
      req.write(Buffer.alloc(300_000), () => setTimeout(() => req.destroy(), 200));
    });
    await eventually(async () => expect(await storedBlobs()).toBe(before));
    await new Promise((r) => setTimeout(r, 300));
    expect(await storedBlobs()).toBe(before);
  });

  it("serves byte ranges, ETag revalidation and private caching", async () => {
    const user = await signUp(server.url, "ranger");
    const bytes = Buffer.from(Array.from({ length: 600_000 }, (_, i) => i % 251));
    const file = await uploaded(server.url, user, "data.bin", bytes);
    const whole = await fetchFile(server.url, file.url, user);
    expect(whole.headers.get("accept-ranges")).toBe("bytes");
    expect(whole.headers.get("cache-control")).toBe("private, no-cache");
    const etag = whole.headers.get("etag") ?? "";
    expect(etag).not.toBe("");
    for (const [range, start, end] of [
      ["bytes=10-19", 10, 19],
      ["bytes=262140-262150", 262140, 262150],
      ["bytes=599990-", 599990, 599999],
      ["bytes=-5", 599995, 599999],
    ] as const) {
      const part = await fetchFile(server.url, file.url, user, { range });
      expect(part.status).toBe(206);
      expect(part.headers.get("content-range")).toBe(`bytes ${start}-${end}/600000`);
      expect(part.bytes.equals(bytes.subarray(start, end + 1))).toBe(true);
    }
    expect((await fetchFile(server.url, file.url, user, { "if-none-match": etag })).status).toBe(304);
    expect(
      (await fetchFile(server.url, file.url, user, { range: "bytes=0-1", "if-range": '"other"' })).status,
    ).toBe(200);
  });

  it("answers an unsatisfiable range 416 with Content-Range bytes */size; ignores malformed and multiple ranges (200, whole file)", async () => {
    const user = await signUp(server.url, "outofrange");
    const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 253));
    const file = await uploaded(server.url, user, "data.bin", bytes);
    for (const range of ["bytes=999999999-", "bytes=1000-", "bytes=1000-2000", "bytes=-0", "BYTES=5000-"]) {
      const refused = await fetchFile(server.url, file.url, user, { range });
      expect(refused.status, range).toBe(416);
      expect(refused.headers.get("content-range"), range).toBe("bytes */1000");
      expect(refused.headers.get("content-type"), range).toMatch(/^application\/json/);
      expect(JSON.parse(refused.bytes.toString()).error.code, range).toBe("range_not_satisfiable");
    }
    for (const range of ["bytes=0-1,5-6", "bytes=5-2", "bytes=-", "bytes=a-b", "items=0-1", "bytes 0-1"]) {
      const whole = await fetchFile(server.url, file.url, user, { range });
      expect(whole.status, range).toBe(200);
      expect(whole.headers.get("content-range"), range).toBeNull();
      expect(whole.bytes.equals(bytes), range).toBe(true);
    }
    // The last byte is still a range; one that runs past the end is cut at it.
    const last = await fetchFile(server.url, file.url, user, { range: "bytes=999-5000" });
    expect(last.status).toBe(206);
    expect(last.headers.get("content-range")).toBe("bytes 999-999/1000");
    // If-Range naming another version: the whole file, not a 416.
    const stale = await fetchFile(server.url, file.url, user, {
      range: "bytes=5000-",
      "if-range": '"other"',
    });
    expect(stale.status).toBe(200);
  });

  it("strips EXIF (GPS, camera) from photos, applies their orientation and makes a thumbnail", async () => {
    const user = await signUp(server.url, "photographer");
    const photo = await sharp({ create: { width: 64, height: 32, channels: 3, background: "#3a7" } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .withExif({
        IFD0: { Make: "SpyCam", Model: "Serial 12345" },
        IFD3: {
          GPSLatitudeRef: "N",
          GPSLatitude: "48/1 8/1 0/1",
          GPSLongitudeRef: "E",
          GPSLongitude: "11/1 34/1 0/1",
        },
      })
      .toBuffer();
    const inMeta = await sharp(photo).metadata();
    expect(
      inMeta.exif?.includes(Buffer.from([0x88, 0x25])) || inMeta.exif?.includes(Buffer.from([0x25, 0x88])),
    ).toBe(true);
    const file = await uploaded(server.url, user, "IMG_0001.jpg", photo, "image/jpeg");
    expect(file).toMatchObject({ type: "image/jpeg", width: 32, height: 64 });
    expect(file.thumbnailUrl).toBe(`${file.url}/thumbnail`);
    const served = await fetchFile(server.url, file.url, user);
    const outMeta = await sharp(served.bytes).metadata();
    expect(outMeta.exif).toBeUndefined();
    expect(outMeta.orientation ?? 1).toBe(1);
    expect([outMeta.width, outMeta.height]).toEqual([32, 64]);
    expect(served.bytes.toString("latin1")).not.toMatch(/SpyCam|Serial 12345/);
    const thumb = await fetchFile(server.url, file.thumbnailUrl as string, user);
    expect(thumb.headers.get("content-type")).toBe("image/webp");
    expect((await sharp(thumb.bytes).metadata()).format).toBe("webp");
  });

  it("removes a file when its message is deleted or cleared for everyone, and unsent uploads after 24 h", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const files: FileInfo[] = [];
    for (const name of ["one.txt", "two.txt", "three.txt"])
      files.push(await uploaded(server.url, alice, name, name));
    const [one, two, three] = files as [FileInfo, FileInfo, FileInfo];
    const before = await storedBlobs();
    const sent = await sendFiles(alice, chatId, [one.id]);
    if (!sent.ok) throw new Error(sent.error.code);
    const del = await alice.api("DELETE", `/api/chats/${chatId}/messages/${sent.message.id}?for=everyone`);
    expect(del.status).toBe(204);
    expect((await fetchFile(server.url, one.url, bob)).status).toBe(404);
    expect((await fetchFile(server.url, one.url, alice)).status).toBe(404);
    expect(await storedBlobs()).toBe(before - 1);

    expect((await sendFiles(alice, chatId, [two.id])).ok).toBe(true);
    expect((await alice.api("POST", `/api/chats/${chatId}/clear`, { forEveryone: true })).status).toBe(204);
    expect((await fetchFile(server.url, two.url, alice)).status).toBe(404);
    expect(await storedBlobs()).toBe(before - 2);

    clock += 23 * 3600_000;
    await server.app.files.collect();
    expect((await fetchFile(server.url, three.url, alice)).status).toBe(200);
    clock += 2 * 3600_000;
    await server.app.files.collect();
    expect((await fetchFile(server.url, three.url, alice)).status).toBe(404);
    expect(await storedBlobs()).toBeLessThanOrEqual(before - 3);
  });

  it("finds and removes every file of a user (for account deletion)", async () => {
    const user = await signUp(server.url, "leaver");
    const file = await uploaded(server.url, user, "x.txt", "x");
    expect((await server.app.files.filesOfUser(user.user.id)).map((f) => f.id)).toEqual([file.id]);
    expect(await server.app.files.removeFilesOfUser(user.user.id)).toBe(1);
    expect((await fetchFile(server.url, file.url, user)).status).toBe(404);
  });

  function streamUpload(user: TestUser, parts: Buffer[]): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(`${server.url}/api/files`, {
        method: "POST",
        headers: { cookie: user.cookie, "content-type": "application/octet-stream" },
      });
      req.on("response", (res) => {
        let body = "";
        res.on("data", (c) => {
          body += c;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", reject);
      for (const part of parts) req.write(part);
      req.end();
    });
  }
});

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
