import { describe, expect, it } from "vitest";
import { linkify, safeHref } from "../src/web/lib/linkify.js";

const links = (text: string) =>
  linkify(text)
    .filter((p) => p.kind === "link")
    .map((p) => p.text);

describe("linkify", () => {
  it.each([
    { text: "see https://example.com", expected: ["https://example.com"] },
    {
      text: "http://a.test/x?y=1#z and https://b.test",
      expected: ["http://a.test/x?y=1#z", "https://b.test"],
    },
    { text: "end of sentence https://example.com/page.", expected: ["https://example.com/page"] },
    { text: "(see https://example.com/a)", expected: ["https://example.com/a"] },
    {
      text: "wiki https://en.wikipedia.org/wiki/Foo_(bar)!",
      expected: ["https://en.wikipedia.org/wiki/Foo_(bar)"],
    },
    { text: "javascript:alert(1)", expected: [] },
    { text: "data:text/html,<script>alert(1)</script>", expected: [] },
    { text: "ftp://example.com/file", expected: [] },
    { text: '<a href="https://x.test">x</a>', expected: ["https://x.test"] },
    { text: "no links here", expected: [] },
    { text: "https://", expected: [] },
  ])("$text → $expected", ({ text, expected }) => {
    expect(links(text)).toEqual(expected);
  });

  it("keeps every character of the text, in order", () => {
    const text = "a <img src=x onerror=alert(1)> https://example.com/x, b";
    expect(
      linkify(text)
        .map((p) => p.text)
        .join(""),
    ).toBe(text);
  });

  it("only ever produces http(s) hrefs", () => {
    for (const part of linkify("https://ok.test JAVASCRIPT:alert(1) http://fine.test/?q=<b>")) {
      if (part.kind === "link") expect(part.href).toMatch(/^https?:\/\//);
    }
    expect(safeHref("javascript:alert(1)")).toBeNull();
    expect(safeHref("https://example.com")).toBe("https://example.com/");
  });
});
