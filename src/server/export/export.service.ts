import type { Message, UserSettings } from "../../protocol/index.js";
import { toMessages } from "../domain/chat-view.js";
import type { ExportChatRow, ExportMemberRow, ExportRepository } from "../storage/export.repository.js";
import type { MessagesRepository } from "../storage/messages.repository.js";
import { htmlChatEnd, htmlChatStart, htmlEnd, htmlMessage, htmlStart } from "./html.js";
import { type ZipEntry, zipStream } from "./zip.js";

const PAGE = 200;

export interface ExportDeps {
  exports: ExportRepository;
  messages: MessagesRepository;
  now: () => number;
  /**
   * The files of these messages as archive entries (e.g. `files/<id>/<name>`), for the files
   * feature to fill in; each chat's messages come in pages, in order. Default: no files.
   */
  filesForExport?: (userId: string, chatId: string, messages: Message[]) => AsyncIterable<ZipEntry>;
}

export interface ExportUser {
  id: string;
  username: string;
  email: string;
  settings: UserSettings;
}

export type ExportService = ReturnType<typeof createExportService>;

/**
 * An account's data as a streamed ZIP: `account.json`, `chats.json`, `chats/<chatId>.json` (every
 * message the user can see, as the API shows it), `index.html` (the same, readable) and the files.
 * It reads the database page by page while the archive is sent, so memory stays flat.
 */
export function createExportService(deps: ExportDeps) {
  const { exports, messages, now } = deps;

  /** Every message of the chat that this member can see, oldest first, a page at a time. */
  async function* pagesOf(userId: string, chat: ExportChatRow): AsyncIterable<Message[]> {
    let afterSeq = 0;
    for (;;) {
      const page = await messages.page({
        chatId: chat.id,
        viewer: { userId, clearedSeq: chat.cleared_seq, visibleFromSeq: chat.visible_from_seq },
        afterSeq,
        limit: PAGE,
      });
      if (page.rows.length > 0) yield toMessages(page.rows, page.reactions);
      const last = page.rows.at(-1);
      if (!page.hasMore || !last) return;
      afterSeq = last.seq;
    }
  }

  return {
    /** The archive's bytes; starts reading only when consumed. */
    async *archive(user: ExportUser): AsyncIterable<Buffer> {
      const exportedAt = new Date(now()).toISOString();
      const account = await exports.account(user.id);
      const chats = await exports.chatsOf(user.id);
      const members = new Map<string, ExportMemberRow[]>();
      for (const row of await exports.membersOf(chats.map((c) => c.id))) {
        members.set(row.chat_id, [...(members.get(row.chat_id) ?? []), row]);
      }
      const titleOf = (chat: ExportChatRow) =>
        chat.kind === "group"
          ? (chat.title ?? "")
          : (members.get(chat.id)?.find((m) => m.id !== user.id)?.username ?? user.username);
      const chatList = chats.map((chat) => ({
        id: chat.id,
        kind: chat.kind,
        title: titleOf(chat),
        createdAt: new Date(chat.created_at).toISOString(),
        members: (members.get(chat.id) ?? []).map((m) => ({ id: m.id, username: m.username, role: m.role })),
      }));

      async function* entries(): AsyncIterable<ZipEntry> {
        yield {
          name: "account.json",
          content: JSON.stringify(
            {
              exportedAt,
              user: {
                ...user,
                createdAt: account ? new Date(account.created_at).toISOString() : null,
              },
            },
            null,
            2,
          ),
        };
        yield { name: "chats.json", content: JSON.stringify({ chats: chatList }, null, 2) };
        for (const chat of chats) {
          const files: ZipEntry[] = [];
          yield {
            name: `chats/${chat.id}.json`,
            content: (async function* () {
              yield `{"chatId":${JSON.stringify(chat.id)},"messages":[`;
              let first = true;
              for await (const page of pagesOf(user.id, chat)) {
                for (const message of page) {
                  yield `${first ? "" : ","}\n${JSON.stringify(message)}`;
                  first = false;
                }
                if (deps.filesForExport) {
                  for await (const file of deps.filesForExport(user.id, chat.id, page)) files.push(file);
                }
              }
              yield "\n]}\n";
            })(),
          };
          yield* files;
        }
        yield {
          name: "index.html",
          content: (async function* () {
            yield htmlStart(user.username, exportedAt);
            for (const [index, chat] of chats.entries()) {
              yield htmlChatStart(
                chatList[index]?.title ?? "",
                (members.get(chat.id) ?? []).map((m) => m.username),
              );
              for await (const page of pagesOf(user.id, chat)) yield page.map(htmlMessage).join("");
              yield htmlChatEnd;
            }
            yield htmlEnd;
          })(),
        };
      }

      yield* zipStream(entries(), new Date(now()));
    },
  };
}
