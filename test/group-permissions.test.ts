import { describe, expect, it } from "vitest";
import type { MemberRole } from "../src/protocol/index.js";
import { successorOf } from "../src/server/domain/group-changes.js";
import { decideGroupAction, type GroupAction } from "../src/server/domain/permissions.js";

const Y = true;
const N = false;

/** [action, target role, owner, admin, member] in a group. */
const TABLE: [GroupAction, MemberRole | undefined, boolean, boolean, boolean][] = [
  ["rename", undefined, Y, Y, N],
  ["add_member", undefined, Y, Y, N],
  ["change_role", undefined, Y, N, N],
  ["leave", undefined, Y, Y, Y],
  ["remove_member", "member", Y, Y, N],
  ["remove_member", "admin", Y, N, N],
  ["remove_member", "owner", N, N, N],
];

describe("the group permission table", () => {
  it.each(TABLE)(
    "%s (target %s): owner %s, admin %s, member %s",
    (action, targetRole, owner, admin, member) => {
      const allowed = (role: MemberRole) =>
        decideGroupAction({ kind: "group", role, action, targetRole }).allowed;
      expect([allowed("owner"), allowed("admin"), allowed("member")]).toEqual([owner, admin, member]);
    },
  );

  it("allows no management in a direct chat", () => {
    for (const [action, targetRole] of TABLE) {
      const decision = decideGroupAction({ kind: "direct", role: "member", action, targetRole });
      expect(decision.allowed, action).toBe(false);
    }
  });

  it("hands ownership to the longest-standing admin, else the longest-standing member", () => {
    const m = (userId: string, role: MemberRole) => ({ userId, role, joinedAt: 0, visibleFromSeq: 0 });
    expect(successorOf([m("a", "member"), m("b", "admin"), m("c", "admin")]).userId).toBe("b");
    expect(successorOf([m("a", "member"), m("b", "member")]).userId).toBe("a");
  });
});
