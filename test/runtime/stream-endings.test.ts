/**
 * How a stream ends: after `abort()` or an aborted signal with events still buffered,
 * when the body stops mid-event or before the operation's final event, when one event
 * is too large, and what it leaves on the caller's signal. Real sockets (the loopback
 * echo server) where the wire matters; an injected fetch for the 1,000-stream count.
 */
import { getEventListeners } from "node:events";
import type { ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { createChatflowClient, DifyApiError } from "../../src/index.js";
import {
  callOperation,
  createContext,
  openEventStream,
  ResponseParseError,
  StreamIncompleteError,
  type EventStream,
  type OperationSpec,
} from "../../src/runtime/index.js";
import { MAX_EVENT_CHARS } from "../../src/runtime/sse-parser.js";
import { startEchoServer, type EchoHandler, type EchoServer } from "../support/echo-server.js";
import { rejection } from "../support/rejection.js";

const apiKey = "app-test-SECRET-5e0c17";
const chat = { query: "hi", inputs: {}, user: "u", response_mode: "streaming" } as const;
const frame = (event: Record<string, unknown>) => `data: ${JSON.stringify(event)}\n\n`;
const messages = (count: number) => Array.from({ length: count }, (_, n) => frame({ event: "message", answer: `${n} ` })).join("");

let server: EchoServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A server that answers every request with an event stream: `write` gets the response once its headers are out. */
async function streaming(write: (res: ServerResponse) => void): Promise<EchoServer> {
  const handler: EchoHandler = (_request, res) => {
    res.writeHead(200, { "Content-Type": "text/event-stream" });
    write(res);
  };
  server = await startEchoServer(handler);
  return server;
}

/** Every event the loop yields, and how it ended. */
async function drain(stream: AsyncIterable<unknown>, onEvent: (count: number) => void = () => undefined) {
  const events: unknown[] = [];
  try {
    for await (const event of stream) {
      events.push(event);
      onEvent(events.length);
    }
    return { events, error: undefined };
  } catch (error) {
    return { events, error };
  }
}

/** A chat-like streaming operation; `terminalEvents` as the generator emits it. */
const streamOperation = (terminalEvents?: readonly string[]): OperationSpec => ({
  method: "POST",
  path: "/chat-messages",
  query: [],
  header: [],
  body: "json",
  params: "merged",
  response: "sse",
  ...(terminalEvents ? { terminalEvents } : {}),
});

function openStream(baseUrl: string, operation: OperationSpec, signal?: AbortSignal): Promise<EventStream<unknown>> {
  const context = createContext({ apiKey, baseUrl }, { baseUrl });
  return callOperation(context, operation, {}, { query: "hi" }, signal ? { signal } : {}, openEventStream) as Promise<EventStream<unknown>>;
}

describe("abort with the rest of the stream already buffered (20 events in one write, connection held)", () => {
  it("stream.abort() after the third event: no further event, AbortError (was 1–2 more, then ConnectionError)", async () => {
    const { baseUrl, requests } = await streaming((res) => res.write(messages(20)));
    const stream = await createChatflowClient({ apiKey, baseUrl }).sendChatMessage(chat);
    const { events, error } = await drain(stream, (count) => count === 3 && stream.abort());
    expect(events).toHaveLength(3);
    expect(error).toMatchObject({ name: "AbortError", operation: "POST /chat-messages" });
    expect(requests).toHaveLength(1);
  });

  it("the caller's signal aborted after the third event: no further event, AbortError", async () => {
    const { baseUrl } = await streaming((res) => res.write(messages(20)));
    const controller = new AbortController();
    const stream = await createChatflowClient({ apiKey, baseUrl }).sendChatMessage(chat, { signal: controller.signal });
    const { events, error } = await drain(stream, (count) => count === 3 && controller.abort());
    expect(events).toHaveLength(3);
    expect(error).toMatchObject({ name: "AbortError" });
    expect(error).not.toMatchObject({ name: "ConnectionError" });
  });
});

describe("a stream that ends too soon", () => {
  it("the server closing mid-event: the complete events, then StreamIncompleteError (partial)", async () => {
    const { baseUrl } = await streaming((res) => res.end(messages(2) + 'data: {"event":"message","answer":"trunc'));
    const { events, error } = await drain(await openStream(baseUrl, streamOperation()));
    expect(events).toHaveLength(2);
    expect(error).toBeInstanceOf(StreamIncompleteError);
    expect(error).toMatchObject({ partial: true, operation: "POST /chat-messages" });
    expect((error as Error).message).toMatch(/in the middle of an event/);
  });

  it("a last event with one line end but no blank line is partial too (was dropped silently)", async () => {
    const { baseUrl } = await streaming((res) => res.end(`${messages(1)}data: ${JSON.stringify({ event: "message_end" })}\n`));
    const { events, error } = await drain(await openStream(baseUrl, streamOperation()));
    expect(events).toHaveLength(1);
    expect(error).toMatchObject({ name: "StreamIncompleteError", partial: true });
  });

  it("a trailing comment or blank lines are not an event", async () => {
    const { baseUrl } = await streaming((res) => res.end(`${messages(2)}: keep-alive\n\n\n: bye`));
    expect(await drain(await openStream(baseUrl, streamOperation()))).toEqual({ events: [{ event: "message", answer: "0 " }, { event: "message", answer: "1 " }], error: undefined });
  });

  it("with terminalEvents: ending without one is a StreamIncompleteError naming the expected events and the operation", async () => {
    const { baseUrl } = await streaming((res) => res.end(messages(3)));
    const { events, error } = await drain(await openStream(baseUrl, streamOperation(["workflow_finished", "workflow_paused"])));
    expect(events).toHaveLength(3);
    expect(error).toBeInstanceOf(StreamIncompleteError);
    expect(error).toMatchObject({ partial: false, expected: ["workflow_finished", "workflow_paused"] });
    expect((error as Error).message).toBe(
      "POST /chat-messages: the event stream ended before its final event (expected workflow_finished or workflow_paused or error): the answer is incomplete",
    );
  });

  it("with terminalEvents: a stream that has its final event ends normally, events after it included", async () => {
    const { baseUrl } = await streaming((res) => res.end(messages(2) + frame({ event: "message_end" }) + frame({ event: "tts_message_end" })));
    const { events, error } = await drain(await openStream(baseUrl, streamOperation(["message_end"])));
    expect(error).toBeUndefined();
    expect(events.map((event) => (event as { event: string }).event)).toEqual(["message", "message", "message_end", "tts_message_end"]);
  });

  it("with terminalEvents: an error event is the DifyApiError, not an incomplete stream", async () => {
    const { baseUrl } = await streaming((res) => res.end(messages(1) + frame({ event: "error", status: 400, code: "quota", message: "no quota" })));
    const { error } = await drain(await openStream(baseUrl, streamOperation(["message_end"])));
    expect(error).toBeInstanceOf(DifyApiError);
    expect(error).toMatchObject({ code: "quota" });
  });
});

describe("one event's size is capped", () => {
  it(`an event past ${MAX_EVENT_CHARS} characters fails with a clear error after the events before it`, async () => {
    const { baseUrl, requests } = await streaming((res) => {
      res.write(messages(2));
      // 10 MB without a blank line, written in pieces as a server would; the client must stop reading.
      const piece = `data: ${"x".repeat(64 * 1024)}\n`;
      let written = 0;
      const more = () => {
        while (written < 160 && !res.destroyed) {
          written++;
          if (!res.write(piece)) return void res.once("drain", more);
        }
        res.end();
      };
      more();
    });
    const { events, error } = await drain(await openStream(baseUrl, streamOperation()));
    expect(events).toHaveLength(2);
    expect(error).toBeInstanceOf(ResponseParseError);
    expect((error as Error).message).toMatch(new RegExp(`grew past ${MAX_EVENT_CHARS} characters`));
    expect(requests).toHaveLength(1);
  });
});

describe("abort listeners on the caller's signal", () => {
  it("1,000 streams sharing one signal leave no listener and no MaxListenersExceededWarning", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const shared = new AbortController().signal;
      const body = messages(2) + frame({ event: "message_end" });
      let n = 0;
      const client = createChatflowClient({
        apiKey,
        baseUrl: "https://dify.example.test/v1",
        // Every tenth call fails with a 400 before any stream opens; every seventh loop breaks early.
        fetch: async () =>
          ++n % 10 === 0 ? Response.json({ code: "bad", message: "bad", status: 400 }, { status: 400 }) : new Response(body, { headers: { "content-type": "text/event-stream" } }),
      });
      for (let i = 0; i < 1000; i++) {
        const stream = await client.sendChatMessage(chat, { signal: shared }).catch((error: unknown) => error);
        if (stream instanceof DifyApiError) continue;
        for await (const _event of stream as AsyncIterable<unknown>) if (i % 7 === 0) break;
      }
      expect(n).toBe(1000);
      expect(getEventListeners(shared, "abort")).toHaveLength(0);
      // Node emits the warning on the next tick after the listener that crossed the limit.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((warning) => warning.name === "MaxListenersExceededWarning")).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  });
});
