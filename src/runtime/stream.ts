/**
 * Server-sent event streams (Dify's `response_mode: "streaming"`), parsed by
 * eventsource-parser over Web streams only, so the same code runs in Node and
 * in browsers.
 */
import { EventSourceParserStream } from "eventsource-parser/stream";
import type { ClientContext } from "./context.js";
import { AbortError, ConnectionError, createApiError, ClientError, ResponseParseError, StreamIncompleteError } from "./errors.js";
import type { OperationSpec } from "./operation.js";
import { keyFreeCause, redactDeep, redactHeaders } from "./redact.js";
import { SseParserStream } from "./sse-parser.js";

/** Per-call options of a streaming call, on top of the usual ones. */
export interface StreamOptions {
  /** Yield `ping` keep-alive events that carry data (hidden by default; data-less pings are never dispatched, per the SSE standard). */
  includePings?: boolean;
}

export interface EventStreamInit {
  /** Yield each event's data as a string: the spec types the stream's data as text, not as event objects. */
  textEvents?: boolean | undefined;
  /** The response whose body is the event stream. */
  response: Response;
  body: ReadableStream<Uint8Array>;
  /** Aborting it cancels the HTTP request. */
  controller: AbortController;
  /** Keep `ping` keep-alive events (hidden by default). */
  includePings: boolean;
  /** The caller's signal: its abort ends the loop with `abortError`. */
  signal: AbortSignal | undefined;
  /** Names of the events that end the stream normally; ending before one of them is `incompleteError`. */
  terminalEvents?: readonly string[] | undefined;
  /** Builds the error thrown for an `event: error` (Dify reports failures mid-stream this way). */
  errorFromEvent(event: Record<string, unknown>): Error;
  /** The error a caller's abort (or `abort()`) ends the loop with. */
  abortError(reason: unknown): Error;
  /** Wraps a network failure mid-stream (undici's "terminated"). */
  connectionError(cause: unknown): Error;
  /** An event that is not a JSON object, or larger than the limit; `data` is the raw event text. */
  parseError(problem: string, data?: string): Error;
  /** The stream ended mid-event (`partial`) or before one of `expected`. */
  incompleteError(expected: readonly string[] | undefined, partial: boolean): Error;
}

/**
 * An async iterable of typed events. Breaking out of `for await`, throwing
 * inside it, or calling `abort()` cancels the HTTP request; after `abort()`
 * no further event is yielded and the loop ends with the abort error.
 */
export class EventStream<Event> implements AsyncIterable<Event> {
  /** The HTTP response (status, headers); its body belongs to the stream. */
  readonly response: Response;
  readonly #init: EventStreamInit;
  #consumed = false;

  constructor(init: EventStreamInit) {
    this.response = init.response;
    this.#init = init;
  }

  /** Stops reading and aborts the HTTP request; a loop in progress ends with an AbortError. */
  abort(): void {
    this.#init.controller.abort();
  }

