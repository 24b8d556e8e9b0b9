import type { Translation } from "../catalogue.js";

export const presence: Translation<"presence."> = {
  "presence.online": "online",
  "presence.lastSeen": "zuletzt online {time}",
  "presence.typing": "schreibt…",
  "presence.typingOne": "{name} schreibt…",
  "presence.typingMany": "{names} schreiben…",
  "presence.onlineDot": "Online",
  "presence.read": "Gelesen",
  "presence.stored": "Zugestellt",
  "presence.seenBy": { one: "Gesehen von {count}", other: "Gesehen von {count}" },
  "presence.seenByTitle": "Gesehen von",
};
