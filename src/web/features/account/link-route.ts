/** Links from mail open the app at `#/reset/<token>`, `#/invite/<token>` or `#/unsubscribe/<token>`. */
export type MailLink = { kind: "reset" | "invite" | "unsubscribe"; token: string };

const PATTERN = /^#\/(reset|invite|unsubscribe)\/([A-Za-z0-9_.-]+)$/;

export function mailLinkFromHash(hash: string): MailLink | null {
  const match = PATTERN.exec(hash);
  if (!match) return null;
  return { kind: match[1] as MailLink["kind"], token: match[2] as string };
}

/** Leaves the link's page (and forgets its token in the address bar). */
export function leaveMailLink(): void {
  window.history.replaceState(null, "", `${window.location.pathname}${window.location.search}`);
}
