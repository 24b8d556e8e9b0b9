import { isNewerCopy } from "../../client/sequence.js";
import type { ChangesPage, Chat, MemberRole, Message } from "../../protocol/index.js";
import { LIMITS } from "../../protocol/limits.js";
import { currentLocale, type MessageKey, t } from "../i18n/index.js";
import { type ClientMessage, firstConfirmed, lastConfirmed, mergeMessages } from "./messages.js";

/** The part of a chat's history window that merging needs. */
export interface HeldWindow {
  items: readonly ClientMessage[];
  /** Older messages exist before the first one held. */
  hasOlder: boolean;
  /** Newer messages exist after the last one held. */
  hasNewer: boolean;
}

/**
 * A changed message (`message:updated`): replaces the held copy when its rev is higher. A message
 * the window does not hold is left out (it is fetched with its page, in its current state).
 */
export function applyUpdate(items: readonly ClientMessage[], message: Message): ClientMessage[] {
  const held = items.find((m) => m.status === "sent" && m.id === message.id);
  if (!held || !isNewerCopy(message, held)) return items as ClientMessage[];
  return mergeMessages(items, [message]);
}

/** Drops the messages with these ids (hidden for me). Returns the same array when none is held. */
export function dropIds(items: readonly ClientMessage[], ids: Iterable<string>): ClientMessage[] {
  const drop = new Set(ids);
  if (drop.size === 0 || !items.some((m) => m.status === "sent" && drop.has(m.id))) {
    return items as ClientMessage[];
  }
  return items.filter((m) => m.status !== "sent" || !drop.has(m.id));
}

/** `chat:cleared {seq}`: history up to and including `seq` is gone; later and unsent ones stay. */
export function dropUpTo(items: readonly ClientMessage[], seq: number): ClientMessage[] {
  if (!items.some((m) => m.status === "sent" && m.seq <= seq)) return items as ClientMessage[];
  return items.filter((m) => m.status !== "sent" || m.seq > seq);
}

/**
 * Applies one page of the changes feed to the window: held messages take the copy with the higher
 * rev; a message the window does not hold joins it only where the window reaches (not before its
 * oldest message while older pages exist, not after its newest while newer pages exist: those
 * pages are fetched whole when the reader scrolls there); `hiddenIds` are dropped, and win over
 * a changed copy of the same message in the page.
 */
export function applyChanges(
  window: HeldWindow,
  page: Pick<ChangesPage, "messages" | "hiddenIds">,
): ClientMessage[] {
  const hidden = new Set(page.hiddenIds);
  const held = new Set(window.items.filter((m) => m.status === "sent").map((m) => m.id));
  const first = firstConfirmed(window.items);
  const last = lastConfirmed(window.items);
  const reaches = (m: Message) =>
    (!window.hasOlder || (first !== undefined && m.seq > first.seq)) &&
    (!window.hasNewer || (last !== undefined && m.seq < last.seq));
  const incoming = page.messages.filter((m) => !hidden.has(m.id) && (held.has(m.id) || reaches(m)));
  return dropIds(mergeMessages(window.items, incoming), hidden);
}

/** The chat list's preview follows an edit, tombstone or reaction of the message it shows. */
export function updatePreview(chats: readonly Chat[], message: Message): Chat[] {
  const index = chats.findIndex(
    (c) => c.id === message.chatId && c.lastMessage?.id === message.id && c.lastMessage.rev < message.rev,
  );
  if (index < 0) return chats as Chat[];
  return chats.map((c, i) => (i === index ? { ...c, lastMessage: message } : c));
}

export const myRole = (chat: Chat | undefined, myId: string): MemberRole | null =>
  chat?.members.find((m) => m.id === myId)?.role ?? null;

const withinWindow = (createdAt: string, now: Date, windowS: number) =>
  windowS === 0 || now.getTime() - Date.parse(createdAt) < windowS * 1000;

const isPlain = (m: ClientMessage) => m.status === "sent" && m.system === null && m.deletedAt === null;

/** Own, not a system message or tombstone, and inside the edit window. */
export function canEdit(
  m: ClientMessage,
  myId: string,
  now: Date,
  windowS: number = LIMITS.messageEditWindowS,
): boolean {
  return isPlain(m) && m.sender.id === myId && withinWindow(m.createdAt, now, windowS);
}

