/**
 * Timeouts use a tiny real timeoutMs (20 ms) against fetches that settle only
 * when their signal aborts: the outcome never depends on how fast the machine is.
 */
import { describe, expect, it } from "vitest";
import { deleteConversation, getAppInfo, sendChatMessage, type ClientOptions } from "../../src/index.js";
import { createContext } from "../../src/runtime/context.js";
import { TimeoutError } from "../../src/runtime/errors.js";
import { sleep } from "../../src/runtime/retry.js";
import { send } from "../../src/runtime/transport.js";
import { hangingFetch, json, recordedConfig, streamingChatRequest, type Recorded } from "./fetch-recorder.js";
import { rejection } from "../support/rejection.js";

const apiKey = "app-test-SECRET-0be5c9";
const baseUrl = "https://dify.example.test/v1";
const blockingChat = { query: "hi", user: "u", inputs: {}, response_mode: "blocking" as const };

function setup(recorded: Recorded, options: Omit<ClientOptions, "apiKey" | "fetch"> = {}) {
  return recordedConfig(recorded, { apiKey, baseUrl, ...options });
}

describe("per-attempt timeout", () => {
  it("retries a GET that timed out, then throws TimeoutError", async () => {
    const recorded = hangingFetch();
    const { config, sleeps } = setup(recorded, { timeoutMs: 20 });
    const error = await rejection(getAppInfo(config));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ name: "TimeoutError", attempts: 3, timeoutMs: 20, operation: "GET /info" });
    expect(recorded.calls).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
    expect(recorded.calls.every((request) => request.signal.aborted)).toBe(true);
  });

  it("never re-sends a POST that timed out: the server may be working on it", async () => {
    const recorded = hangingFetch();
    const { config } = setup(recorded, { timeoutMs: 20 });
    const error = await rejection(sendChatMessage(config, blockingChat));
    expect(error).toMatchObject({ name: "TimeoutError", attempts: 1 });
    expect(recorded.calls).toHaveLength(1);
  });

  it("takes a call's timeoutMs over the client's", async () => {
    const recorded = hangingFetch();
    const { config } = setup(recorded, { maxRetries: 0 });
    const error = await rejection(deleteConversation(config, "c1", { user: "u" }, { timeoutMs: 20 }));
    expect(error).toMatchObject({ name: "TimeoutError", timeoutMs: 20, attempts: 1 });
  });

  it("times out a fetch that ignores its signal", async () => {
    const calls: Request[] = [];
    const deaf: Recorded = { calls, fetch: (request) => (calls.push(request), new Promise<Response>(() => undefined)) };
    const { config } = setup(deaf, { timeoutMs: 20, maxRetries: 0 });
    await expect(getAppInfo(config)).rejects.toBeInstanceOf(TimeoutError);
  });

  it("counts reading the body: headers in time but a body that never ends still time out", async () => {
    const calls: Request[] = [];
    const stalled: Recorded = {
      calls,
      fetch: async (request) => {
        calls.push(request);
        return new Response(new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode('{"na')) }), { status: 200 });
      },
    };
    const { config } = setup(stalled, { timeoutMs: 20, maxRetries: 1 });
    const error = await rejection(getAppInfo(config));
    expect(error).toMatchObject({ name: "TimeoutError", attempts: 2 });
  });

  it("stops at the headers of a stream, so a long stream is not cut", async () => {
    let body!: ReadableStreamDefaultController<Uint8Array>;
    const calls: Request[] = [];
    const streaming: Recorded = {
      calls,
      fetch: async (request) => {
        calls.push(request);
        return new Response(new ReadableStream<Uint8Array>({ start: (c) => void (body = c) }), { status: 200 });
      },
    };
    const context = createContext({ apiKey, fetch: streaming.fetch, timeoutMs: 20 }, { baseUrl });
    const request = streamingChatRequest();
    const { data } = await send(context, request);
    // Timers fire in deadline order: had the 20 ms timeout still been armed, it would have fired before this one.
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(calls[0]!.signal.aborted).toBe(false);
    body.enqueue(new TextEncoder().encode("data: late\n\n"));
    body.close();
    expect(await new Response(data as ReadableStream).text()).toBe("data: late\n\n");
  });

  it("accepts timeoutMs: Infinity as no limit", async () => {
    const { config } = setup({ calls: [], fetch: async () => json(200, { name: "app" })() }, { timeoutMs: Infinity });
    await expect(getAppInfo(config)).resolves.toEqual({ name: "app" });
  });
});

