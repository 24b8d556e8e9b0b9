import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, describe, expect, it } from "vitest";
import { LIMITS } from "../src/protocol/limits.js";
import {
  createGroupBodySchema,
  fieldErrors,
  groupTitleSchema,
  loginBodySchema,
  messageBodySchema,
  registerBodySchema,
} from "../src/protocol/schemas.js";
import { ApiError } from "../src/web/api/http.js";
import { describeError, serverText } from "../src/web/app/errors.js";
import { LanguageSelect } from "../src/web/features/settings/LanguageSelect.js";
import { LanguageSettings } from "../src/web/features/settings/LanguageSettings.js";
import { EMOJI_NAMES_DE } from "../src/web/i18n/de/emoji.js";
import { de } from "../src/web/i18n/de/index.js";
import { en } from "../src/web/i18n/en/index.js";
import { formatMessage } from "../src/web/i18n/format.js";
import { setLocale, t } from "../src/web/i18n/index.js";
import { pickLocale } from "../src/web/i18n/locale.js";
import { systemText } from "../src/web/lib/conversation.js";
import { dayLabel } from "../src/web/lib/days.js";
import { ALL_EMOJI, searchEmoji } from "../src/web/lib/emoji.js";

describe("UI catalogues", () => {
  it("German has exactly the English keys, none empty", () => {
    expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort());
    for (const [key, value] of Object.entries(de)) {
      const forms: string[] = typeof value === "string" ? [value] : Object.values(value);
      for (const form of forms) expect(form.trim(), key).not.toBe("");
    }
  });

  it("each translation uses the same placeholders as the English text", () => {
    const placeholders = (value: unknown) =>
      [...new Set(JSON.stringify(value).match(/\{\w+\}/g) ?? [])].sort();
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(de[key]), key).toEqual(placeholders(en[key]));
    }
  });
});

describe("formatMessage", () => {
  it("fills placeholders and picks the plural form by count in the locale", () => {
    const forms = { one: "{count} message", other: "{count} messages" };
    expect(formatMessage("en", forms, { count: 1 })).toBe("1 message");
    expect(formatMessage("en", forms, { count: 1200 })).toBe("1,200 messages");
    expect(
      formatMessage("de", { one: "{count} Nachricht", other: "{count} Nachrichten" }, { count: 1200 }),
    ).toBe("1.200 Nachrichten");
    expect(formatMessage("en", "Hello {name}", { name: "Ann" })).toBe("Hello Ann");
  });
});

describe("pickLocale", () => {
  it("a remembered choice wins, else the first browser language we speak, else English", () => {
    expect(pickLocale("de", ["en-US"])).toBe("de");
    expect(pickLocale(null, ["fr-FR", "de-AT", "en"])).toBe("de");
    expect(pickLocale("xx", ["fr"])).toBe("en");
  });
});

describe("texts from the protocol and the server, in German", () => {
  afterEach(() => setLocale("en"));

  it("every validation text of the protocol's schemas is recognised and translated", async () => {
    const failures = [
      registerBodySchema.safeParse({ email: "nope", username: "x", password: "short" }),
      registerBodySchema.safeParse({
        email: "a@b.co",
        username: "ann",
        password: "p".repeat(LIMITS.passwordMax + 1),
      }),
      loginBodySchema.safeParse({ email: "a@b.co", password: "" }),
      messageBodySchema.safeParse(""),
      messageBodySchema.safeParse("\u200b "),
      messageBodySchema.safeParse("x".repeat(LIMITS.bodyMax + 1)),
      messageBodySchema.safeParse("a\0"),
      createGroupBodySchema.safeParse({ kind: "group", title: " ", emails: [] }),
      groupTitleSchema.safeParse("g".repeat(LIMITS.groupTitleMax + 1)),
    ];
    const texts = new Set(failures.flatMap((r) => (r.success ? [] : Object.values(fieldErrors(r.error)))));
    expect(texts.size).toBeGreaterThanOrEqual(10);
    await setLocale("de");
    for (const text of texts) {
      const german = serverText(text);
      expect(german, text).not.toBe(text);
      expect(german, text).not.toBe(t("errors.code.invalid_input"));
    }
  });

  it("an English server message gives way to the client's sentence for its code", async () => {
    const error = new ApiError("forbidden", "Only the owner may do that.", { status: 403 });
    expect(describeError(error)).toBe("Only the owner may do that.");
    await setLocale("de");
    expect(describeError(error)).toBe("Das darfst du hier nicht.");
    expect(
      describeError(new ApiError("rate_limited", "slow down", { status: 429, retryAfterSeconds: 1 })),
    ).toBe("Zu viele Versuche. Versuch es in 1 Sekunde noch einmal.");
  });

  it("system notes, days and lists follow the grammar of the language", async () => {
    await setLocale("de");
    const sender = { id: "u-ann", username: "ann" };
    const nameOf = (id: string) => id.slice(2);
    const note = (event: "member_added" | "group_created", userIds: string[]) => ({
      sender,
      system: { event, userIds, title: "Club" },
    });
    expect(systemText(note("member_added", ["u-ben", "u-me"]), nameOf, "u-me")).toBe(
      "ann hat ben und dich hinzugefügt",
    );
    expect(systemText(note("group_created", []), nameOf, "u-ann")).toBe("Du hast die Gruppe „Club“ erstellt");
    const now = new Date(2026, 10, 24, 12);
    expect(dayLabel(new Date(2026, 10, 23, 9), now, "de")).toBe("Gestern");
    expect(dayLabel(new Date(2026, 10, 2, 9), now, "de")).toBe("Montag, 2. November");
  });

  it("every emoji of the picker has a German name, found by German and English words", () => {
    for (const entry of ALL_EMOJI) expect(EMOJI_NAMES_DE[entry.emoji], entry.emoji).toBeTruthy();
    expect(searchEmoji("daumen", undefined, "de").map((e) => e.emoji)).toContain("👍");
    expect(searchEmoji("thumbs", undefined, "de").map((e) => e.emoji)).toContain("👍");
  });
});

describe("the language switches", () => {
  afterEach(() => setLocale("en"));

  it("offer English and Deutsch, each in its own language, with the current one chosen", async () => {
    await setLocale("de");
    const section = renderToStaticMarkup(createElement(LanguageSettings));
    expect(section).toContain("<h2");
    expect(section).toContain(">Sprache</h2>");
    expect(section).toMatch(/<span lang="en">English<\/span>/);
    expect(section).toMatch(/<span lang="de">Deutsch<\/span>/);
    expect(section).toMatch(/checked="" value="de"/);
    expect(section).not.toMatch(/checked="" value="en"/);
    const select = renderToStaticMarkup(createElement(LanguageSelect));
    expect(select).toMatch(/<option value="de" lang="de" selected="">Deutsch<\/option>/);
    expect(select).toContain(">Sprache</label>");
  });
});
