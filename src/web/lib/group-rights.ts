import type { ChatMember, MemberRole } from "../../protocol/index.js";
import type { MessageKey } from "../i18n/index.js";

/**
 * What the members panel shows a role (the server decides; controls a role may not use are not
 * shown). Owner and admins rename and add; only the owner changes roles; an admin removes plain
 * members only; anyone leaves.
 */
export interface GroupRights {
  rename: boolean;
  addMember: boolean;
  makeAdmin: (member: ChatMember) => boolean;
  makeMember: (member: ChatMember) => boolean;
  remove: (member: ChatMember) => boolean;
}

export function groupRights(myRole: MemberRole | null, myId: string): GroupRights {
  const owner = myRole === "owner";
  const moderator = owner || myRole === "admin";
  return {
    rename: moderator,
    addMember: moderator,
    makeAdmin: (m) => owner && m.id !== myId && m.role === "member",
    makeMember: (m) => owner && m.id !== myId && m.role === "admin",
    remove: (m) => m.id !== myId && (owner || (myRole === "admin" && m.role === "member")),
  };
}

/** The catalogue key of each role's name. */
export const ROLE_LABEL: Record<MemberRole, MessageKey> = {
  owner: "chats.role.owner",
  admin: "chats.role.admin",
  member: "chats.role.member",
};

/** Owner first, then admins, then members; by name within each. */
export function sortMembers(members: readonly ChatMember[]): ChatMember[] {
  const rank: Record<MemberRole, number> = { owner: 0, admin: 1, member: 2 };
  return [...members].sort((a, b) => rank[a.role] - rank[b.role] || a.username.localeCompare(b.username));
}
