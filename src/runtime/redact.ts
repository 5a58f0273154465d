/**
 * The API key must never reach an error: a server or proxy that echoes the
 * Authorization header gets its echo redacted before anything stores it, and
 * so does any fragment of the key long enough to matter (a truncated echo, a
 * parser message that quotes the text around an error).
 */
import type { ClientContext } from "./context.js";

/** Fragments of the key this long or longer are redacted too: shorter ones occur in ordinary text. */
export const MIN_KEY_FRAGMENT = 6;
const REDACTED = "[redacted]";

/** A function that replaces the key, and every run of text made of its MIN_KEY_FRAGMENT-character pieces, with `[redacted]`. */
export function keyRedactor(key: string): (text: string) => string {
  const pieces = new Set<string>();
  for (let i = 0; i + MIN_KEY_FRAGMENT <= key.length; i++) pieces.add(key.slice(i, i + MIN_KEY_FRAGMENT));
  const first = new Set([...pieces].map((piece) => piece.charCodeAt(0)));
  return (text: string) => {
    const whole = text.split(key).join(REDACTED);
    if (pieces.size === 0 || whole.length < MIN_KEY_FRAGMENT) return whole;
    // Mark every character covered by a piece; overlapping pieces cover any longer fragment.
    let covered: Uint8Array | undefined;
    for (let i = 0; i + MIN_KEY_FRAGMENT <= whole.length; i++) {
      if (!first.has(whole.charCodeAt(i)) || !pieces.has(whole.slice(i, i + MIN_KEY_FRAGMENT))) continue;
      (covered ??= new Uint8Array(whole.length)).fill(1, i, i + MIN_KEY_FRAGMENT);
    }
    if (!covered) return whole;
    let out = "";
    for (let i = 0; i < whole.length; i++) {
      if (!covered[i]) out += whole[i];
      else if (i === 0 || !covered[i - 1]) out += REDACTED;
    }
    return out;
  };
}

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

/**
 * A foreign error (a custom fetch's, a signal's reason) to keep as `cause`:
 * itself when nothing in it renders the key, else a copy that keeps only the
 * name, redacted message and stack, the system-error codes (`code`, `errno`,
 * `syscall`) and a cleaned `cause` chain. `util.inspect` shows every own
 * property, so a `headers` or `request` property on the error would show the
 * Authorization header.
 */
export function keyFreeCause(error: unknown, redact: (text: string) => string): unknown {
  return carriesKey(error, redact, new Set(), 0) ? copyWithoutKey(error, redact, 0) : error;
}

const MAX_DEPTH = 6;

function carriesKey(value: unknown, redact: (text: string) => string, seen: Set<object>, depth: number): boolean {
  if (typeof value === "string") return redact(value) !== value;
  if ((typeof value !== "object" && typeof value !== "function") || value === null) return false;
  if (seen.has(value)) return false;
  // Too deep to look through: assume the worst.
  if (depth > MAX_DEPTH) return true;
  seen.add(value);
  const next = (item: unknown) => carriesKey(item, redact, seen, depth + 1);
  if (value instanceof Headers) {
    let found = false;
    value.forEach((item, name) => (found ||= next(item) || next(name)));
    return found;
  }
  if (value instanceof Request || value instanceof Response) return next(value.headers) || next(value.url);
  if (value instanceof Map) return [...value].some(([k, v]) => next(k) || next(v));
  if (value instanceof Set) return [...value].some(next);
  if (value instanceof Error && (next(value.message) || next(value.stack))) return true;
  for (const key of Reflect.ownKeys(value)) {
    if (typeof key === "string" && next(key)) return true;
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (descriptor && "value" in descriptor && next(descriptor.value)) return true;
  }
  return false;
}

function copyWithoutKey(error: unknown, redact: (text: string) => string, depth: number): Error {
  if (!(error instanceof Error)) return new Error(redact(String(error)));
  const cause = depth < MAX_DEPTH && error.cause !== undefined ? { cause: copyWithoutKey(error.cause, redact, depth + 1) } : undefined;
  const copy =
    error instanceof AggregateError
      ? new AggregateError(error.errors.map((item: unknown) => copyWithoutKey(item, redact, depth + 1)), redact(error.message), cause)
      : new Error(redact(error.message), cause);
  Object.defineProperty(copy, "name", { value: redact(error.name), configurable: true, writable: true });
  for (const key of ["code", "errno", "syscall"] as const) {
    const item = (error as unknown as Record<string, unknown>)[key];
    if (typeof item === "string") Object.assign(copy, { [key]: redact(item) });
    else if (typeof item === "number") Object.assign(copy, { [key]: item });
  }
  copy.stack = redact(error.stack ?? `${copy.name}: ${copy.message}`);
  return copy;
}
