import { EVENTS, UNAUTHORIZED_HANDSHAKE } from "../../protocol/events.js";
import {
  type Chat,
  type FileInfo,
  type MemberRole,
  type Message,
  PROTOCOL_VERSION,
  type SettingsPatch,
  type User,
} from "../../protocol/index.js";
import { api } from "../api/endpoints.js";
import { ApiError } from "../api/http.js";
import * as chats from "../features/chats/chat-actions.js";
import * as groups from "../features/chats/group-actions.js";
import * as history from "../features/messages/history.js";
import * as actions from "../features/messages/message-actions.js";
import { openOutbox } from "../features/messages/outbox-store.js";
import * as sending from "../features/messages/send.js";
import { attachNotifications } from "../features/notifications/attach.js";
import * as presence from "../features/presence/presence-actions.js";
import { loadAround } from "../features/search/around.js";
import type { JumpTarget } from "../features/search/jump-requests.js";
import { createStore, type Store } from "../lib/store.js";
import { createHandshakeRetry, createSocket } from "../realtime/socket.js";
import { navigateToChat } from "./route.js";
import { initialState, type MessengerContext, type MessengerState } from "./state.js";

/** Everything the chat screen can ask for; the state lives in `store`. */
export interface Messenger {
  store: Store<MessengerState>;
  openChat(chatId: string | null): void;
  loadOlder(chatId: string): Promise<void>;
  loadNewer(chatId: string): Promise<void>;
  jumpToLatest(chatId: string): Promise<void>;
  send(chatId: string, body: string, replyTo?: Message | null, files?: FileInfo[]): Promise<void>;
  retry(chatId: string, clientId: string): Promise<void>;
  createChat(email: string): Promise<Chat>;
  createGroup(title: string, emails: string[]): Promise<Chat>;
  renameGroup(chatId: string, title: string): Promise<void>;
  addMember(chatId: string, email: string): Promise<void>;
  changeRole(chatId: string, userId: string, role: Exclude<MemberRole, "owner">): Promise<void>;
  removeMember(chatId: string, userId: string): Promise<void>;
  editMessage(chatId: string, messageId: string, body: string): Promise<void>;
  deleteForMe(chatId: string, messageId: string): Promise<void>;
  deleteForEveryone(message: Message): Promise<void>;
  toggleReaction(message: Message, emoji: string): Promise<void>;
  /** Loads older pages until this message is held; resolves whether it is. */
  ensureHeld(chatId: string, messageId: string): Promise<boolean>;
  /** Opens the window at a message or a day; resolves the id to show (null: none). */
  openAround(chatId: string, target: JumpTarget): Promise<string | null>;
  clearChat(chatId: string, forEveryone: boolean): Promise<void>;
  removeChat(chatId: string): Promise<void>;
  logout(): Promise<void>;
  /** I am typing in the chat (true, as often as the text changes) or stopped (false). */
  typing(chatId: string, active: boolean): void;
  updateSettings(patch: SettingsPatch): Promise<void>;
  stop(): void;
}

/**
 * Connects the socket and keeps the state in step with the server. After every (re)connect each
 * chat window held replays the changes feed from its cursor (edits, deletes, reactions and new
 * messages it missed) and the list is reloaded, because events sent while the socket was away
 * are not replayed.
 */
