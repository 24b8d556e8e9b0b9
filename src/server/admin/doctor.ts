import type { Command } from "./command.js";
export const doctor: Command = async () => 0;
