import { ApiError, type ClientErrorCode } from "../../client/errors.js";
import { HttpClient, type Method } from "../../client/http.js";
import { t } from "../i18n/index.js";

/*
 * The web app's HTTP layer is the typed client's (src/client/http.ts): same-origin JSON, the
 * protocol's error shape turned into ApiError. The browser keeps the session cookie and sets
 * Origin itself; only the texts of failures without an answer are the app's, translated.
 */
export { ApiError, type ClientErrorCode };

let http: HttpClient | undefined;

const createHttp = () =>
  new HttpClient({
    baseUrl: location.origin,
    origin: location.origin,
    manageCookies: false,
    timeoutMs: 15_000,
    fetch: (input, init) => fetch(input, init),
    texts: {
      timeout: () => t("errors.code.timeout"),
      networkError: () => t("errors.code.network_error"),
      status: (status) => t("errors.status", { status: String(status) }),
    },
  });

/**
 * Same-origin JSON request. Resolves with the parsed body, or undefined for 204; rejects with
 * ApiError.
 */
export function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  http ??= createHttp();
  return http.request<T>(method, path, body);
}
