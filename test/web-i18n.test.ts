import { describe, expect, it } from "vitest";
import { de } from "../src/web/i18n/de/index.js";
import { en } from "../src/web/i18n/en/index.js";
import { formatMessage } from "../src/web/i18n/format.js";
import { pickLocale } from "../src/web/i18n/locale.js";

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
