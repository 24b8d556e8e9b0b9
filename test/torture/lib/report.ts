/**
 * The figures of one category: printed as one `RELSEC <category> key=value … seed=<n>` line.
 * `zero` and `check` record figures that decide whether the run passes.
 */
export class Report {
  readonly fields: [string, string][] = [];
  readonly failures: string[] = [];

  constructor(readonly category: string) {}

  /** An informational figure. */
  value(key: string, value: string | number): void {
    const at = this.fields.findIndex(([k]) => k === key);
    if (at >= 0) this.fields.splice(at, 1);
    this.fields.push([key, String(value)]);
  }

  /** A figure that must be zero. */
  zero(key: string, value: number, why?: string): void {
    this.value(key, value);
    if (value !== 0) this.failures.push(`${key}=${value}${why ? ` (${why})` : ""}`);
  }

  /** A figure with its own pass condition. */
  check(key: string, value: string | number, ok: boolean, why: string): void {
    this.value(key, value);
    if (!ok) this.failures.push(`${key}=${value}: ${why}`);
  }

  private notes = 0;

  /** A detail line for the log (the first few of each category only). */
  note(text: string): void {
    if (++this.notes <= 12) console.error(`  ${this.category}: ${text}`);
    else if (this.notes === 13) console.error(`  ${this.category}: … (further details left out)`);
  }

  fail(why: string): void {
    this.failures.push(why);
  }

  line(seed: number): string {
    const parts = this.fields.map(([k, v]) => `${k}=${v.replace(/\s+/g, "_")}`);
    return `RELSEC ${this.category} ${parts.join(" ")} status=${this.failures.length ? "fail" : "ok"} seed=${seed}`;
  }
}
