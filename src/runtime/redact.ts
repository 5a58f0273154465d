/**
 * The API key must never reach an error: a server or proxy that echoes the
 * Authorization header gets its echo redacted before anything stores it.
 */
import type { ClientContext } from "./context.js";

export function redactHeaders(headers: Headers, context: ClientContext): Headers {
  const copy = new Headers();
  headers.forEach((value, name) => copy.append(name, context.redact(value)));
  return copy;
}

export function redactDeep(value: unknown, context: ClientContext): unknown {
  if (typeof value === "string") return context.redact(value);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, context));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [context.redact(k), redactDeep(v, context)]));
  }
  return value;
}
