/**
 * Retries, per-attempt timeouts and hooks, around whole attempts: each attempt
 * builds its request anew (transport.ts, from an already encoded body), so a
 * call that is not retried copies nothing.
 * The policy (which failures are retried, how long to wait) is the data and
 * small functions at the top; the loop below only applies it.
 */
import { AbortError, ConnectionError, TimeoutError } from "./errors.js";
import { loggableUrl, requestIdOf, type Logger } from "./logging.js";
import type { FetchLike, RequestHookInfo, ResponseHookInfo } from "./options.js";
import { keyFreeCause } from "./redact.js";
import { anySignal } from "./signals.js";

/** Methods that mean the same when repeated (RFC 9110 §9.2.2): re-sent after any transient failure. */
const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"]);

/**
 * Which requests a status may re-send: `any` (the server did not act on it,
 * so a POST is safe too), `idempotent` (it may have acted), or `never`.
 * Statuses not listed: 5xx → `idempotent`, anything else → `never`.
 */
const STATUS_POLICY: Readonly<Record<number, "any" | "idempotent" | "never">> = {
  // Request Timeout: the server gave up before it had the whole request, so it did not act on it.
  408: "any",
  // Conflict: a concurrent change held a lock; the same idempotent request can pass a moment later.
  409: "idempotent",
  // Too Many Requests: turned away by the rate limiter before any work was done.
  429: "any",
  // Not Implemented: a permanent answer about the method, not a passing failure.
  501: "never",
  // HTTP Version Not Supported: permanent too.
  505: "never",
  // Every other 5xx (500, 502 from a proxy during a deploy, 503 overloaded, 504 and Cloudflare's 52x in
  // front of api.dify.ai) is a server-side failure that may pass, but after which the work may be done.
};

/**
 * Connection failures that prove the request never left, so even a POST may
 * be re-sent. Looked up in the error's `cause` chain (undici throws
 * `TypeError: fetch failed` with the system error as `cause`).
 */
const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  // Connection refused: nothing listens on the port, no connection was made.
  "ECONNREFUSED",
  // undici's connect timeout: the TCP/TLS handshake never finished, so no request was written.
  "UND_ERR_CONNECT_TIMEOUT",
  // Temporary DNS failure: the host was never contacted.
  "EAI_AGAIN",
]);

/** First retry after about 0.5 s, doubling up to 8 s (ky and openai-node use the same shape). */
const INITIAL_DELAY_MS = 500;
const MAX_DELAY_MS = 8_000;
/** A server asking for a longer wait gets this much: past it, failing is more useful than hanging. */
const MAX_RETRY_AFTER_MS = 60_000;
/** setTimeout fires at once for delays that do not fit in 32 bits. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function backoffMs(retry: number, random: number): number {
  // Up to 25% shorter at random, so clients that failed together do not all come back together.
  return Math.min(INITIAL_DELAY_MS * 2 ** retry, MAX_DELAY_MS) * (1 - random * 0.25);
}

/**
 * The server's own wait: `retry-after-ms` (milliseconds, sent by some AI
 * gateways), else `Retry-After` as seconds or an HTTP date (RFC 9110 §10.2.3);
 * capped at MAX_RETRY_AFTER_MS. Undefined when absent or unreadable.
 */
export function retryAfterMs(headers: Headers, now: number): number | undefined {
  const ms = headers.get("retry-after-ms")?.trim();
  const value = headers.get("retry-after")?.trim();
  let wait: number | undefined;
  if (ms && /^\d+(\.\d+)?$/.test(ms)) wait = Number(ms);
  else if (value && /^\d+$/.test(value)) wait = Number(value) * 1000;
  // Every HTTP-date form names a month; Date.parse alone would also read "-1" as a year.
  else if (value && /[a-z]/i.test(value)) wait = Date.parse(value) - now;
  if (wait === undefined || Number.isNaN(wait)) return undefined;
  return Math.min(Math.max(wait, 0), MAX_RETRY_AFTER_MS);
}

