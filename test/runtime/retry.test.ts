import { describe, expect, it } from "vitest";
import {
  createChatflowClient,
  deleteConversation,
  DifyApiError,
  getAppInfo,
  sendChatMessage,
  updateAnnotation,
  type ClientOptions,
} from "../../src/index.js";
import { createContext } from "../../src/runtime/context.js";
import { retryAfterMs } from "../../src/runtime/retry.js";
import { send } from "../../src/runtime/transport.js";
import { connectionFailure, json, noContent, recordedConfig, recordFetch, recordSleeps, streamingChatRequest, type Recorded } from "./fetch-recorder.js";
import { rejection } from "../support/rejection.js";

const apiKey = "app-test-SECRET-7d41a0";
const baseUrl = "https://dify.example.test/v1";
// Blocking mode: a plain POST answered with JSON (streams are never re-sent, so they are tested apart).
const chat = { query: "hi", user: "u", inputs: {}, response_mode: "blocking" as const };
const status = (code: number, headers: Record<string, string> = {}) => json(code, { code: "x", message: `status ${code}`, status: code }, headers);
const ok = json(200, { answer: "hello" });

/** A config whose retry clock records waits instead of waiting: standalone functions take it first. */
function setup(recorded: Recorded, options: Omit<ClientOptions, "apiKey" | "fetch"> = {}, clock = recordSleeps()) {
  return recordedConfig(recorded, { apiKey, baseUrl, ...options }, clock);
}

