import type { ChatKind, MemberRole } from "../../protocol/index.js";

/**
 * Who may manage a group: the one table every group check goes through (message actions have
 * their own table in permissions.ts). A removed member or a non-member never reaches it: for
 * them the chat does not exist (404).
 * - `rename`, `add_member`, `change_role`, `clear_for_everyone`: allowed or not;
 * - `remove_member`: the roles of the members this role may remove (removing oneself is
 *   `leave`, which every member may do in a group).
 */
export type GroupAction =
  | "rename"
  | "add_member"
  | "remove_member"
  | "change_role"
  | "leave"
  | "clear_for_everyone";

export interface GroupGrants {
  rename: boolean;
  add_member: boolean;
  change_role: boolean;
  leave: boolean;
  clear_for_everyone: boolean;
  /** Whom this role may remove (never themselves: that is `leave`). */
  remove_member: readonly MemberRole[];
}

export const GROUP_PERMISSIONS: Record<MemberRole, GroupGrants> = {
  owner: {
    rename: true,
    add_member: true,
    change_role: true,
    leave: true,
    clear_for_everyone: true,
    remove_member: ["admin", "member"],
  },
  // Admins run the membership but cannot touch the owner or each other.
  admin: {
    rename: true,
    add_member: true,
    change_role: false,
    leave: true,
    clear_for_everyone: true,
    remove_member: ["member"],
  },
  member: {
    rename: false,
    add_member: false,
    change_role: false,
    leave: true,
    clear_for_everyone: false,
    remove_member: [],
  },
};

export type GroupDecision = { allowed: true } | { allowed: false; reason: string };

const REASONS: Record<GroupAction, string> = {
  rename: "Only the group's owner and admins may rename it.",
  add_member: "Only the group's owner and admins may add members.",
  remove_member: "You may not remove this member.",
  change_role: "Only the group's owner may change roles.",
  leave: "You cannot leave this chat.",
  clear_for_everyone: "Only the group's owner and admins may clear it for everyone.",
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
}): GroupDecision {
  if (ctx.kind === "direct") {
    // A direct chat has no management; clearing it for both stays as in v1.
    if (ctx.action === "clear_for_everyone") return { allowed: true };
    return { allowed: false, reason: "A direct chat has no members to manage." };
  }
  const grants = GROUP_PERMISSIONS[ctx.role];
  const allowed =
    ctx.action === "remove_member"
      ? ctx.targetRole !== undefined && grants.remove_member.includes(ctx.targetRole)
      : grants[ctx.action];
  return allowed ? { allowed: true } : { allowed: false, reason: REASONS[ctx.action] };
}