describe("the caller's signal", () => {
  it("aborting during an attempt throws AbortError and sends nothing more", async () => {
    const controller = new AbortController();
    const recorded = hangingFetch();
    const aborting: Recorded = {
      calls: recorded.calls,
      fetch: (request) => {
        const pending = recorded.fetch(request);
        controller.abort();
        return pending;
      },
    };
    const { config, sleeps } = setup(aborting);
    const error = await rejection(getAppInfo(config, {}, { signal: controller.signal }));
    expect(error).toMatchObject({ name: "AbortError", operation: "GET /info" });
    expect(recorded.calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("the default sleep ends as soon as the signal aborts", async () => {
    const controller = new AbortController();
    const waiting = sleep(600_000, controller.signal);
    controller.abort(new Error("stop"));
    await expect(waiting).rejects.toThrow("stop");
    await expect(sleep(1, undefined)).resolves.toBeUndefined();
    await expect(sleep(1, controller.signal)).rejects.toThrow("stop");
  });
});

/**
 * A loopback server: `/v1/info` answers at once; any other path never, resolving `connectionClosed` when
 * that socket closes (only the client's abort ends the exchange).
 */
async function loopbackServer(): Promise<{ url: string; connectionClosed: Promise<void>; close(): Promise<void> }> {
  const { createServer } = await import("node:http");
  let closed!: () => void;
  const connectionClosed = new Promise<void>((resolve) => (closed = resolve));
  const server = createServer((request, response) => {
    if (request.url === "/v1/info") response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ name: "app" }));
    else request.socket.once("close", closed);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/v1`,
    connectionClosed,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe("a timed-out request is aborted on the wire, not left to finish", () => {
  it.each([
    ["the default fetch", undefined],
    // An app's wrapper that hands the Request on unchanged: the signal must be part of the Request itself.
    ["a fetch that passes the Request on", (request: Request) => globalThis.fetch(request)],
  ])("with %s", async (_, fetch) => {
    const server = await loopbackServer();
    try {
      const context = createContext({ apiKey, baseUrl: server.url, timeoutMs: 50, maxRetries: 0, ...(fetch && { fetch }) }, { baseUrl: server.url });
      const error = await rejection(send(context, { ...streamingChatRequest(), parseAs: "json", retryable: true }));
      expect(error).toMatchObject({ name: "TimeoutError", attempts: 1, timeoutMs: 50 });
      await server.connectionClosed;
    } finally {
      await server.close();
    }
  });
});

describe("attempts of the default fetch that share an unaborted controller (retry.ts `spare`)", () => {
  it("still abort a later timed-out request on the wire, and leave the calls before and after it whole", async () => {
    const server = await loopbackServer();
    const get = (path: string, timeoutMs?: number) =>
      send(createContext({ apiKey, baseUrl: server.url, maxRetries: 0 }, { baseUrl: server.url }), {
        method: "GET", path, pathParams: {}, query: {}, headers: undefined, body: undefined, signal: undefined,
        timeoutMs, maxRetries: undefined, retryable: true, parseAs: "json",
      });
    try {
      // More calls than a controller is shared by, one after another, each leaving its controller unaborted.
      const before = [];
      for (let i = 0; i < 12; i++) before.push(await get("/info"));
      const error = await rejection(get("/hang", 50));
      expect(error).toMatchObject({ name: "TimeoutError", attempts: 1, timeoutMs: 50 });
      await server.connectionClosed;
      expect(before.map((result) => result.data)).toEqual(Array.from({ length: 12 }, () => ({ name: "app" })));
      await expect(get("/info")).resolves.toMatchObject({ data: { name: "app" } });
    } finally {
      await server.close();
    }
  });
});

describe("the default fetch's Request (built as retry.ts lazySignalRequest)", () => {
  it("is a Request whose signal aborts when its attempt times out, as a hook sees it", async () => {
    const server = await loopbackServer();
    const seen: Request[] = [];
    try {
      const onRequest = ({ request }: { request: Request }) => void seen.push(request);
      const context = createContext({ apiKey, baseUrl: server.url, timeoutMs: 50, maxRetries: 0, onRequest }, { baseUrl: server.url });
      const error = await rejection(send(context, { ...streamingChatRequest(), parseAs: "json", retryable: true }));
      expect(error).toMatchObject({ name: "TimeoutError", attempts: 1 });
      await server.connectionClosed;
      expect(seen).toHaveLength(1);
      expect(seen[0]).toBeInstanceOf(Request);
      expect(seen[0]!.signal).toBeInstanceOf(AbortSignal);
      expect(seen[0]!.signal.aborted).toBe(true);
    } finally {
      await server.close();
    }
  });
});
