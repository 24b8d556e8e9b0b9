import type { Chat, User } from "../../protocol/index.js";
import type { OutboxStore } from "../features/messages/outbox-store.js";
import type { ClientMessage } from "../lib/messages.js";
import type { TypingState } from "../lib/presence.js";
import type { Store } from "../lib/store.js";
import type { ChatSocket } from "../realtime/socket.js";

/** The window of one chat's history that the client holds (bounded by WINDOW_MAX). */
export interface ChatHistory {
  items: ClientMessage[];
  /** Older messages exist on the server before the first one held. */
  hasOlder: boolean;
  /** Newer messages exist after the last one held (the window was trimmed at its newest end). */
  hasNewer: boolean;
  loading: "none" | "initial" | "older" | "newer";
  error: string | null;
  /** Bumped when the window is replaced wholesale, so the view knows to jump to the bottom. */
  generation: number;
  /**
   * Where this window stands in the chat's changes feed: everything up to it is reflected here.
   * After a reconnect the feed is replayed from it; `null` until the chat's cursor is known.
   */
  cursor: string | null;
}

export type Connection = "connecting" | "online" | "offline";

export interface MessengerState {
  me: User;
  chats: Chat[];
  chatsStatus: "loading" | "ready" | "error";
  openChatId: string | null;
  histories: Record<string, ChatHistory>;
  connection: Connection;
  /** Set when the connection dropped at least once, so "online" after it reads as "reconnected". */
  hasDropped: boolean;
  /** The server announced another protocol version than this build's: the tab should reload. */
  newVersion: boolean;
  /** Usernames of everyone seen in any chat, also after they left it (for system notes). */
  names: Record<string, string>;
  /** Who is typing where (presence feature). */
  typing: TypingState;
}

export function emptyHistory(): ChatHistory {
  return {
    items: [],
    hasOlder: false,
    hasNewer: false,
    loading: "none",
    error: null,
    generation: 0,
    cursor: null,
  };
}

export function initialState(me: User): MessengerState {
  return {
    me,
    chats: [],
    chatsStatus: "loading",
    openChatId: null,
    histories: {},
    connection: "connecting",
    hasDropped: false,
    newVersion: false,
    names: { [me.id]: me.username },
    typing: {},
  };
}

/** What the action modules share: the state, the socket, and how to leave when the session ends. */
export interface MessengerContext {
  store: Store<MessengerState>;
  socket: ChatSocket;
  /** Messages not yet acknowledged, kept across reloads. */
  outbox: OutboxStore;
  /** Called when the server says the session is gone (401 or an unauthorized handshake). */
  signedOut(): void;
  /** The chat answered 404 (I was removed, maybe while offline): it leaves the screen. */
  lostChat(chatId: string): void;
}
