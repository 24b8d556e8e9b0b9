import { app } from "./app.js";
import { auth } from "./auth.js";
import { blocking } from "./blocking.js";
import { chats } from "./chats.js";
import { common } from "./common.js";
import { errors } from "./errors.js";
import { insights } from "./insights.js";
import { language } from "./language.js";
import { messages } from "./messages.js";
import { outbox } from "./outbox.js";
import { theme } from "./theme.js";

/** The English catalogue is the reference: its keys are the type every other language must match. */
export const en = {
  ...app,
  ...auth,
  ...blocking,
  ...chats,
  ...common,
  ...errors,
  ...insights,
  ...language,
  ...messages,
  ...outbox,
  ...theme,
} as const;
