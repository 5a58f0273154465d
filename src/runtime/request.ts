/**
 * The escape hatch: `client.request(method, path, params)` for an operation a
 * client does not expose, or one the spec does not document yet, with the
 * client's auth, retries, timeouts, errors and redaction. Typed against the
 * spec's `paths` where the path is in it (as openapi-fetch's `client.GET`).
 */
import type { ApiPromise } from "./api-promise.js";
import { BODY_ENCODERS } from "./body-encoders.js";
import { callOperation } from "./call.js";
import type { ClientContext } from "./context.js";
import { UNDESCRIBED_RESPONSE, type HttpMethod, type OperationSpec } from "./operation.js";
import type { RequestOptions } from "./options.js";

/** `{ path, query, header, body }` of one call; a FormData, Blob or string body is sent as it is. */
export interface RawRequestParams {
  path?: Record<string, string | number>;
  query?: Record<string, unknown>;
  header?: Record<string, string>;
  body?: unknown;
}

type Lower<M extends HttpMethod> = Lowercase<M>;
type OperationOf<Paths, P extends keyof Paths, M extends HttpMethod> = Paths[P] extends Record<Lower<M>, infer Op> ? Op : never;
type Defined<T> = Exclude<T, undefined>;
type ParametersOf<Op> = Op extends { parameters: infer P } ? P : {};
type Part<P, K extends string> = K extends keyof P ? ([Defined<P[K]>] extends [never] ? {} : undefined extends P[K] ? { [_ in K]?: Defined<P[K]> } : { [_ in K]: P[K] }) : {};
type BodyOf<Op> = Op extends { requestBody?: infer B } ? (Defined<B> extends { content: infer C } ? C[keyof C] : never) : never;
type BodyPart<Op> = [BodyOf<Op>] extends [never] ? {} : Op extends { requestBody: unknown } ? { body: BodyOf<Op> } : { body?: BodyOf<Op> };
/** What `request(method, path, …)` takes for a documented operation: its path, query and header parameters and body. */
export type RequestParamsOf<Op> = Part<ParametersOf<Op>, "path"> & Part<ParametersOf<Op>, "query"> & Part<ParametersOf<Op>, "header"> & BodyPart<Op>;
type SuccessOf<Op> = Op extends { responses: infer R } ? R[Extract<keyof R, 200 | 201 | 202 | 203 | 204 | 206 | "2XX">] : never;
/** What it resolves with: the 2xx responses' content (JSON or text), undefined for no content. */
export type RequestResultOf<Op> = SuccessOf<Op> extends infer S ? (S extends { content: infer C } ? C[keyof C] : undefined) : never;
/** Paths of `Paths` that have an operation for `M`. */
export type PathsWith<Paths, M extends HttpMethod> = { [P in keyof Paths]: Paths[P] extends Record<Lower<M>, unknown> ? (Paths[P][Lower<M> & keyof Paths[P]] extends undefined ? never : P) : never }[keyof Paths] & string;

/** The typed escape hatch a facade class exposes (its `request` method). */
export interface RequestMethod<Paths> {
  <M extends HttpMethod, P extends PathsWith<Paths, M>>(method: M, path: P, params?: RequestParamsOf<OperationOf<Paths, P, M>>, options?: RequestOptions): ApiPromise<RequestResultOf<OperationOf<Paths, P, M>>>;
  /** A path the spec does not document (yet): untyped params and result. A documented path must match the signature above. */
  <P extends string>(method: HttpMethod, path: P & (P extends keyof Paths ? never : unknown), params?: RawRequestParams, options?: RequestOptions): ApiPromise<unknown>;
}

const METHODS: ReadonlySet<string> = new Set(["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"]);

/** Sends one request through the client's call path; the response is read by its Content-Type (JSON, else text; nothing for no content). */
export function sendRequest(context: ClientContext, method: HttpMethod, path: string, params: RawRequestParams = {}, options?: RequestOptions): ApiPromise<unknown> {
  if (!METHODS.has(method)) throw new TypeError(`method must be one of ${[...METHODS].join(", ")}, got ${JSON.stringify(method)}`);
  if (typeof path !== "string" || !path.startsWith("/")) throw new TypeError(`path must start with "/", got ${JSON.stringify(path)}`);
  const body = params.body;
  const encoding: OperationSpec["body"] = body === undefined ? undefined : body instanceof FormData ? "multipart" : body instanceof Blob || body instanceof ArrayBuffer || ArrayBuffer.isView(body) ? "binary" : typeof body === "string" ? "text" : "json";
  const operation: OperationSpec = {
    method,
    path,
    query: Object.keys(params.query ?? {}),
    header: Object.keys(params.header ?? {}),
    ...(encoding && { body: encoding }),
    ...(encoding && encoding !== "json" && { encodeBody: BODY_ENCODERS[encoding] }),
    params: "split",
    ...UNDESCRIBED_RESPONSE,
  };
  // FormData is already encoded; the call path encodes everything else by its kind.
  return callOperation(context, operation, params.path ?? {}, { query: params.query, header: params.header, body } as Record<string, unknown>, options);
}
