/**
 * Every error the client throws, in one module (the openai-node layout):
 *
 * ClientError                    anything thrown by the client itself (Dify's clients export it as DifyError too)
 * ├─ ApiError                    a non-2xx response (one subclass per well-known status, see createApiError);
 * │                              Dify's clients export it as DifyApiError too
 * │  ├─ BadRequestError 400, AuthenticationError 401, PermissionDeniedError 403, NotFoundError 404,
 * │  ├─ ConflictError 409, PayloadTooLargeError 413, UnsupportedMediaTypeError 415,
 * │  └─ UnprocessableEntityError 422, RateLimitError 429, InternalServerError 5xx
 * ├─ ConnectionError             no response: DNS, refused, reset, TLS…
 * ├─ TimeoutError                an attempt exceeded timeoutMs, and no retry was left or allowed
 * ├─ AbortError                  the caller's signal (or `stream.abort()`) aborted the call
 * ├─ ResponseParseError          a 2xx body (or one stream event) that is not what the operation declares:
 * │                              a proxy's 200 HTML page, an empty 200 for a JSON operation, an oversized event
 * └─ StreamIncompleteError       an event stream that ended mid-event or before its operation's final event
 *
 * A caller's mistake (a bad path parameter, a body JSON cannot hold) is a
 * plain `TypeError` naming the argument, thrown before anything is sent.
 *
 * Errors never hold the request (its Authorization header carries the API
 * key); server-provided text is redacted (the key and any 6+ character
 * fragment of it) before it is stored, and foreign errors kept as `cause`
 * are copied without their other properties when they carry the key, so a
 * server or a custom fetch that echoes the key cannot leak it into logs.
 */
import { requestIdOf } from "./logging.js";

/** Base of every error the client throws. `name` is set per class, so logs and `error.name` checks can tell them apart. */
export class ClientError extends Error {
  override readonly name: string = "ClientError";

  /**
   * What `JSON.stringify` and structured loggers see: data only, no stack. One body for every class: the name,
   * the message, then the error's own fields, except `headers` (a Headers object) and `excerpt` (in the message).
   */
  toJSON(): Record<string, unknown> {
    // `message` is not enumerable (Error's own), `name` is (a class field): listed first, it keeps its place.
    const { headers: _headers, excerpt: _excerpt, ...data }: Record<string, unknown> = { name: this.name, message: this.message, ...(this as object) };
    return data;
  }
}

/** Dify's error envelope: `{ "code": "not_found", "message": "...", "status": 404 }` (what `ApiError` reads first). */
export interface DifyErrorEnvelope {
  code: string;
  message: string;
  status: number;
}

export interface ApiErrorInit {
  status: number;
  /** Parsed JSON body, or the raw text when the body is not JSON. */
  body: unknown;
  headers: Headers;
  method: string;
  /** Path template of the operation, e.g. `/conversations/{conversation_id}`. */
  path: string;
}

/** A non-2xx response from the API. Create one with `createApiError`, which picks the subclass. */
export class ApiError extends ClientError {
  override readonly name: string = "ApiError";
  /** HTTP status of the response. */
  declare readonly status: number;
  /** The machine-readable error code (Dify: `not_found`, `invalid_param`, …), when the body has one. */
  declare readonly code: string | undefined;
  /** Parsed JSON body, or the raw text when the body is not JSON. */
  declare readonly body: unknown;
  declare readonly headers: Headers;
  /** The request id the server or a proxy sent back, for support tickets. */
  declare readonly requestId: string | undefined;
  /** HTTP method and path template of the failed operation. */
  declare readonly operation: string;

  constructor(init: ApiErrorInit) {
    const { code, message } = describeBody(init.status, init.body, init.headers);
    super(message);
    this.status = init.status;
    this.code = code;
    this.body = init.body;
    this.headers = init.headers;
    this.requestId = requestIdOf(init.headers);
    this.operation = `${init.method} ${init.path}`;
  }

}

