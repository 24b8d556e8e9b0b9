import { request } from "./client.js";

/** One sample of a Prometheus text exposition: `name{labels} value`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
      labels[pair[1] as string] = pair[2] as string;
    samples.push({ name: match[1] as string, labels, value: Number(match[3]) });
  }
  return samples;
}

export async function scrape(url: string): Promise<Sample[]> {
  const reply = await fetch(`${url}/metrics`);
  if (reply.status !== 200) throw new Error(`/metrics answered ${reply.status}`);
  return parseMetrics(await reply.text());
}

/** Connected sockets per worker label, as /metrics reports them. */
export async function socketsPerWorker(url: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const s of await scrape(url))
    if (s.name === "glasschat_connected_sockets") out[s.labels.worker ?? "?"] = s.value;
  return out;
}

export const health = (url: string) => request<Record<string, string>>(url, "GET", "/healthz");
