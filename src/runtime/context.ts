import {
  checkMaxRetries,
  checkTimeoutMs,
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT_MS,
  type ClientOptions,
  type FetchLike,
} from "./options.js";
import { keyRedactor } from "./redact.js";
import { realTiming, type RetryTiming } from "./retry.js";

/**
 * What a configured client knows: validated options, resolved base URL.
 * Standalone operation functions take one as their first argument, so an
 * app can call a single operation without bundling the whole client.
 *
 * The API key lives in a closure, not in a property, so `console.log`,
 * `util.inspect` and `JSON.stringify` of a context or client cannot show it.
 */
export interface ClientContext {
  readonly baseUrl: string;
  readonly fetch: FetchLike;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly onRequest: ClientOptions["onRequest"];
  readonly onResponse: ClientOptions["onResponse"];
  /**
   * @internal How the retry loop waits and reads the clock. Tests replace it
   * (`{ ...createChatflowConfig(options), timing }`) so they never wait real time.
   */
  readonly timing: RetryTiming;
  /** Sets the Authorization header on outgoing headers. */
  authorize(headers: Headers): void;
  /** Replaces every occurrence of the API key, and of any 6+ character fragment of it, in text from the network. */
  redact(text: string): string;
}

export interface ApiDefaults {
  /** Used when the caller gives no `baseUrl`: the spec's default server. */
  baseUrl: string;
}

export function createContext(options: ClientOptions, defaults: ApiDefaults): ClientContext {
  // The runtime twin of the compile-time check: JavaScript callers and `as` casts get here.
  if (typeof options?.apiKey !== "string" || options.apiKey.trim() === "") {
    throw new TypeError(
      "apiKey is missing or empty: pass createChatflowClient({ apiKey }) the app's API key (Dify: app → API Access)",
    );
  }
  const apiKey = options.apiKey;
  // A newline or NUL would fail later, in a Headers TypeError that quotes the key; say so now, without quoting it.
  const bad = /[^\x21-\x7e]/.exec(apiKey);
  if (bad) {
    const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
    throw new TypeError(
      `apiKey contains a character that cannot be sent in an HTTP header (U+${code} at position ${bad.index}): ` +
        "copy the key again from Dify (app → API Access), without spaces or line breaks",
    );
  }
  const redact = keyRedactor(apiKey);
  const fetchFn = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  return Object.freeze({
    baseUrl: normalizeBaseUrl(options.baseUrl ?? defaults.baseUrl),
    fetch: fetchFn,
    headers: Object.freeze({ ...options.headers }),
    timeoutMs: checkTimeoutMs(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    maxRetries: checkMaxRetries(options.maxRetries ?? DEFAULT_MAX_RETRIES),
    onRequest: options.onRequest,
    onResponse: options.onResponse,
    timing: realTiming,
    authorize(headers: Headers) {
      headers.set("Authorization", `Bearer ${apiKey}`);
    },
    redact,
  });
}

function normalizeBaseUrl(url: string): string {
  try {
    new URL(url);
  } catch {
    throw new TypeError(`baseUrl ${JSON.stringify(url)} is not an absolute URL: pass e.g. "https://api.dify.ai/v1"`);
  }
  return url.replace(/\/+$/, "");
}
