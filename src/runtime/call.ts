/**
 * The single path every facade function takes: arguments → HTTP request →
 * typed result or `ApiError`.
 */
import { ApiPromise, type RawResult } from "./api-promise.js";
import type { ClientContext } from "./context.js";
import { encodeJson, headerValue, type BodyEncoder } from "./encode.js";
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
  if (!paginate) return new ApiPromise((unread) => sendOperation(context, operation, pathParams, params, options, openStream, unread));
  return paginate(operation, params, (pageParams, unread) => sendOperation(context, operation, pathParams, pageParams, options, openStream, unread), options?.signal);
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
  const headers = new HeaderRecord(context.headers);
  for (const name in options?.headers) headers.set(name, headerValue(name, options.headers[name]));
  for (const name in parts.header) {
    const value = parts.header[name];
    if (value !== undefined && value !== null) headers.set(name, headerValue(name, value));
  }
  if (parts.cookie) {
    const cookies = (operation.cookieHeader ?? missing(operation, "cookie"))(parts.cookie);
    if (cookies !== undefined) headers.set("Cookie", headers.has("Cookie") ? `${headers.get("Cookie")}; ${cookies}` : cookies);
  }
  if (streaming) headers.set("Accept", "text/event-stream");
  // The same operation can answer a stream: ask for the JSON result (servers and mocks may pick the first type declared).
  else if (operation.stream && !headers.has("Accept")) headers.set("Accept", "application/json");
  const body = encodeRequestBody(operation, parts.body, headers);
  // Last, so neither the client's nor the call's headers can replace the credentials.
  context.authorize(headers as unknown as Headers, parts.query);

  // A stream outlives the call: it gets its own controller, so ending the loop can abort the request.
  const controller = streaming ? linkedController(options?.signal) : undefined;
  const request: WireRequest = {
    method: operation.method,
    path: operation.path,
    pathParams,
    query: parts.query,
    queryStyles: operation.queryStyles,
    headers: headers.values,
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
    return { data: (openStream ?? missing(operation, "stream"))({ context, operation, response, body: data, controller, includePings: options?.includePings ?? false, signal: options?.signal, options, sent: parts }), response };
  } catch (error) {
    // No stream to read: release the controller (and its listener on the caller's signal).
    controller?.abort();
    throw error;
  }
}

/** Headers as a plain object with lower-case names (what openapi-fetch copies once into the Request), Headers-like for `authorize`. */
class HeaderRecord {
  // An ordinary object, not Object.create(null): V8 keeps those in dictionary mode, slower to copy. Own
  // properties only are looked at, and `__proto__` (a valid header name) is defined, not assigned.
  readonly values: Record<string, string> = {};
  constructor(init: Readonly<Record<string, string>>) {
    for (const name in init) this.set(name, init[name]!);
  }
  set(name: string, value: string): void {
    const key = name.toLowerCase();
    if (key === "__proto__") Object.defineProperty(this.values, key, { value, enumerable: true, configurable: true, writable: true });
    else this.values[key] = value;
  }
  get(name: string): string | null {
    return this.has(name) ? this.values[name.toLowerCase()]! : null;
  }
  has(name: string): boolean {
    return Object.hasOwn(this.values, name.toLowerCase());
  }
}

/** A helper only some operations need comes with them (as `openStream` does), so other bundles do not carry it. */
function missing(operation: OperationSpec, what: string): never {
  throw new TypeError(`${operation.method} ${operation.path}: the facade passed no ${what} helper (regenerate the client)`);
}

function isStreaming(operation: OperationSpec, body: unknown): boolean {
  if (operation.response === "sse") return true;
  if (!operation.stream) return false;
  const value = typeof body === "object" && body !== null ? (body as Record<string, unknown>)[operation.stream.property] : undefined;
  return value === undefined ? operation.stream.byDefault : value === operation.stream.value;
}

interface ParamParts {
  query: Record<string, unknown>;
  header: Record<string, unknown> | undefined;
  cookie: Record<string, unknown> | undefined;
  body: unknown;
}

function splitParams(operation: OperationSpec, params: Params): ParamParts {
  if (operation.params === "split") {
    const { query = {}, header, cookie, body } = (params ?? {}) as Partial<ParamParts> & Record<string, never>;
    return { query: { ...query }, header, cookie, body };
  }
  const query: Record<string, unknown> = {};
  let header: Record<string, unknown> | undefined;
  let cookie: Record<string, unknown> | undefined;
  let body: Record<string, unknown> | undefined;
  for (const name in params) {
    const value = params[name];
    if (operation.query.includes(name)) query[name] = value;
    else if (operation.header.includes(name)) (header ??= {})[name] = value;
    else if (operation.cookie?.includes(name)) (cookie ??= {})[name] = value;
    else if (operation.body !== undefined) (body ??= {})[name] = value;
  }
  return { query, header, cookie, body };
}

const jsonBody: BodyEncoder = (body, mediaType) => ({ body: encodeJson(body), contentType: mediaType ?? "application/json" });

/** The encoded body; sets its Content-Type unless the caller's headers name one. */
function encodeRequestBody(operation: OperationSpec, body: unknown, headers: HeaderRecord): unknown {
  if (operation.body === undefined) return undefined;
  if (body === undefined) {
    if (!operation.bodyRequired || operation.body !== "json") return undefined;
    body = {};
  }
  const encode = operation.encodeBody ?? (operation.body === "json" ? jsonBody : missing(operation, `${operation.body} body`));
  // A wildcard (`image/*`) or a multipart type needs a concrete value or a boundary: not ours to invent.
  const mediaType = operation.bodyMediaType;
  const encoded = encode(body, mediaType !== undefined && !mediaType.includes("*") && operation.body !== "multipart" ? mediaType : undefined);
  if (encoded.contentType !== undefined && !headers.has("Content-Type")) headers.set("Content-Type", encoded.contentType);
  return encoded.body;
}
