/**
 * Node's fetch keeps no cookies, so outside a browser the client keeps them itself: one origin,
 * name → value, honouring deletion (`Max-Age=0` or an `Expires` in the past). Paths, domains and
 * the Secure flag do not matter here: every cookie is for the one server the client talks to.
 */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  /** Takes the `Set-Cookie` headers of a response. */
  store(setCookieHeaders: string[]): void {
    for (const header of setCookieHeaders) {
      const [pair = "", ...attributes] = header.split(";");
      const eq = pair.indexOf("=");
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === "" || isExpired(attributes)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** The `Cookie` request header, or undefined when the jar is empty. */
  header(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  clear(): void {
    this.cookies.clear();
  }
}

function isExpired(attributes: string[]): boolean {
  for (const attribute of attributes) {
    const eq = attribute.indexOf("=");
    const key = attribute
      .slice(0, eq < 0 ? undefined : eq)
      .trim()
      .toLowerCase();
    const value = eq < 0 ? "" : attribute.slice(eq + 1).trim();
    if (key === "max-age" && Number(value) <= 0) return true;
    if (key === "expires" && Date.parse(value) <= Date.now()) return true;
  }
  return false;
}
