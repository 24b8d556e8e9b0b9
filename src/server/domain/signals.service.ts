import type { SettingsPatch, UserSettings } from "../../protocol/index.js";
import type { ChatsRepository } from "../storage/chats.repository.js";
import type { PresenceRepository } from "../storage/presence.repository.js";
import { memberIdsOf, partyOf } from "./chat-view.js";
import type { ChatsService } from "./chats.service.js";
import type { Notifier } from "./notifier.js";
import type { PresenceService } from "./presence.service.js";
import { allowedAmong, type Party, signalAllowed } from "./privacy.js";
import type { ReachService } from "./reach.service.js";

export interface SignalsDeps {
  repository: PresenceRepository;
  chats: ChatsRepository;
  chatsService: Pick<ChatsService, "assemble">;
  presence: Pick<PresenceService, "shareChanged">;
  notifier: Pick<Notifier, "chatRead" | "chatUpdated">;
  /** Blocking stops receipts and typing both ways. */
  reach: Pick<ReachService, "blockedAmong">;
}

export type SignalsService = ReturnType<typeof createSignalsService>;

/** Read receipts, typing audiences and privacy switches changing at runtime. */
export function createSignalsService({
  repository,
  chats,
  chatsService,
  presence,
  notifier,
  reach,
}: SignalsDeps) {
  /** The chat's other members who may get `signal` from `userId` (none if not a member). */
  async function audience(chatId: string, userId: string, signal: "receipts" | "typing"): Promise<string[]> {
    const members = await repository.membersOf(chatId);
    const self = members.find((m) => m.id === userId);
    if (!self) return [];
    self.blockedEitherWay = await reach.blockedAmong(
      userId,
      members.map((m) => m.id),
    );
    return allowedAmong(self, members, signal).map((m) => m.id);
  }

  return {
    typingAudience: (chatId: string, userId: string) => audience(chatId, userId, "typing"),

    /** The reader's position moved: `chat:read` to the members who share receipts with them. */
    async readMoved(chatId: string, userId: string, seq: number): Promise<void> {
      notifier.chatRead(await audience(chatId, userId, "receipts"), { chatId, userId, seq });
    },

    /**
     * A switch changed: honoured at once in both directions. The user's own sockets get every chat
     * again (members as they may now see them); peers get the user's position / presence, or
     * nulls where the two no longer share it.
     */
    async settingsChanged(userId: string, patch: SettingsPatch, settings: UserSettings): Promise<void> {
      if (patch.shareReadReceipts === undefined && patch.shareLastSeen === undefined) return;
      const user: Party = {
        id: userId,
        shareReadReceipts: settings.shareReadReceipts,
        shareLastSeen: settings.shareLastSeen,
      };
      const data = await chats.listForUser(userId);
      user.blockedEitherWay = await reach.blockedAmong(userId, memberIdsOf(data));
      for (const chat of await chatsService.assemble(data, userId)) notifier.chatUpdated(userId, chat);
      if (patch.shareReadReceipts !== undefined) {
        const readSeq = new Map<string, number>();
        const others = new Map<string, Party[]>();
        for (const m of data.members) {
          if (m.id === userId) readSeq.set(m.chat_id, Number(m.read_seq));
          else {
            const list = others.get(m.chat_id) ?? [];
            list.push(partyOf(m));
            others.set(m.chat_id, list);
          }
        }
        for (const [chatId, members] of others) {
          const seq = readSeq.get(chatId) ?? 0;
          const shared = members.filter((m) => signalAllowed(user, m, "receipts")).map((m) => m.id);
          const hidden = members.filter((m) => !signalAllowed(user, m, "receipts")).map((m) => m.id);
          notifier.chatRead(shared, { chatId, userId, seq: seq > 0 ? seq : null });
          notifier.chatRead(hidden, { chatId, userId, seq: null });
        }
      }
      if (patch.shareLastSeen !== undefined) await presence.shareChanged(user);
    },
  };
}
