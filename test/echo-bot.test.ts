import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createClient, type GlasschatClient, type Message } from "../src/client/index.js";
import { eventually } from "./support/client.js";
import { startServer, type TestServer } from "./support/server.js";

// Starts the bot process twice: slow on a busy machine, never a speed test.
vi.setConfig({ testTimeout: 120_000 });

interface Bot {
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Runs the example exactly as README says, and waits until it says it is ready. */
async function runBot(env: Record<string, string>): Promise<Bot> {
  const child = spawn(process.execPath, ["--import", "tsx", "examples/echo-bot.ts"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const bot: Bot = {
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
  try {
    await eventually(() => {
      if (child.exitCode !== null) throw new Error(`the bot exited:\n${output}`);
      expect(output).toContain("echo bot ready");
    }, 20_000);
  } catch (error) {
    await bot.stop();
    throw error;
  }
  return bot;
}

describe("examples/echo-bot.ts", () => {
  let server: TestServer;
  const bots: Bot[] = [];
  let person: GlasschatClient;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await person?.close();
    await Promise.all(bots.map((bot) => bot.stop()));
    await server?.close();
  });

  it("registers its account on first run and answers every message with an echo", async () => {
    const suffix = randomBytes(4).toString("hex");
    const env = {
      GLASSCHAT_URL: server.url,
      BOT_EMAIL: `echo-${suffix}@example.com`,
      BOT_PASSWORD: "bot password 123",
    };
    const first = await runBot(env);
    bots.push(first);
    expect(first.output()).toContain("registering it as");
    await first.stop();

    // Started again, it logs in to the account it made.
    const bot = await runBot(env);
    bots.push(bot);
    expect(bot.output()).not.toContain("registering");

    person = createClient({ url: server.url });
    await person.register({
      email: `ann-${suffix}@example.com`,
      username: `ann_${suffix}`,
      password: "ann password 123",
    });
    const chat = await person.startChat(env.BOT_EMAIL);
    const answers: Message[] = [];
    person.on("message:new", (m) => answers.push(m));
    await person.connect();
    await person.send(chat.id, "hello bot");
    await person.send(chat.id, "second");

    await eventually(
      () => expect(answers.map((m) => m.body)).toEqual(["echo: hello bot", "echo: second"]),
      15_000,
    );
    expect(answers[0]?.sender.username).toBe(`echo-${suffix}`);
    await bot.stop();
    expect(bot.child.exitCode ?? bot.child.signalCode).not.toBeNull();
  });
});
