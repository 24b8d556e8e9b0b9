import { readFileSync } from "node:fs";

/** The parts of a V8 .cpuprofile (written by node --cpu-prof) that self time needs. */
interface CpuProfile {
  /** µs on the machine's monotonic clock, like process.hrtime. */
  startTime: number;
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  /** Self time by package or area (node_modules package, node internals, app folder, GC, idle). */
  byArea: { area: string; ms: number; share: number }[];
  /** Self time by function, the heaviest first. */
  byFunction: { fn: string; ms: number; share: number }[];
}

function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg?.[1]) return pkg[1];
  if (url.startsWith("node:")) return "node internals";
  const app = /\/(src\/[^/]+\/[^/]+|src\/[^/]+)\//.exec(url) ?? /\/(src\/[^/]+)/.exec(url);
  return app?.[1] ?? url;
}

/**
 * Self time of a CPU profile, grouped by area and by function; only samples inside `window`
 * (monotonic µs) when given, so that start-up and sign-up do not blur the picture.
 */
export function summarizeProfile(file: string, window?: [number, number], top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const areas = new Map<string, number>();
  const fns = new Map<string, number>();
  let total = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    const frame = byId.get(id);
    if (!frame || (window && (at < window[0] || at > window[1]))) return;
    total += dt;
    const area = areaOf(frame.url, frame.functionName);
    areas.set(area, (areas.get(area) ?? 0) + dt);
    const where = frame.url
      ? ` ${frame.url.replace(/^.*\/(node_modules|src)\//, "$1/")}:${frame.lineNumber + 1}`
      : "";
    const fn = `${frame.functionName || "(anonymous)"}${where}`;
    fns.set(fn, (fns.get(fn) ?? 0) + dt);
  });
  const rank = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms: Math.round(ms), share: total ? ms / total : 0 }));
  return {
    totalMs: Math.round(total),
    byArea: rank(areas).map(({ name, ms, share }) => ({ area: name, ms, share })),
    byFunction: rank(fns).map(({ name, ms, share }) => ({ fn: name, ms, share })),
  };
}
