export const outbox = {
  "outbox.queued": "Queued",
  "outbox.queuedHint": "Waiting for the connection: it is sent by itself when you are back online.",
} as const;
