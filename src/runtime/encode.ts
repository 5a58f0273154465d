/**
 * Turning a call's arguments into request parts, before the first attempt:
 * a caller's mistake (a missing path parameter, a BigInt in a JSON body, a
 * lone surrogate in an id) is a `TypeError` naming the argument, thrown at
 * once with nothing sent, never a "connection failure" that is retried.
 */
import type { BodyEncoding } from "./operation.js";

/**
 * Each value becomes exactly one path segment: `/` and `?` are percent-encoded
 * (encodeURIComponent), and `.`/`..` are refused because URL parsing would
 * resolve them against the path even when percent-encoded (WHATWG URL, "double-dot segment").
 * Only strings and finite numbers are accepted: `String(undefined)` or `[object Object]` in a
 * URL reaches some other resource.
 */
export function encodePath(template: string, params: Record<string, unknown>): string {
  return template.replace(/\{([^{}]+)\}/g, (_match, name: string) => {
    const value = params[name];
    const isNumber = typeof value === "number" && Number.isFinite(value);
    if (typeof value !== "string" && !isNumber) {
      throw new TypeError(`path parameter ${name} must be a string or a finite number, got ${describeValue(value)}`);
    }
    const text = String(value);
    if (text === "" || text === "." || text === "..") {
      throw new TypeError(`path parameter ${name} must not be ${JSON.stringify(text)}: it cannot be sent as a path segment`);
    }
    return encodeUriPart(text, `path parameter ${name}`);
  });
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** encodeURIComponent, whose URIError ("URI malformed") names nothing. */
export function encodeUriPart(text: string, what: string): string {
  if (LONE_SURROGATE.test(text)) {
    throw new TypeError(`${what} contains a lone surrogate (a broken UTF-16 character) and cannot be sent in a URL`);
  }
  return encodeURIComponent(text);
}

/** Checks a header parameter's value: the Headers TypeError would not say which parameter was wrong. */
export function headerValue(name: string, value: unknown): string {
  if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
    throw new TypeError(`header parameter ${name} must be a string, a number or a boolean, got ${describeValue(value)}`);
  }
  const text = String(value);
  // Fetch's header-value rule: no NUL, CR or LF, and nothing outside Latin-1 (the Headers class throws on them).
  if (/[\0\r\n]|[^\0-\xff]/.test(text)) {
    throw new TypeError(`header parameter ${name} contains a character that cannot be sent in an HTTP header (NUL, CR, LF or beyond U+00FF)`);
  }
  return text;
}

/** A body ready for fetch, and the Content-Type to send with it (undefined: FormData sets its own boundary). */
export interface EncodedBody {
  body: BodyInit | undefined;
  contentType: string | undefined;
  /** A ReadableStream body: it can be read once, so it is sent at most once, and Node's fetch needs `duplex: "half"`. */
  oneShot: boolean;
}

const DEFAULT_MEDIA_TYPE: Readonly<Record<BodyEncoding, string | undefined>> = {
  json: "application/json",
  text: "text/plain",
  form: "application/x-www-form-urlencoded",
  binary: "application/octet-stream",
  multipart: undefined,
};

/**
 * Encodes `body` as `encoding`; `mediaType` is the spec's request media type
 * (`application/merge-patch+json`, `text/csv`, …), sent as Content-Type.
 */
export function encodeBody(encoding: BodyEncoding, body: unknown, mediaType: string | undefined): EncodedBody {
  // A wildcard (`image/*`) or a multipart type needs a concrete value or a boundary: not ours to invent.
  const declared = mediaType !== undefined && !mediaType.includes("*") && encoding !== "multipart" ? mediaType : undefined;
  const contentType = declared ?? DEFAULT_MEDIA_TYPE[encoding];
  switch (encoding) {
    case "json":
      return { body: encodeJson(body), contentType, oneShot: false };
    case "text":
      return { body: String(body), contentType, oneShot: false };
    case "form":
      return { body: toUrlEncoded(body), contentType, oneShot: false };
    case "multipart":
      return { body: toFormData(body), contentType: undefined, oneShot: false };
    case "binary":
      return encodeBinary(body, declared);
  }
}

/** JSON text, or a TypeError saying where in the body the value that JSON cannot hold is. */
export function encodeJson(body: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(body);
  } catch {
    throw new TypeError(`the request body cannot be sent as JSON: ${unencodable(body, "body", new Set()) ?? "JSON.stringify failed"}`);
  }
  if (text === undefined) throw new TypeError(`the request body cannot be sent as JSON: it is ${describeValue(body)}`);
  return text;
}

/** The first place JSON.stringify would throw on: a BigInt or a cycle. */
function unencodable(value: unknown, at: string, ancestors: Set<object>): string | undefined {
  if (typeof value === "bigint") return `${at} is a BigInt (send it as a string or a number)`;
  if (typeof value !== "object" || value === null) return undefined;
  if (ancestors.has(value)) return `${at} refers back to an object that contains it (a circular structure)`;
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return undefined;
  ancestors.add(value);
  try {
    for (const [key, item] of Object.entries(value)) {
      const found = unencodable(item, Array.isArray(value) ? `${at}[${key}]` : `${at}.${key}`, ancestors);
      if (found) return found;
    }
  } finally {
    ancestors.delete(value);
  }
  return undefined;
}

/** `a=1&a=2` for arrays (the spec's default form style, exploded); undefined and null are left out. */
function toUrlEncoded(body: unknown): string {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(asFields(body))) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === undefined || item === null) continue;
      form.append(name, typeof item === "object" ? encodeJson(item) : String(item));
    }
  }
  return form.toString();
}

/** Blobs and Files become file parts; arrays repeat the field; objects are sent as JSON text. */
function toFormData(body: unknown): FormData {
  // Already a form (the escape hatch passes one through).
  if (body instanceof FormData) return body;
  const form = new FormData();
  const append = (name: string, value: unknown) => {
    if (value === undefined || value === null) return;
    if (value instanceof Blob) form.append(name, value, value instanceof File ? value.name : "blob");
    else if (typeof value === "object") form.append(name, encodeJson(value));
    else form.append(name, String(value));
  };
  for (const [name, value] of Object.entries(asFields(body))) {
    if (Array.isArray(value)) value.forEach((item) => append(name, item));
    else append(name, value);
  }
  return form;
}

function asFields(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new TypeError(`the request body must be an object of fields, got ${describeValue(body)}`);
  }
  return body as Record<string, unknown>;
}

function encodeBinary(body: unknown, declared: string | undefined): EncodedBody {
  if (body instanceof Blob) {
    return { body, contentType: declared ?? (body.type || "application/octet-stream"), oneShot: false };
  }
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) {
    return { body: body as BodyInit, contentType: declared ?? "application/octet-stream", oneShot: false };
  }
  if (body instanceof ReadableStream) return { body, contentType: declared ?? "application/octet-stream", oneShot: true };
  throw new TypeError(`the request body must be a Blob, an ArrayBuffer, a typed array or a ReadableStream, got ${describeValue(body)}`);
}

/** What a wrong value is, without quoting it (it may be long, or secret). */
function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number") return String(value);
  const type = typeof value;
  return type === "object" ? `an object (${Object.prototype.toString.call(value).slice(8, -1)})` : `${/^[aeiou]/.test(type) ? "an" : "a"} ${type}`;
}
