import type { FileInfo, ReplyRef } from "../../../protocol/index.js";

/** A message written on this device that the server has not acknowledged yet. */
export interface QueuedSend {
  clientId: string;
  userId: string;
  chatId: string;
  body: string;
  /** The id of the message it answers, and how the reply shows until it is sent. */
  replyToId: string | null;
  replyTo: ReplyRef | null;
  /** Uploaded already; sent by id (optional: entries queued before files existed have none). */
  files?: FileInfo[];
  createdAt: string;
  /** Keeps the writing order across chats and reloads. */
  order: number;
}

/** Where unsent messages wait: IndexedDB, so they outlive reloads and closed tabs. */
export interface OutboxStore {
  put(item: QueuedSend): Promise<void>;
  remove(clientId: string): Promise<void>;
  /** This user's unsent messages, oldest first. */
  list(userId: string): Promise<QueuedSend[]>;
}

const DB_NAME = "glasschat";
const STORE = "outbox";

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function openDatabase(): Promise<IDBDatabase> {
  const open = indexedDB.open(DB_NAME, 1);
  open.onupgradeneeded = () => {
    const store = open.result.createObjectStore(STORE, { keyPath: "clientId" });
    store.createIndex("userId", "userId");
  };
  return request(open);
}

function indexedDbStore(): OutboxStore {
  let database: Promise<IDBDatabase> | undefined;
  const store = async (mode: IDBTransactionMode) => {
    database ??= openDatabase();
    return (await database).transaction(STORE, mode).objectStore(STORE);
  };
  return {
    async put(item) {
      await request((await store("readwrite")).put(item));
    },
    async remove(clientId) {
      await request((await store("readwrite")).delete(clientId));
    },
    async list(userId) {
      const items = await request((await store("readonly")).index("userId").getAll(userId));
      return (items as QueuedSend[]).sort((a, b) => a.order - b.order);
    },
  };
}

/** Without IndexedDB (some private modes) the outbox lives as long as the tab. */
function memoryStore(): OutboxStore {
  const items = new Map<string, QueuedSend>();
  return {
    async put(item) {
      items.set(item.clientId, item);
    },
    async remove(clientId) {
      items.delete(clientId);
    },
    async list(userId) {
      return [...items.values()].filter((i) => i.userId === userId).sort((a, b) => a.order - b.order);
    },
  };
}

export function openOutbox(): OutboxStore {
  if (typeof indexedDB === "undefined") return memoryStore();
  const persistent = indexedDbStore();
  const fallback = memoryStore();
  let broken = false;
  // A database that cannot be opened (storage disabled) degrades to memory instead of losing sends.
  const guard =
    <A extends unknown[], R>(call: (store: OutboxStore) => (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (!broken) {
        try {
          return await call(persistent)(...args);
        } catch {
          broken = true;
        }
      }
      return call(fallback)(...args);
    };
  return {
    put: guard((s) => s.put),
    remove: guard((s) => s.remove),
    list: guard((s) => s.list),
  };
}