/** The clock of the retry loop; tests replace it so they never wait real time. */
export interface RetryTiming {
  /** Resolves after `ms`; rejects as soon as `signal` aborts. */
  sleep(ms: number, signal: AbortSignal | undefined): Promise<void>;
  /** Milliseconds since the epoch, to read `Retry-After` dates. */
  now(): number;
  /** A number in [0, 1), for jitter. */
  random(): number;
}

export const realTiming: RetryTiming = Object.freeze({ sleep, now: () => Date.now(), random: () => Math.random() });

export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, Math.min(ms, MAX_TIMER_MS));
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export interface RetrySettings {
  fetch: FetchLike;
  /**
   * The fetch is the client's default, which hands `request.signal` to the global fetch itself: the attempt's
   * signal can then be a lazy property of the Request. A caller's own fetch gets a Request built with the signal,
   * so passing it on to another fetch (`fetch: (request) => globalThis.fetch(request)`) still cancels it.
   */
  lazySignal?: boolean | undefined;
  /** `POST /chat-messages`, for error messages. */
  operation: string;
  method: string;
  /** Limit of one attempt; `Infinity` for none. */
  timeoutMs: number;
  maxRetries: number;
  /** false: sent exactly once whatever happens (streams: POST /chat-messages twice posts the message twice). */
  retryable: boolean;
  /** The caller reads the body as a stream: the timeout stops when the headers arrive, so a long answer is not cut. */
  stream: boolean;
  /** The caller's signal. */
  signal: AbortSignal | undefined;
  onRequest: ((info: RequestHookInfo) => void | Promise<void>) | undefined;
  onResponse: ((info: ResponseHookInfo) => void | Promise<void>) | undefined;
  /** Enabled log levels; undefined when silent (then nothing is measured or formatted). */
  log?: Partial<Logger> | undefined;
  timing: RetryTiming;
  /** Removes the API key from text. */
  redact(text: string): string;
}

/** What one attempt produced: openapi-fetch's parsed result. */
export interface AttemptResult {
  response: Response;
  data: unknown;
  error: unknown;
}

/**
 * One attempt: builds and sends the request with the given fetch (the
 * caller's, with the attempt's signal and the hooks), and reads the body. The
 * request is built anew each time, from a body that is already encoded, so
 * nothing is copied when no retry happens.
 */
export type Attempt = (fetch: FetchLike, signal: AbortSignal | undefined) => Promise<AttemptResult>;

/**
 * For the default fetch only (settings.lazySignal): gives the request the attempt's signal (aborted by its
 * timeout or the caller's signal) as its own `signal`, instead of building it with one: in Node, a Request
 * made with a signal follows it through a WeakRef, a FinalizationRegistry entry and a listener, which costs
 * more than the rest of a call. The default fetch hands it to the global fetch (context.ts).
 */
function withSignal(request: Request, signal: (() => AbortSignal) | undefined): Request {
  // The transport has openapi-fetch build every Request of a lazy-signal context as a LazySignalRequest,
  // which reads the signal from this plain property (cheaper than an accessor defined on each request).
  if (signal) (request as Request & { [SIGNAL]?: () => AbortSignal })[SIGNAL] = signal;
  return request;
}

const SIGNAL = Symbol("signal");
let LazySignalRequest: typeof Request | undefined;

/**
 * @internal The Request class the transport has openapi-fetch build for the default fetch (withSignal).
 * Made on first use, so importing the runtime needs no global Request.
 */
export function lazySignalRequest(): typeof Request {
  return (LazySignalRequest ??= class extends Request {
    override get signal(): AbortSignal {
      const source = (this as { [SIGNAL]?: () => AbortSignal })[SIGNAL];
      return source ? source() : super.signal;
    }
  });
}

/** How an attempt that got no response ended. */
type Failure = { timeout: true } | { timeout: false; error: unknown };

/** A hook's own error: it reaches the caller unchanged and is never retried. */
class HookFailure {
  constructor(readonly error: unknown) {}
}

