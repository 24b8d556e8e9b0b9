import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/server/config.js";

const dir = mkdtempSync(join(tmpdir(), "glasschat-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("mail and account configuration", () => {
  it("refuses SMTP_URL without PUBLIC_URL, naming both", () => {
    expect(() => loadConfig({ DATA_DIR: dir, SMTP_URL: "smtp://u:p@mail.example.org:587" })).toThrowError(
      ConfigError,
    );
    expect(() => loadConfig({ DATA_DIR: dir, SMTP_URL: "smtp://u:p@mail.example.org:587" })).toThrowError(
      /SMTP_URL is set, so PUBLIC_URL must be set too/,
    );
  });

  it("defaults: open registration, the outbox in the data folder, 15 min / 1 h for unread mail, 5 resets an hour", () => {
    const config = loadConfig({ DATA_DIR: dir });
    expect(config.registration).toBe("open");
    expect(config.mail.outboxDir).toBe(join(dir, "outbox"));
    expect(config.mail.notifyAfterMs).toBe(15 * 60 * 1000);
    expect(config.mail.notifyEveryMs).toBe(60 * 60 * 1000);
    expect(config.mail.passwordResetsPerHour).toBe(5);
    expect(config.mail.from).toBe("Glasschat <glasschat@localhost>");
    expect(loadConfig({ DATA_DIR: dir, PUBLIC_URL: "https://chat.example.org" }).mail.from).toBe(
      "Glasschat <glasschat@chat.example.org>",
    );
  });

  it("names REGISTRATION when it is neither open nor invite", () => {
    expect(() => loadConfig({ DATA_DIR: dir, REGISTRATION: "closed" })).toThrowError(/REGISTRATION/);
  });
});
