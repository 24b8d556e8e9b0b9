import type { Translation } from "../catalogue.js";
import { app } from "./app.js";
import { auth } from "./auth.js";
import { chats } from "./chats.js";
import { common } from "./common.js";
import { errors } from "./errors.js";
import { insights } from "./insights.js";
import { language } from "./language.js";
import { messages } from "./messages.js";
import { outbox } from "./outbox.js";
import { polish } from "./polish.js";
import { theme } from "./theme.js";

export const de: Translation = {
  ...common,
  ...app,
  ...auth,
  ...chats,
  ...errors,
  ...insights,
  ...messages,
  ...language,
  ...theme,
  ...outbox,
  ...polish,
};
