import { layOut } from "./layout.js";
import type { Mail } from "./mailer.js";
import { type MailLocale, mailText } from "./texts/index.js";

/** Where a mail's links go and whom it is for. */
interface Recipient {
  to: string;
  locale: MailLocale;
  /** The origin of the web app, for the footer ("… on Glasschat at chat.example.org"). */
  site: string;
}

export function passwordResetMail(r: Recipient & { username: string; url: string }): Mail {
  const t = (key: Parameters<typeof mailText>[1], params = {}) => mailText(r.locale, key, params);
  return layOut({
    to: r.to,
    subject: t("reset.subject"),
    paragraphs: [t("reset.greeting", { username: r.username }), t("reset.intro")],
    action: { label: t("reset.action"), url: r.url },
    notes: [t("reset.expiry"), t("footer.ignore"), t("footer.why", { site: r.site })],
  });
}

/** `inviter` absent: an invitation made by the server's admin. */
export function invitationMail(r: Recipient & { inviter: string | undefined; url: string }): Mail {
  const t = (key: Parameters<typeof mailText>[1], params = {}) => mailText(r.locale, key, params);
  const inviter = r.inviter ?? "Glasschat";
  return layOut({
    to: r.to,
    subject: t("invite.subject", { inviter }),
    paragraphs: [r.inviter ? t("invite.intro", { inviter }) : t("invite.admin")],
    action: { label: t("invite.action"), url: r.url },
    notes: [t("invite.expiry"), t("footer.ignore")],
  });
}

export function unreadMessagesMail(
  r: Recipient & {
    username: string;
    chats: Array<{ title: string; count: number }>;
    appUrl: string;
    unsubscribeUrl: string;
  },
): Mail {
  const t = (key: Parameters<typeof mailText>[1], params = {}) => mailText(r.locale, key, params);
  return layOut({
    to: r.to,
    subject: t("unread.subject", { count: r.chats.length }),
    paragraphs: [t("unread.greeting", { username: r.username }), t("unread.intro")],
    list: r.chats.map((chat) => t("unread.chat", { title: chat.title, count: chat.count })),
    action: { label: t("unread.action"), url: r.appUrl },
    notes: [t("unread.why"), t("footer.why", { site: r.site })],
    secondary: { label: t("unread.unsubscribe"), url: r.unsubscribeUrl },
    headers: { "List-Unsubscribe": `<${r.unsubscribeUrl}>` },
  });
}
