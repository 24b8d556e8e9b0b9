import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryId } from "kysely";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { MessageWriter } from "./storage/messages.repository.js";

/** What the send path reports: one histogram observation and one counter per message. */
export interface SendMetrics {
  /** A `message:send` was acknowledged `ok`; `receivedAt` is `performance.now()` when it arrived. */
  acked(receivedAt: number): void;
  /** A `message:send` was refused with this error code. */
  refused(code: string): void;
}

export interface Metrics extends SendMetrics {
  registry: Registry;
  /** The live count of this process's sockets, read only when /metrics is scraped. */
  countSockets(count: () => number): void;
  /** Times one database operation (`select`, `insert`, …, or `store_batch` for the send path). */
  observeQuery(operation: string, seconds: number): void;
  /** A Kysely plugin that times every query built through Kysely. */
  queryTimer: KyselyPlugin;
  /** This process's metrics in Prometheus text format. */
  render(): Promise<string>;
}

export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

/**
 * One registry per app (tests run several apps in one process), labelled with the worker so that
 * the series of every cluster worker stay apart once aggregated; Prometheus adds the instance.
 */
export function createMetrics(options: { worker: string }): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ worker: options.worker });
  collectDefaultMetrics({ register: registry });

  let sockets: () => number = () => 0;
  new Gauge({
    name: "glasschat_connected_sockets",
    help: "Socket.IO connections held by this process.",
    registers: [registry],
    collect() {
      this.set(sockets());
    },
  });
  const sent = new Counter({
    name: "glasschat_messages_sent_total",
    help: "message:send commands acknowledged ok (stored, or a retry of a stored message).",
    registers: [registry],
  });
  const refused = new Counter({
    name: "glasschat_messages_refused_total",
    help: "message:send commands refused, by error code.",
    labelNames: ["code"],
    registers: [registry],
  });
  const sendLatency = new Histogram({
    name: "glasschat_send_latency_seconds",
    help: "From receiving a message:send to acknowledging it (validation, durable commit).",
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const queries = new Histogram({
    name: "glasschat_db_query_duration_seconds",
    help: "Database operations, by kind; store_batch is one group commit of the send path.",
    labelNames: ["operation"],
    buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5],
    registers: [registry],
  });

  const observeQuery = (operation: string, seconds: number) => queries.observe({ operation }, seconds);
  return {
    registry,
    acked(receivedAt) {
      sent.inc();
      sendLatency.observe((performance.now() - receivedAt) / 1000);
    },
    refused(code) {
      refused.inc({ code });
    },
    countSockets(count) {
      sockets = count;
    },
    observeQuery,
    queryTimer: createQueryTimer(observeQuery),
    render: () => registry.metrics(),
  };
}

/** The send path's writer, with each group commit timed as `store_batch`; everything else as is. */
export function timeStoreBatch(writer: MessageWriter, metrics: Pick<Metrics, "observeQuery">): MessageWriter {
  const storeBatch: MessageWriter["storeBatch"] = async (batch) => {
    const start = performance.now();
    try {
      return await writer.storeBatch(batch);
    } finally {
      metrics.observeQuery("store_batch", (performance.now() - start) / 1000);
    }
  };
  return Object.assign(Object.create(writer) as MessageWriter, { storeBatch });
}

/** Kysely hands a plugin the query before it runs and the result after: time in between. */
function createQueryTimer(observe: (operation: string, seconds: number) => void): KyselyPlugin {
  // Keyed by Kysely's per-query id object: a query that fails never reaches transformResult, and
  // its entry goes away with it.
  const started = new WeakMap<QueryId, { operation: string; at: number }>();
  return {
    transformQuery({ node, queryId }: PluginTransformQueryArgs) {
      started.set(queryId, { operation: operationOf(node.kind), at: performance.now() });
      return node;
    },
    async transformResult({ result, queryId }: PluginTransformResultArgs) {
      const start = started.get(queryId);
      if (start) observe(start.operation, (performance.now() - start.at) / 1000);
      return result;
    },
  };
}

function operationOf(kind: string): string {
  switch (kind) {
    case "SelectQueryNode":
      return "select";
    case "InsertQueryNode":
      return "insert";
    case "UpdateQueryNode":
      return "update";
    case "DeleteQueryNode":
      return "delete";
    default:
      return "other";
  }
}
