/** Blocking and message requests. Every key also exists in ../de/blocking.ts. */
export const blocking = {
  "blocking.requests": "Requests",
  "blocking.chats": "Chats",
  "blocking.block": "Block",
  "blocking.unblock": "Unblock",
  "blocking.accept": "Accept",
  "blocking.delete": "Delete",
  "blocking.requestNotice": "{name} wants to chat with you. Accept to reply, or block them.",
  "blocking.blockedNotice": "You blocked {name}. Their new messages don’t reach you.",
  "blocking.blockedPeople": "Blocked people",
  "blocking.blockedHint":
    "Blocked people can’t reach you: their messages, typing and online status stop, both ways. They aren’t told.",
  "blocking.noneBlocked": "You haven’t blocked anyone.",
  "blocking.loadFailed": "Could not load the people you blocked.",
  "blocking.unblockNamed": "Unblock {name}",
  "blocking.requestCount": { one: "{count} request", other: "{count} requests" },
} as const;
