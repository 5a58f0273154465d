/**
 * The wire description of one operation, emitted by the generator next to
 * each facade function: everything the runtime needs to turn the facade's
 * arguments into an HTTP request and the response into a result.
 */
import type { BodyEncoder } from "./encode.js";

export type HttpMethod = "GET" | "PUT" | "POST" | "DELETE" | "OPTIONS" | "HEAD" | "PATCH" | "TRACE";

/** How the request body is encoded. */
export type BodyEncoding = "json" | "multipart" | "form" | "binary" | "text";

/** How a successful response is read. */
export type ResponseKind = "json" | "void" | "blob" | "text" | "sse";

export interface OperationSpec {
  readonly method: HttpMethod;
  /** Path template as in the spec, e.g. `/conversations/{conversation_id}`. */
  readonly path: string;
  /** Names of the query parameters, so a merged params object can be split. */
  readonly query: readonly string[];
  /** Query parameters whose serialization differs from OpenAPI's default (`form`, exploded). */
  readonly queryStyles?: Readonly<Record<string, QueryStyle>>;
  /** Names of the header parameters. */
  readonly header: readonly string[];
  /** Names of the cookie parameters, sent in one `Cookie` header (servers only: browsers forbid it). */
  readonly cookie?: readonly string[];
  /** Serializes the cookie parameters (encode.ts `cookieHeader`); passed with `cookie`, for the same reason as `encodeBody`. */
  readonly cookieHeader?: (cookie: Record<string, unknown>) => string | undefined;
  readonly body?: BodyEncoding;
  /**
   * The spec's request media type (`application/merge-patch+json`, `text/csv`, …), sent as
   * Content-Type for json, text, form and binary bodies; absent: the encoding's usual type.
   * Multipart bodies always let FormData set the type and its boundary.
   */
  readonly bodyMediaType?: string;
  /**
   * How a body other than JSON is encoded (body-encoders.ts: `textBody`, `formBody`, `multipartBody`,
   * `binaryBody`): passed by the operations that send one, so JSON-only bundles carry none of them.
   */
  readonly encodeBody?: BodyEncoder;
  /** Send `{}` when the body is required and the caller gave no body property. */
  readonly bodyRequired?: boolean;
  /**
   * `merged`: params is one object holding query, header and body properties.
   * `split`: params is `{ query, header, body }` (a query and a body property
   * share a name, or the body is not an object).
   */
  readonly params: "merged" | "split";
  readonly response: ResponseKind;
  /**
   * The 2xx media types, when the spec declares more than one (JSON and text, say): the
   * response's actual Content-Type then decides how it is read.
   */
  readonly responseMediaTypes?: readonly string[];
  /** `text`: the spec types the stream's data as plain text, so each event is yielded as its data string. */
  readonly eventData?: "text";
  /**
   * Names of the events that end the stream normally (`["message_end"]`, or
   * `["workflow_finished", "workflow_paused"]`). A stream that ends before one
   * of them or an `error` event throws StreamIncompleteError.
   */
  readonly terminalEvents?: readonly string[];
  /**
   * The response is an event stream when the body property `property` equals
   * `value` (Dify: `response_mode: "streaming"`); `byDefault` when the
   * property is absent. Operations whose response is always a stream use
   * `response: "sse"` instead.
   */
  readonly stream?: { readonly property: string; readonly value: string; readonly byDefault: boolean };
  /** How the list is paged (overlay extension `x-codegen-pagination`); the call then also iterates every item. */
  readonly pagination?: Pagination;
  /**
   * A dropped stream continues through this operation instead of failing (overlay extension
   * `x-codegen-stream-resume`); read by resume.ts, which only such operations' facades bundle.
   */
  readonly resume?: ResumeSpec;
}

/**
 * How a list operation is paged. `cursor`: the next request sets `param` to a field of
 * the page's last (or first) item; `page`: it sets `param` to the next page number.
 * Either way the pages end at an empty one, at `hasMore` not true, or at `totalPages`.
 */
export interface Pagination {
  readonly style: "cursor" | "page";
  /** The query parameter the next request sets: `last_id`, `page`. */
  readonly param: string;
  /** The response property holding the page's items: `data`. */
  readonly items: string;
  /** The response property that is true while more pages follow: `has_more`. */
  readonly hasMore?: string;
  /** `page` style: the response property holding the number of pages. */
  readonly totalPages?: string;
  /** `cursor` style: which item's field is the next cursor (`first`: paging back in time); default `last`. */
  readonly cursorFrom?: "first" | "last";
  /** `cursor` style: the item's field that is the cursor; default `id`. */
  readonly cursorField?: string;
}

/** How a dropped stream continues: Dify's `GET /workflow/{workflow_run_id}/events?user=…`. */
export interface ResumeSpec {
  readonly method: HttpMethod;
  readonly path: string;
  /** The resume operation's path parameter that takes the run id. */
  readonly pathParam: string;
  /** The top-level event property that carries the run id. */
  readonly runId: string;
  /** Values of the original request (body or query) sent again as query parameters of the same name. */
  readonly query: readonly string[];
  /** The resume operation's own terminal events (a run that finished while disconnected answers only its last one). */
  readonly terminalEvents?: readonly string[];
}

/** An OpenAPI query parameter's `style` and `explode`. */
export interface QueryStyle {
  readonly style: "form" | "spaceDelimited" | "pipeDelimited" | "deepObject";
  readonly explode: boolean;
}

/** The public description of an operation, as listed in the generated `…Operations` index. */
export interface OperationInfo {
  readonly method: HttpMethod;
  readonly path: string;
  readonly operationId: string | undefined;
}

/** How a response nothing describes is read (an operation without responses, the escape hatch): JSON when it says so, else text. */
export const UNDESCRIBED_RESPONSE = { response: "text", responseMediaTypes: ["application/json", "text/plain"] } as const satisfies Pick<OperationSpec, "response" | "responseMediaTypes">;
