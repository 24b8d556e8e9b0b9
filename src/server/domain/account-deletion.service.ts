import { DELETED_USERNAME, type DeleteAccountBody } from "../../protocol/index.js";
import type { AccountDeletionRepository } from "../storage/account-deletion.repository.js";
import type { ChatsService } from "./chats.service.js";
import { AppError } from "./errors.js";
import type { GroupsService } from "./groups.service.js";
import type { MessageActionsService } from "./message-actions.service.js";
import type { Notifier } from "./notifier.js";
import { verifyPassword } from "./passwords.js";
import { RateLimiter } from "./rate-limiter.js";

export interface AccountDeletionDeps {
  repository: AccountDeletionRepository;
  actions: MessageActionsService;
  groups: GroupsService;
  chatsService: ChatsService;
  notifier: Notifier;
  now: () => number;
  /** With "erase": the user's uploaded files go (for the files feature to fill in). */
  deleteFilesOf?: (userId: string) => Promise<void>;
}

export type AccountDeletionService = ReturnType<typeof createAccountDeletionService>;

const FIFTEEN_MINUTES = 15 * 60 * 1000;

/**
 * Deleting an account: the password confirms it; every session ends (sockets disconnected, push
 * subscriptions gone); the user leaves their groups (ownership passes on as when anyone leaves);
 * with "erase" their messages become tombstones and their reactions are taken back; the row stays as "deleted-user", so its messages
 * keep a sender while the email and username are free for a new account.
 */
export function createAccountDeletionService(deps: AccountDeletionDeps) {
  const { repository, now } = deps;
  // Guesses of the password of a signed-in session (a stolen cookie) are limited too.
  const attempts = new RateLimiter(10, FIFTEEN_MINUTES, now);

  return {
    async deleteAccount(user: { id: string; username: string }, input: DeleteAccountBody) {
      const wait = attempts.retryAfter(user.id);
      if (wait > 0)
        throw new AppError("rate_limited", `Too many attempts. Try again in ${wait} s.`, undefined, wait);
      attempts.hit(user.id);
      const hash = await repository.passwordHashOf(user.id);
      if (!hash || !(await verifyPassword(hash, input.password))) {
        throw new AppError("invalid_credentials", "Wrong password.", { password: "Wrong password." });
      }
      attempts.reset(user.id);

      for (const sessionId of await repository.deleteSessions(user.id))
        deps.notifier.sessionRevoked(sessionId);
      if (input.messages === "erase") {
        for (const [chatId, seqs] of await repository.liveMessagesBy(user.id)) {
          await deps.actions.eraseMessages(chatId, seqs);
        }
        for (const [chatId, reactions] of await repository.reactionsBy(user.id)) {
          await deps.actions.eraseReactions(chatId, user.id, reactions);
        }
        await deps.deleteFilesOf?.(user.id);
      }
      const chats = await repository.chatsOf(user.id);
      for (const chat of chats) {
        if (chat.kind === "group") await deps.groups.removeMember(user, chat.id, user.id);
      }
      await repository.anonymize(user.id, DELETED_USERNAME, now());
      // The other member of each direct chat now sees "deleted-user" as its title.
      for (const chat of chats) {
        if (chat.kind !== "direct") continue;
        for (const other of chat.others) await deps.chatsService.announceView(chat.id, other);
      }
    },
  };
}
