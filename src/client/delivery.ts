import type { Message, MessagePage } from "../protocol/index.js";
import { isGap } from "./sequence.js";

/** Pages a chat that was empty when first seen is walked back at most, on catch-up. */
const MAX_PAGES_FROM_SCRATCH = 20;

export interface DeliveryOptions {
  /** One page of history: `after` an id, `before` an id, or (neither) the newest page. */
  page(chatId: string, query: { after?: string; before?: string }): Promise<MessagePage>;
  /** This client's own message (sent through it): never delivered as news, only counted. */
  isOwn(message: Message): boolean;
  deliver(message: Message): void;
  onError(error: unknown): void;
}

interface Cursor {
  /** Highest seq handled (delivered, own, or known to be absent). */
  lastSeq: number;
  lastId: string | undefined;
  /** Own acknowledged messages beyond lastSeq (another member's message is still on its way). */
  ownAhead: Map<number, string>;
  /** Live messages that arrived while this chat was syncing. */
  held: Message[];
  syncing: Promise<void> | undefined;
}

/**
 * Delivers each chat's messages once and in `seq` order, whether they come live or from a
 * catch-up. `seq` grows by exactly 1 per stored message, so a live message beyond the next seq
 * means something was missed: the chat is fetched `after=` the last message held, live arrivals
 * are held meanwhile, then everything is delivered in order. After a reconnect every chat is
 * caught up the same way.
 */
export class Delivery {
  private readonly cursors = new Map<string, Cursor>();

  constructor(private readonly options: DeliveryOptions) {}

  /** Starts following a chat from its newest message (nothing older is delivered). */
  track(chatId: string, lastMessage: Message | null): void {
    if (this.cursors.has(chatId)) return;
    this.cursors.set(chatId, newCursor(lastMessage?.seq ?? 0, lastMessage?.id));
  }

  tracks(chatId: string): boolean {
    return this.cursors.has(chatId);
  }

  chatIds(): string[] {
    return [...this.cursors.keys()];
  }

  /** A message this client sent was acknowledged: the cursor may move past it. */
  acknowledged(message: Message): void {
    const cursor = this.cursors.get(message.chatId);
    if (!cursor || message.seq <= cursor.lastSeq) return;
    cursor.ownAhead.set(message.seq, message.id);
    absorbOwn(cursor);
  }

  /** A `message:new` from the socket. */
  live(message: Message): void {
    let cursor = this.cursors.get(message.chatId);
    if (!cursor) {
      // A chat first heard of through this message: nothing before it was ours to miss.
      cursor = newCursor(message.seq - 1, undefined);
      this.cursors.set(message.chatId, cursor);
    }
    if (cursor.syncing) {
      cursor.held.push(message);
      return;
    }
    if (message.seq <= cursor.lastSeq) return;
    if (!isGap(cursor.lastSeq, message.seq)) {
      this.accept(cursor, message);
      return;
    }
    cursor.held.push(message);
    void this.sync(message.chatId);
  }

  /** Fetches what a chat missed and delivers it; resolves when the chat is current again. */
  sync(chatId: string): Promise<void> {
    const cursor = this.cursors.get(chatId);
    if (!cursor) return Promise.resolve();
    cursor.syncing ??= (async () => {
      // Two rounds: a live message that overtook our fetch gets a second one; a gap that is
      // still there after that is a message we may not see (e.g. deleted), so we move past it.
      for (let round = 0; round < 2; round++) {
        try {
          for (const message of await this.missed(chatId, cursor)) this.accept(cursor, message);
        } catch (error) {
          this.options.onError(error);
          break;
        }
        cursor.held = cursor.held.filter((m) => m.seq > cursor.lastSeq).sort((a, b) => a.seq - b.seq);
        if (cursor.held.length === 0 || cursor.held[0]?.seq === cursor.lastSeq + 1) break;
      }
      const held = cursor.held;
      cursor.held = [];
      for (const message of held) if (message.seq > cursor.lastSeq) this.accept(cursor, message);
    })().finally(() => {
      cursor.syncing = undefined;
    });
    return cursor.syncing;
  }

  /** Resolves when no chat is syncing any more. */
  async settled(): Promise<void> {
    for (;;) {
      const busy = [...this.cursors.values()].map((c) => c.syncing).filter(Boolean);
      if (busy.length === 0) return;
      await Promise.all(busy);
    }
  }

  /** Catches up every followed chat, one after the other. */
  async syncAll(): Promise<void> {
    for (const chatId of this.chatIds()) await this.sync(chatId);
  }

  private accept(cursor: Cursor, message: Message): void {
    if (message.seq <= cursor.lastSeq) return;
    cursor.lastSeq = message.seq;
    cursor.lastId = message.id;
    if (!this.options.isOwn(message)) this.options.deliver(message);
    absorbOwn(cursor);
  }

  /** The messages after the cursor, oldest first. */
  private async missed(chatId: string, cursor: Cursor): Promise<Message[]> {
    const found: Message[] = [];
    if (cursor.lastId !== undefined) {
      let after = cursor.lastId;
      for (;;) {
        const page = await this.options.page(chatId, { after });
        found.push(...page.messages);
        const last = page.messages.at(-1);
        if (!page.hasMore || !last) break;
        after = last.id;
      }
    } else {
      let page = await this.options.page(chatId, {});
      found.push(...page.messages);
      for (let n = 1; n < MAX_PAGES_FROM_SCRATCH; n++) {
        const oldest = page.messages[0];
        if (!page.hasMore || !oldest || oldest.seq <= cursor.lastSeq + 1) break;
        page = await this.options.page(chatId, { before: oldest.id });
        found.push(...page.messages);
      }
    }
    return found.filter((m) => m.seq > cursor.lastSeq).sort((a, b) => a.seq - b.seq);
  }
}

function newCursor(lastSeq: number, lastId: string | undefined): Cursor {
  return { lastSeq, lastId, ownAhead: new Map(), held: [], syncing: undefined };
}

function absorbOwn(cursor: Cursor): void {
  for (;;) {
    const id = cursor.ownAhead.get(cursor.lastSeq + 1);
    if (id === undefined) break;
    cursor.ownAhead.delete(cursor.lastSeq + 1);
    cursor.lastSeq += 1;
    cursor.lastId = id;
  }
  for (const seq of cursor.ownAhead.keys()) if (seq <= cursor.lastSeq) cursor.ownAhead.delete(seq);
}
