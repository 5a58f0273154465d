/**
 * Turning a call's arguments into request parts, before the first attempt:
 * a caller's mistake (a missing path parameter, a BigInt in a JSON body, a
 * lone surrogate in an id) is a `TypeError` naming the argument, thrown at
 * once with nothing sent, never a "connection failure" that is retried.
 */

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
}

/**
 * Encodes one kind of request body; `mediaType` is the spec's request media type
 * (`application/merge-patch+json`, `text/csv`, …) when it is a concrete one, sent as Content-Type.
 * JSON is the call path's own; the others (body-encoders.ts) come with the operations that need them.
 */
export type BodyEncoder = (body: unknown, mediaType: string | undefined) => EncodedBody;

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

/** What a wrong value is, without quoting it (it may be long, or secret). */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number") return String(value);
  const type = typeof value;
  return type === "object" ? `an object (${Object.prototype.toString.call(value).slice(8, -1)})` : `${/^[aeiou]/.test(type) ? "an" : "a"} ${type}`;
}

/** `a=1; b=x%20y` (OpenAPI's cookie default, `form`: values percent-encoded, arrays comma-joined); undefined when none is set. */
export function cookieHeader(cookie: Record<string, unknown>): string | undefined {
  const pairs: string[] = [];
  for (const [name, value] of Object.entries(cookie)) {
    if (value === undefined || value === null) continue;
    if (typeof value === "object" && !Array.isArray(value)) throw new TypeError(`cookie parameter ${name} must be a string, a number, a boolean or an array of them`);
    const text = Array.isArray(value) ? value.map((item) => encodeURIComponent(String(item))).join(",") : encodeURIComponent(String(value));
    pairs.push(`${name}=${text}`);
  }
  return pairs.length === 0 ? undefined : pairs.join("; ");
}
