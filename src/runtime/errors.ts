/**
 * Every error the client throws, in one module (the openai-node layout).
 *
 * Errors never hold the request (its Authorization header carries the API
 * key); server-provided text is redacted before it is stored, so a server
 * that echoes the key cannot leak it into logs.
 */

/** Dify's error envelope: `{ "code": "not_found", "message": "...", "status": 404 }`. */
export interface DifyErrorEnvelope {
  code: string;
  message: string;
  status: number;
}

export interface DifyApiErrorInit {
  status: number;
  /** Parsed JSON body, or the raw text when the body is not JSON. */
  body: unknown;
  headers: Headers;
  method: string;
  /** Path template of the operation, e.g. `/conversations/{conversation_id}`. */
  path: string;
}

/** A non-2xx response from the API. */
export class DifyApiError extends Error {
  override readonly name: string = "DifyApiError";
  /** HTTP status of the response. */
  readonly status: number;
  /** Dify's machine-readable error code (`not_found`, `invalid_param`, …), when the body has one. */
  readonly code: string | undefined;
  /** Parsed JSON body, or the raw text when the body is not JSON. */
  readonly body: unknown;
  readonly headers: Headers;
  /** The request id the server or a proxy sent back, for support tickets. */
  readonly requestId: string | undefined;
  /** HTTP method and path template of the failed operation. */
  readonly operation: string;

  constructor(init: DifyApiErrorInit) {
    const { code, message } = describeBody(init.status, init.body, init.headers);
    super(message);
    this.status = init.status;
    this.code = code;
    this.body = init.body;
    this.headers = init.headers;
    this.requestId = init.headers.get("x-request-id") ?? init.headers.get("x-amzn-requestid") ?? undefined;
    this.operation = `${init.method} ${init.path}`;
  }

  /** What `JSON.stringify` and structured loggers see: data only, no stack. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      status: this.status,
      code: this.code,
      message: this.message,
      operation: this.operation,
      requestId: this.requestId,
      body: this.body,
    };
  }
}

/** The body (JSON or text) of a failed response, with the key already redacted. */
function describeBody(status: number, body: unknown, headers: Headers): { code: string | undefined; message: string } {
  if (isRecord(body)) {
    // Dify's envelope first, then RFC 9457 problem details (what Prism and many proxies send).
    const code = typeof body["code"] === "string" ? body["code"] : undefined;
    const text = firstString(body["message"], body["detail"], body["title"], body["error"]);
    // The envelope's message verbatim: it is what Dify documents and what callers match on.
    if (text !== undefined) return { code, message: text };
    return { code, message: `${status} ${statusText(status)}` };
  }
  if (typeof body === "string" && body.trim() !== "") {
    return { code: undefined, message: `${status} ${statusText(status)}: ${summarizeText(body, headers)}` };
  }
  return { code: undefined, message: `${status} ${statusText(status)}` };
}

/** One line from a text body: an HTML page's <title> (a proxy's 502 page), else the text's start. */
function summarizeText(text: string, headers: Headers): string {
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

function statusText(status: number): string {
  return STATUS_TEXT[status] ?? "HTTP error";
}

function firstString(...values: unknown[]): string | undefined {
  return values.find((v): v is string => typeof v === "string" && v !== "");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