/** Runs attempts per the policy above; throws only ConnectionError, TimeoutError, AbortError or a hook's error. */
export async function withRetries(settings: RetrySettings, attempt: Attempt): Promise<AttemptResult> {
  const { operation, log } = settings;
  const attempts = settings.retryable ? settings.maxRetries + 1 : 1;
  for (let n = 1; ; n++) {
    throwIfAborted(settings);
    const outcome = await attemptOnce(settings, attempt, n);
    // A success is never retried: returned before the policy is looked at.
    if ("response" in outcome && outcome.response.status < 400) return outcome;
    const wait = n >= attempts ? undefined : delayBeforeRetry(settings, outcome, n);
    if (wait === undefined) {
      if ("response" in outcome) return outcome;
      const kind = outcome.timeout ? "timeout" : "connection";
      log?.error?.(`${operation} failed: ${outcome.timeout ? "timed out" : "no connection"} (attempt ${n})`, { operation, outcome: kind, attempt: n });
      throw outcome.timeout
        ? new TimeoutError({ operation, attempts: n, timeoutMs: settings.timeoutMs })
        : new ConnectionError({ operation, attempts: n, cause: keyFreeCause(outcome.error, settings.redact) });
    }
    const why = "response" in outcome ? String(outcome.response.status) : outcome.timeout ? "timeout" : "connection";
    const waitMs = Math.round(wait);
    log?.warn?.(`${operation}: retrying after ${why} in ${waitMs} ms (attempt ${n + 1} of ${attempts})`, { operation, reason: why, waitMs, attempt: n + 1 });
    try {
      await settings.timing.sleep(wait, settings.signal);
    } catch (error) {
      throwIfAborted(settings);
      throw error;
    }
  }
}

function delayBeforeRetry(settings: RetrySettings, outcome: AttemptResult | Failure, attempt: number): number | undefined {
  const idempotent = IDEMPOTENT_METHODS.has(settings.method.toUpperCase());
  const backoff = () => backoffMs(attempt - 1, settings.timing.random());
  if ("response" in outcome) {
    const { status, headers } = outcome.response;
    if (status < 400) return undefined;
    const policy = STATUS_POLICY[status] ?? (status >= 500 ? "idempotent" : "never");
    if (policy === "never" || (policy === "idempotent" && !idempotent)) return undefined;
    return retryAfterMs(headers, settings.timing.now()) ?? backoff();
  }
  if (idempotent || (!outcome.timeout && neverSent(outcome.error))) return backoff();
  return undefined;
}

