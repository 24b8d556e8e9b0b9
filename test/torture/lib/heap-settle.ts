import { sleep } from "./wait.js";

/**
 * Major GCs the server has counted (prom-client's `nodejs_gc_duration_seconds`), from loopback;
 * undefined when `/metrics` does not answer. prom-client writes a `kind="major"` series only once
 * there has been one, so a server that has had none yet answers 0.
 */
export async function majorGcs(url: string): Promise<number | undefined> {
  const answer = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5000) }).catch(() => undefined);
  if (!answer?.ok) return undefined;
  const text = await answer.text();
  const count = /^nodejs_gc_duration_seconds_count\{[^}]*kind="major"[^}]*\} (\d+)/m.exec(text)?.[1];
  return count === undefined ? 0 : Number(count);
}

export interface HeapSettle {
  /** Whether the memory reducer's collections were seen (else the wait ran out). */
  settled: boolean;
  waitedMs: number;
  /** Major GCs counted while waiting. */
  majors: number;
}

/**
 * Waits, with nothing else asking the server for work, until V8's memory reducer has run the
 * collections it schedules after a process's start-up. It starts them at a timer tick (every 8 s
 * after the last full GC) at which the allocation rate is low: with bystanders chatting that rate
 * hovers around its threshold, so the series (two or three full GCs, 6–35 ms pauses each) came
 * anywhere from 8 to 33 s after the start — inside the baseline or inside the flood sample, and
 * the ratio followed it (baseline halves of 19.6/4.7 and 6.2/34.1 ms in two runs). Idle, it comes
 * at the first tick; once it is done it starts again only after a full GC that allocation forces.
 * Settled: at least one major GC since the wait began, then `quietMs` without another one.
 */
export async function heapSettled(url: string, quietMs = 2500, maxMs = 40_000): Promise<HeapSettle> {
  const started = performance.now();
  const first = await majorGcs(url);
  if (first === undefined) return { settled: false, waitedMs: 0, majors: 0 };
  let last = first;
  let lastChangeAt = started;
  for (;;) {
    // Not more often: each scrape allocates on the server too, and a busy one delays the reducer.
    await sleep(500);
    const now = performance.now();
    const count = (await majorGcs(url)) ?? last;
    if (count !== last) {
      last = count;
      lastChangeAt = now;
    }
    const majors = last - first;
    if (majors > 0 && now - lastChangeAt >= quietMs)
      return { settled: true, waitedMs: Math.round(now - started), majors };
    if (now - started >= maxMs) return { settled: false, waitedMs: Math.round(now - started), majors };
  }
}
