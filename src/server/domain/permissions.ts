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

// ---- Group management ----

/**
 * Who may manage a group, by role. A removed member or a non-member never reaches it: for them
 * the chat does not exist (404). Clearing for everyone is a message action (above).
 * - `rename`, `add_member`, `change_role`, `leave`: allowed or not;
 * - `remove_member`: the roles of the members this role may remove (removing oneself is
 *   `leave`, which every member may do in a group).
 */
export type GroupAction = "rename" | "add_member" | "remove_member" | "change_role" | "leave";

export interface GroupGrants {
  rename: boolean;
  add_member: boolean;
  change_role: boolean;
  leave: boolean;
  /** Whom this role may remove (never themselves: that is `leave`). */
  remove_member: readonly MemberRole[];
}

export const GROUP_PERMISSIONS: Record<MemberRole, GroupGrants> = {
  owner: {
    rename: true,
    add_member: true,
    change_role: true,
    leave: true,
    remove_member: ["admin", "member"],
  },
  // Admins run the membership but cannot touch the owner or each other.
  admin: {
    rename: true,
    add_member: true,
    change_role: false,
    leave: true,
    remove_member: ["member"],
  },
  member: {
    rename: false,
    add_member: false,
    change_role: false,
    leave: true,
    remove_member: [],
  },
};

const REASONS: Record<GroupAction, string> = {
  rename: "Only the group's owner and admins may rename it.",
  add_member: "Only the group's owner and admins may add members.",
  remove_member: "You may not remove this member.",
  change_role: "Only the group's owner may change roles.",
  leave: "You cannot leave this chat.",
};

/**
 * Whether a member with `role` may do `action` in a chat of `kind`; `targetRole` is the role of
 * the member removed (for `remove_member`). The reason is the message of a 403 `forbidden`.
 */
export function decideGroupAction(ctx: {
  kind: ChatKind;
  role: MemberRole;
  action: GroupAction;
  targetRole?: MemberRole;
}): Decision {
  if (ctx.kind === "direct") return { allowed: false, reason: "A direct chat has no members to manage." };
  const grants = GROUP_PERMISSIONS[ctx.role];
  const allowed =
    ctx.action === "remove_member"
      ? ctx.targetRole !== undefined && grants.remove_member.includes(ctx.targetRole)
      : grants[ctx.action];
  return allowed ? { allowed: true } : { allowed: false, reason: REASONS[ctx.action] };
}
