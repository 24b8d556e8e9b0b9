import { AppError } from "./errors.js";

/**
 * Where a member's changes feed of one chat stands. Three streams, each resumed on its own:
 * - `rev`: the chat's messages, created or changed after this rev (shared by all members);
 * - `pos`: the member's own hide-for-me list after this position (a counter only they see, so
 *   their personal actions never show as gaps in anyone else's revs);
 * - `floor`: messages with seq ≤ floor are gone for the member (cleared for them or for
 *   everyone, or from before they joined); the feed names the ids above the cursor's floor up
 *   to the current one.
 */
export interface FeedPosition {
  rev: number;
  pos: number;
  floor: number;
}

const PREFIX = "f1.";

/** Opaque on the wire; the version prefix leaves room to change the layout. */
export function encodeCursor(position: FeedPosition): string {
  return `${PREFIX}${[position.rev, position.pos, position.floor].map((n) => n.toString(36)).join(".")}`;
}

export function decodeCursor(cursor: string): FeedPosition {
  const parts = cursor.startsWith(PREFIX) ? cursor.slice(PREFIX.length).split(".") : [];
  const numbers = parts.map((part) =>
    /^[0-9a-z]{1,11}$/.test(part) ? Number.parseInt(part, 36) : Number.NaN,
  );
  const [rev, pos, floor] = numbers;
  if (
    numbers.length !== 3 ||
    rev === undefined ||
    pos === undefined ||
    floor === undefined ||
    !numbers.every((n) => Number.isSafeInteger(n) && n >= 0)
  ) {
    throw new AppError("invalid_input", "cursor is malformed.", {
      cursor: "Use a cursor from a chat or a previous page.",
    });
  }
  return { rev, pos, floor };
}

/** Messages with seq ≤ this are not visible to the member. */
export function visibilityFloor(member: { clearedSeq: number; visibleFromSeq: number }): number {
  return Math.max(member.clearedSeq, member.visibleFromSeq - 1);
}
