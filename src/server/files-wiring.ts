import type { Logger } from "pino";
import type { Message } from "../protocol/index.js";
import type { Config } from "./config.js";
import type { ChatsService } from "./domain/chats.service.js";
import { createFilesService, type FilesService } from "./domain/files.service.js";
import type { MessageActionsService } from "./domain/message-actions.service.js";
import type { ZipEntry } from "./export/zip.js";
import type { Db } from "./storage/database.js";
import { createDatabaseBlobStore } from "./storage/file-blobs/database.js";
import { createDiskBlobStore } from "./storage/file-blobs/disk.js";
import type { BlobStore } from "./storage/file-blobs/index.js";
import { createFilesRepository } from "./storage/files.repository.js";

const FILE_SWEEP_MS = 60 * 60 * 1000;

/** A file name safe as the last part of a ZIP path: no folders, no control characters. */
const exportName = (name: string) =>
  Array.from(name, (c) => (c < " " || "/\\:".includes(c) ? "_" : c))
    .join("")
    .slice(0, 120) || "file";

export interface Files {
  service: FilesService;
  blobs: BlobStore;
  /** Message actions whose delete for everyone also removes the message's files. */
  withFileCleanup(actions: MessageActionsService): MessageActionsService;
  /** The chats service whose clear for everyone also removes the chat's files. */
  chatsWithFileCleanup(chats: ChatsService): ChatsService;
  /** The files of these messages that `userId` may fetch, as entries of their data export. */
  exportEntries(userId: string, chatId: string, messages: Message[]): AsyncIterable<ZipEntry>;
  stop(): void;
}

/** Files: the store FILE_STORAGE picks, the service, the hourly sweep and the clean-up hooks. */
export function createFiles(config: Config, db: Db, log: Logger, now: () => number): Files {
  const blobs =
    config.files.storage === "database"
      ? createDatabaseBlobStore(db)
      : createDiskBlobStore(config.files.folder);
  const service = createFilesService({
    files: createFilesRepository(db),
    blobs,
    now,
    maxBytes: config.files.maxBytes,
    quotaBytes: config.files.quotaBytes,
    uploadsPerHour: config.files.uploadsPerHour,
    uploadBytesPerHour: config.files.uploadBytesPerHour,
  });
  const collect = (chatId?: string) =>
    service.collect(chatId).catch((error) => log.warn({ err: error }, "file clean-up failed"));
  const sweep = setInterval(() => void collect(), FILE_SWEEP_MS);
  sweep.unref();
  return {
    service,
    blobs,
    withFileCleanup: (actions) => ({
      ...actions,
      async deleteForEveryone(chatId, userId, id) {
        await actions.deleteForEveryone(chatId, userId, id);
        await collect(chatId);
      },
    }),
    chatsWithFileCleanup: (chats) => ({
      ...chats,
      async clear(chatId, userId, forEveryone) {
        await chats.clear(chatId, userId, forEveryone);
        await collect(chatId);
      },
    }),
    async *exportEntries(userId, chatId, messages) {
      for (const message of messages) {
        for (const file of message.files) {
          const row = await service.readable(file.id, userId);
          if (!row) continue;
          const content =
            row.size === 0 ? Buffer.alloc(0) : blobs.get(row.blob_key, { start: 0, end: row.size - 1 });
          yield { name: `files/${chatId}/${row.id}-${exportName(row.name)}`, content };
        }
      }
    },
    stop: () => clearInterval(sweep),
  };
}
