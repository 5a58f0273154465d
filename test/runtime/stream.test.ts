/**
 * Streaming chat (`sendChatMessage` with `response_mode: "streaming"`): parsing at any
 * byte boundary, pings, mid-stream errors, cancellation, no re-sending, blocking mode
 * (which the spec makes the default when `response_mode` is omitted).
 *
 * Two transports: an injected `fetch` that hands the client a ReadableStream cut where
 * the test says (parsing, signals, call counts), and the loopback Dify-like server
 * (what a real socket does when the client leaves).
 */
import fc from "fast-check";
import { afterEach, describe, expect, expectTypeOf, it } from "vitest";
import { createChatflowClient, DifyApiError, type SendChatMessageEvent, type SendChatMessageResult } from "../../src/index.js";
import { ANSWER, CONVERSATION_ID, MESSAGE_ID, REASONING, TASK_ID, USAGE, chatflowStream, toSse } from "../fixtures/streams/chatflow-stream.js";
import { startDifyLikeServer, type DifyLikeServer } from "../support/dify-like-server.js";
import { rejection } from "../support/rejection.js";

const apiKey = "app-stream-test-key";
const baseUrl = "https://dify.example.test/v1";
/** The spec's required body: `query`, `inputs` and `user`; without `response_mode` Dify answers blocking. */
const request = { query: "你好", inputs: {}, user: "user-1" } as const;
/** Streaming must be asked for explicitly. */
const chat = { ...request, response_mode: "streaming" } as const;
const encoder = new TextEncoder();

/** The bytes of `text` delivered as one chunk per read, cut at `cuts` (byte offsets, any order, repeats allowed). */
function chunked(text: string, cuts: readonly number[] = []): Uint8Array[] {
  const bytes = encoder.encode(text);
  const edges = [0, ...cuts.map((cut) => cut % (bytes.length + 1)).sort((a, b) => a - b), bytes.length];
  return edges.slice(1).map((end, i) => bytes.subarray(edges[i], end));
}

interface FakeBody {
  response: Response;
  /** Resolves with the reason when the client cancels the body. */
  cancelled: Promise<unknown>;
}

/**
 * An event-stream response whose body hands out `chunks` one per read, then (if
 * `endless`) `message` events forever. Like a real fetch, it errors the body when the
 * request's signal aborts.
 */
function sseResponse(chunks: readonly Uint8Array[], { signal, endless = false }: { signal?: AbortSignal; endless?: boolean } = {}): FakeBody {
  let next = 0;
  let onCancel: (reason: unknown) => void = () => undefined;
  const cancelled = new Promise<unknown>((resolve) => (onCancel = resolve));
  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        signal?.addEventListener("abort", () => controller.error(signal.reason), { once: true });
      },
      pull(controller) {
        const chunk = chunks[next++];
        if (chunk !== undefined) controller.enqueue(chunk);
        else if (endless) controller.enqueue(encoder.encode(`data: ${JSON.stringify({ event: "message", answer: `${next} ` })}\n\n`));
        else controller.close();
      },
      cancel: onCancel,
    },
    { highWaterMark: 0 },
  );
  return { response: new Response(body, { headers: { "content-type": "text/event-stream; charset=utf-8" } }), cancelled };
}

/** A client whose fetch records each request and answers with `respond(request)`. */
function clientAnswering(respond: (request: Request) => Response | Promise<Response>, options: { maxRetries?: number } = {}) {
  const calls: Request[] = [];
  const client = createChatflowClient({
    apiKey,
    baseUrl,
    ...options,
    fetch: async (request) => {
      calls.push(request);
      return respond(request);
    },
  });
  return { client, calls };
}

