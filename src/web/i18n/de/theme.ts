import type { Translation } from "../catalogue.js";

export const theme: Translation<"theme."> = {
  "theme.toggle": "Design wechseln",
  "theme.toLight": "Zum hellen Design wechseln",
  "theme.toDark": "Zum dunklen Design wechseln",
};
