import { isGap, isNewerCopy, sendKey } from "../../client/sequence.js";
import type { Message, UserRef } from "../../protocol/index.js";

/** Delivery state of a message as this client sees it. Only own messages are ever not "sent". */
/** "queued": waiting in the outbox for a connection; "pending": sent, waiting for the ack. */
export type DeliveryStatus = "queued" | "pending" | "sent" | "failed";

export interface ClientMessage extends Message {
  status: DeliveryStatus;
  /** Why the last send failed (failed messages only). */
  failure?: string;
}

/** How many messages one chat keeps in memory and in the DOM, however long the chat. */
export const WINDOW_MAX = 300;

/** A message that exists only on this client until the server acknowledges it. */
export function pendingMessage(
  chatId: string,
  sender: UserRef,
  body: string,
  clientId: string,
  now: Date,
): ClientMessage {
  return {
    id: `local:${clientId}`,
    chatId,
    seq: 0,
    sender: { id: sender.id, username: sender.username },
    body,
    clientId,
    createdAt: now.toISOString(),
    rev: 0,
    editedAt: null,
    deletedAt: null,
    replyTo: null,
    reactions: [],
    files: [],
    system: null,
    status: "pending",
  };
}

/**
 * Merges messages from the server into what the client holds: confirmed messages are ordered by
 * `seq` and deduplicated by `id` (the same message may come from an ack, `message:new` and a
 * catch-up page), and of two copies the one with the higher `rev` wins; a local pending/failed message disappears once the server's copy (same sender,
 * same clientId) is present. Local ones stay last, in the order they were written.
 * Objects already held are kept as they are, so React can skip re-rendering them.
 */
export function mergeMessages(
  current: readonly ClientMessage[],
  incoming: readonly Message[],
): ClientMessage[] {
  if (incoming.length === 0) return current as ClientMessage[];
  const byId = new Map<string, ClientMessage>();
  const local: ClientMessage[] = [];
  for (const m of current) {
    if (m.status === "sent") byId.set(m.id, m);
    else local.push(m);
  }
  let changed = false;
  for (const m of incoming) {
    const held = byId.get(m.id);
    if (isNewerCopy(m, held)) {
      byId.set(m.id, { ...m, status: "sent" });
      changed = true;
    }
  }
  if (!changed) return current as ClientMessage[];
  const confirmed = [...byId.values()].sort((a, b) => a.seq - b.seq);
  const settled = new Set(confirmed.map((m) => sendKey(m.sender.id, m.clientId)));
  const stillLocal = local.filter((m) => !settled.has(sendKey(m.sender.id, m.clientId)));
  return [...confirmed, ...stillLocal];
}

/** Sets the delivery status of the local message with this clientId. */
export function setLocalStatus(
  items: readonly ClientMessage[],
  clientId: string,
  status: Exclude<DeliveryStatus, "sent">,
  failure?: string,
): ClientMessage[] {
  return items.map((m) => {
    if (m.status === "sent" || m.clientId !== clientId) return m;
    const next: ClientMessage = { ...m, status };
    if (failure === undefined) delete next.failure;
    else next.failure = failure;
    return next;
  });
}

export function confirmedOnly(items: readonly ClientMessage[]): ClientMessage[] {
  return items.filter((m) => m.status === "sent");
}

export function localOnly(items: readonly ClientMessage[]): ClientMessage[] {
  return items.filter((m) => m.status !== "sent");
}

export function firstConfirmed(items: readonly ClientMessage[]): ClientMessage | undefined {
  return items.find((m) => m.status === "sent");
}

export function lastConfirmed(items: readonly ClientMessage[]): ClientMessage | undefined {
  for (let i = items.length - 1; i >= 0; i--) {
    const m = items[i];
    if (m && m.status === "sent") return m;
  }
  return undefined;
}

/**
 * Keeps at most `max` confirmed messages. `keep: "oldest"` drops from the newest end (the reader
 * is scrolling back in time), `keep: "newest"` from the oldest end. Local messages are never dropped.
 */
export function trimWindow(
  items: readonly ClientMessage[],
  max: number,
  keep: "oldest" | "newest",
): { items: ClientMessage[]; trimmed: boolean } {
  const confirmed = confirmedOnly(items);
  if (confirmed.length <= max) return { items: items as ClientMessage[], trimmed: false };
  const kept = keep === "oldest" ? confirmed.slice(0, max) : confirmed.slice(confirmed.length - max);
  return { items: [...kept, ...localOnly(items)], trimmed: true };
}

/** True when a message with this seq arriving after `last` means something was missed. */
export function hasGap(last: ClientMessage | undefined, incomingSeq: number): boolean {
  return last !== undefined && isGap(last.seq, incomingSeq);
}
