import type { Mailer } from "../mail/mailer.js";
import { unreadMessagesMail } from "../mail/mails.js";
import { mailLocale } from "../mail/texts/index.js";
import type {
  EmailNotificationsRepository,
  UnreadChatRow,
} from "../storage/email-notifications.repository.js";
import { signSubject } from "./tokens.js";

export const UNSUBSCRIBE_PURPOSE = "unsubscribe";
const BATCH = 500;

export interface EmailNotificationsOptions {
  repository: EmailNotificationsRepository;
  mailer: Mailer;
  /** True while the user has a connected socket on any node. */
  isOnline: (userId: string) => Promise<boolean>;
  sessionSecret: string;
  now: () => number;
  /** Messages unread this long are mailed about (default 15 min). */
  afterMs: number;
  /** At most one mail per user per this (default 1 h). */
  everyMs: number;
  checkMs: number;
  onError: (error: unknown) => void;
}

/**
 * Every `checkMs`, mails each member who wants it, has no connected socket and got no such mail
 * within `everyMs`, the list of chats with messages unread for `afterMs` (each message is mailed
 * about once: the next mail lists only what arrived after the last). Every process runs it; the
 * claim in the database makes sure one mail goes out.
 */
export function startEmailNotifications(options: EmailNotificationsOptions) {
  const { repository, mailer, now } = options;
  let running: Promise<void> | undefined;

  async function mailOne(rows: UnreadChatRow[]): Promise<void> {
    const first = rows[0];
    if (!first || (await options.isOnline(first.userId))) return;
    const at = now();
    if (!(await repository.claim(first.userId, at, at - options.everyMs))) return;
    const direct = rows.filter((row) => row.kind === "direct").map((row) => row.chatId);
    const names = await repository.directTitles(first.userId, direct);
    const token = signSubject(options.sessionSecret, UNSUBSCRIBE_PURPOSE, first.userId);
    await mailer.send(
      unreadMessagesMail({
        to: first.email,
        locale: mailLocale(first.locale),
        site: new URL(mailer.link("/")).host,
        username: first.username,
        chats: rows.map((row) => ({
          title: (row.kind === "direct" ? names.get(row.chatId) : row.title) ?? "Glasschat",
          count: row.count,
        })),
        appUrl: mailer.link("/"),
        unsubscribeUrl: mailer.link(`/#/unsubscribe/${token}`),
      }),
    );
  }

  async function check(): Promise<void> {
    const at = now();
    const rows = await repository.dueUnread(at - options.afterMs, at - options.everyMs, BATCH);
    const byUser = new Map<string, UnreadChatRow[]>();
    for (const row of rows) byUser.set(row.userId, [...(byUser.get(row.userId) ?? []), row]);
    for (const userRows of byUser.values()) await mailOne(userRows).catch(options.onError);
  }

  /** Runs a check now unless one is running (then waits for that one). */
  function runOnce(): Promise<void> {
    running ??= check()
      .catch(options.onError)
      .finally(() => {
        running = undefined;
      });
    return running;
  }

  const timer = setInterval(() => void runOnce(), options.checkMs);
  timer.unref();
  return {
    runOnce,
    async stop(): Promise<void> {
      clearInterval(timer);
      await running;
    },
  };
}