export function createMessenger(me: User, onSignedOut: () => void): Messenger {
  const store = createStore(initialState(me));
  const socket = createSocket();
  const handshakeRetry = createHandshakeRetry(socket);
  let stopped = false;
  const ctx: MessengerContext = {
    store,
    socket,
    outbox: openOutbox(),
    signedOut() {
      if (stopped) return;
      stop();
      onSignedOut();
    },
    lostChat(chatId) {
      if (ctx.store.get().openChatId === chatId) navigateToChat(null);
      chats.forgetChat(ctx, chatId);
    },
  };
  rememberNames(store);
  const setConnection = (connection: MessengerState["connection"]) =>
    store.set((s) =>
      s.connection === connection
        ? s
        : { ...s, connection, hasDropped: s.hasDropped || connection === "offline" },
    );

  socket.on("connect", () => {
    handshakeRetry.reset();
    setConnection("online");
    const held = Object.keys(store.get().histories);
    void sending.flushOutbox(ctx);
    void Promise.all(held.map((chatId) => history.catchUp(ctx, chatId))).then(() => chats.reloadChats(ctx));
  });
  socket.on("disconnect", (reason) => {
    setConnection("offline");
    presence.clearTyping(ctx);
    // The server closed this socket (e.g. the session was revoked): find out whether we are still signed in.
    if (reason === "io server disconnect") void checkSessionThenReconnect();
  });
  socket.on("connect_error", (error) => {
    setConnection("offline");
    if (error.message === UNAUTHORIZED_HANDSHAKE) void checkSessionThenReconnect();
    else handshakeRetry.refused();
  });
  socket.on(EVENTS.serverHello, ({ protocolVersion }) => {
    if (protocolVersion !== PROTOCOL_VERSION)
      store.set((s) => (s.newVersion ? s : { ...s, newVersion: true }));
  });
  socket.on(EVENTS.messageNew, (message) => {
    chats.receiveIntoChats(ctx, message);
    history.receiveIntoHistory(ctx, message);
    presence.typistSent(ctx, message.chatId, message.sender.id);
  });
  socket.on(EVENTS.presence, (event) => presence.applyPresence(ctx, event));
  socket.on(EVENTS.chatRead, (event) => presence.applyRead(ctx, event));
  socket.on(EVENTS.typing, (event) => presence.applyTyping(ctx, event));
  const typingSignal = presence.createTypingSignal(ctx);
  socket.on(EVENTS.chatNew, (chat) => chats.receiveChat(ctx, chat));
  socket.on(EVENTS.chatCleared, ({ chatId, seq }) =>
    chats.applyCleared(ctx, chatId, typeof seq === "number" ? seq : undefined),
  );
  socket.on(EVENTS.messageUpdated, (message) => chats.messageUpdated(ctx, message));
  socket.on(EVENTS.messageHidden, ({ chatId, messageId }) => chats.messageHidden(ctx, chatId, messageId));
  socket.on(EVENTS.chatUpdated, (chat) => chats.chatUpdated(ctx, chat));
  socket.on(EVENTS.chatLeft, ({ chatId }) => ctx.lostChat(chatId));
  const detachNotifications = attachNotifications({
    socket,
    me: () => store.get().me,
    titleOf: (chatId) => store.get().chats.find((c) => c.id === chatId)?.title,
    ensureHeld: (chatId, messageId) => history.ensureHeld(ctx, chatId, messageId),
  });

  async function checkSessionThenReconnect(): Promise<void> {
    try {
      await api.me();
      if (!stopped && !socket.connected) socket.connect();
    } catch (error) {
      if (error instanceof ApiError && error.code === "unauthorized") ctx.signedOut();
      else if (!stopped) setTimeout(() => !stopped && !socket.connected && socket.connect(), 2_000);
    }
  }

  // The browser knows first when the network is gone; a half-open socket could take a minute
  // of missed pings to notice. Drop it now and reconnect (and catch up) when the network is back.
  const onOffline = () => {
    socket.disconnect();
    setConnection("offline");
  };
  const onOnline = () => {
    if (!socket.connected) socket.connect();
  };
  const onVisible = () => {
    if (document.visibilityState === "visible") chats.readOpenChat(ctx);
  };
  window.addEventListener("offline", onOffline);
  window.addEventListener("online", onOnline);
  document.addEventListener("visibilitychange", onVisible);

  function stop(): void {
    stopped = true;
    handshakeRetry.reset();
    window.removeEventListener("offline", onOffline);
    window.removeEventListener("online", onOnline);
    document.removeEventListener("visibilitychange", onVisible);
    detachNotifications();
    socket.removeAllListeners();
    socket.disconnect();
  }

  void chats.reloadChats(ctx);
  void sending.restoreOutbox(ctx);
  if (navigator.onLine !== false) socket.connect();
  else setConnection("offline");

  return {
    store,
    openChat: (chatId) => chats.openChat(ctx, chatId),
    loadOlder: (chatId) => history.loadOlder(ctx, chatId),
    loadNewer: (chatId) => history.loadNewer(ctx, chatId),
    jumpToLatest: (chatId) => history.loadLatest(ctx, chatId),
    send: (chatId, body, replyTo, files) => sending.send(ctx, chatId, body, replyTo ?? null, files),
    retry: (chatId, clientId) => sending.retry(ctx, chatId, clientId),
    createChat: (email) => chats.createChat(ctx, email),
    createGroup: (title, emails) => groups.createGroup(ctx, title, emails),
    renameGroup: (chatId, title) => groups.renameGroup(ctx, chatId, title),
    addMember: (chatId, email) => groups.addMember(ctx, chatId, email),
    changeRole: (chatId, userId, role) => groups.changeRole(ctx, chatId, userId, role),
    removeMember: (chatId, userId) => groups.removeMember(ctx, chatId, userId),
    editMessage: (chatId, messageId, body) => actions.editMessage(ctx, chatId, messageId, body),
    deleteForMe: (chatId, messageId) => actions.deleteForMe(ctx, chatId, messageId),
    deleteForEveryone: (message) => actions.deleteForEveryone(ctx, message),
    toggleReaction: (message, emoji) => actions.toggleReaction(ctx, message, emoji),
    ensureHeld: (chatId, messageId) => history.ensureHeld(ctx, chatId, messageId),
    openAround: (chatId, target) => loadAround(ctx, chatId, target),
    clearChat: (chatId, forEveryone) => chats.clearChat(ctx, chatId, forEveryone),
    removeChat: (chatId) => chats.removeChat(ctx, chatId),
    async logout() {
      try {
        await api.logout();
      } catch {
        // Signing out locally is what the user asked for, whatever the server said.
      }
      ctx.signedOut();
    },
    typing: typingSignal,
    async updateSettings(patch) {
      const user = await api.updateSettings(patch);
      store.set((s) => ({ ...s, me: { ...s.me, settings: user.settings } }));
    },
    stop,
  };
}

/** Keeps `names` growing with every member seen, so system notes can name people who left. */
function rememberNames(store: Store<MessengerState>): void {
  let seen: MessengerState["chats"] | null = null;
  store.subscribe(() => {
    const { chats: list, names } = store.get();
    if (list === seen) return;
    seen = list;
    let next = names;
    for (const chat of list) {
      for (const m of chat.members) {
        if (next[m.id] !== m.username) next = { ...next, [m.id]: m.username };
      }
    }
    if (next !== names) store.set((s) => ({ ...s, names: next }));
  });
}