async function collect<Event>(stream: AsyncIterable<Event>): Promise<Event[]> {
  const events: Event[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe("a recorded Dify stream, split at arbitrary byte boundaries", () => {
  const wire = toSse(chatflowStream, { pings: true });

  it("is a fair test: the wire text has multi-byte characters and keep-alive pings", () => {
    expect(encoder.encode(wire).length).toBeGreaterThan(wire.length + 100);
    expect(wire).toContain("event: ping\n\n");
    expect(wire.startsWith(`event: ping\n\ndata: {"event":"workflow_started"`)).toBe(true);
  });

  it("yields exactly the recorded events with a cut at every byte offset", async () => {
    // Exhaustive: run `shift` cuts every frame longer than `shift` at its byte `shift`. Each frame is
    // cut at most once per run, and after a frame's "\n\n" the decoder and parser hold nothing, so
    // every byte offset of the stream is tested as a single cut within its frame, in as many runs as
    // the longest frame has bytes (~1,200) instead of one per byte of the stream (~10,100).
    const frames = wire.split(/(?<=\n\n)/).map((frame) => encoder.encode(frame));
    const longest = Math.max(...frames.map((frame) => frame.length));
    expect(frames.reduce((sum, frame) => sum + frame.length, 0)).toBe(encoder.encode(wire).length);
    let shift = 0;
    const { client } = clientAnswering(() => {
      const chunks = frames.flatMap((frame) => (shift > 0 && shift < frame.length ? [frame.subarray(0, shift), frame.subarray(shift)] : [frame]));
      return sseResponse(chunks).response;
    });
    const expected = JSON.stringify(chatflowStream);
    for (; shift < longest; shift++) {
      const events = await collect(await client.sendChatMessage(chat));
      // Strings compare fast; the deep comparison only runs to explain a failure.
      if (JSON.stringify(events) !== expected) expect({ shift, events }).toEqual({ shift, events: chatflowStream });
    }
  });

  it("yields exactly the recorded events for any set of cuts", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { maxLength: 64 }), async (cuts) => {
        const { client } = clientAnswering(() => sseResponse(chunked(wire, cuts)).response);
        expect(await collect(await client.sendChatMessage(chat))).toEqual(chatflowStream);
      }),
      { numRuns: 200 },
    );
  });

  it("yields the same events from the loopback server, whose writes cut frames mid-character", async () => {
    const server = await startDifyLikeServer();
    try {
      const client = createChatflowClient({ apiKey: server.apiKey, baseUrl: server.baseUrl });
      const events = await collect(await client.sendChatMessage(chat));
      expect(events).toEqual(chatflowStream);
      expect(events.map((event) => (event.event === "message" ? event.answer : "")).join("")).toBe(ANSWER);
      expect(events.map((event) => (event.event === "reasoning_chunk" ? event.data?.reasoning : "")).join("")).toBe(REASONING);
      expect(server.requests).toHaveLength(1);
      expect(await server.requests[0]!.closed).toEqual({ clientDisconnected: false });
    } finally {
      await server.close();
    }
  });
});

describe("keep-alive pings", () => {
  const message = { event: "message", task_id: TASK_ID, message_id: MESSAGE_ID, conversation_id: CONVERSATION_ID, answer: "hi" } as const;
  // The stream's final event: without it the stream would be incomplete (an error of its own).
  const end = { event: "message_end", task_id: TASK_ID, message_id: MESSAGE_ID, conversation_id: CONVERSATION_ID } as const;
  const wire = [
    "event: ping\n\n", // Dify's keep-alive: no data, so the SSE standard never dispatches it
    `data: ${JSON.stringify(message)}\n\n`,
    'data: {"event":"ping"}\n\n', // a ping that carries data is an event like any other
    ": a comment line, also ignored\n\n",
    "event: ping\ndata: \n\n", // an empty data line still dispatches; the event name comes from the SSE field
    `data: ${JSON.stringify(end)}\n\n`,
  ].join("");

  it("are hidden by default", async () => {
    const { client } = clientAnswering(() => sseResponse(chunked(wire)).response);
    expect(await collect(await client.sendChatMessage(chat))).toEqual([message, end]);
  });

  it("are shown with includePings when they carry data; a data-less `event: ping` is never dispatched", async () => {
    const { client } = clientAnswering(() => sseResponse(chunked(wire)).response);
    const events = await collect(await client.sendChatMessage(chat, { includePings: true }));
    expect(events).toEqual([message, { event: "ping" }, { event: "ping" }, end]);
  });

  it("never show up from the recorded stream's data-less pings, even with includePings", async () => {
    const { client } = clientAnswering(() => sseResponse(chunked(toSse(chatflowStream, { pings: true }))).response);
    expect(await collect(await client.sendChatMessage(chat, { includePings: true }))).toEqual(chatflowStream);
  });
});

