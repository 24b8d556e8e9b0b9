import type { CpuShare } from "./cpu.js";

/** What bench/run.ts hands to bench/load.ts (as JSON on argv) and what it prints back (one JSON line). */

export type Scenario = "throughput" | "latency";
export type TargetKind = "bare" | "real";

export interface LoadConfig {
  /** Base URL of the server under test, always http://127.0.0.1:<port>. */
  url: string;
  /**
   * Several nodes (over Redis): client i connects to urls[i % n], so the two members of each pair
   * are on different nodes. Default: [url].
   */
  urls?: string[];
  target: TargetKind;
  scenario: Scenario;
  /** Number of clients; an even number, paired two by two into direct chats. */
  users: number;
  /** Sending time, warm-up included. */
  seconds: number;
  /** Messages sent during the warm-up count for losses but not for rates or latencies. */
  warmupSeconds: number;
  /** Throughput scenario: un-acked sends each client keeps in flight. */
  window: number;
  /** Latency scenario: messages per second per client. */
  rate: number;
  /** How long to keep listening after the last ack before counting losses. */
  drainMs: number;
  ackTimeoutMs: number;
  /** The server's process ids (with their workers), to measure the CPU they use during the measured window. */
  serverPid?: number | number[];
}

export interface Percentiles {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface LoadResult {
  scenario: Scenario;
  users: number;
  /** Signing up and connecting, before any message. */
  setupMs: number;
  /** Length of the measured window (sending time minus warm-up). */
  measuredSeconds: number;
  sent: number;
  acked: number;
  /** Acks with ok: false, by error code. */
  ackErrors: Record<string, number>;
  ackTimeouts: number;
  /** message:new events received (first copies only). */
  delivered: number;
  deliveredPerSec: number;
  ackedPerSec: number;
  /** Send to receive, in ms, for messages sent after the warm-up. */
  latencyMs: Percentiles;
  /** Send to ack, in ms, for messages sent after the warm-up. */
  ackLatencyMs: Percentiles;
  /** Acked but never received by the partner after the drain period. */
  lost: number;
  /** Extra copies of a message a receiver already had. */
  duplicates: number;
  /** Received by the partner without an ok ack (timed out or refused ack). */
  deliveredUnacked: number;
  /** Per chat, seq numbers missing between 1 and the highest seq seen by either member. */
  seqGaps: number;
  /** A receiver got a lower seq after a higher one in the same chat. */
  outOfOrder: number;
  /** Sockets that disconnected before the end. */
  disconnects: number;
  /** Average cores used during the measured window by the server, the generator and everything else. */
  cores: CpuShare;
  /** The measured window on the machine's monotonic clock (µs), to cut server CPU profiles to it. */
  windowMonotonicUs: [number, number];
  /** Server CPU time per delivered message during the measured window. */
  serverCpuUsPerMessage: number | undefined;
}
