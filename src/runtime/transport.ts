/**
 * The only module that knows openapi-fetch (in maintenance mode upstream):
 * replacing it means rewriting this file alone. Retries, timeouts and hooks
 * live in retry.ts, as the `fetch` openapi-fetch calls.
 */
import createClient, { serializeArrayParam, serializeObjectParam, serializePrimitiveParam, type Client } from "openapi-fetch";
import type { ClientContext } from "./context.js";
import type { HttpMethod, QueryStyle } from "./operation.js";
import { checkMaxRetries, checkTimeoutMs } from "./options.js";
import { encodeJson, encodePath, encodeUriPart } from "./encode.js";
import { ResponseParseError, summarizeText } from "./errors.js";
import { lazySignalRequest, withRetries } from "./retry.js";

export interface WireRequest {
  method: HttpMethod;
  path: string;
  pathParams: Record<string, unknown>;
  query: Record<string, unknown>;
  /** Query parameters the spec serializes other than `form`, exploded (OpenAPI's default). */
  queryStyles?: Readonly<Record<string, QueryStyle>> | undefined;
  /** A plain object (lower-case names, as call.ts builds it) or Headers; the transport sends it as it is. */
  headers: Headers | Readonly<Record<string, string>> | undefined;
  /** Already encoded (`FormData`, `Blob`, string, buffer, ReadableStream), or a value to send as JSON. */
  body: unknown;
  signal: AbortSignal | undefined;
  /** Per-call overrides of the client's settings. */
  timeoutMs: number | undefined;
  maxRetries: number | undefined;
  /** false for requests that must never be sent twice whatever the failure (streams, ReadableStream bodies). */
  retryable: boolean;
  /**
   * How a 2xx body is read. `stream`: the per-attempt timeout ends when the headers arrive, so a long
   * stream is not cut. `void`: the body is ignored.
   */
  parseAs: "json" | "text" | "blob" | "stream" | "void";
  /**
   * Media types of the operation's 2xx responses, when it declares several: the response's actual
   * Content-Type then picks JSON, text or blob, instead of `parseAs`.
   */
  responseMediaTypes?: readonly string[] | undefined;
}

export interface WireResponse {
  response: Response;
  /** The parsed body of a 2xx response. */
  data: unknown;
  /** The parsed (JSON) or raw (text) body of a non-2xx response. */
  error: unknown;
}

// One openapi-fetch client per context, created on first use. Each request brings its own fetch (below);
// the path arrives encoded and with its query, and the body encoded, so the client's serializers pass them on.
const clients = new WeakMap<ClientContext, Client<Record<string, never>>>();

function clientFor(context: ClientContext): Client<Record<string, never>> {
  let client = clients.get(context);
  if (!client) {
    client = createClient({
      baseUrl: context.baseUrl,
      querySerializer: () => "",
      bodySerializer: (encoded: unknown) => encoded,
      // The default fetch gets each attempt's signal through the Request (retry.ts withSignal).
      ...(context.lazySignal && { Request: lazySignalRequest() }),
    });
    clients.set(context, client);
  }
  return client;
}

/**
 * Sends one operation call. Arguments are checked and encoded first (a bad one
 * is a TypeError, nothing sent). Rejects with ConnectionError, TimeoutError or
 * AbortError when no usable response came, ResponseParseError when a 2xx body
 * is not what was declared; any HTTP status resolves.
 */
export async function send(context: ClientContext, request: WireRequest): Promise<WireResponse> {
  const { method, parseAs } = request;
  const operation = `${method} ${request.path}`;
  // Everything that can fail on the caller's arguments happens here, once, outside the attempts.
  const query = serializeQuery(request.query, request.queryStyles);
  const url = encodePath(request.path, request.pathParams) + (query ? `?${query}` : "");
  const body = request.body === undefined || isEncoded(request.body) ? request.body : encodeJson(request.body);
  const oneShot = body instanceof ReadableStream;
  const stream = parseAs === "stream";
  const client = clientFor(context);
  const lowerMethod = method.toLowerCase() as never;
  const result = await withRetries(
    {
      fetch: context.fetch,
      lazySignal: context.lazySignal,
      operation,
      method,
      // The context's own values were checked when it was made; only per-call overrides are new.
      timeoutMs: request.timeoutMs === undefined ? context.timeoutMs : checkTimeoutMs(request.timeoutMs),
      maxRetries: request.maxRetries === undefined ? context.maxRetries : checkMaxRetries(request.maxRetries),
      // A ReadableStream is consumed by the first send: there is nothing to re-send.
      retryable: request.retryable && !oneShot,
      stream,
      signal: request.signal,
      onRequest: context.onRequest,
      onResponse: context.onResponse,
      log: context.log,
      timing: context.timing,
      redact: context.redact,
    },
    async (fetch, signal) => {
      // openapi-fetch's generics describe a typed schema; the runtime is untyped by design.
      // The body is read below, in the attempt (so the timeout covers it) but parsed after it (so a parse error is not a network error).
      const init = { headers: request.headers, body, parseAs: "stream", fetch, signal } as Record<string, unknown>;
      // Node's fetch refuses a stream body without it (the request is sent while the body is read).
      if (oneShot) init["duplex"] = "half";
      const sent = (await client.request(lowerMethod, url as never, init as never)) as WireResponse;
      const { response } = sent;
      if (!response.ok || stream) return sent;
      const kind = bodyKind(request, response);
      // No body (a 204, a HEAD): nothing to await.
      return { response, data: sent.data == null ? { kind, value: undefined } : await readBody(response, kind), error: undefined };
    },
  );
  if (!result.response.ok || stream) return result;
  return { response: result.response, data: parseBody(context, operation, result.response, result.data as RawBody), error: undefined };
}

