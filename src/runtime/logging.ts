/**
 * Opt-in request logging (`logLevel`, default "silent"): one line per attempt
 * with the method, the URL without query values, status, attempt, duration
 * and request id. Never a header, a body or a query value, so never the key.
 */

export type LogLevel = "silent" | "error" | "warn" | "info" | "debug";

/** Where lines go; `console` by default. Each method takes the line and its fields as data. */
export interface Logger {
  error(message: string, data: Record<string, unknown>): void;
  warn(message: string, data: Record<string, unknown>): void;
  info(message: string, data: Record<string, unknown>): void;
  debug(message: string, data: Record<string, unknown>): void;
}

/** Least to most verbose: a level enables the methods up to its own. */
const LEVELS = ["silent", "error", "warn", "info", "debug"] as const;

/** The logger's methods at or above `level`, others dropped; undefined when silent (nothing to call per request). */
export function levelLogger(level: LogLevel = "silent", logger: Logger = console): Partial<Logger> | undefined {
  const rank = LEVELS.indexOf(level);
  if (rank < 0) throw new TypeError(`logLevel must be one of ${LEVELS.join(", ")}, got ${String(level)}`);
  if (rank === 0) return undefined;
  const enabled: Partial<Logger> = {};
  for (const name of LEVELS.slice(1, rank + 1) as Exclude<LogLevel, "silent">[]) enabled[name] = (message, data) => logger[name](message, data);
  return enabled;
}

/** `https://api.dify.ai/v1/conversations?user=u-1&limit=20` → `https://api.dify.ai/v1/conversations?user&limit`. */
export function loggableUrl(url: string): string {
  const parsed = new URL(url);
  const names = [...new Set([...parsed.searchParams.keys()])];
  parsed.search = "";
  parsed.username = "";
  parsed.password = "";
  return names.length === 0 ? parsed.href : `${parsed.href}?${names.map(encodeURIComponent).join("&")}`;
}

export function requestIdOf(headers: Headers): string | undefined {
  return headers.get("x-request-id") ?? headers.get("x-amzn-requestid") ?? undefined;
}