function neverSent(error: unknown): boolean {
  for (let cause = error, depth = 0; typeof cause === "object" && cause !== null && depth < 5; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string" && NOT_SENT_CODES.has(code)) return true;
    if (cause instanceof AggregateError && cause.errors.length > 0 && cause.errors.every(neverSent)) return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

const TIMED_OUT: Failure = Object.freeze({ timeout: true });

/**
 * An attempt's controller that was never aborted, kept for the next attempt: creating one costs as much as
 * the rest of our part of a call. Only attempts whose Request nobody else sees share one (the default fetch,
 * no hooks, no caller's signal, the body read within the attempt), so a later attempt's timeout that aborts it
 * reaches only finished fetches, where aborting does nothing. Each fetch given the signal (undici's Request)
 * adds a listener to it until that Request is collected: SPARE_USES keeps them under EventTarget's default
 * limit of 10 listeners.
 */
let spare: AbortController | undefined;
let spareUses = 0;
const SPARE_USES = 8;

/**
 * One attempt under its timeout; except for streams the timeout also covers reading the body.
 * One promise settled by whichever comes first (the attempt, its timer, the caller's abort), so a
 * fetch or a body that ignores its signal still times out, and no race or extra signal is built.
 * An AbortController exists only when something can abort: a finite timeout or a caller's signal.
 */
function attemptOnce(settings: RetrySettings, attempt: Attempt, n: number): Promise<AttemptResult | Failure> {
  return new Promise((resolve, reject) => {
    const { signal, timeoutMs, stream, onRequest, onResponse, log } = settings;
    const timed = Number.isFinite(timeoutMs);
    // The attempt's controller is made when someone asks for its signal (the default fetch does, an in-memory
    // fetch may never): creating one costs as much as the rest of our part of a call.
    let controller: AbortController | undefined;
    let abortedWith: { reason: unknown } | undefined;
    const lazy = settings.lazySignal === true;
    const shared = lazy && !signal && !stream && !onRequest && !onResponse;
    let uses = 1;
    const attemptSignal = () => {
      if (!controller) {
        if (shared && spare && !abortedWith) {
          controller = spare;
          uses = ++spareUses;
          spare = undefined;
        } else {
          controller = new AbortController();
          if (abortedWith) controller.abort(abortedWith.reason);
        }
      }
      return controller.signal;
    };
    const abort = (reason?: unknown) => {
      abortedWith ??= { reason };
      controller?.abort(reason);
    };
    // The request follows the caller's signal for as long as it lives (a stream's body too): AbortSignal.any
    // holds it weakly. Its cost is paid only by calls that pass a signal.
    const combined = signal && anySignal([signal, attemptSignal()]);
    const requestSignal = combined ? () => combined : timed ? attemptSignal : undefined;
    let built = false;
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      if (shared && controller && !controller.signal.aborted && uses < SPARE_USES) {
        spare = controller;
        spareUses = uses;
      }
      finish();
    };
    const onAbort = () => {
      abort(signal!.reason);
      settle(() => reject(abortError(settings)));
    };
    const timer = timed
      ? setTimeout(() => {
          abort();
          settle(() => resolve(TIMED_OUT));
        }, Math.min(timeoutMs, MAX_TIMER_MS))
      : undefined;
    signal?.addEventListener("abort", onAbort, { once: true });
    const fetch: FetchLike =
      !onRequest && !onResponse && !log && !stream
        ? (request) => ((built = true), settings.fetch(lazy ? withSignal(request, requestSignal) : request))
        : async (request) => {
            built = true;
            if (lazy) withSignal(request, requestSignal);
            if (onRequest) await hook(() => onRequest({ request, attempt: n }));
            const url = log && settings.redact(loggableUrl(request.url));
            const started = log && settings.timing.now();
            log?.debug?.(`→ ${request.method} ${url} (attempt ${n})`, { method: request.method, url, attempt: n });
            const response = await settings.fetch(request);
            if (log?.info) {
              const durationMs = settings.timing.now() - started!;
              const requestId = requestIdOf(response.headers);
              const id = requestId === undefined ? "" : `, request id ${settings.redact(requestId)}`;
              log.info(`← ${request.method} ${url} ${response.status} in ${durationMs} ms (attempt ${n}${id})`, { method: request.method, url, status: response.status, attempt: n, durationMs, requestId });
            }
            // A stream's timeout ends with its headers, so a long answer is not cut.
            if (stream) clearTimeout(timer);
            if (onResponse) await hook(() => onResponse({ request, response, attempt: n }));
            return response;
          };
    attempt(fetch, lazy ? undefined : requestSignal?.()).then(
      (result) => settle(() => resolve(result)),
      (error: unknown) =>
        settle(() => {
          if (error instanceof HookFailure) return reject(error.error);
          if (signal?.aborted) return reject(abortError(settings));
          // Failed before any fetch: building the request threw, which no retry changes and no network caused.
          if (!built) return reject(new TypeError(`${settings.operation}: the request could not be built (${settings.redact(describe(error))})`));
          resolve({ timeout: false, error });
        }),
    );
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function hook(run: () => void | Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    throw new HookFailure(error);
  }
}

function abortError(settings: RetrySettings): AbortError {
  return new AbortError({ operation: settings.operation, cause: keyFreeCause(settings.signal?.reason, settings.redact) });
}

function throwIfAborted(settings: RetrySettings): void {
  if (settings.signal?.aborted) throw abortError(settings);
}
