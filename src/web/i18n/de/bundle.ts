/** The German chunk: the catalogue and the emoji names, loaded together when German is chosen. */
export { EMOJI_NAMES_DE } from "./emoji.js";
export { de } from "./index.js";