describe("which failures are retried", () => {
  it("sends a POST answered 500 exactly once", async () => {
    const recorded = recordFetch(status(500));
    const { config, sleeps } = setup(recorded);
    const error = await rejection(sendChatMessage(config, chat));
    expect(error).toBeInstanceOf(DifyApiError);
    expect((error as DifyApiError).status).toBe(500);
    expect(recorded.calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("resolves a DELETE answered 503, 503, 204 on the third call, backing off 0.5 s then 1 s", async () => {
    const recorded = recordFetch(status(503), status(503), noContent());
    const { config, sleeps } = setup(recorded);
    await expect(deleteConversation(config, "c1", { user: "u" })).resolves.toBeUndefined();
    expect(recorded.calls.map((r) => r.method)).toEqual(["DELETE", "DELETE", "DELETE"]);
    expect(sleeps).toEqual([500, 1000]);
  });

  it("rejects with the last response once retries are used up", async () => {
    const recorded = recordFetch(status(502), status(503), status(504));
    const { config } = setup(recorded);
    const error = await rejection(deleteConversation(config, "c1", { user: "u" }));
    expect((error as DifyApiError).status).toBe(504);
    expect(recorded.calls).toHaveLength(3);
  });

  it.each([
    ["POST 429", 429],
    ["POST 408", 408],
  ])("retries a %s: the server did not act on it", async (_name, code) => {
    const recorded = recordFetch(status(code), ok);
    const { config } = setup(recorded);
    await expect(sendChatMessage(config, chat)).resolves.toEqual({ answer: "hello" });
    expect(recorded.calls).toHaveLength(2);
  });

  it.each([
    ["POST 409", 409],
    ["POST 502", 502],
    ["POST 503", 503],
  ])("does not retry a %s: the server may have acted on it", async (_name, code) => {
    const recorded = recordFetch(status(code), ok);
    const { config } = setup(recorded);
    await expect(sendChatMessage(config, chat)).rejects.toBeInstanceOf(DifyApiError);
    expect(recorded.calls).toHaveLength(1);
  });

  it.each([
    ["PUT 409", 409],
    ["PUT 500", 500],
    ["PUT 522 (Cloudflare)", 522],
  ])("retries an idempotent %s", async (_name, code) => {
    const recorded = recordFetch(status(code), json(200, { id: "a1" }));
    const { config } = setup(recorded);
    await expect(updateAnnotation(config, "a1", { question: "q", answer: "a" })).resolves.toEqual({ id: "a1" });
    expect(recorded.calls).toHaveLength(2);
  });

  it.each([400, 401, 404, 422, 501, 505])("never retries a GET answered %i", async (code) => {
    const recorded = recordFetch(status(code), ok);
    const { config } = setup(recorded);
    await expect(getAppInfo(config)).rejects.toBeInstanceOf(DifyApiError);
    expect(recorded.calls).toHaveLength(1);
  });

  it("re-sends the same body on every attempt", async () => {
    const recorded = recordFetch(status(429), status(429), ok);
    const { config } = setup(recorded);
    await sendChatMessage(config, chat);
    const bodies = await Promise.all(recorded.calls.map((request) => request.json()));
    expect(bodies).toEqual([chat, chat, chat]);
  });
});

describe("connection failures", () => {
  it("retries a POST whose connection was refused: it never reached the server", async () => {
    const recorded = recordFetch(connectionFailure("ECONNREFUSED"), ok);
    const { config } = setup(recorded);
    await expect(sendChatMessage(config, chat)).resolves.toEqual({ answer: "hello" });
    expect(recorded.calls).toHaveLength(2);
  });

  it("retries a POST refused on every address Node tried (AggregateError)", async () => {
    const refused = (address: string) => Object.assign(new Error(`connect ECONNREFUSED ${address}`), { code: "ECONNREFUSED" });
    const recorded = recordFetch(() => {
      throw new TypeError("fetch failed", { cause: new AggregateError([refused("::1:443"), refused("127.0.0.1:443")]) });
    }, ok);
    const { config } = setup(recorded);
    await sendChatMessage(config, chat);
    expect(recorded.calls).toHaveLength(2);
  });

  it.each(["ECONNRESET", "UND_ERR_SOCKET", "EPIPE"])("does not retry a POST that failed with %s: it may have been received", async (code) => {
    const recorded = recordFetch(connectionFailure(code), ok);
    const { config } = setup(recorded);
    const error = await rejection(sendChatMessage(config, chat));
    expect(error).toMatchObject({ name: "ConnectionError", attempts: 1, operation: "POST /chat-messages" });
    expect((error as Error).message).toContain(code);
    expect(((error as Error).cause as Error).message).toBe("fetch failed");
    expect(recorded.calls).toHaveLength(1);
  });

  it("retries a DELETE after any connection failure, then reports the last one", async () => {
    const recorded = recordFetch(connectionFailure("ECONNRESET"));
    const { config, sleeps } = setup(recorded);
    const error = await rejection(deleteConversation(config, "c1", { user: "u" }));
    expect(error).toMatchObject({ name: "ConnectionError", attempts: 3 });
    expect(recorded.calls).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
  });
});

describe("how long to wait", () => {
  const now = Date.UTC(2025, 0, 1, 12, 0, 0);
  const httpDate = (offsetMs: number) => new Date(now + offsetMs).toUTCString();

  it.each([
    ["Retry-After in seconds", { "retry-after": "2" }, 2000],
    ["Retry-After as an HTTP date", { "retry-after": httpDate(5000) }, 5000],
    ["retry-after-ms, preferred over Retry-After", { "retry-after-ms": "150", "retry-after": "9" }, 150],
    ["Retry-After seconds beyond the cap", { "retry-after": "3600" }, 60_000],
    ["Retry-After date beyond the cap", { "retry-after": httpDate(3_600_000) }, 60_000],
    ["Retry-After date in the past", { "retry-after": httpDate(-5000) }, 0],
    ["an unreadable Retry-After: backoff instead", { "retry-after": "soon" }, 500],
    ["no Retry-After: backoff", {}, 500],
  ])("obeys %s", async (_name, headers, want) => {
    const recorded = recordFetch(status(429, headers), ok);
    const { config, sleeps } = setup(recorded, {}, recordSleeps({ now }));
    await sendChatMessage(config, chat);
    expect(sleeps).toEqual([want]);
  });

  it("backs off exponentially up to 8 s, up to 25% shorter at random", async () => {
    const fiveHundreds = recordFetch(status(500));
    const exact = setup(fiveHundreds, { maxRetries: 6 }, recordSleeps({ random: 0 }));
    await rejection(getAppInfo(exact.config));
    expect(exact.sleeps).toEqual([500, 1000, 2000, 4000, 8000, 8000]);

    const jittered = setup(recordFetch(status(500)), { maxRetries: 2 }, recordSleeps({ random: 0.999 }));
    await rejection(getAppInfo(jittered.config));
    expect(jittered.sleeps[0]).toBeCloseTo(375, 0);
    expect(jittered.sleeps[1]).toBeCloseTo(750, 0);
  });

  it("reads Retry-After as documented", () => {
    const headers = (init: Record<string, string>) => new Headers(init);
    expect(retryAfterMs(headers({ "retry-after": " 7 " }), now)).toBe(7000);
    expect(retryAfterMs(headers({ "retry-after": "-1" }), now)).toBeUndefined();
    expect(retryAfterMs(headers({ "retry-after-ms": "abc", "retry-after": "1" }), now)).toBe(1000);
    expect(retryAfterMs(headers({}), now)).toBeUndefined();
  });
});

describe("retry settings", () => {
  it("maxRetries: 0 on the client disables retries", async () => {
    const recorded = recordFetch(status(503), noContent());
    const { config } = setup(recorded, { maxRetries: 0 });
    await expect(deleteConversation(config, "c1", { user: "u" })).rejects.toBeInstanceOf(DifyApiError);
    expect(recorded.calls).toHaveLength(1);
  });

  it("a call's maxRetries overrides the client's, both ways", async () => {
    const more = recordFetch(status(503));
    await rejection(deleteConversation(setup(more, { maxRetries: 0 }).config, "c1", { user: "u" }, { maxRetries: 3 }));
    expect(more.calls).toHaveLength(4);

    const none = recordFetch(status(503));
    await rejection(deleteConversation(setup(none).config, "c1", { user: "u" }, { maxRetries: 0 }));
    expect(none.calls).toHaveLength(1);
  });

  it("sends a streaming chat message exactly once, even on 429", async () => {
    const recorded = recordFetch(status(429, { "retry-after": "1" }), ok);
    const { config } = setup(recorded);
    const error = await rejection(sendChatMessage(config, { query: "hi", user: "u", inputs: {}, response_mode: "streaming" }));
    expect((error as DifyApiError).status).toBe(429);
    expect(recorded.calls).toHaveLength(1);
  });

  it("sends a request marked retryable: false exactly once, even on 429", async () => {
    const recorded = recordFetch(status(429, { "retry-after": "1" }), ok);
    const context = { ...createContext({ apiKey, fetch: recorded.fetch }, { baseUrl }), timing: recordSleeps().timing };
    const request = streamingChatRequest({ maxRetries: 5 });
    const { response } = await send(context, request);
    expect(response.status).toBe(429);
    expect(recorded.calls).toHaveLength(1);
  });

  it.each([
    ["maxRetries: -1", { maxRetries: -1 }, /maxRetries/],
    ["maxRetries: 1.5", { maxRetries: 1.5 }, /maxRetries/],
    ["timeoutMs: 0", { timeoutMs: 0 }, /timeoutMs/],
    ["timeoutMs: NaN", { timeoutMs: Number.NaN }, /timeoutMs/],
  ])("rejects %s on the client and on a call, before sending", async (_name, bad, message) => {
    expect(() => createChatflowClient({ apiKey, ...bad })).toThrow(message);
    const recorded = recordFetch(noContent());
    await expect(deleteConversation(setup(recorded).config, "c1", { user: "u" }, bad)).rejects.toThrow(message);
    expect(recorded.calls).toHaveLength(0);
  });
});

describe("aborting", () => {
  it("an aborted signal sends nothing", async () => {
    const recorded = recordFetch(noContent());
    const controller = new AbortController();
    controller.abort(new Error("user left"));
    const error = await rejection(deleteConversation(setup(recorded).config, "c1", { user: "u" }, { signal: controller.signal }));
    expect(error).toMatchObject({ name: "AbortError", operation: "DELETE /conversations/{conversation_id}" });
    expect((error as Error).cause).toEqual(new Error("user left"));
    expect(recorded.calls).toHaveLength(0);
  });

  it("aborting during the wait before a retry stops it: AbortError, no further attempt", async () => {
    const controller = new AbortController();
    const recorded = recordFetch(status(503));
    const { config, sleeps } = setup(recorded, {}, recordSleeps({ onSleep: () => controller.abort() }));
    const error = await rejection(deleteConversation(config, "c1", { user: "u" }, { signal: controller.signal }));
    expect(error).toMatchObject({ name: "AbortError" });
    expect(recorded.calls).toHaveLength(1);
    expect(sleeps).toHaveLength(1);
  });
});

describe("hooks", () => {
  it("onRequest and onResponse run once per attempt with the attempt's request", async () => {
    const seen: string[] = [];
    const requests: Request[] = [];
    const recorded = recordFetch(status(503), status(503), noContent());
    const { config } = setup(recorded, {
      onRequest: async ({ request, attempt }) => {
        requests.push(request);
        seen.push(`request ${attempt} ${request.method}`);
      },
      onResponse: ({ request, response, attempt }) => {
        expect(request).toBe(requests[attempt - 1]);
        seen.push(`response ${attempt} ${response.status}`);
      },
    });
    await deleteConversation(config, "c1", { user: "u" });
    expect(seen).toEqual(["request 1 DELETE", "response 1 503", "request 2 DELETE", "response 2 503", "request 3 DELETE", "response 3 204"]);
    expect(requests).toEqual(recorded.calls);
  });

  it("an error thrown by a hook fails the call as is, without retries", async () => {
    const recorded = recordFetch(status(503));
    const failure = new Error("hook failed");
    const { config } = setup(recorded, {
      onResponse: () => {
        throw failure;
      },
    });
    await expect(deleteConversation(config, "c1", { user: "u" })).rejects.toBe(failure);
    expect(recorded.calls).toHaveLength(1);
  });

  it("onResponse may read a clone of the body without taking it from the client", async () => {
    const bodies: unknown[] = [];
    const recorded = recordFetch(ok);
    const { config } = setup(recorded, { onResponse: async ({ response }) => void bodies.push(await response.clone().json()) });
    await expect(sendChatMessage(config, chat)).resolves.toEqual({ answer: "hello" });
    expect(bodies).toEqual([{ answer: "hello" }]);
  });
});
