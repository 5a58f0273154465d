import { createChatflowConfig, type CheckedClientOptions } from "../../src/index.js";
import type { WireRequest } from "../../src/runtime/transport.js";

/** An injected `fetch` that records every request and answers from a script: no global mocks. */
export interface Recorded {
  calls: Request[];
  fetch: (request: Request) => Promise<Response>;
}

export function recordFetch(...responses: (() => Response)[]): Recorded {
  const calls: Request[] = [];
  return {
    calls,
    fetch: async (request) => {
      calls.push(request);
      const next = responses[Math.min(calls.length, responses.length) - 1];
      if (!next) throw new Error("recordFetch: no response scripted");
      return next();
    },
  };
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}) => () =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

export const noContent = () => () => new Response(null, { status: 204 });

/** What undici throws when the connection fails: `TypeError: fetch failed` with the system error as `cause`. */
export const connectionFailure = (code: string) => (): Response => {
  const cause = Object.assign(new Error(`connect ${code} 127.0.0.1:443`), { code, syscall: "connect" });
  throw new TypeError("fetch failed", { cause });
};

/** A fetch that never answers: it settles only when the request's signal aborts, as a real fetch does. */
export function hangingFetch(): Recorded {
  const calls: Request[] = [];
  return {
    calls,
    fetch: (request) => {
      calls.push(request);
      return new Promise((_resolve, reject) => {
        request.signal.addEventListener("abort", () => reject(request.signal.reason), { once: true });
      });
    },
  };
}

/** An injected retry clock: records every wait instead of waiting, and fixes `now` and the jitter. */
export function recordSleeps(options: { now?: number; random?: number; onSleep?: (ms: number) => void } = {}) {
  const sleeps: number[] = [];
  return {
    sleeps,
    timing: {
      sleep: async (ms: number) => {
        sleeps.push(ms);
        options.onSleep?.(ms);
      },
      now: () => options.now ?? Date.UTC(2025, 0, 1),
      random: () => options.random ?? 0,
    },
  };
}

/** A config for the standalone functions that sends through `recorded` and records waits instead of waiting. */
export function recordedConfig(recorded: Recorded, options: Omit<CheckedClientOptions<string>, "fetch">, clock = recordSleeps()) {
  return { config: { ...createChatflowConfig({ ...options, fetch: recorded.fetch }), timing: clock.timing }, sleeps: clock.sleeps };
}

/** A streaming `POST /chat-messages` as the transport sees it: sent once, read as a stream. */
export function streamingChatRequest(overrides: Partial<WireRequest> = {}): WireRequest {
  return {
    method: "POST",
    path: "/chat-messages",
    pathParams: {},
    query: {},
    headers: new Headers(),
    body: { query: "hi", user: "u", inputs: {}, response_mode: "streaming" },
    signal: undefined,
    timeoutMs: undefined,
    maxRetries: undefined,
    retryable: false,
    parseAs: "stream",
    ...overrides,
  };
}
