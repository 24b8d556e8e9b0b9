import { createAdapter } from "@socket.io/redis-streams-adapter";
import type { Logger } from "pino";
import { createClient } from "redis";

const CONNECT_TIMEOUT_MS = 5000;
const PING_TIMEOUT_MS = 1000;

const newClient = (url: string) =>
  createClient({
    url,
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000),
    },
  });

export type RedisCommandClient = ReturnType<typeof newClient>;

export interface RedisAdapter {
  adapter: ReturnType<typeof createAdapter>;
  /** The command connection (presence uses it; the adapter reads its streams on a duplicate). */
  client: RedisCommandClient;
  /** True when Redis answers PING within a second (for /healthz). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Fan-out across server processes through Redis Streams: unlike plain pub/sub, a node that loses
 * Redis for a moment resumes the stream where it left off instead of silently missing events.
 */
export async function connectRedisAdapter(url: string, logger: Logger): Promise<RedisAdapter> {
  const client = newClient(url);
  let reported = false;
  client.on("error", (error: Error) => {
    if (!reported) logger.error({ err: error }, "Redis connection error; retrying");
    reported = true;
  });
  client.on("ready", () => {
    if (reported) logger.info("Redis connection restored");
    reported = false;
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`)),
      CONNECT_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([client.connect(), timeout]);
  } catch (error) {
    client.destroy();
    throw new Error(`Cannot reach Redis at REDIS_URL: ${(error as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
  return {
    adapter: createAdapter(client),
    client,
    // While reconnecting, commands wait in the client's queue: answer "unreachable" at once instead.
    ping: async () => {
      if (!client.isReady) return false;
      const timeout = new Promise<false>((resolve) => setTimeout(resolve, PING_TIMEOUT_MS, false).unref());
      return Promise.race([
        client.ping().then(
          (pong) => pong === "PONG",
          () => false,
        ),
        timeout,
      ]);
    },
    close: async () => {
      client.destroy();
    },
  };
}
