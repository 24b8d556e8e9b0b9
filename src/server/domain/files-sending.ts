import type { UserRef } from "../../protocol/index.js";
import { toFileInfo } from "./file-info.js";
import type { FilesService } from "./files.service.js";
import type { MessagesService, SendRequest, Sent } from "./messages.service.js";

export interface FileSendRequest extends SendRequest {
  fileIds?: string[];
}

/**
 * `message:send` with `fileIds`, wrapped around the plain send, which stays untouched (a message
 * without files costs one property check). The files are claimed for (chatId, clientId) before
 * the message is stored and attached to it after, in a transaction that also gives the message
 * the chat's next rev (so a copy read in between is replaced); they are given back when it is
 * not stored. A retry of a send whose attach step never ran (the process died) attaches them then.
 */
export function withFiles(
  messages: MessagesService,
  files: FilesService,
  requireMember: (chatId: string, userId: string) => Promise<unknown>,
): MessagesService {
  async function sendWithFiles(
    sender: UserRef,
    request: FileSendRequest,
    fileIds: string[],
    knownMember: boolean,
  ): Promise<Sent> {
    // Membership first: a non-member learns nothing about file ids.
    if (!knownMember) await requireMember(request.chatId, sender.id);
    const refs = await files.claim(sender.id, request.chatId, request.clientId, fileIds);
    let sent: Sent;
    try {
      sent = await messages.send(sender, request, true);
    } catch (error) {
      await files.release(sender.id, request.chatId, request.clientId).catch(() => {});
      throw error;
    }
    if (sent.message.files.length > 0 || sent.message.deletedAt !== null) return sent;
    const rev = await files.attach(request.chatId, sent.message.seq, sender.id, request.clientId, refs);
    if (rev === undefined) return sent;
    return { ...sent, message: { ...sent.message, rev, files: refs.map(toFileInfo) } };
  }
  // Not async: a message without files gets the plain send's own promise, nothing in between.
  function send(sender: UserRef, request: FileSendRequest, knownMember: boolean): Promise<Sent> {
    const fileIds = request.fileIds;
    if (fileIds === undefined) return messages.send(sender, request, knownMember);
    return sendWithFiles(sender, request, fileIds, knownMember);
  }
  return { ...messages, send };
}