// One class per status a caller plausibly handles differently; `name` is a field so minifiers cannot rename it.
export class BadRequestError extends ApiError {
  override readonly name: string = "BadRequestError";
}
export class AuthenticationError extends ApiError {
  override readonly name: string = "AuthenticationError";
}
export class PermissionDeniedError extends ApiError {
  override readonly name: string = "PermissionDeniedError";
}
export class NotFoundError extends ApiError {
  override readonly name: string = "NotFoundError";
}
export class ConflictError extends ApiError {
  override readonly name: string = "ConflictError";
}
export class PayloadTooLargeError extends ApiError {
  override readonly name: string = "PayloadTooLargeError";
}
export class UnsupportedMediaTypeError extends ApiError {
  override readonly name: string = "UnsupportedMediaTypeError";
}
export class UnprocessableEntityError extends ApiError {
  override readonly name: string = "UnprocessableEntityError";
}
export class RateLimitError extends ApiError {
  override readonly name: string = "RateLimitError";
}
/** Any 5xx. */
export class InternalServerError extends ApiError {
  override readonly name: string = "InternalServerError";
}

const API_ERROR_BY_STATUS: Readonly<Partial<Record<number, typeof ApiError>>> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  413: PayloadTooLargeError,
  415: UnsupportedMediaTypeError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

/** The one way to build an API error: the subclass for the status, else `ApiError` itself. */
export function createApiError(init: ApiErrorInit): ApiError {
  const ErrorClass = API_ERROR_BY_STATUS[init.status] ?? (init.status >= 500 ? InternalServerError : ApiError);
  return new ErrorClass(init);
}

/** What the transport knows about a request that got no response. */
export interface RequestFailureInit {
  /** HTTP method and path template, e.g. `POST /chat-messages`. */
  operation: string;
  /** How many times the request was sent. */
  attempts: number;
}

/**
 * The request got no response: DNS failure, connection refused or reset, TLS
 * error. `cause` is the error `fetch` threw (undici: `TypeError: fetch failed`
 * whose `cause.code` is e.g. `ECONNREFUSED`).
 */
export class ConnectionError extends ClientError {
  override readonly name: string = "ConnectionError";
  declare readonly operation: string;
  declare readonly attempts: number;

  constructor(init: RequestFailureInit & { cause: unknown }) {
    const { cause, ...fields } = init;
    super(`${init.operation}: connection failed (${describeCause(cause)})${attemptsText(init.attempts)}`, { cause });
    Object.assign(this, fields);
  }
}

/** An attempt got no response within `timeoutMs`, and no retry was left or allowed. */
export class TimeoutError extends ClientError {
  override readonly name: string = "TimeoutError";
  declare readonly operation: string;
  declare readonly attempts: number;
  declare readonly timeoutMs: number;

  constructor(init: RequestFailureInit & { timeoutMs: number }) {
    super(`${init.operation}: no response within ${init.timeoutMs} ms${attemptsText(init.attempts)}`);
    Object.assign(this, { operation: init.operation, attempts: init.attempts, timeoutMs: init.timeoutMs });
  }
}

/**
 * The caller's `signal` aborted the call (also while waiting to retry).
 * `cause` is the signal's `reason`. Named like the DOM's, so
 * `error.name === "AbortError"` checks keep working.
 */
export class AbortError extends ClientError {
  override readonly name: string = "AbortError";
  declare readonly operation: string;

  constructor(init: { operation: string; cause: unknown }) {
    super(`${init.operation}: aborted by the caller's signal`, { cause: init.cause });
    this.operation = init.operation;
  }
}

/**
 * A 2xx response (or one event of a stream) whose body cannot be read as the
 * operation declares. Never retried: the server answered, and answers the same.
 * `excerpt` is the start of the body, key redacted (an HTML page: its title).
 */
export class ResponseParseError extends ClientError {
  override readonly name: string = "ResponseParseError";
  declare readonly operation: string;
  declare readonly status: number;
  declare readonly contentType: string | undefined;
  declare readonly excerpt: string | undefined;

