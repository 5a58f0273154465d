import {
  checkMaxRetries,
  checkTimeoutMs,
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT_MS,
  type ClientOptions,
  type FetchLike,
} from "./options.js";
import { BEARER, bearerAuthorizer, type AuthorizerFactory, type Security } from "./auth.js";
import { levelLogger, type Logger } from "./logging.js";
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
  /** @internal `fetch` is the default one, which passes `request.signal` on itself (see RetrySettings.lazySignal). */
  readonly lazySignal?: boolean;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly onRequest: ClientOptions["onRequest"];
  readonly onResponse: ClientOptions["onResponse"];
  /** The enabled log levels (undefined when silent). */
  readonly log: Partial<Logger> | undefined;
  /**
   * @internal How the retry loop waits and reads the clock. Tests replace it
   * (`{ ...createChatflowConfig(options), timing }`) so they never wait real time.
   */
  readonly timing: RetryTiming;
  /** Sets the credentials (the spec's security schemes) on an outgoing request's headers and query. */
  authorize(headers: Headers, query?: Record<string, unknown>): void;
  /** Replaces every occurrence of the API key, and of any 6+ character fragment of it, in text from the network. */
  redact(text: string): string;
}

export interface ApiDefaults {
  /** Used when the caller gives no `baseUrl`: the spec's default server. */
  baseUrl: string;
  /** The spec's security requirements; default: HTTP bearer with `apiKey`. */
  security?: Security;
  /** Applies `security`: `createAuthorizer` for anything but HTTP bearer alone; default: bearer only (auth.ts). */
  authorizer?: AuthorizerFactory;
  /** The facade's factory (`createChatflowClient`), for messages. */
  client?: string;
  /** Where the API key comes from, for messages. */
  keyHelp?: string;
}

export function createContext(options: ClientOptions, defaults: ApiDefaults): ClientContext {
  // The runtime twin of the compile-time check: JavaScript callers and `as` casts get here.
  if (typeof options !== "object" || options === null) throw new TypeError(`pass ${defaults.client ?? "the client"} an options object`);
  const auth = (defaults.authorizer ?? bearerAuthorizer)(defaults.security ?? BEARER, options, { client: defaults.client ?? "the client", keyHelp: defaults.keyHelp });
  // The attempt's signal is the request's own `signal` property (retry.ts): the global fetch is handed it explicitly.
  const fetchFn = options.fetch ?? ((request: Request) => globalThis.fetch(request, { signal: request.signal }));
  return Object.freeze({
    baseUrl: normalizeBaseUrl(options.baseUrl ?? defaults.baseUrl),
    fetch: fetchFn,
    lazySignal: options.fetch === undefined,
    headers: Object.freeze({ ...options.headers }),
    timeoutMs: checkTimeoutMs(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    maxRetries: checkMaxRetries(options.maxRetries ?? DEFAULT_MAX_RETRIES),
    onRequest: options.onRequest,
    onResponse: options.onResponse,
    log: levelLogger(options.logLevel, options.logger),
    timing: realTiming,
    authorize: (headers: Headers, query: Record<string, unknown> = {}) => auth.apply(headers, query),
    // The authorizers' functions use no `this`.
    redact: auth.redact,
  });
}

function normalizeBaseUrl(url: string): string {
  try {
    new URL(url);
  } catch {
    throw new TypeError(`baseUrl ${JSON.stringify(url)} is not an absolute URL: pass e.g. "https://api.example.com/v1"`);
  }
  return url.replace(/\/+$/, "");
}
