import { describe, expect, it } from "vitest";
import type { ChatKind, MemberRole } from "../src/protocol/index.js";
import { decide, type MessageAction } from "../src/server/domain/permissions.js";

const NOW = Date.parse("2026-12-01T12:00:00.000Z");
const WINDOW_S = 3600;
const fresh = NOW - 60_000;
const old = NOW - (WINDOW_S + 1) * 1000;

type Row = [ChatKind, MemberRole, MessageAction, "own" | "other", "fresh" | "old", boolean];

type Rules = Record<MessageAction, (own: boolean, young: boolean) => boolean>;
function directRules(): Rules {
  return {
    edit: (own, young) => own && young,
    delete_for_everyone: (own, young) => own && young,
    delete_for_me: () => true,
    react: () => true,
    clear_for_everyone: () => true,
  };
}

// Every combination of chat kind × role × action × whose message × age, with the expected answer.
const TABLE: Row[] = [];
const expected: Record<
  ChatKind,
  Record<MemberRole, Record<MessageAction, (own: boolean, young: boolean) => boolean>>
> = {
  direct: { owner: directRules(), admin: directRules(), member: directRules() },
  group: {
    owner: {
      edit: (own, young) => own && young,
      delete_for_everyone: () => true,
      delete_for_me: () => true,
      react: () => true,
      clear_for_everyone: () => true,
    },
    admin: {
      edit: (own, young) => own && young,
      delete_for_everyone: () => true,
      delete_for_me: () => true,
      react: () => true,
      clear_for_everyone: () => true,
    },
    member: {
      edit: (own, young) => own && young,
      delete_for_everyone: (own, young) => own && young,
      delete_for_me: () => true,
      react: () => true,
      clear_for_everyone: () => false,
    },
  },
};
for (const kind of ["direct", "group"] as const) {
  for (const role of ["owner", "admin", "member"] as const) {
    for (const action of [
      "edit",
      "delete_for_everyone",
      "delete_for_me",
      "react",
      "clear_for_everyone",
    ] as const) {
      for (const whose of ["own", "other"] as const) {
        for (const age of ["fresh", "old"] as const) {
          TABLE.push([
            kind,
            role,
            action,
            whose,
            age,
            expected[kind][role][action](whose === "own", age === "fresh"),
          ]);
        }
      }
    }
  }
}

describe("who may do what to messages (role × action)", () => {
  it.each(TABLE)(
    "%s chat, %s, %s on a %s %s message → allowed: %s",
    (kind, role, action, whose, age, allowed) => {
      const decision = decide({
        action,
        chatKind: kind,
        role,
        message:
          action === "clear_for_everyone"
            ? undefined
            : {
                own: whose === "own",
                createdAt: age === "fresh" ? fresh : old,
                deleted: false,
                system: false,
              },
        now: NOW,
        windowS: WINDOW_S,
      });
      expect(decision.allowed).toBe(allowed);
    },
  );

  it.each([
    ["edit", "a tombstone", { deleted: true, system: false }],
    ["react", "a tombstone", { deleted: true, system: false }],
    ["edit", "a system message", { deleted: false, system: true }],
    ["delete_for_everyone", "a system message", { deleted: false, system: true }],
  ] as const)("refuses %s on %s, even to the group's owner", (action, _what, state) => {
    for (const role of ["owner", "member"] as const) {
      const decision = decide({
        action,
        chatKind: "group",
        role,
        message: { own: true, createdAt: fresh, ...state },
        now: NOW,
        windowS: WINDOW_S,
      });
      expect(decision.allowed).toBe(false);
    }
  });

  it("treats a window of 0 as no limit", () => {
    const decision = decide({
      action: "edit",
      chatKind: "direct",
      role: "member",
      message: { own: true, createdAt: 0, deleted: false, system: false },
      now: NOW,
      windowS: 0,
    });
    expect(decision.allowed).toBe(true);
  });
});
