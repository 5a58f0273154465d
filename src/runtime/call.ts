/**
 * The single path every facade function takes: arguments → HTTP request →
 * typed result or `ApiError`.
 */
import { ApiPromise, type RawResult } from "./api-promise.js";
import type { ClientContext } from "./context.js";
import { encodeBody, headerValue } from "./encode.js";
import { createApiError } from "./errors.js";
import type { OperationSpec } from "./operation.js";
import type { RequestOptions } from "./options.js";
import { redactDeep, redactHeaders } from "./redact.js";
import { linkedController } from "./signals.js";
import type { StreamOpener, StreamOptions } from "./stream.js";
import { send, type WireRequest } from "./transport.js";

type Params = Record<string, unknown> | undefined;

/**
 * Starts the call at once and returns its ApiPromise (a PagePromise for a
 * paginated list: the generated code passes `paginate`).
 */
export function callOperation(
  context: ClientContext,
  operation: OperationSpec,
  pathParams: Record<string, unknown>,
  params: Params,
  options?: RequestOptions & StreamOptions,
  // Passed only by streaming operations, so a bundle without them carries no SSE parser.
  openStream?: StreamOpener,
  // Passed only by paginated operations, likewise.
  paginate?: Paginate,
): ApiPromise<unknown> {
  const send = (pageParams: Params, unread: boolean) => sendOperation(context, operation, pathParams, pageParams, options, openStream, unread);
  return paginate ? paginate(operation, params, send, options?.signal) : new ApiPromise((unread) => send(params, unread));
}

type Paginate = (operation: OperationSpec, params: Params, send: (params: Params, unread: boolean) => Promise<RawResult>, signal: AbortSignal | undefined) => ApiPromise<unknown>;

async function sendOperation(
  context: ClientContext,
  operation: OperationSpec,
  pathParams: Record<string, unknown>,
  params: Params,
  options: (RequestOptions & StreamOptions) | undefined,
  openStream: StreamOpener | undefined,
  // `asResponse()`: a non-stream body is left for the caller (read as a stream: the timeout ends with the headers).
  unread: boolean,
): Promise<RawResult> {
  const parts = splitParams(operation, params);
  const streaming = isStreaming(operation, parts.body);
  if (streaming) openStream?.check?.(options);
  const headers = new Headers(context.headers);
  for (const [name, value] of Object.entries(options?.headers ?? {})) headers.set(name, headerValue(name, value));
  for (const [name, value] of Object.entries(parts.header)) {
    if (value !== undefined && value !== null) headers.set(name, headerValue(name, value));
  }
  const cookies = cookieHeader(parts.cookie);
  if (cookies !== undefined) headers.set("Cookie", headers.has("Cookie") ? `${headers.get("Cookie")}; ${cookies}` : cookies);
  if (streaming) headers.set("Accept", "text/event-stream");
  // The same operation can answer a stream: ask for the JSON result (servers and mocks may pick the first type declared).
  else if (operation.stream && !headers.has("Accept")) headers.set("Accept", "application/json");
  const body = encodeRequestBody(operation, parts.body, headers);
  context.authorize(headers, parts.query);

  // A stream outlives the call: it gets its own controller, so ending the loop can abort the request.
  const controller = streaming ? linkedController(options?.signal) : undefined;
  const request: WireRequest = {
    method: operation.method,
    path: operation.path,
    pathParams,
    query: parts.query,
    queryStyles: operation.queryStyles,
    headers,
    body,
    signal: controller?.signal ?? options?.signal,
    timeoutMs: options?.timeoutMs,
    maxRetries: options?.maxRetries,
    // A stream is never re-sent: POST /chat-messages twice posts the user's message twice.
    retryable: !streaming,
    // An `sse` operation always streams (isStreaming), so what is left is how to read a 2xx body.
    parseAs: streaming || unread ? "stream" : (operation.response as Exclude<OperationSpec["response"], "sse">),
    responseMediaTypes: operation.responseMediaTypes,
  };
  try {
    const { response, data, error } = await send(context, request);
    if (!response.ok) {
      throw createApiError({
        status: response.status,
        body: redactDeep(error, context),
        headers: redactHeaders(response.headers, context),
        method: operation.method,
        path: operation.path,
      });
    }
    if (!controller) return unread ? { data: undefined, response, unread } : { data, response };
    if (!(data instanceof ReadableStream)) throw new TypeError(`${operation.method} ${operation.path}: expected an event stream, got an empty body`);
    if (!openStream) throw new TypeError(`${operation.method} ${operation.path}: the facade passed no stream reader (regenerate the client)`);
    return { data: openStream({ context, operation, response, body: data, controller, includePings: options?.includePings ?? false, signal: options?.signal, options, sent: parts }), response };
  } catch (error) {
    // No stream to read: release the controller (and its listener on the caller's signal).
    controller?.abort();
    throw error;
  }
}

function isStreaming(operation: OperationSpec, body: unknown): boolean {
  if (operation.response === "sse") return true;
  if (!operation.stream) return false;
  const value = typeof body === "object" && body !== null ? (body as Record<string, unknown>)[operation.stream.property] : undefined;
  return value === undefined ? operation.stream.byDefault : value === operation.stream.value;
}

interface ParamParts {
  query: Record<string, unknown>;
  header: Record<string, unknown>;
  cookie: Record<string, unknown>;
  body: unknown;
}

function splitParams(operation: OperationSpec, params: Params): ParamParts {
  if (operation.params === "split") {
    const { query = {}, header = {}, cookie = {}, body } = (params ?? {}) as Partial<ParamParts> & Record<string, never>;
    return { query: query as Record<string, unknown>, header: header as Record<string, unknown>, cookie: cookie as Record<string, unknown>, body };
  }
  const query: Record<string, unknown> = {};
  const header: Record<string, unknown> = {};
  const cookie: Record<string, unknown> = {};
  let body: Record<string, unknown> | undefined;
  for (const [name, value] of Object.entries(params ?? {})) {
    if (operation.query.includes(name)) query[name] = value;
    else if (operation.header.includes(name)) header[name] = value;
    else if (operation.cookie?.includes(name)) cookie[name] = value;
    else if (operation.body !== undefined) (body ??= {})[name] = value;
  }
  return { query, header, cookie, body };
}

/** `a=1; b=x%20y` (OpenAPI's cookie default, `form`: values percent-encoded, arrays comma-joined); undefined when none is set. */
function cookieHeader(cookie: Record<string, unknown>): string | undefined {
  const pairs: string[] = [];
  for (const [name, value] of Object.entries(cookie)) {
    if (value === undefined || value === null) continue;
    if (typeof value === "object" && !Array.isArray(value)) throw new TypeError(`cookie parameter ${name} must be a string, a number, a boolean or an array of them`);
    const text = Array.isArray(value) ? value.map((item) => encodeURIComponent(String(item))).join(",") : encodeURIComponent(String(value));
    pairs.push(`${name}=${text}`);
  }
  return pairs.length === 0 ? undefined : pairs.join("; ");
}

/** The encoded body; sets its Content-Type unless the caller's headers name one. */
function encodeRequestBody(operation: OperationSpec, body: unknown, headers: Headers): unknown {
  if (operation.body === undefined) return undefined;
  if (body === undefined) {
    if (!operation.bodyRequired || operation.body !== "json") return undefined;
    body = {};
  }
  const encoded = encodeBody(operation.body, body, operation.bodyMediaType);
  if (encoded.contentType !== undefined && !headers.has("Content-Type")) headers.set("Content-Type", encoded.contentType);
  return encoded.body;
}
