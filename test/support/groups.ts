import { expect } from "vitest";
import type { Chat, Message, MessagePage } from "../../src/protocol/index.js";
import { signUp, type TestUser } from "./client.js";

/** A group made by `owner` with `members` (over HTTP); returns its id. */
export async function createGroup(
  owner: TestUser,
  members: TestUser[],
  title = "Book club",
): Promise<string> {
  const reply = await owner.api<{ chat: Chat }>("POST", "/api/chats", {
    kind: "group",
    title,
    emails: members.map((m) => m.email),
  });
  if (reply.status !== 201)
    throw new Error(`group creation failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.chat.id;
}

/** Signs up `names.length` users. */
export function users(baseUrl: string, ...names: string[]): Promise<TestUser[]> {
  return Promise.all(names.map((name) => signUp(baseUrl, name)));
}

/** The chat's history as `user` sees it (oldest first). */
export async function historyOf(user: TestUser, chatId: string): Promise<Message[]> {
  const reply = await user.api<MessagePage>("GET", `/api/chats/${chatId}/messages?limit=100`);
  expect(reply.status).toBe(200);
  return reply.body.messages;
}

/** The system entries of a history: [event, userIds, title?]. */
export const systemEvents = (messages: Message[]) =>
  messages.flatMap((m) => (m.system ? [[m.system.event, m.system.userIds, m.system.title]] : []));

/** Each member's role, by user id. */
export const rolesOf = (chat: Chat) => Object.fromEntries(chat.members.map((m) => [m.id, m.role]));
