import { EVENTS, UNAUTHORIZED_HANDSHAKE } from "../../protocol/events.js";
import { type Chat, PROTOCOL_VERSION, type User } from "../../protocol/index.js";
import { api } from "../api/endpoints.js";
import { ApiRequestError } from "../api/http.js";
import * as chats from "../features/chats/chat-actions.js";
import * as history from "../features/messages/history.js";
import * as sending from "../features/messages/send.js";
import { createStore, type Store } from "../lib/store.js";
import { createSocket } from "../realtime/socket.js";
import { initialState, type MessengerContext, type MessengerState } from "./state.js";

/** Everything the chat screen can ask for; the state lives in `store`. */
export interface Messenger {
  store: Store<MessengerState>;
  openChat(chatId: string | null): void;
  loadOlder(chatId: string): Promise<void>;
  loadNewer(chatId: string): Promise<void>;
  jumpToLatest(chatId: string): Promise<void>;
  send(chatId: string, body: string): Promise<void>;
  retry(chatId: string, clientId: string): Promise<void>;
  createChat(email: string): Promise<Chat>;
  clearChat(chatId: string, forEveryone: boolean): Promise<void>;
  removeChat(chatId: string): Promise<void>;
  logout(): Promise<void>;
  stop(): void;
}

/**
 * Connects the socket and keeps the state in step with the server. After every (re)connect the
 * open chat catches up with `after=` and the list is reloaded, because events sent while the
 * socket was away are not replayed.
 */
export function createMessenger(me: User, onSignedOut: () => void): Messenger {
  const store = createStore(initialState(me));
  const socket = createSocket();
  let stopped = false;
  const ctx: MessengerContext = {
    store,
    socket,
    signedOut() {
      if (stopped) return;
      stop();
      onSignedOut();
    },
  };
  const setConnection = (connection: MessengerState["connection"]) =>
    store.set((s) =>
      s.connection === connection
        ? s
        : { ...s, connection, hasDropped: s.hasDropped || connection === "offline" },
    );

  socket.on("connect", () => {
    setConnection("online");
    const { openChatId } = store.get();
    const resync = openChatId ? history.catchUp(ctx, openChatId) : Promise.resolve();
    void resync.then(() => chats.reloadChats(ctx));
  });
  socket.on("disconnect", (reason) => {
    setConnection("offline");
    // The server closed this socket (e.g. the session was revoked): find out whether we are still signed in.
    if (reason === "io server disconnect") void checkSessionThenReconnect();
  });
  socket.on("connect_error", (error) => {
    setConnection("offline");
    if (error.message === UNAUTHORIZED_HANDSHAKE) void checkSessionThenReconnect();
  });
  socket.on(EVENTS.serverHello, ({ protocolVersion }) => {
    if (protocolVersion !== PROTOCOL_VERSION)
      store.set((s) => (s.newVersion ? s : { ...s, newVersion: true }));
  });
  socket.on(EVENTS.messageNew, (message) => {
    chats.receiveIntoChats(ctx, message);
    history.receiveIntoHistory(ctx, message);
  });
  socket.on(EVENTS.chatNew, (chat) => chats.receiveChat(ctx, chat));
  socket.on(EVENTS.chatCleared, ({ chatId }) => chats.applyCleared(ctx, chatId));

  async function checkSessionThenReconnect(): Promise<void> {
    try {
      await api.me();
      if (!stopped && !socket.connected) socket.connect();
    } catch (error) {
      if (error instanceof ApiRequestError && error.code === "unauthorized") ctx.signedOut();
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
    window.removeEventListener("offline", onOffline);
    window.removeEventListener("online", onOnline);
    document.removeEventListener("visibilitychange", onVisible);
    socket.removeAllListeners();
    socket.disconnect();
  }

  void chats.reloadChats(ctx);
  if (navigator.onLine !== false) socket.connect();
  else setConnection("offline");

  return {
    store,
    openChat: (chatId) => chats.openChat(ctx, chatId),
    loadOlder: (chatId) => history.loadOlder(ctx, chatId),
    loadNewer: (chatId) => history.loadNewer(ctx, chatId),
    jumpToLatest: (chatId) => history.loadLatest(ctx, chatId),
    send: (chatId, body) => sending.send(ctx, chatId, body),
    retry: (chatId, clientId) => sending.retry(ctx, chatId, clientId),
    createChat: (email) => chats.createChat(ctx, email),
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
    stop,
  };
}
