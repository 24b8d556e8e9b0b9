import { LIMITS, type Message } from "../../protocol/index.js";
import type {
  ChatChange,
  MessageActionsRepository,
  StoredMessageState,
} from "../storage/message-actions.repository.js";
import type { MessagesRepository } from "../storage/messages.repository.js";
import { toMessages } from "./chat-view.js";
import type { ChatsService } from "./chats.service.js";
import { AppError, notFound } from "./errors.js";
import { messageId, seqFromMessageId } from "./ids.js";
import type { Notifier } from "./notifier.js";
import { decide, type MessageAction } from "./permissions.js";
import type { ReachService } from "./reach.service.js";

export interface MessageActionsDeps {
  actions: MessageActionsRepository;
  messages: MessagesRepository;
  chatsService: ChatsService;
  notifier: Notifier;
  reach: Pick<ReachService, "toldOfChange">;
  now: () => number;
  /** Seconds; 0 = no limit. */
  editWindowS: number;
  deleteWindowS: number;
}

export type MessageActionsService = ReturnType<typeof createMessageActionsService>;

/** Messages tombstoned per transaction when an account is erased. */
const ERASE_BATCH = 200;

const messageNotFound = () => new AppError("not_found", "No such message.");

/** A message id of another chat, or no message id at all, is simply not a message of this chat. */
function seqOf(chatId: string, id: string): number {
  try {
    return seqFromMessageId(chatId, id, "messageId");
  } catch {
    throw messageNotFound();
  }
}

