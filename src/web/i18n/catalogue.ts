import type { en } from "./en/index.js";
import type { Message } from "./types.js";

export type MessageKey = keyof typeof en;

/** A translation of every English key (of those starting with `Prefix`, for one feature's file). */
export type Translation<Prefix extends string = ""> = {
  [K in MessageKey as K extends `${Prefix}${string}` ? K : never]: (typeof en)[K] extends string
    ? string
    : Message;
};
