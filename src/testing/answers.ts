/**
 * The answers a test gives the mock besides plain results (errors, examples, network failures),
 * and the one function that turns any answer into the HTTP response Dify would send, so the
 * real client reads it through its real paths: JSON, `Blob`, 204, SSE, Dify's error envelope.
 */
import type { OperationExample } from "../../generated/dify/examples.js";

/** `mockError(status, …)`: a non-2xx response with Dify's envelope `{ status, code, message }`. */
export class MockError {
  readonly #brand = "MockError";
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, code: string, message: string, headers: Readonly<Record<string, string>>) {
    if (!Number.isInteger(status) || status < 400 || status > 599) throw new RangeError(`mockError: status ${status} is not an HTTP error status (400–599)`);
    this.status = status;
    this.code = code;
    this.message = message;
    this.headers = headers;
    void this.#brand;
  }
}

/** `mockExample(overrides)`: the spec's example for the operation, with some top-level properties replaced. */
export class MockExample<T> {
  readonly #brand = "MockExample";
  readonly overrides: Partial<T> | undefined;

  constructor(overrides: Partial<T> | undefined) {
    this.overrides = overrides;
    void this.#brand;
  }
}

/** `mockNetworkError()`: no response at all (the client throws `ConnectionError`). */
export class MockNetworkError {
  readonly #brand = "MockNetworkError";
  readonly message: string;

  constructor(message: string) {
    this.message = message;
    void this.#brand;
  }
}

/** Dify's usual code per status, for `mockError(status)` without one. */
const DEFAULT_CODES: Readonly<Record<number, string>> = {
  400: "invalid_param",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  413: "file_too_large",
  415: "unsupported_file_type",
  422: "unprocessable_entity",
  429: "too_many_requests",
  500: "internal_server_error",
  503: "service_unavailable",
};

/**
 * A non-2xx answer with Dify's error envelope. The client rejects with the subclass for the
 * status (`NotFoundError` for 404, `RateLimitError` for 429, …), `code` and `message` from here.
 */
export function mockError(status: number, envelope: { code?: string; message?: string } = {}, init: { headers?: Record<string, string> } = {}): MockError {
  const code = envelope.code ?? DEFAULT_CODES[status] ?? (status >= 500 ? "internal_server_error" : "error");
  return new MockError(status, code, envelope.message ?? `mocked ${status} ${code}`, { ...init.headers });
}

/** The spec's example result for the operation (an error names the operation when the spec has none). */
export function mockExample<T>(overrides?: Partial<T>): MockExample<T> {
  return new MockExample(overrides);
}

/** No response: the request fails as on a dropped connection. */
export function mockNetworkError(message = "mocked network failure"): MockNetworkError {
  return new MockNetworkError(message);
}

/** Thrown for a call the mock has no answer for: it names the method and how to mock it. Not a ClientError, so an app's `catch` for API errors does not hide it. */
export class UnmockedCallError extends Error {
  override readonly name = "UnmockedCallError";
}

export interface AnswerContext {
  /** `chatflow.getAppInfo`, for messages. */
  label: string;
  /** The mock factory (`mockChatflowClient`), for messages. */
  factory: string;
  /** The method's name. */
  name: string;
  streaming: boolean;
  example: OperationExample | undefined;
}

/** The HTTP response for an answer; a `MockNetworkError` stays one (each caller fails in its own way). */
export function answerResponse(answer: unknown, context: AnswerContext): Response | MockNetworkError {
  if (answer instanceof MockNetworkError || answer instanceof Response) return answer;
  if (answer instanceof MockError) {
    const body = JSON.stringify({ status: answer.status, code: answer.code, message: answer.message });
    return new Response(body, { status: answer.status, headers: { "content-type": "application/json", ...answer.headers } });
  }
  if (context.streaming) {
    if (!Array.isArray(answer)) {
      throw new UnmockedCallError(
        `${context.label} was called with streaming, but its mock is not a list of events. Fix: ${context.factory}({ ${context.name}: [{ event: "…", … }, …] })`,
      );
    }
    return eventStreamResponse(answer);
  }
  if (answer instanceof MockExample) return jsonResponse(exampleValue(answer, context), context);
  if (answer === undefined) return new Response(null, { status: 204 });
  if (answer instanceof Blob) return new Response(answer, { status: 200, headers: { "content-type": answer.type || "application/octet-stream" } });
  return jsonResponse(answer, context);
}

function exampleValue(answer: MockExample<unknown>, context: AnswerContext): unknown {
  const value = context.example?.value;
  if (value === undefined) {
    throw new UnmockedCallError(`${context.label}: the spec has no example result for it. Fix: give the result, ${context.factory}({ ${context.name}: { … } })`);
  }
  // A copy, so a test that changes what it got never changes the next answer.
  const copy = structuredClone(value);
  const overrides = answer.overrides;
  return overrides !== undefined && typeof copy === "object" && copy !== null && !Array.isArray(copy) ? { ...copy, ...overrides } : (overrides ?? copy);
}

function jsonResponse(value: unknown, context: AnswerContext): Response {
  // The spec's success status (201 for an upload), unless that status has no body.
  const status = context.example && context.example.status !== 204 ? context.example.status : 200;
  return new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json" } });
}

/** Dify's SSE framing: each event as one `data:` line of JSON (the event name inside it), a string event as its text. */
function eventStreamResponse(events: readonly unknown[]): Response {
  const text = events
    .map((event) => (typeof event === "string" ? event.split(/\r\n|\r|\n/).map((line) => `data: ${line}`).join("\n") : `data: ${JSON.stringify(event)}`) + "\n\n")
    .join("");
  return new Response(text, { status: 200, headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } });
}
