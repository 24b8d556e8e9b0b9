/** Online state, last seen, typing and read receipts. */
export const presence = {
  "presence.online": "online",
  "presence.lastSeen": "last seen {time}",
  "presence.typing": "typing…",
  "presence.typingOne": "{name} is typing…",
  "presence.typingMany": "{names} are typing…",
  "presence.onlineDot": "Online",
  "presence.read": "Read",
  "presence.stored": "Delivered",
  "presence.seenBy": { one: "Seen by {count}", other: "Seen by {count}" },
  "presence.seenByTitle": "Seen by",
} as const;
