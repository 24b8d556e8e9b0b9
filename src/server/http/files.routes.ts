import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { fileReplySchema, idSchema } from "../../protocol/index.js";
import type { AccountsService } from "../domain/accounts.service.js";
import { AppError } from "../domain/errors.js";
import { cleanFileName } from "../domain/file-types.js";
import type { FilesService } from "../domain/files.service.js";
import type { BlobStore } from "../storage/file-blobs/index.js";
import { sendFile } from "./file-serving.js";
import { errorResponses } from "./schema.js";
import { authenticate, SESSION_COOKIE, sessionOf } from "./session.js";

export interface FileRoutesDeps {
  accounts: AccountsService;
  files: FilesService;
  blobs: BlobStore;
}

const tags = ["files"];
const security = [{ session: [] }];
const fileParams = z.object({ id: idSchema });
const binary = (description: string) => ({
  description,
  content: { "application/octet-stream": { schema: z.string() } },
});
const missing = () => new AppError("not_found", "No such file.");

/** POST /api/files (raw body, streamed), GET /api/files/:id and /api/files/:id/thumbnail. */
export async function registerFileRoutes(app: FastifyInstance, deps: FileRoutesDeps): Promise<void> {
  const { accounts, files, blobs } = deps;

  await app.register(async (scope) => {
    // The body is the file itself, of any type: nothing parses or buffers it (so the global
    // bodyLimit does not apply); the handler streams request.raw, limited by FILE_MAX_BYTES.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", (_request, _payload, done) => done(null));
    scope.withTypeProvider<ZodTypeProvider>().post(
      "/api/files",
      {
        schema: {
          summary:
            "Upload a file: the raw bytes as the body, its name URL-encoded in X-File-Name; the type is detected from the content",
          tags,
          security,
          headers: z.object({ "x-file-name": z.string().max(2048).optional() }),
          response: {
            201: fileReplySchema,
            ...errorResponses("unauthorized", "payload_too_large", "quota_exceeded", "rate_limited"),
          },
        },
        preValidation: authenticate(accounts),
      },
      async (request, reply) => {
        const length = request.headers["content-length"];
        try {
          const file = await files.upload({
            ownerId: sessionOf(request).user.id,
            name: cleanFileName(request.headers["x-file-name"]),
            declaredBytes: length === undefined ? undefined : Number(length),
            body: request.raw,
          });
          return reply.code(201).send({ file });
        } catch (error) {
          // The client went away mid-upload (cancelled): nothing was stored, and it is no server fault.
          if (!(error instanceof AppError) && request.raw.destroyed)
            throw new AppError("invalid_input", "The upload was interrupted; nothing was stored.");
          throw error;
        }
      },
    );
  });

  // Without a session, or without access, a file does not exist: 404 either way, never 401.
  async function readable(request: FastifyRequest, id: string) {
    const session = await accounts.authenticate(request.cookies[SESSION_COOKIE]);
    const file = await files.readable(id, session?.user.id);
    if (!file) throw missing();
    return file;
  }
  const api = app.withTypeProvider<ZodTypeProvider>();
  for (const variant of ["file", "thumbnail"] as const) {
    api.get(
      variant === "file" ? "/api/files/:id" : "/api/files/:id/thumbnail",
      {
        schema: {
          summary:
            variant === "file"
              ? "A file, for its uploader and the members who can see its message (404 for anyone else); Range requests, ETag"
              : "An image's thumbnail (WebP), with the same access rule",
          tags,
          security,
          params: fileParams,
          response: {
            200: binary("The bytes; inline only for raster images, audio, video and PDF"),
            206: binary("The requested byte range"),
            304: z.undefined().describe("Not modified (If-None-Match)"),
            ...errorResponses("not_found", "range_not_satisfiable"),
          },
        },
      },
      async (request, reply: FastifyReply) => {
        const file = await readable(request, (request.params as z.infer<typeof fileParams>).id);
        if (variant === "thumbnail" && !file.thumb_key) throw missing();
        return sendFile(request, reply, blobs, file, variant);
      },
    );
  }
}
