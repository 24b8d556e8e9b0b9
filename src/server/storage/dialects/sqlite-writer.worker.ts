import { parentPort, workerData } from "node:worker_threads";
import type { NewMessage, StoreResult } from "../messages.repository.js";
import { openSqlite, type SqliteOptions } from "./sqlite-connection.js";
import { prepareMessageStore } from "./sqlite-message-store.js";

export type WriterRequest = { id: number; batch: NewMessage[] } | { id: number; close: true };
export type WriterReply =
  | { id: number; results: StoreResult[] }
  | { id: number; error: { message: string; code?: string } }
  | { id: number; closed: true };

const sqlite = openSqlite(workerData as SqliteOptions);
const store = prepareMessageStore(sqlite);
const port = parentPort;

port?.on("message", (request: WriterRequest) => {
  if ("close" in request) {
    sqlite.close();
    port.postMessage({ id: request.id, closed: true } satisfies WriterReply);
    port.close();
    return;
  }
  try {
    port.postMessage({ id: request.id, results: store(request.batch) } satisfies WriterReply);
  } catch (error) {
    const { message, code } = error as { message: string; code?: string };
    // "failed" results carry an Error; send what survives structured cloning.
    port.postMessage({ id: request.id, error: { message, code } } satisfies WriterReply);
  }
});