/** Edit, delete (for me, for everyone) and react: each change is stored with the chat's next rev, then announced. */
export function createMessageActionsService(deps: MessageActionsDeps) {
  const { actions, messages, chatsService, notifier, reach, now } = deps;

  /**
   * Runs one change in the chat's transaction after the checks every action shares: the caller
   * is a member who can see the message, and the permission table allows `action`.
   * `apply` returns the seqs whose rev it changed; they are announced once committed.
   */
  async function change(
    chatId: string,
    userId: string,
    seq: number,
    action: MessageAction | undefined,
    apply: (change: ChatChange, message: StoredMessageState) => Promise<number[]>,
  ): Promise<void> {
    let kind: ChatChange["kind"] = "direct";
    const changed = await actions.inChat(chatId, async (c) => {
      kind = c.kind;
      const member = await c.member(userId, seq);
      if (!member) throw notFound();
      const message = await c.message(seq);
      if (!message || seq <= member.clearedSeq || seq < member.visibleFromSeq || member.hidden) {
        throw messageNotFound();
      }
      // Deleting a tombstone again is a retry: nothing to do, nothing to refuse.
      if (action === "delete_for_everyone" && message.deleted_at !== null) return [];
      if (action) {
        const decision = decide({
          action,
          chatKind: c.kind,
          role: member.role,
          message: {
            own: message.sender_id === userId,
            createdAt: message.created_at,
            deleted: message.deleted_at !== null,
            system: message.system !== null,
          },
          now: now(),
          windowS: action === "edit" ? deps.editWindowS : deps.deleteWindowS,
        });
        if (!decision.allowed) throw new AppError("forbidden", decision.reason);
      }
      return apply(c, message);
    });
    if (changed === undefined) throw notFound();
    // A delete for everyone reaches everyone who saw the message; edits and reactions follow the block rule.
    await publish(chatId, changed, action === "delete_for_everyone" ? undefined : { kind, actorId: userId });
  }

  /**
   * Reads the changed messages as committed and sends each to the members who can see it (and,
   * for a change by `by.actorId`, whom the block rule lets hear of it).
   */
  async function publish(
    chatId: string,
    seqs: number[],
    by?: { kind: ChatChange["kind"]; actorId: string },
  ): Promise<void> {
    if (seqs.length === 0) return;
    const [viewers, stored] = await Promise.all([
      actions.viewersOf(chatId, seqs),
      messages.findMany(chatId, seqs),
    ]);
    for (const message of toMessages(stored.rows, stored.reactions)) {
      const seeing = viewers.get(message.seq) ?? [];
      const told = by ? await reach.toldOfChange(by.kind, by.actorId, seeing) : seeing;
      notifier.messageUpdated(message, told);
    }
  }

  async function current(chatId: string, seq: number): Promise<Message> {
    const stored = await messages.findMany(chatId, [seq]);
    const [message] = toMessages(stored.rows, stored.reactions);
    if (!message) throw messageNotFound();
    return message;
  }

  return {
    async edit(chatId: string, userId: string, id: string, body: string): Promise<Message> {
      const seq = seqOf(chatId, id);
      await change(chatId, userId, seq, "edit", async (c) => {
        await c.setBody(seq, body, now());
        return [seq, ...(await c.touchReplies(seq))];
      });
      return current(chatId, seq);
    },

    /** A tombstone for everyone; deleting a tombstone again changes nothing. */
    async deleteForEveryone(chatId: string, userId: string, id: string): Promise<void> {
      const seq = seqOf(chatId, id);
      await change(chatId, userId, seq, "delete_for_everyone", async (c) => {
        await c.tombstone(seq, now());
        return [seq, ...(await c.touchReplies(seq))];
      });
    },

    /**
     * Account deletion with "erase": each of these messages of the chat becomes a tombstone, as a
     * delete for everyone makes it (new revs, replies' excerpts, message:updated to viewers), without
     * the sender's time window. `seqs` are the sender's own messages.
     */
    async eraseMessages(chatId: string, seqs: number[]): Promise<void> {
      for (let i = 0; i < seqs.length; i += ERASE_BATCH) {
        const batch = seqs.slice(i, i + ERASE_BATCH);
        const changed = await actions.inChat(chatId, async (c) => {
          const touched: number[] = [];
          for (const seq of batch) {
            await c.tombstone(seq, now());
            touched.push(seq, ...(await c.touchReplies(seq)));
          }
          return [...new Set(touched)];
        });
        await publish(chatId, changed ?? []);
      }
    },

    /** Account deletion with "erase": the user's reactions in this chat are taken back, announced as usual. */
    async eraseReactions(chatId: string, userId: string, reactions: { seq: number; emoji: string }[]) {
      for (let i = 0; i < reactions.length; i += ERASE_BATCH) {
        const batch = reactions.slice(i, i + ERASE_BATCH);
        const changed = await actions.inChat(chatId, async (c) => {
          const touched = new Set<number>();
          for (const { seq, emoji } of batch) {
            if (await c.removeReaction(seq, emoji, userId)) touched.add(seq);
          }
          return [...touched];
        });
        await publish(chatId, changed ?? []);
      }
    },

    /** Hidden for the caller only; their own sockets are told, nobody else learns of it. */
    async hide(chatId: string, userId: string, id: string): Promise<void> {
      const seq = seqOf(chatId, id);
      const membership = await chatsService.requireMember(chatId, userId);
      const [stored] = (await messages.findMany(chatId, [seq])).rows;
      if (!stored || seq <= membership.clearedSeq || seq < membership.visibleFromSeq) throw messageNotFound();
      if (!(await actions.hide(chatId, userId, seq))) return;
      notifier.messageHidden(userId, chatId, messageId(chatId, seq));
      await chatsService.announceView(chatId, userId);
    },

    async react(chatId: string, userId: string, id: string, emoji: string): Promise<Message> {
      const seq = seqOf(chatId, id);
      await change(chatId, userId, seq, "react", async (c) => {
        const outcome = await c.addReaction(seq, emoji, userId, LIMITS.reactionsMax);
        if (outcome === "full") {
          throw new AppError(
            "invalid_input",
            `A message takes at most ${LIMITS.reactionsMax} different reactions.`,
            {
              emoji: "Too many different reactions.",
            },
          );
        }
        return outcome === "added" ? [seq] : [];
      });
      return current(chatId, seq);
    },

    /** Takes the caller's reaction back; also fine when there was none. */
    async unreact(chatId: string, userId: string, id: string, emoji: string): Promise<Message> {
      const seq = seqOf(chatId, id);
      await change(chatId, userId, seq, undefined, async (c) =>
        (await c.removeReaction(seq, emoji, userId)) ? [seq] : [],
      );
      return current(chatId, seq);
    },
  };
}