describe("an error event mid-stream", () => {
  // As the spec describes it: `conversation_id`, `message_id` and `created_at` like every event, but no `task_id`.
  const error = {
    conversation_id: CONVERSATION_ID,
    message_id: MESSAGE_ID,
    created_at: 1_705_395_340,
    status: 400,
    code: "completion_request_error",
    message: "Rate limit reached for gpt-4o 🙈",
  };
  const head = chatflowStream.slice(0, 5);

  it.each([
    ["in the JSON, as Dify sends it", `data: ${JSON.stringify({ event: "error", ...error })}\n\n`],
    ["as an SSE `event: error` field", `event: error\ndata: ${JSON.stringify(error)}\n\n`],
  ])("throws a DifyApiError with its status, code and message (%s)", async (_how, frame) => {
    let request: Request | undefined;
    const { client } = clientAnswering((r) => {
      request = r;
      // The rest of the recorded stream follows the error: it must not be yielded.
      return sseResponse(chunked(toSse(head) + frame + toSse(chatflowStream.slice(5)))).response;
    });
    const seen: SendChatMessageEvent[] = [];
    const thrown = await rejection(
      (async () => {
        for await (const event of await client.sendChatMessage(chat)) seen.push(event);
      })(),
    );

    expect(seen).toEqual(head);
    expect(thrown).toBeInstanceOf(DifyApiError);
    expect(thrown).toMatchObject({ status: 400, code: "completion_request_error", message: error.message, operation: "POST /chat-messages" });
    expect(request?.signal.aborted).toBe(true);
  });
});

describe("cancelling a stream", () => {
  // A disconnect takes milliseconds; this only turns a regression into a quick failure instead of a 60 s hang.
  const DISCONNECT_TIMEOUT_MS = 10_000;
  let server: DifyLikeServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("breaking out of the loop disconnects from the server", async () => {
    server = await startDifyLikeServer({ stream: "endless" });
    const client = createChatflowClient({ apiKey: server.apiKey, baseUrl: server.baseUrl });
    let received = 0;
    for await (const event of await client.sendChatMessage(chat)) {
      expect(event.event).toBe("message");
      if (++received === 3) break;
    }
    // The endless stream only ends when the client leaves, so this resolving is the proof.
    expect(await server.requests[0]!.closed).toEqual({ clientDisconnected: true });
    expect(server.requests).toHaveLength(1);
  }, DISCONNECT_TIMEOUT_MS);

  it("aborting the caller's signal mid-stream ends the loop with an AbortError and disconnects", async () => {
    server = await startDifyLikeServer({ stream: "endless" });
    const client = createChatflowClient({ apiKey: server.apiKey, baseUrl: server.baseUrl });
    const controller = new AbortController();
    const stream = await client.sendChatMessage(chat, { signal: controller.signal });
    let received = 0;
    const thrown = await rejection(
      (async () => {
        for await (const _event of stream) if (++received === 3) controller.abort();
      })(),
    );
    expect(thrown).toMatchObject({ name: "AbortError" });
    expect(await server.requests[0]!.closed).toEqual({ clientDisconnected: true });
    expect(server.requests).toHaveLength(1);
  }, DISCONNECT_TIMEOUT_MS);

  it("breaking out aborts the request's signal (injected fetch)", async () => {
    const { client, calls } = clientAnswering((request) => sseResponse([], { signal: request.signal, endless: true }).response);
    let received = 0;
    for await (const _event of await client.sendChatMessage(chat)) if (++received === 2) break;

    expect(calls).toHaveLength(1);
    expect(calls[0]!.signal.aborted).toBe(true);
  });

  it("breaking out cancels the body even when the fetch ignores the signal (injected fetch)", async () => {
    let body: FakeBody | undefined;
    const { client } = clientAnswering(() => (body = sseResponse([], { endless: true })).response);
    let received = 0;
    for await (const _event of await client.sendChatMessage(chat)) if (++received === 2) break;

    await body!.cancelled;
  });

  it("aborting the caller's signal aborts the request's signal and ends the loop with an error (injected fetch)", async () => {
    const { client, calls } = clientAnswering((request) => sseResponse([], { signal: request.signal, endless: true }).response);
    const controller = new AbortController();
    const stream = await client.sendChatMessage(chat, { signal: controller.signal });
    let received = 0;
    const thrown = await rejection(
      (async () => {
        for await (const _event of stream) if (++received === 2) controller.abort();
      })(),
    );
    expect(thrown).toMatchObject({ name: "AbortError" });
    expect(calls[0]!.signal.aborted).toBe(true);
  });

  it("a signal aborted before the call sends nothing", async () => {
    const { client, calls } = clientAnswering((request) => sseResponse(chunked(toSse(chatflowStream)), { signal: request.signal }).response);
    const controller = new AbortController();
    controller.abort();
    await expect(client.sendChatMessage(chat, { signal: controller.signal })).rejects.toMatchObject({ name: "AbortError" });
    expect(calls).toHaveLength(0);
  });
});

