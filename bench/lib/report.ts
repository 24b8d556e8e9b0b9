import type { ProfileSummary } from "./profile.js";
import { fmt, table } from "./stats.js";
import type { LoadResult, Scenario, TargetKind } from "./types.js";

/** Cores used by unrelated processes during a measured window above which a run is flagged noisy. */
export const NOISY_CORES = 0.25;

export interface RunSpec {
  /** The server configuration, e.g. "sqlite full+batch"; one table per variant. */
  variant: string;
  target: TargetKind;
  scenario: Scenario;
  db?: "sqlite" | "postgres";
  env?: Record<string, string>;
  /** Server command-line options, e.g. ["--workers", "2"]. */
  args?: string[];
  /** Server processes on their own ports, sharing the database and Redis (default 1). */
  nodes?: number;
  /** Scale-out variants: the single-process variant of this run they are compared with. */
  baseline?: string;
  /** The two baselines: bare Socket.IO, and bare + acks + a group-committed durable insert. */
  role?: "bare" | "durable";
  /** Server script (default: the real server). */
  entry?: string;
  /** Server on core 0 and load generator on core 1 (taskset), or both left to the scheduler. */
  pinned: boolean;
}

export interface RunRecord extends RunSpec {
  result?: LoadResult;
  error?: string;
  serverStartMs?: number;
  shutdown?: { graceful: boolean; ms: number };
  serverLog: { file: string; warnings: number; errors: number };
  /** Share of both cores busy in the second before the run: other work makes figures noisy. */
  cpuBusyBefore?: number;
  /** PostgreSQL runs: rows read by sequential scans during the run, per table. */
  postgresSeqScanRows?: Record<string, number>;
  /** With BENCH_PROFILE=1: where the server's main thread spent its time. */
  profile?: ProfileSummary;
}

export function problems(r: RunRecord): string[] {
  const out: string[] = [];
  if (r.error) out.push(`failed: ${r.error}`);
  const res = r.result;
  if (!res) return out;
  if (r.role !== "bare" && res.lost > 0) out.push(`${res.lost} acked messages never delivered`);
  if (r.role !== "bare" && res.duplicates > 0) out.push(`${res.duplicates} duplicate deliveries`);
  if (r.role !== "bare" && res.seqGaps > 0) out.push(`${res.seqGaps} seq gaps`);
  return out;
}

export function runTable(records: RunRecord[]): string {
  const header = [
    "scenario",
    "users",
    "delivered/s",
    "p50 ms",
    "p99 ms",
    "max ms",
    "ack p99",
    "acked",
    "lost",
  ];
  header.push("dup", "gaps", "ack err", "timeouts", "srv us/msg", "cores srv/gen/pg/other", "srv warn/err");
  return table(
    header,
    records.map((r) => {
      const x = r.result;
      if (!x) return [r.scenario, "-", `FAILED: ${r.error ?? ""}`];
      const errs = Object.values(x.ackErrors).reduce((a, b) => a + b, 0);
      const cores = [x.cores.server, x.cores.load, x.cores.postgres, x.cores.others].map((c) =>
        c === undefined ? "-" : fmt(c, 2),
      );
      return [
        isNoisy(r) ? `${r.scenario} (noisy)` : r.scenario,
        x.users,
        Math.round(x.deliveredPerSec),
        Number(fmt(x.latencyMs.p50, 2)),
        Number(fmt(x.latencyMs.p99, 2)),
        Number(fmt(x.latencyMs.max, 1)),
        Number(fmt(x.ackLatencyMs.p99, 2)),
        x.acked,
        x.lost,
        x.duplicates,
        x.seqGaps,
        errs,
        x.ackTimeouts,
        x.serverCpuUsPerMessage === undefined ? "-" : Math.round(x.serverCpuUsPerMessage),
        cores.join("/"),
        `${r.serverLog.warnings}/${r.serverLog.errors}`,
      ];
    }),
  );
}

export const isNoisy = (r: RunRecord) => (r.result?.cores.others ?? 0) > NOISY_CORES;

function mean(values: (number | undefined)[]): number | undefined {
  const known = values.filter((v) => v !== undefined);
  return known.length ? known.reduce((a, b) => a + b, 0) / known.length : undefined;
}

export function summary(records: RunRecord[]) {
  const find = (variant: string, scenario: Scenario) =>
    records.find((r) => r.variant === variant && r.scenario === scenario)?.result;
  const bareRuns = records.flatMap(
    (r) => (r.role === "bare" && r.scenario === "throughput" && r.result) || [],
  );
  const isBare = (variant: string) => records.some((r) => r.variant === variant && r.role === "bare");
  const bareTp = mean(bareRuns.map((r) => r.deliveredPerSec));
  const variants = [...new Set(records.map((r) => r.variant))];
  return variants.map((variant) => {
    const tp = isBare(variant) && bareTp ? { deliveredPerSec: bareTp } : find(variant, "throughput");
    const lat = find(variant, "latency");
    const ratio = tp && bareTp && !isBare(variant) ? tp.deliveredPerSec / bareTp : undefined;
    const usPerMessage = isBare(variant)
      ? mean(bareRuns.map((r) => r.serverCpuUsPerMessage))
      : find(variant, "throughput")?.serverCpuUsPerMessage;
    // Scale-out variants against the single process of this run: >1 delivered, <1 p99 is better.
    const baseline = records.find((r) => r.variant === variant)?.baseline;
    const baseTp = baseline ? find(baseline, "throughput") : undefined;
    const baseLat = baseline ? find(baseline, "latency") : undefined;
    return {
      variant,
      baseline,
      deliveredVsSingle: tp && baseTp ? tp.deliveredPerSec / baseTp.deliveredPerSec : undefined,
      p99VsSingle: lat && baseLat ? lat.latencyMs.p99 / baseLat.latencyMs.p99 : undefined,
      deliveredPerSec: tp ? Math.round(tp.deliveredPerSec) : undefined,
      ratioToBare: ratio,
      serverCpuUsPerMessage: usPerMessage,
      latencyP99Ms: lat?.latencyMs.p99,
      latencyCpuUsPerMessage: lat?.serverCpuUsPerMessage,
      lost: records.filter((r) => r.variant === variant).reduce((n, r) => n + (r.result?.lost ?? 0), 0),
    };
  });
}
