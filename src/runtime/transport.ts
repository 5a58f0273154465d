/**
 * The only module that knows openapi-fetch (in maintenance mode upstream):
 * replacing it means rewriting this file alone. Retries, timeouts and hooks
 * live in retry.ts, as the `fetch` openapi-fetch calls.
 */
import createClient, { serializeArrayParam, serializeObjectParam, serializePrimitiveParam, type Client } from "openapi-fetch";
import type { ClientContext } from "./context.js";
import type { HttpMethod, QueryStyle } from "./operation.js";
import { checkMaxRetries, checkTimeoutMs } from "./options.js";
import { withRetries } from "./retry.js";

export interface WireRequest {
  method: HttpMethod;
  path: string;
  pathParams: Record<string, unknown>;
  query: Record<string, unknown>;
  /** Query parameters the spec serializes other than `form`, exploded (OpenAPI's default). */
  queryStyles?: Readonly<Record<string, QueryStyle>> | undefined;
  headers: Headers;
  /** Already encoded (`FormData`, `Blob`, string), or a value to send as JSON. */
  body: unknown;
  signal: AbortSignal | undefined;
  /** Per-call overrides of the client's settings. */
  timeoutMs: number | undefined;
  maxRetries: number | undefined;
  /** false for requests that must never be sent twice whatever the failure (streams). */
  retryable: boolean;
  /** `stream`: the per-attempt timeout ends when the headers arrive, so a long stream is not cut. */
  parseAs: "json" | "text" | "blob" | "stream";
}

export interface WireResponse {
  response: Response;
  /** The parsed body of a 2xx response. */
  data: unknown;
  /** The parsed (JSON) or raw (text) body of a non-2xx response. */
  error: unknown;
}

// One openapi-fetch client per context, created on first use. Each request brings its own fetch (below).
const clients = new WeakMap<ClientContext, Client<Record<string, never>>>();

function clientFor(context: ClientContext): Client<Record<string, never>> {
  let client = clients.get(context);
  if (!client) {
    client = createClient({ baseUrl: context.baseUrl, pathSerializer: serializePath });
    clients.set(context, client);
  }
  return client;
}

/**
 * Sends one operation call. Rejects with ConnectionError, TimeoutError or
 * AbortError when no usable response came; any HTTP status resolves.
 */
export async function send(context: ClientContext, request: WireRequest): Promise<WireResponse> {
  const settings = {
    fetch: context.fetch,
    operation: `${request.method} ${request.path}`,
    method: request.method,
    // The context's own values were checked when it was made; only per-call overrides are new.
    timeoutMs: request.timeoutMs === undefined ? context.timeoutMs : checkTimeoutMs(request.timeoutMs),
    maxRetries: request.maxRetries === undefined ? context.maxRetries : checkMaxRetries(request.maxRetries),
    retryable: request.retryable,
    stream: request.parseAs === "stream",
    signal: request.signal,
    onRequest: context.onRequest,
    onResponse: context.onResponse,
    timing: context.timing,
    redact: (text: string) => context.redact(text),
  };
  const client = clientFor(context);
  return withRetries(settings, async (signal, fetch) => {
    // openapi-fetch's generics describe a typed schema; the runtime is untyped by design.
    const init = {
      params: { path: request.pathParams, query: request.query },
      headers: request.headers,
      body: request.body,
      signal,
      parseAs: request.parseAs,
      bodySerializer: serializeBody,
      querySerializer: (query: Record<string, unknown>) => serializeQuery(query, request.queryStyles),
      fetch,
    } as never;
    const result = (await client.request(request.method.toLowerCase() as never, request.path as never, init)) as WireResponse;
    return { response: result.response, data: result.data, error: result.error };
  });
}

/**
 * Each parameter as its spec says (OpenAPI 3 §4.8.12.4 style values), default `form` + explode:
 * `ids=1&ids=2` for arrays, `a=1&b=2` for objects (openapi-fetch alone would use deepObject).
 */
function serializeQuery(query: Record<string, unknown>, styles: Readonly<Record<string, QueryStyle>> | undefined): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    const { style = "form", explode = true } = styles?.[name] ?? {};
    // A style that does not fit the value's shape (deepObject for an array, …) falls back to form.
    if (Array.isArray(value)) {
      if (value.length > 0) parts.push(serializeArrayParam(name, value, { style: style === "deepObject" ? "form" : style, explode }));
    } else if (typeof value === "object") {
      const objectStyle = style === "deepObject" ? "deepObject" : "form";
      parts.push(serializeObjectParam(name, value as Record<string, unknown>, { style: objectStyle, explode }));
    } else {
      parts.push(serializePrimitiveParam(name, String(value)));
    }
  }
  return parts.filter(Boolean).join("&");
}

/** Encoded bodies pass through; anything else is JSON. */
function serializeBody(body: unknown): BodyInit {
  if (typeof body === "string" || body instanceof FormData || body instanceof Blob || body instanceof URLSearchParams) {
    return body;
  }
  return JSON.stringify(body);
}

/**
 * Each value becomes exactly one path segment: `/` and `?` are percent-encoded
 * (encodeURIComponent), and `.`/`..` are refused because URL parsing would
 * resolve them against the path even when percent-encoded (WHATWG URL, "double-dot segment").
 */
function serializePath(template: string, params: Record<string, unknown>): string {
  return template.replace(/\{([^{}]+)\}/g, (match, name: string) => {
    const value = params[name];
    if (value === undefined || value === null) return match;
    const text = String(value);
    if (text === "" || text === "." || text === "..") {
      throw new TypeError(`path parameter ${name} must not be ${JSON.stringify(text)}: it cannot be sent as a path segment`);
    }
    return encodeURIComponent(text);
  });
}