describe("a streaming POST /chat-messages is never re-sent", () => {
  // Re-sending would post the user's message twice. Retry-After: 0 makes a (wrong) retry immediate, not slow.
  it.each([408, 429, 500, 502, 503])("answered %i: sent exactly once, rejected with that status", async (status) => {
    const { client, calls } = clientAnswering(
      () => Response.json({ code: "too_busy", message: `status ${status}`, status }, { status, headers: { "Retry-After": "0" } }),
      { maxRetries: 5 },
    );
    const thrown = await rejection(client.sendChatMessage(chat));
    expect(thrown).toBeInstanceOf(DifyApiError);
    expect(thrown).toMatchObject({ status, code: "too_busy" });
    expect(calls).toHaveLength(1);
  });

  it.each(["ECONNREFUSED", "ECONNRESET"])("failing with %s: sent exactly once", async (code) => {
    const { client, calls } = clientAnswering(
      () => {
        throw new TypeError("fetch failed", { cause: Object.assign(new Error(`connect ${code} 127.0.0.1:9`), { code }) });
      },
      { maxRetries: 5 },
    );
    await expect(client.sendChatMessage(chat)).rejects.toThrow();
    expect(calls).toHaveLength(1);
  });
});

describe("response_mode", () => {
  let server: DifyLikeServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  // The spec: "When omitted, defaults to blocking behavior" (it defaulted to "streaming" before 2026-07-09).
  it('omitted (the spec\'s default: blocking) resolves with the JSON answer, sends no response_mode and does not ask for an event stream', async () => {
    server = await startDifyLikeServer();
    const client = createChatflowClient({ apiKey: server.apiKey, baseUrl: server.baseUrl });
    const result = await client.sendChatMessage(request);

    expectTypeOf(result).toEqualTypeOf<SendChatMessageResult>();
    expect(Symbol.asyncIterator in result).toBe(false);
    expect(result).toMatchObject({ answer: ANSWER, conversation_id: CONVERSATION_ID, metadata: { usage: USAGE } });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.headers["accept"]).not.toContain("text/event-stream");
    // The client leaves the default to the server: it does not fill in a mode of its own.
    expect(JSON.parse(new TextDecoder().decode(server.requests[0]!.body))).toEqual(request);
  });

  it('"blocking" resolves with the JSON answer, not an iterable, and does not ask for an event stream', async () => {
    server = await startDifyLikeServer();
    const client = createChatflowClient({ apiKey: server.apiKey, baseUrl: server.baseUrl });
    const result = await client.sendChatMessage({ ...request, response_mode: "blocking" });

    expectTypeOf(result).toEqualTypeOf<SendChatMessageResult>();
    expect(Symbol.asyncIterator in result).toBe(false);
    expect(result).toMatchObject({ answer: ANSWER, conversation_id: CONVERSATION_ID, metadata: { usage: USAGE } });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.headers["accept"]).not.toContain("text/event-stream");
  });

  it('"streaming" streams, and sends Accept: text/event-stream', async () => {
    server = await startDifyLikeServer();
    const client = createChatflowClient({ apiKey: server.apiKey, baseUrl: server.baseUrl });
    const events = await collect(await client.sendChatMessage(chat));

    expect(events).toEqual(chatflowStream);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.headers["accept"]).toBe("text/event-stream");
    expect(JSON.parse(new TextDecoder().decode(server.requests[0]!.body))).toEqual(chat);
  });
});

describe("a stream is read once", () => {
  it("iterating it a second time throws, after or during the first", async () => {
    const { client } = clientAnswering(() => sseResponse(chunked(toSse(chatflowStream))).response);
    const stream = await client.sendChatMessage(chat);
    expect(await collect(stream)).toEqual(chatflowStream);
    await expect(collect(stream)).rejects.toThrow(TypeError);

    const live = await client.sendChatMessage(chat);
    const first = live[Symbol.asyncIterator]();
    await first.next();
    expect(() => live[Symbol.asyncIterator]()).toThrow(/already been iterated/);
    await first.return?.();
  });
});
