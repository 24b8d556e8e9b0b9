import type { Chat, Message } from "../../src/protocol/index.js";
import { type ClientSocket, clientId, send, type TestUser } from "./client.js";

/** Sends and returns the stored message (fails the test on a refusal). */
export async function say(socket: ClientSocket, chatId: string, body: string): Promise<Message> {
  const ack = await send(socket, { chatId, body, clientId: clientId() });
  if (!ack.ok) throw new Error(`send refused: ${ack.error.code}`);
  return ack.message;
}

/** The user's chat list. */
export async function chatsOf(user: TestUser): Promise<Chat[]> {
  return (await user.api<{ chats: Chat[] }>("GET", "/api/chats")).body.chats;
}
