import type { Chat, ChatMember, Message, Reaction, SystemInfo, UserRef } from "../../protocol/index.js";
import { LIMITS } from "../../protocol/index.js";
import type { ChatListData, MemberRow } from "../storage/chats.repository.js";
import type { StoredFileRef } from "../storage/files.repository.js";
import type { MessageRow, ReactionRow } from "../storage/messages.repository.js";
import { encodeCursor, visibilityFloor } from "./changes-cursor.js";
import { toFileInfo } from "./file-info.js";
import { messageId } from "./ids.js";
import { type Party, signalAllowed } from "./privacy.js";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The first `LIMITS.replyExcerpt` characters (code points, so no emoji is cut in half). */
export function excerpt(body: string): string {
  const points = [...body];
  return points.length <= LIMITS.replyExcerpt ? body : points.slice(0, LIMITS.replyExcerpt).join("");
}

/** Groups reaction rows (ordered by message, then by when added) per message, emoji by first use. */
export function groupReactions(rows: ReactionRow[]): Map<string, Reaction[]> {
  const byMessage = new Map<string, Reaction[]>();
  for (const row of rows) {
    const key = `${row.chat_id}\u0000${row.seq}`;
    const list = byMessage.get(key) ?? [];
    const existing = list.find((r) => r.emoji === row.emoji);
    if (existing) existing.userIds.push(row.user_id);
    else list.push({ emoji: row.emoji, userIds: [row.user_id] });
    byMessage.set(key, list);
  }
  return byMessage;
}

export const reactionKey = (chatId: string, seq: number) => `${chatId}\u0000${seq}`;

/** A stored message as the protocol shows it; a tombstone keeps only its place and sender. */
export function toMessage(row: MessageRow, reactions: Reaction[] = []): Message {
  const deleted = row.deleted_at !== null;
  return {
    id: messageId(row.chat_id, row.seq),
    chatId: row.chat_id,
    seq: row.seq,
    rev: row.rev,
    sender: { id: row.sender_id, username: row.sender_username },
    body: deleted ? "" : row.body,
    clientId: row.client_id,
    createdAt: new Date(row.created_at).toISOString(),
    editedAt: iso(row.edited_at),
    deletedAt: iso(row.deleted_at),
    replyTo:
      deleted || row.reply_to_seq === null || row.r_sender_id === null
        ? null
        : {
            id: messageId(row.chat_id, row.reply_to_seq),
            seq: row.reply_to_seq,
            sender: { id: row.r_sender_id, username: row.r_sender_username ?? "" },
            excerpt: row.r_deleted_at !== null ? "" : excerpt(row.r_body ?? ""),
            deleted: row.r_deleted_at !== null,
          },
    reactions: deleted ? [] : reactions,
    files: deleted || !row.files ? [] : (JSON.parse(row.files) as StoredFileRef[]).map(toFileInfo),
    system: row.system === null ? null : (JSON.parse(row.system) as SystemInfo),
  };
}

/** Rows with their reactions, as protocol messages, in row order. */
export function toMessages(rows: MessageRow[], reactionRows: ReactionRow[]): Message[] {
  const reactions = groupReactions(reactionRows);
  return rows.map((row) => toMessage(row, reactions.get(reactionKey(row.chat_id, row.seq))));
}

/** A direct chat is titled after the other person; a group by its title (else its members). */
export function chatTitle(
  kind: Chat["kind"],
  members: UserRef[],
  viewerId: string,
  title?: string | null,
): string {
  const others = members.filter((m) => m.id !== viewerId);
  if (kind === "direct") return others[0]?.username ?? members[0]?.username ?? "";
  return title ?? others.map((m) => m.username).join(", ");
}

/** A member row's switches, as the privacy rule reads them. */
export const partyOf = (row: Pick<MemberRow, "id" | "share_read_receipts" | "share_last_seen">): Party => ({
  id: row.id,
  shareReadReceipts: row.share_read_receipts === 1,
  shareLastSeen: row.share_last_seen === 1,
});

/**
 * A member as `viewer` may see them: read position and presence only where `signalAllowed`
 * says so (the viewer's own entry always shows their own position and state).
 */
export function toChatMember(row: MemberRow, viewer: Party, online: ReadonlySet<string>): ChatMember {
  const member = partyOf(row);
  const receipts = signalAllowed(viewer, member, "receipts");
  const presence = signalAllowed(viewer, member, "presence");
  const isOnline = online.has(row.id);
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    readSeq: receipts && row.read_seq > 0 ? Number(row.read_seq) : null,
    online: presence ? isOnline : null,
    lastSeenAt:
      presence && row.last_seen_at !== null ? new Date(Number(row.last_seen_at)).toISOString() : null,
  };
}

/** Everyone whose online state a chat list needs (the members of its chats). */
export const memberIdsOf = (data: ChatListData): string[] => [...new Set(data.members.map((m) => m.id))];

/**
 * Turns the chat-list rows into protocol Chats, as the viewer sees them, keeping row order.
 * `online`: which of the members are connected now (see presence.service); `blocked`: members
 * blocked with the viewer either way (no signals pass between them).
 */
export function assembleChats(
  data: ChatListData,
  viewerId: string,
  online: ReadonlySet<string> = new Set(),
  blocked: ReadonlySet<string> = new Set(),
): Chat[] {
  const viewerRow = data.members.find((m) => m.id === viewerId);
  // Without the viewer's own row (never the case for a member) nothing is shared.
  const viewer: Party = viewerRow
    ? { ...partyOf(viewerRow), blockedEitherWay: blocked }
    : { id: viewerId, shareReadReceipts: false, shareLastSeen: false };
  const membersByChat = new Map<string, ChatMember[]>();
  for (const m of data.members) {
    const list = membersByChat.get(m.chat_id) ?? [];
    list.push(toChatMember(m, viewer, online));
    membersByChat.set(m.chat_id, list);
  }
  const lastMessages = new Map(
    toMessages(data.lastMessages, data.reactions).map((message) => [message.chatId, message]),
  );
  return data.chats.map((row) => {
    const members = membersByChat.get(row.id) ?? [];
    const floor = visibilityFloor({ clearedSeq: row.cleared_seq, visibleFromSeq: row.visible_from_seq });
    return {
      id: row.id,
      kind: row.kind,
      title: chatTitle(row.kind, members, viewerId, row.title),
      members,
      lastMessage: row.last_visible_seq === null ? null : (lastMessages.get(row.id) ?? null),
      // Counted as for any chat; a request (`request: true`) is left out of unread totals.
      unread: data.unread.get(row.id) ?? 0,
      createdAt: new Date(row.created_at).toISOString(),
      cursor: encodeCursor({ rev: row.last_rev, pos: row.hidden_pos, floor }),
      ...(row.request ? { request: true } : {}),
    };
  });
}
