/** Options a client is created with, and options one call can override. */

/** The `fetch` the client calls: the global one by default, any WHATWG-compatible function otherwise. */
export type FetchLike = (input: Request) => Promise<Response>;

export interface ClientOptions {
  /** The app's API key (Dify: app → API Access). Sent as `Authorization: Bearer <apiKey>`, never logged. */
  apiKey: string;
  /**
   * Base URL of the Service API, with or without a trailing slash.
   * @default the spec's server URL (for Dify: `https://api.dify.ai/v1`)
   */
  baseUrl?: string;
  /** @default globalThis.fetch */
  fetch?: FetchLike;
  /** Headers sent with every request (the call's own headers win). */
  headers?: Record<string, string>;
  /**
   * Time limit of one attempt, in milliseconds (for a stream: until the response headers arrive).
   * @default 60000
   */
  timeoutMs?: number;
  /**
   * How many times a failed request may be sent again (see retry.ts for which failures qualify).
   * @default 2
   */
  maxRetries?: number;
}

/** `apiKey` must be a non-empty string: `""` is rejected at compile time. */
export type CheckedClientOptions<K extends string> = Omit<ClientOptions, "apiKey"> & {
  apiKey: K extends "" ? never : K;
};

/** Per-call settings, the last argument of every method. */
export interface RequestOptions {
  /** Aborts the request. */
  signal?: AbortSignal;
  /** Extra headers for this call only; they override the client's. `Authorization` cannot be overridden here. */
  headers?: Record<string, string>;
  /** Overrides the client's `timeoutMs` for this call. */
  timeoutMs?: number;
  /** Overrides the client's `maxRetries` for this call. */
  maxRetries?: number;
}
