/*
 * The rules every Glasschat client follows to show each message once and in order, whichever way
 * it arrives (an ack, `message:new`, a history page, the changes feed). Pure and browser-safe: the
 * typed client's Delivery and the web app's message window both decide with these.
 */

/** In a chat `seq` grows by exactly 1 per stored message: one beyond the next means one was missed. */
export function isGap(lastSeq: number, incomingSeq: number): boolean {
  return incomingSeq > lastSeq + 1;
}

/** Of two copies of one message the one with the higher `rev` is current (an edit, tombstone or reaction). */
export function isNewerCopy(incoming: { rev: number }, held: { rev: number } | undefined): boolean {
  return held === undefined || incoming.rev > held.rev;
}

/**
 * Before the server numbers it, a message is known by its sender and clientId: the server stores
 * one message per pair, so the stored copy with the same key replaces the local one.
 */
export function sendKey(senderId: string, clientId: string): string {
  return `${senderId}\u0000${clientId}`;
}
