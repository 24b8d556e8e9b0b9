import type { RunRecord } from "./report.js";
import { fmt } from "./stats.js";
import type { LoadResult, Scenario } from "./types.js";

/** The targets of the send path, each relative to a baseline measured in the same run (issue 16). */
export const TARGETS = {
  /** Closed loop: delivered/s at least this share of bare Socket.IO's. */
  throughputVsBare: 0.5,
  /** Server CPU µs per message at most this multiple of bare's (closed loop and at 1,000 msg/s). */
  cpuVsBare: 2,
  /** At 1,000 msg/s offered: p99 send→receive at most this multiple of bare's. */
  p99VsBare: 2,
  /** Closed loop: delivered/s at least this share of the durable baseline's. */
  throughputVsDurable: 0.8,
};

export interface Check {
  variant: string;
  what: string;
  value: string;
  target: string;
  met: boolean;
}

function mean(values: number[]): number | undefined {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined;
}

/** The mean over every run of that role and scenario (bare throughput runs twice: first and last). */
function baseline(records: RunRecord[], role: "bare" | "durable", scenario: Scenario) {
  const runs = records.flatMap((r) => (r.role === role && r.scenario === scenario && r.result) || []);
  const of = (pick: (r: LoadResult) => number | undefined) => mean(runs.flatMap((r) => pick(r) ?? []));
  return {
    deliveredPerSec: of((r) => r.deliveredPerSec),
    cpuUs: of((r) => r.serverCpuUsPerMessage),
    p99: of((r) => r.latencyMs.p99),
  };
}

/** Every target, for every real variant (not the scale-out ones), against this group's baselines. */
export function checks(records: RunRecord[]): Check[] {
  const bareTp = baseline(records, "bare", "throughput");
  const bareLat = baseline(records, "bare", "latency");
  const durableTp = baseline(records, "durable", "throughput");
  const out: Check[] = [];
  const ratio = (value: number | undefined, base: number | undefined) =>
    value !== undefined && base ? value / base : undefined;
  const add = (variant: string, what: string, x: number | undefined, limit: number, atLeast: boolean) => {
    if (x === undefined) return;
    out.push({
      variant,
      what,
      value: `${fmt(x, 2)}x`,
      target: `${atLeast ? ">=" : "<="} ${limit}x`,
      met: atLeast ? x >= limit : x <= limit,
    });
  };
  for (const variant of new Set(records.filter((r) => !r.role && !r.baseline).map((r) => r.variant))) {
    const tp = records.find((r) => r.variant === variant && r.scenario === "throughput")?.result;
    const lat = records.find((r) => r.variant === variant && r.scenario === "latency")?.result;
    add(
      variant,
      "closed loop delivered/s vs bare",
      ratio(tp?.deliveredPerSec, bareTp.deliveredPerSec),
      TARGETS.throughputVsBare,
      true,
    );
    add(
      variant,
      "closed loop CPU us/msg vs bare",
      ratio(tp?.serverCpuUsPerMessage, bareTp.cpuUs),
      TARGETS.cpuVsBare,
      false,
    );
    add(
      variant,
      "closed loop delivered/s vs durable baseline",
      ratio(tp?.deliveredPerSec, durableTp.deliveredPerSec),
      TARGETS.throughputVsDurable,
      true,
    );
    add(variant, "1,000 msg/s p99 vs bare", ratio(lat?.latencyMs.p99, bareLat.p99), TARGETS.p99VsBare, false);
    add(
      variant,
      "1,000 msg/s CPU us/msg vs bare",
      ratio(lat?.serverCpuUsPerMessage, bareLat.cpuUs),
      TARGETS.cpuVsBare,
      false,
    );
  }
  return out;
}
