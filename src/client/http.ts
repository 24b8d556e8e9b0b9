import { CookieJar } from "./cookie-jar.js";
import { ApiError, parseRetryAfter, readErrorBody } from "./errors.js";

export type Method = "GET" | "POST" | "DELETE" | "PATCH" | "PUT";

export interface HttpOptions {
  /** The server, e.g. `http://localhost:3000`; in a browser, the page's own origin. */
  baseUrl: string;
  /**
   * Outside a browser the client keeps the session cookie itself and sends `Origin` (the server
   * checks it on state-changing requests); a browser does both on its own and forbids setting them.
   */
  manageCookies: boolean;
  /** Sent as `Origin` when `manageCookies` is on. */
  origin: string;
  /** Further headers for every request, e.g. `X-Forwarded-For` behind a test proxy. */
  headers?: Record<string, string>;
  timeoutMs: number;
  fetch: typeof fetch;
  /** The sentences of failures without a server answer (default English); a web app translates them. */
  texts?: Partial<HttpTexts>;
}

export interface HttpTexts {
  timeout(method: Method, path: string): string;
  networkError(detail: string): string;
  /** An error status whose body is not in the protocol's error shape (e.g. from a proxy). */
  status(status: number, method: Method, path: string): string;
}

const ENGLISH: HttpTexts = {
  timeout: (method, path) => `The server did not answer ${method} ${path} in time.`,
  networkError: (detail) => `Cannot reach the server (${detail}).`,
  status: (status, method, path) => `The server answered ${status} to ${method} ${path}.`,
};

/** JSON over HTTP with the protocol's error shape turned into `ApiError`. */
export class HttpClient {
  readonly jar = new CookieJar();
  private readonly texts: HttpTexts;

  constructor(private readonly options: HttpOptions) {
    this.texts = { ...ENGLISH, ...options.texts };
  }

  /** The `Cookie` header a Node socket must present, when the client manages cookies. */
  cookieHeader(): string | undefined {
    return this.options.manageCookies ? this.jar.header() : undefined;
  }

  /**
   * Resolves with the parsed body (undefined for 204). State-changing requests always carry a
   * JSON body (`{}` when there is nothing to say): the server refuses other content types.
   */
  async request<T>(method: Method, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { ...this.options.headers, accept: "application/json" };
    if (method !== "GET") headers["content-type"] = "application/json";
    if (this.options.manageCookies) {
      headers.origin = this.options.origin;
      const cookie = this.jar.header();
      if (cookie) headers.cookie = cookie;
    }
    let response: Response;
    try {
      response = await this.options.fetch(new URL(path, this.options.baseUrl), {
        method,
        headers,
        credentials: "same-origin",
        signal: AbortSignal.timeout(this.options.timeoutMs),
        ...(method === "GET" ? {} : { body: JSON.stringify(body ?? {}) }),
      });
    } catch (error) {
      if ((error as Error).name === "TimeoutError") {
        throw new ApiError("timeout", this.texts.timeout(method, path));
      }
      throw new ApiError("network_error", this.texts.networkError((error as Error).message));
    }
    if (this.options.manageCookies) this.jar.store(response.headers.getSetCookie?.() ?? []);
    const text = await response.text().catch(() => "");
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (response.ok) return parsed as T;
    const error = readErrorBody(parsed);
    const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
    if (error) throw ApiError.from(error, response.status, retryAfter);
    throw new ApiError(
      response.status >= 500 ? "internal_error" : "invalid_input",
      this.texts.status(response.status, method, path),
      { status: response.status, retryAfterSeconds: retryAfter },
    );
  }
}
