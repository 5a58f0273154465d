/** Options a client is created with, and options one call can override. */
import type { Logger, LogLevel } from "./logging.js";

/** The `fetch` the client calls: the global one by default, any WHATWG-compatible function otherwise. */
export type FetchLike = (input: Request) => Promise<Response>;

/** What `onRequest` receives before each attempt. */
export interface RequestHookInfo {
  /** The request about to be sent. Its `Authorization` header holds the API key: do not log it. */
  request: Request;
  /** 1 for the first send, 2 for the first retry, … */
  attempt: number;
}

/** What `onResponse` receives when an attempt's response headers arrive. */
export interface ResponseHookInfo extends RequestHookInfo {
  /** The response the client goes on to read: to read its body too, use `response.clone()`. */
  response: Response;
}

export interface ClientOptions {
  /**
   * The API key or token, sent as the spec's security scheme says (Dify: `Authorization: Bearer <apiKey>`,
   * the app's key from app → API Access, or a dataset key for knowledge bases). Never logged.
   */
  apiKey?: string;
  /** For HTTP Basic authentication, where the spec uses it. */
  username?: string;
  password?: string;
  /**
   * Base URL of the Service API, with or without a trailing slash.
   * @default the spec's server URL (for Dify: `https://api.dify.ai/v1`)
   */
  baseUrl?: string;
  /**
   * Called with each attempt's Request; `request.signal` aborts when the attempt times out or the call is
   * aborted, so a fetch that hands the Request on to another (`(request) => globalThis.fetch(request)`) cancels it too.
   * @default globalThis.fetch
   */
  fetch?: FetchLike;
  /** Headers sent with every request (the call's own headers win). */
  headers?: Record<string, string>;
  /**
   * Time limit of one attempt, in milliseconds (for a stream: until the response headers arrive).
   * `Infinity` disables it.
   * @default 60000
   */
  timeoutMs?: number;
  /**
   * How many times a failed request may be sent again (see retry.ts for which failures qualify).
   * @default 2
   */
  maxRetries?: number;
  /**
   * Log each attempt (method, URL without query values, status, attempt, duration, request id; never a
   * key, a header or a body): "info" one line per response, "debug" also each request, "warn" retries,
   * "error" calls that failed without a response.
   * @default "silent"
   */
  logLevel?: LogLevel;
  /** Where log lines go. @default console */
  logger?: Logger;
  /** Called before each attempt (retries included), e.g. for logging or tracing. An error thrown here fails the call. */
  onRequest?: (info: RequestHookInfo) => void | Promise<void>;
  /** Called after each attempt's response arrives, whatever its status, before any retry. */
  onResponse?: (info: ResponseHookInfo) => void | Promise<void>;
}

/**
 * Which credentials a client needs, from its spec's security: an API key or token (`apiKey`: Dify's
 * clients), a username and password (`basic`), none, or any of them (the spec offers several).
 */
export type CredentialKind = "apiKey" | "basic" | "none" | "any";

type CredentialOptions<K extends string, C extends CredentialKind> = C extends "apiKey"
  ? { apiKey: K extends "" ? never : K }
  : C extends "basic"
    ? { username: string; password: string }
    : { apiKey?: string; username?: string; password?: string };

/** The options a facade takes: `apiKey` must be a non-empty string where the spec needs one (`""` is rejected at compile time). */
export type CheckedClientOptions<K extends string, C extends CredentialKind = "apiKey"> = Omit<ClientOptions, "apiKey" | "username" | "password"> & CredentialOptions<K, C>;

/** Per-call settings, the last argument of every method. */
export interface RequestOptions {
  /** Aborts the request, including any wait before a retry. */
  signal?: AbortSignal;
  /** Extra headers for this call only; they override the client's. `Authorization` cannot be overridden here. */
  headers?: Record<string, string>;
  /** Overrides the client's `timeoutMs` for this call. */
  timeoutMs?: number;
  /** Overrides the client's `maxRetries` for this call. */
  maxRetries?: number;
}

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_RETRIES = 2;

/** Rejects values that would silently misbehave: `setTimeout(f, NaN)` fires at once, a negative retry count loops oddly. */
export function checkTimeoutMs(value: number): number {
  if (typeof value !== "number" || Number.isNaN(value) || value <= 0) {
    throw new TypeError(`timeoutMs must be a positive number of milliseconds (or Infinity), got ${String(value)}`);
  }
  return value;
}

export function checkMaxRetries(value: number): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new TypeError(`maxRetries must be a whole number ≥ 0, got ${String(value)}`);
  }
  return value;
}
