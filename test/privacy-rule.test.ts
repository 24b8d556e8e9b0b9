import { describe, expect, it } from "vitest";
import { type Party, signalAllowed } from "../src/server/domain/privacy.js";

describe("the privacy rule (signalAllowed)", () => {
  const party = (id: string, shareReadReceipts: boolean, shareLastSeen: boolean): Party => ({
    id,
    shareReadReceipts,
    shareLastSeen,
  });
  it.each([
    [true, true, "receipts", true],
    [true, false, "receipts", false],
    [false, true, "receipts", false],
    [false, false, "receipts", false],
  ] as const)("receipts: a=%s b=%s → %s both ways", (a, b, signal, allowed) => {
    const ann = party("ann", a, true);
    const ben = party("ben", b, true);
    expect(signalAllowed(ann, ben, signal)).toBe(allowed);
    expect(signalAllowed(ben, ann, signal)).toBe(allowed);
  });
  it.each([
    [true, true, true],
    [true, false, false],
    [false, true, false],
  ])("presence: a=%s b=%s → %s both ways", (a, b, allowed) => {
    const ann = party("ann", true, a);
    const ben = party("ben", true, b);
    expect(signalAllowed(ann, ben, "presence")).toBe(allowed);
    expect(signalAllowed(ben, ann, "presence")).toBe(allowed);
  });
  it("always shows me my own signals, and typing always passes", () => {
    const off = party("ann", false, false);
    expect(signalAllowed(off, off, "receipts")).toBe(true);
    expect(signalAllowed(off, party("ben", false, false), "typing")).toBe(true);
  });
});
