/**
 * Who may see whose signals: the one rule. Every HTTP answer and socket frame that carries a
 * read position, an online state, a last-seen time or a typing state asks `signalAllowed` first
 * (through `members` / `peersOf` below, or `assembleChats`), so it holds on every path at once.
 * Blocking stops every signal both ways: a party carries who is blocked with them, either way.
 */

/** What passes between two users. */
export type Signal = "receipts" | "presence" | "typing";

/** A user as the rule needs them: their switches, read from the database at the time of asking. */
export interface Party {
  id: string;
  shareReadReceipts: boolean;
  shareLastSeen: boolean;
  /** Users this party blocks or is blocked by (see reach.service `blockedAmong`), where known. */
  blockedEitherWay?: ReadonlySet<string>;
}

/**
 * True when `signal` may pass between `a` and `b`, in either direction (the rule is reciprocal:
 * a user who keeps a signal to themselves sees no one else's either). Asked for two different
 * users; one's own signals are always shown to oneself.
 */
export function signalAllowed(a: Party, b: Party, signal: Signal): boolean {
  if (a.id === b.id) return true;
  if (a.blockedEitherWay?.has(b.id) || b.blockedEitherWay?.has(a.id)) return false;
  switch (signal) {
    case "receipts":
      return a.shareReadReceipts && b.shareReadReceipts;
    case "presence":
      return a.shareLastSeen && b.shareLastSeen;
    case "typing":
      return true;
  }
}

/** The parties among `others` with whom `self` exchanges `signal`. */
export function allowedAmong(self: Party, others: Party[], signal: Signal): Party[] {
  return others.filter((other) => other.id !== self.id && signalAllowed(self, other, signal));
}
