import { describe, expect, it } from "vitest";
import { isRetryable } from "../src/client/send.js";
import { isGap, isNewerCopy, sendKey } from "../src/client/sequence.js";

describe("the client's ordering rules (shared by the typed client and the web app)", () => {
  it.each([
    [0, 1, false],
    [4, 5, false],
    [4, 4, false],
    [4, 2, false],
    [4, 6, true],
    [0, 3, true],
  ])("after seq %i, seq %i means a missed message: %s", (last, incoming, gap) => {
    expect(isGap(last, incoming)).toBe(gap);
  });

  it.each([
    [2, undefined, true],
    [3, 2, true],
    [2, 2, false],
    [1, 2, false],
  ])("a copy with rev %s replaces one with rev %s: %s", (incoming, held, newer) => {
    expect(isNewerCopy({ rev: incoming }, held === undefined ? undefined : { rev: held })).toBe(newer);
  });

  it("keys a send by sender and clientId, so one user's clientId never settles another's", () => {
    expect(sendKey("u1", "c1")).toBe(sendKey("u1", "c1"));
    expect(sendKey("u1", "c1")).not.toBe(sendKey("u2", "c1"));
    expect(sendKey("u1", "c1c")).not.toBe(sendKey("u1c", "1c"));
  });

  it.each([
    ["unavailable", true],
    ["timeout", true],
    ["network_error", true],
    ["rate_limited", false],
    ["invalid_input", false],
    ["not_found", false],
    ["unauthorized", false],
  ] as const)("a send failing with %s may go again with the same clientId: %s", (code, retry) => {
    expect(isRetryable(code)).toBe(retry);
  });
});