  [Symbol.asyncIterator](): AsyncIterator<Event> {
    if (this.#consumed) throw new TypeError("this stream has already been iterated: a stream can be read once");
    this.#consumed = true;
    return this.#events();
  }

  async *#events(): AsyncGenerator<Event, void, undefined> {
    const { body, controller, includePings, signal, terminalEvents, textEvents, errorFromEvent, abortError, connectionError, parseError, incompleteError } = this.#init;
    // The DOM lib types TextDecoderStream as accepting any BufferSource, a supertype of our chunks.
    const decoder = new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>;
    const reader = body.pipeThrough(decoder).pipeThrough(new SseParserStream()).getReader();
    // A fetch that ignores its signal would keep the body flowing: an abort cancels the reader too,
    // which ends a pending read at once. (Not a race per read against one long-lived promise: each
    // race leaves a reaction on it that holds the read's result, so every event would stay in memory.)
    const onAbort = () => void reader.cancel(controller.signal.reason).catch(() => undefined);
    controller.signal.addEventListener("abort", onAbort, { once: true });
    const aborted = () => (signal?.aborted ? signal.reason : controller.signal.reason);
    let ended = false;
    try {
      for (;;) {
        // Checked before and after every read: parsed events may be buffered, and none is yielded after an abort.
        if (controller.signal.aborted) throw abortError(aborted());
        const { done, value } = await reader.read();
        if (controller.signal.aborted) throw abortError(aborted());
        if (done) break;
        if (value.kind === "partial") throw incompleteError(terminalEvents, true);
        if (value.kind === "too-large") throw parseError(`a stream event grew past ${value.limit} characters without ending (the limit of one event)`);
        // Events the spec does not describe as objects are their data, as text (no JSON parse to fail on).
        if (textEvents) {
          if (value.message.event === "ping" && !includePings) continue;
          yield value.message.data as Event;
          continue;
        }
        const event = decode(value.message.event, value.message.data, parseError);
        if (event === undefined) continue;
        if (event["event"] === "ping" && !includePings) continue;
        if (event["event"] === "error") throw errorFromEvent(event);
        if (typeof event["event"] === "string" && terminalEvents?.includes(event["event"])) ended = true;
        yield event as Event;
      }
      if (terminalEvents?.length && !ended) throw incompleteError(terminalEvents, false);
    } catch (error) {
      if (controller.signal.aborted && !(error instanceof ClientError)) throw abortError(aborted());
      // Our own errors (an `event: error`, an abort, a bad event) pass through; the rest is the network.
      if (error instanceof ClientError) throw error;
      throw connectionError(error);
    } finally {
      controller.signal.removeEventListener("abort", onAbort);
      // Runs on completion, break, return and throw: release the connection either way.
      controller.abort();
      await reader.cancel().catch(() => undefined);
    }
  }
}

/** Dify puts the event name inside the JSON data; an SSE `event:` field fills it in when absent. */
function decode(name: string | undefined, data: string, parseError: EventStreamInit["parseError"]): Record<string, unknown> | undefined {
  if (data.trim() === "") return name ? { event: name } : undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    // Not V8's message: it quotes the text around the error, unredacted.
    throw parseError("a stream event is not JSON", data);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw parseError("a stream event is not a JSON object", data);
  }
  const record = parsed as Record<string, unknown>;
  return name && record["event"] === undefined ? { event: name, ...record } : record;
}

export interface OpenStreamInit {
  context: ClientContext;
  operation: OperationSpec;
  response: Response;
  body: ReadableStream<Uint8Array>;
  controller: AbortController;
  includePings: boolean;
  signal: AbortSignal | undefined;
}

/** What streaming facade functions hand to callOperation (see call.ts). */
export type StreamOpener = (init: OpenStreamInit) => EventStream<unknown>;

export const openEventStream: StreamOpener = ({ context, operation, response, ...rest }) => {
  const name = `${operation.method} ${operation.path}`;
  return new EventStream({
    response,
    ...rest,
    terminalEvents: operation.terminalEvents,
    textEvents: operation.eventData === "text",
    abortError: (cause) => new AbortError({ operation: name, cause: keyFreeCause(cause, context.redact) }),
    connectionError: (cause) => new ConnectionError({ operation: name, attempts: 1, cause: keyFreeCause(cause, context.redact) }),
    parseError: (problem, data) =>
      new ResponseParseError({
        operation: name,
        status: response.status,
        contentType: response.headers.get("content-type") ?? undefined,
        problem,
        excerpt: data === undefined ? undefined : excerpt(context.redact(data)),
      }),
    incompleteError: (expected, partial) => new StreamIncompleteError({ operation: name, expected, partial }),
    errorFromEvent: (event) =>
      createApiError({
        status: typeof event["status"] === "number" ? event["status"] : 500,
        body: redactDeep(event, context),
        headers: redactHeaders(response.headers, context),
        method: operation.method,
        path: operation.path,
      }),
  });
};

/** The start of an event's (already redacted) text, on one line. */
function excerpt(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 120 ? `${line.slice(0, 120)}…` : line;
}
