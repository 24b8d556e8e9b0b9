import { readdirSync, readFileSync } from "node:fs";
import { cpus } from "node:os";

/** CPU time used so far, in ms: by the machine (all cores), by this process, by another process. */
export interface CpuSnapshot {
  at: number;
  machineBusyMs: number;
  selfMs: number;
  /** undefined where /proc is not available. */
  otherMs: number | undefined;
  /** All processes named `postgres` (the database server, when it runs on this machine). */
  postgresMs: number;
}

const CLOCK_TICKS_PER_SEC = 100;

/** Command name and utime + stime of a process, from /proc/<pid>/stat (Linux). */
function processStat(pid: number | string): { name: string; cpuMs: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    return { name, cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SEC };
  } catch {
    return undefined;
  }
}

function postgresCpuMs(): number {
  let ms = 0;
  try {
    for (const pid of readdirSync("/proc")) {
      if (!/^\d+$/.test(pid)) continue;
      const stat = processStat(pid);
      if (stat?.name === "postgres") ms += stat.cpuMs;
    }
  } catch {
    // no /proc
  }
  return ms;
}

/** A process and all its descendants (a `--workers` primary and its workers), from /proc. */
function processTree(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    // gone, or no /proc
  }
  return [pid, ...children.flatMap(processTree)];
}

/** `otherPids`: the server's processes; each counts with its descendants. */
export function cpuSnapshot(otherPids: number | number[] | undefined): CpuSnapshot {
  let busy = 0;
  for (const { times } of cpus()) busy += times.user + times.nice + times.sys + times.irq;
  const self = process.cpuUsage();
  return {
    at: performance.now(),
    machineBusyMs: busy,
    selfMs: (self.user + self.system) / 1000,
    otherMs: otherMs(otherPids),
    postgresMs: postgresCpuMs(),
  };
}

function otherMs(pids: number | number[] | undefined): number | undefined {
  const roots = pids === undefined ? [] : Array.isArray(pids) ? pids : [pids];
  if (roots.length === 0) return undefined;
  let ms = 0;
  for (const pid of roots.flatMap(processTree)) {
    const stat = processStat(pid);
    if (stat === undefined && roots.includes(pid)) return undefined;
    ms += stat?.cpuMs ?? 0;
  }
  return ms;
}

export interface CpuShare {
  /** Average cores used over the interval by the server, the load generator, PostgreSQL, everything else. */
  server: number | undefined;
  load: number;
  postgres: number;
  others: number | undefined;
}

export function cpuShare(a: CpuSnapshot, b: CpuSnapshot): CpuShare {
  const ms = b.at - a.at;
  const server =
    a.otherMs !== undefined && b.otherMs !== undefined ? (b.otherMs - a.otherMs) / ms : undefined;
  const load = (b.selfMs - a.selfMs) / ms;
  const postgres = (b.postgresMs - a.postgresMs) / ms;
  const machine = (b.machineBusyMs - a.machineBusyMs) / ms;
  const others = server === undefined ? undefined : Math.max(0, machine - server - load - postgres);
  return { server, load, postgres, others };
}
