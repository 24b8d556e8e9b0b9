import type { MemberRole, SystemInfo } from "../../protocol/index.js";
import type { GroupChange, GroupMemberState, GroupState } from "../storage/groups.repository.js";
import { AppError, notFound } from "./errors.js";
import { decideGroupAction, type GroupAction } from "./permissions.js";

/*
 * Pure planning of group changes: given the group as read under its lock, either refuse (throw
 * an AppError) or say what changes and which system messages record it. Null: nothing changes.
 */

const entry = (senderId: string, system: SystemInfo) => ({ senderId, system });

/** The actor's membership, checked against the table; a non-member gets 404 like a missing chat. */
export function authorize(
  state: GroupState,
  actorId: string,
  action: GroupAction,
  targetRole?: MemberRole,
): GroupMemberState {
  const actor = state.members.find((m) => m.userId === actorId);
  if (!actor) throw notFound();
  const decision = decideGroupAction({ kind: state.kind, role: actor.role, action, targetRole });
  if (!decision.allowed) throw new AppError("forbidden", decision.reason);
  return actor;
}

/** A member of the group other than the actor, or 404 (removing someone who is not a member). */
function target(state: GroupState, userId: string): GroupMemberState {
  const member = state.members.find((m) => m.userId === userId);
  if (!member) throw new AppError("not_found", "No such member.");
  return member;
}

export function planRename(state: GroupState, actorId: string, title: string): GroupChange | null {
  authorize(state, actorId, "rename");
  if (state.title === title) return null;
  return { title, entries: [entry(actorId, { event: "title_changed", userIds: [], title })] };
}

export function planAdd(state: GroupState, actorId: string, userId: string, maxMembers: number): GroupChange {
  authorize(state, actorId, "add_member");
  if (state.members.some((m) => m.userId === userId)) {
    throw new AppError("invalid_input", "This person is already a member.", {
      email: "Already a member.",
    });
  }
  if (maxMembers > 0 && state.members.length >= maxMembers) {
    throw new AppError("invalid_input", `The group is full (${maxMembers} members).`, {
      email: "The group is full.",
    });
  }
  return { add: [userId], entries: [entry(actorId, { event: "member_added", userIds: [userId] })] };
}

export function planRole(
  state: GroupState,
  actorId: string,
  userId: string,
  role: "admin" | "member",
): GroupChange | null {
  authorize(state, actorId, "change_role");
  const member = target(state, userId);
  if (member.role === "owner") {
    throw new AppError("forbidden", "The owner's role changes only when they leave the group.");
  }
  if (member.role === role) return null;
  return {
    roles: [{ userId, role }],
    entries: [entry(actorId, { event: "role_changed", userIds: [userId] })],
  };
}

/**
 * Removing oneself is leaving. When the owner leaves, the admin who has been a member longest
 * (else the longest-standing member) becomes owner; the last member leaving deletes the group.
 */
export function planRemove(state: GroupState, actorId: string, userId: string): GroupChange {
  if (userId === actorId) {
    const leaver = authorize(state, actorId, "leave");
    const rest = state.members.filter((m) => m.userId !== actorId);
    if (rest.length === 0) return { leave: [actorId], entries: [], deleteChat: true };
    const change: GroupChange = {
      leave: [actorId],
      entries: [entry(actorId, { event: "member_left", userIds: [actorId] })],
    };
    if (leaver.role === "owner") {
      const successor = successorOf(rest);
      change.roles = [{ userId: successor.userId, role: "owner" }];
      change.entries.push(entry(actorId, { event: "role_changed", userIds: [successor.userId] }));
    }
    return change;
  }
  // Members see the member list, so naming a non-member first (404) reveals nothing.
  if (!state.members.some((m) => m.userId === actorId)) throw notFound();
  const member = target(state, userId);
  authorize(state, actorId, "remove_member", member.role);
  return { leave: [userId], entries: [entry(actorId, { event: "member_removed", userIds: [userId] })] };
}

/** `members` are longest-standing first. */
export function successorOf(members: GroupMemberState[]): GroupMemberState {
  const next = members.find((m) => m.role === "admin") ?? members[0];
  if (!next) throw new Error("no member left to take over");
  return next;
}