  constructor(init: { operation: string; status: number; contentType: string | undefined; problem: string; excerpt?: string | undefined }) {
    const type = init.contentType ? `, content-type ${init.contentType}` : "";
    super(`${init.operation}: ${init.problem} (status ${init.status}${type})${init.excerpt ? `: ${init.excerpt}` : ""}`);
    Object.assign(this, { operation: init.operation, status: init.status, contentType: init.contentType, excerpt: init.excerpt });
  }
}

/**
 * An event stream that ended too soon: in the middle of an event (bytes after
 * the last blank line), or, for an operation that declares its final events
 * (`OperationSpec.terminalEvents`), before any of them or an `error` event.
 * The answer read so far is truncated.
 */
export class StreamIncompleteError extends ClientError {
  override readonly name: string = "StreamIncompleteError";
  declare readonly operation: string;
  /** The events that would have ended the stream normally; undefined when the operation declares none. */
  declare readonly expected: readonly string[] | undefined;
  /** true: the body ended in the middle of an event, which was not yielded. */
  declare readonly partial: boolean;

  constructor(init: { operation: string; expected: readonly string[] | undefined; partial: boolean }) {
    const parts = [
      init.partial ? "in the middle of an event (not yielded)" : undefined,
      init.expected?.length ? `before its final event (expected ${[...init.expected, "error"].join(" or ")})` : undefined,
    ].filter(Boolean);
    super(`${init.operation}: the event stream ended ${parts.join(" and ") || "too soon"}: the answer is incomplete`);
    Object.assign(this, { operation: init.operation, expected: init.expected, partial: init.partial });
  }
}

function attemptsText(attempts: number): string {
  return attempts > 1 ? ` after ${attempts} attempts` : "";
}

/** `fetch failed: connect ECONNREFUSED 127.0.0.1:3000`: undici's top-level message alone says nothing. */
function describeCause(cause: unknown): string {
  const messages: string[] = [];
  for (let error = cause, depth = 0; error instanceof Error && depth < 4; error = error.cause, depth++) {
    if (error.message && !messages.includes(error.message)) messages.push(error.message);
  }
  return messages.length > 0 ? messages.join(": ") : String(cause);
}

/** The body (JSON or text) of a failed response, with the key already redacted. */
function describeBody(status: number, body: unknown, headers: Headers): { code: string | undefined; message: string } {
  // `{ error: { message, code | type } }` (OpenAI, Stripe and others) reads like a flat envelope.
  if (isRecord(body) && isRecord(body["error"])) body = { code: body["error"]["code"] ?? body["error"]["type"], message: body["error"]["message"] };
  let code: string | undefined;
  let text: string | undefined;
  let summary = "";
  if (isRecord(body)) {
    // A `{ code, message }` envelope (Dify's) first, then RFC 9457 problem details (what Prism and many proxies send).
    if (typeof body["code"] === "string") code = body["code"];
    // The envelope's message verbatim: it is what Dify documents and what callers match on.
    text = firstString(body["message"], body["detail"], body["title"], body["error"]);
  } else if (typeof body === "string" && body.trim() !== "") summary = `: ${summarizeText(body, headers)}`;
  return { code, message: text ?? `${status} ${STATUS_TEXT[status] ?? "HTTP error"}${summary}` };
}

/** One line from a text body: an HTML page's <title> (a proxy's 502 page), else the text's start. Redact first. */
export function summarizeText(text: string, headers: Headers): string {
  const isHtml = /html/i.test(headers.get("content-type") ?? "") || /^\s*</.test(text);
  const title = isHtml ? /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1] : undefined;
  const plain = (title ?? (isHtml ? text.replace(/<[^>]*>/g, " ") : text)).replace(/\s+/g, " ").trim();
  const kind = isHtml ? " (HTML response, not from the API: check baseUrl or the proxy)" : "";
  return (plain.length > 200 ? `${plain.slice(0, 200)}…` : plain) + kind;
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  409: "Conflict",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

function firstString(...values: unknown[]): string | undefined {
  return values.find((v): v is string => typeof v === "string" && v !== "");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
