import { useEffect } from "react";
import type { Chat, UserRef } from "../../../protocol/index.js";
import { request } from "../../api/http.js";
import { useStore } from "../../app/useStore.js";
import { createStore } from "../../lib/store.js";

const blockPath = (userId: string) => `/api/me/blocks/${encodeURIComponent(userId)}`;

export const blocksApi = {
  list: () => request<{ users: UserRef[] }>("GET", "/api/me/blocks").then((r) => r.users),
  block: (userId: string) => request<void>("PUT", blockPath(userId), {}),
  unblock: (userId: string) => request<void>("DELETE", blockPath(userId), {}),
  accept: (chatId: string) =>
    request<{ chat: Chat }>("POST", `/api/chats/${encodeURIComponent(chatId)}/accept`, {}).then(
      (r) => r.chat,
    ),
};

interface BlocksState {
  users: UserRef[];
  status: "idle" | "loading" | "ready" | "error";
}

/** The people I block, shared by the chat menus, the request view and Settings. */
export const blocksStore = createStore<BlocksState>({ users: [], status: "idle" });

export async function loadBlocks(): Promise<void> {
  blocksStore.set((s) => ({ ...s, status: s.status === "ready" ? "ready" : "loading" }));
  try {
    const users = await blocksApi.list();
    blocksStore.set(() => ({ users, status: "ready" }));
  } catch {
    blocksStore.set((s) => ({ ...s, status: "error" }));
  }
}

export async function blockUser(user: UserRef): Promise<void> {
  await blocksApi.block(user.id);
  blocksStore.set((s) =>
    s.users.some((u) => u.id === user.id)
      ? s
      : { ...s, users: [...s.users, { id: user.id, username: user.username }] },
  );
}

export async function unblockUser(userId: string): Promise<void> {
  await blocksApi.unblock(userId);
  blocksStore.set((s) => ({ ...s, users: s.users.filter((u) => u.id !== userId) }));
}

/** The list, fetched afresh each time a component using it mounts (a new sign-in starts clean). */
export function useBlocks(): BlocksState {
  useEffect(() => void loadBlocks(), []);
  return useStore(blocksStore, (s) => s);
}

/** The other member of a direct chat (undefined for groups). */
export function peerOf(chat: Chat, myId: string): UserRef | undefined {
  if (chat.kind !== "direct") return undefined;
  const other = chat.members.find((m) => m.id !== myId);
  return other && { id: other.id, username: other.username };
}
