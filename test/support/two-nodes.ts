import { afterAll, afterEach, beforeAll } from "vitest";
import { closeAllSockets } from "./client.js";
import { createTestDatabase, TEST_REDIS_URL, type TestDatabase } from "./databases.js";
import { startServer, type TestServer } from "./server.js";

export interface TwoNodes {
  readonly node1: TestServer;
  readonly node2: TestServer;
}

/**
 * Two server nodes over one fresh PostgreSQL database and the shared Redis, started before the
 * calling describe block's tests and closed (with the database dropped) after them; sockets are
 * closed after each test. Call inside `describe.runIf(SCALE_OUT_READY)`.
 */
export function twoNodes(): TwoNodes {
  let database: TestDatabase | undefined;
  const nodes: { node1?: TestServer; node2?: TestServer } = {};
  beforeAll(async () => {
    database = await createTestDatabase("postgres");
    const env = {
      REDIS_URL: TEST_REDIS_URL as string,
      SESSION_SECRET: "a-shared-secret-for-every-node-0123456789",
    };
    nodes.node1 = await startServer({ databaseUrl: database.url, env });
    nodes.node2 = await startServer({ databaseUrl: database.url, env });
  });
  afterAll(async () => {
    await nodes.node1?.close();
    await nodes.node2?.close();
    await database?.drop();
  });
  afterEach(() => closeAllSockets());
  const started = (node: TestServer | undefined): TestServer => {
    if (!node) throw new Error("The nodes start in beforeAll: use them inside tests.");
    return node;
  };
  return {
    get node1() {
      return started(nodes.node1);
    },
    get node2() {
      return started(nodes.node2);
    },
  };
}