type BodyKind = "json" | "text" | "blob" | "void";
/** A 2xx body as read in the attempt: text for JSON, so that parsing happens outside the attempt. */
type RawBody = { kind: BodyKind; value: string | Blob | undefined };

function bodyKind(request: WireRequest, response: Response): BodyKind {
  const declared = request.responseMediaTypes;
  if (request.parseAs === "stream") return "void";
  if (!declared || declared.length < 2) return request.parseAs;
  const type = mediaType(response.headers.get("content-type"));
  if (type !== undefined && isJsonType(type)) return "json";
  if (type?.startsWith("text/")) return "text";
  if (type !== undefined && declared.some((d) => mediaType(d) === type)) return "blob";
  return request.parseAs;
}

/** The 2xx body openapi-fetch left unread (it answers `undefined` for a 204, a HEAD or `Content-Length: 0`: see the caller). */
function readBody(response: Response, kind: BodyKind): Promise<RawBody> {
  // Not `async`: one promise less per call.
  switch (kind) {
    case "blob":
      return response.blob().then((value) => ({ kind, value }));
    case "void":
      // Read to the end, so the connection can be reused.
      return response.arrayBuffer().then(() => ({ kind, value: undefined }));
    default:
      return response.text().then((value) => ({ kind, value }));
  }
}

function parseBody(context: ClientContext, operation: string, response: Response, raw: RawBody): unknown {
  const { kind, value } = raw;
  if (kind === "void") return undefined;
  if (kind === "blob") return value ?? new Blob([], { type: response.headers.get("content-type") ?? "" });
  if (kind === "text") return value ?? "";
  const contentType = response.headers.get("content-type") ?? undefined;
  const fail = (problem: string, text?: string) =>
    new ResponseParseError({
      operation,
      status: response.status,
      contentType,
      problem,
      excerpt: text === undefined ? undefined : summarizeText(context.redact(text), response.headers),
    });
  if (typeof value !== "string" || value.trim() === "") throw fail("the response body is empty where the operation declares JSON");
  try {
    return JSON.parse(value);
  } catch {
    // V8's message quotes the text around the error: never shown, it could hold a fragment of the key.
    throw fail("the response body is not the JSON the operation declares", value);
  }
}

function mediaType(header: string | null | undefined): string | undefined {
  const type = header?.split(";")[0]?.trim().toLowerCase();
  return type ? type : undefined;
}

function isJsonType(type: string): boolean {
  return type === "application/json" || type.endsWith("+json");
}

function isEncoded(body: unknown): boolean {
  return (
    typeof body === "string" ||
    body instanceof FormData ||
    body instanceof Blob ||
    body instanceof URLSearchParams ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body) ||
    body instanceof ReadableStream
  );
}

/**
 * Each parameter as its spec says (OpenAPI 3 §4.8.12.4 style values), default `form` + explode:
 * `ids=1&ids=2` for arrays, `a=1&b=2` for objects (openapi-fetch alone would use deepObject).
 */
function serializeQuery(query: Record<string, unknown>, styles: Readonly<Record<string, QueryStyle>> | undefined): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    checkQueryValue(name, value);
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

/** openapi-fetch's serializers call encodeURIComponent, whose URIError names no parameter. */
function checkQueryValue(name: string, value: unknown, depth = 0): void {
  if (typeof value === "string") encodeUriPart(value, `query parameter ${name}`);
  else if (typeof value === "bigint" || typeof value === "symbol" || typeof value === "function") {
    throw new TypeError(`query parameter ${name} cannot be sent in a URL (a ${typeof value})`);
  } else if (typeof value === "object" && value !== null && depth < 2) {
    for (const item of Object.values(value)) checkQueryValue(name, item, depth + 1);
  }
}
