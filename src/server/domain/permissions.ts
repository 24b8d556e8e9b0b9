import type { ChatKind, MemberRole } from "../../protocol/index.js";

/**
 * Who may do what to the messages of a chat: the one table every check goes through.
 * - `any`: on any message the member can see;
 * - `own_in_window`: only on their own messages, within the action's window;
 * - `none`: never.
 * Group management (rename, add, remove, roles) extends this table with its own actions.
 */
export type MessageAction = "edit" | "delete_for_everyone" | "delete_for_me" | "react" | "clear_for_everyone";
export type Grant = "any" | "own_in_window" | "none";

const plainMember: Record<MessageAction, Grant> = {
  edit: "own_in_window",
  delete_for_everyone: "own_in_window",
  delete_for_me: "any",
  react: "any",
  clear_for_everyone: "none",
};
// Owners and admins moderate: they delete any message at any time and may clear the group,
// but they never put words into someone else's mouth.
const moderator: Record<MessageAction, Grant> = {
  ...plainMember,
  delete_for_everyone: "any",
  clear_for_everyone: "any",
};

export const PERMISSIONS: Record<ChatKind, Record<MemberRole, Record<MessageAction, Grant>>> = {
  // Both members of a direct chat are "member"; either may clear it for both (v1).
  direct: {
    owner: { ...plainMember, clear_for_everyone: "any" },
    admin: { ...plainMember, clear_for_everyone: "any" },
    member: { ...plainMember, clear_for_everyone: "any" },
  },
  group: { owner: moderator, admin: moderator, member: plainMember },
};

export interface ActionContext {
  action: MessageAction;
  chatKind: ChatKind;
  role: MemberRole;
  /** The message acted on (absent for chat-wide actions such as clearing). */
  message?: { own: boolean; createdAt: number; deleted: boolean; system: boolean };
  now: number;
  /** Seconds; 0 = no limit. */
  windowS: number;
}

export type Decision = { allowed: true } | { allowed: false; reason: string };

const deny = (reason: string): Decision => ({ allowed: false, reason });

/** Whether the action is allowed; the reason is the human message of a 403 `forbidden`. */
export function decide(ctx: ActionContext): Decision {
  const grant = PERMISSIONS[ctx.chatKind][ctx.role][ctx.action];
  if (grant === "none") return deny("Only the group's owner and admins may do that.");
  const message = ctx.message;
  if (!message) return { allowed: true };
  if (ctx.action === "edit" || ctx.action === "react" || ctx.action === "delete_for_everyone") {
    if (message.deleted) return deny("This message was deleted.");
  }
  if ((ctx.action === "edit" || ctx.action === "delete_for_everyone") && message.system) {
    return deny("A system message cannot be changed.");
  }
  if (grant === "any") return { allowed: true };
  if (!message.own) return deny("Only the sender may do that.");
  if (ctx.windowS > 0 && ctx.now - message.createdAt > ctx.windowS * 1000) {
    return deny(
      ctx.action === "edit"
        ? "It is too late to edit this message."
        : "It is too late to delete this message for everyone.",
    );
  }
  return { allowed: true };
}