/** A group's owner or admin: may delete anyone's message for everyone, at any time. */
export function isModerator(chat: Pick<Chat, "kind" | "members"> | undefined, myId: string): boolean {
  const role = myRole(chat as Chat | undefined, myId);
  return chat?.kind === "group" && (role === "owner" || role === "admin");
}

/** The sender inside the delete window; a group's owner and admins (`moderator`) any time. */
export function canDeleteForEveryone(
  m: ClientMessage,
  myId: string,
  moderator: boolean,
  now: Date,
  windowS: number = LIMITS.messageDeleteWindowS,
): boolean {
  if (!isPlain(m)) return false;
  if (moderator) return true;
  return m.sender.id === myId && withinWindow(m.createdAt, now, windowS);
}

/** Reply and React are for live messages only. */
export const canAnswer = (m: ClientMessage) => isPlain(m);

/** Up-arrow in an empty composer edits this one: my newest message that I may still edit. */
export function lastEditable(items: readonly ClientMessage[], myId: string, now: Date): ClientMessage | null {
  for (let i = items.length - 1; i >= 0; i--) {
    const m = items[i];
    if (m && canEdit(m, myId, now)) return m;
  }
  return null;
}

export type NameOf = (userId: string) => string;

/** "ann", "ann and ben", "ann, ben and cat" in the current language. */
const names = (ids: readonly string[], nameOf: NameOf) =>
  new Intl.ListFormat(currentLocale(), { type: "conjunction" }).format(ids.map(nameOf));

/** Each note's text with another actor, and with me as the actor (the verb differs in some languages). */
const SYSTEM_TEXTS: Record<NonNullable<Message["system"]>["event"], [MessageKey, MessageKey]> = {
  group_created: ["messages.system.groupCreated", "messages.system.groupCreated.self"],
  member_added: ["messages.system.memberAdded", "messages.system.memberAdded.self"],
  member_removed: ["messages.system.memberRemoved", "messages.system.memberRemoved.self"],
  member_left: ["messages.system.memberLeft", "messages.system.memberLeft.self"],
  title_changed: ["messages.system.titleChanged", "messages.system.titleChanged.self"],
  role_changed: ["messages.system.roleChanged", "messages.system.roleChanged.self"],
};

/**
 * The centred note a system message shows, e.g. "ann added ben". With `myId`, I am "You" as
 * the actor and "you" among those concerned.
 */
export function systemText(m: Pick<Message, "system" | "sender">, nameOf: NameOf, myId?: string): string {
  const s = m.system;
  if (!s) return "";
  if (s.event === "member_left") {
    const left = s.userIds.length > 0 && s.userIds[0] !== m.sender.id ? s.userIds : [m.sender.id];
    if (myId !== undefined && left.includes(myId)) return t("messages.system.memberLeft.self");
    return t("messages.system.memberLeft", { who: names(left, nameOf) });
  }
  const [other, self] = SYSTEM_TEXTS[s.event];
  const me = t(s.event === "role_changed" ? "messages.system.youAfterOf" : "messages.system.youObject");
  const who = names(s.userIds, (id) => (id === myId ? me : nameOf(id)));
  const params = { actor: nameOf(m.sender.id), who, title: s.title ?? "" };
  return t(m.sender.id === myId ? self : other, params);
}

/** What the chat list shows for its last message. */
export function previewText(m: Message, myId: string, nameOf: NameOf): string {
  if (m.system) return systemText(m, nameOf, myId);
  if (m.deletedAt) return t("messages.deleted");
  const text = m.body.replace(/\s+/g, " ").trim();
  return m.sender.id === myId ? t("messages.preview.mine", { text }) : text;
}

export interface ReactionChip {
  emoji: string;
  count: number;
  mine: boolean;
  /** Who reacted, by name, for the chip's tooltip. */
  who: string[];
}

export function reactionChips(m: Pick<Message, "reactions">, myId: string, nameOf: NameOf): ReactionChip[] {
  return m.reactions
    .filter((r) => r.userIds.length > 0)
    .map((r) => ({
      emoji: r.emoji,
      count: r.userIds.length,
      mine: r.userIds.includes(myId),
      who: r.userIds.map(nameOf),
    }));
}

/** Do I already react to this message with this emoji? (Decides PUT or DELETE.) */
export const hasReacted = (m: Pick<Message, "reactions">, emoji: string, myId: string) =>
  m.reactions.some((r) => r.emoji === emoji && r.userIds.includes(myId));
