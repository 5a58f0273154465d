/**
 * Server-sent event streams (Dify's `response_mode: "streaming"`), parsed by
 * eventsource-parser over Web streams only, so the same code runs in Node and
 * in browsers.
 */
import { EventSourceParserStream } from "eventsource-parser/stream";
import type { ClientContext } from "./context.js";
import { AbortError, ConnectionError, createApiError, ClientError, ResponseParseError, StreamIncompleteError } from "./errors.js";
import type { OperationSpec } from "./operation.js";
import type { RequestOptions } from "./options.js";
import { keyFreeCause, redactDeep, redactHeaders } from "./redact.js";
import { SseParserStream, type SseChunk } from "./sse-parser.js";

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
  /** Continues a dropped stream from another request (resume.ts); without it a drop fails the loop. */
  resumer?: StreamResumer | undefined;
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

/** What a resumed stream continues with: another body, and the events that may end it too. */
export interface ResumedBody {
  body: ReadableStream<Uint8Array>;
  terminalEvents?: readonly string[] | undefined;
}

/**
 * Continues a stream whose connection dropped (see resume.ts). It sees every event before
 * it is yielded; on a drop (a network error, or the body ending before a terminal event) it
 * answers the body that continues the stream, or undefined when it cannot (the drop's own
 * error is then thrown), or throws the error the loop ends with.
 */
export interface StreamResumer {
  readonly count: number;
  observe(event: Record<string, unknown>): void;
  resume(drop: Error): Promise<ResumedBody | undefined>;
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

  /**
   * How many times the stream was resumed after its connection dropped (operations that can
   * resume only: Dify's chatflow chats and workflow runs). Events sent while it was
   * disconnected may be missing or repeated: a UI can mark the gap (or use `onResume`).
   */
  get resumes(): number {
    return this.#init.resumer?.count ?? 0;
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
    const { controller, includePings, signal, textEvents, resumer, errorFromEvent, abortError, connectionError, parseError, incompleteError } = this.#init;
    let { terminalEvents } = this.#init;
    let reader = eventReader(this.#init.body);
    // A fetch that ignores its signal would keep the body flowing: an abort cancels the reader too,
    // which ends a pending read at once. (Not a race per read against one long-lived promise: each
    // race leaves a reaction on it that holds the read's result, so every event would stay in memory.)
    const onAbort = () => void reader.cancel(controller.signal.reason).catch(() => undefined);
    controller.signal.addEventListener("abort", onAbort, { once: true });
    const aborted = () => (signal?.aborted ? signal.reason : controller.signal.reason);
    let ended = false;
    try {
      for (;;) {
        // Set when the connection dropped before the end: a resumer may continue from another body.
        let drop: Error | undefined;
        try {
          for (;;) {
            // Checked before and after every read: parsed events may be buffered, and none is yielded after an abort.
            if (controller.signal.aborted) throw abortError(aborted());
            const { done, value } = await reader.read();
            if (controller.signal.aborted) throw abortError(aborted());
            if (done) break;
            if (value.kind === "partial") {
              drop = incompleteError(terminalEvents, true);
              break;
            }
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
            resumer?.observe(event);
            yield event as Event;
          }
          if (!drop && terminalEvents?.length && !ended) drop = incompleteError(terminalEvents, false);
        } catch (error) {
          // Our own errors (an `event: error`, an abort, a bad event) pass through; the rest is the network.
          if (error instanceof ClientError || controller.signal.aborted) throw error;
          drop = connectionError(error);
        }
        if (!drop) return;
        // After the final event the answer is complete: a drop then is not worth a new request.
        const next = ended ? undefined : await resumer?.resume(drop);
        if (!next) throw drop;
        const previous = reader;
        reader = eventReader(next.body);
        await previous.cancel().catch(() => undefined);
        if (next.terminalEvents) terminalEvents = [...(terminalEvents ?? []), ...next.terminalEvents];
      }
    } catch (error) {
      // An abort wins over whatever it caused (a cancelled read, a resume request aborted mid-way).
      if (controller.signal.aborted && (!(error instanceof ClientError) || error instanceof AbortError)) throw abortError(aborted());
      // Network failures became drops above; what is left is ours or the caller's (an onResume that threw).
      throw error;
    } finally {
      controller.signal.removeEventListener("abort", onAbort);
      // Runs on completion, break, return and throw: release the connection either way.
      controller.abort();
      await reader.cancel().catch(() => undefined);
    }
  }
}

/** Bytes → parsed SSE chunks. */
function eventReader(body: ReadableStream<Uint8Array>): ReadableStreamDefaultReader<SseChunk> {
  // The DOM lib types TextDecoderStream as accepting any BufferSource, a supertype of our chunks.
  const decoder = new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>;
  return body.pipeThrough(decoder).pipeThrough(new SseParserStream()).getReader();
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
  /** The call's own options (a resumed stream sends its resume request with the same ones). */
  options?: (RequestOptions & StreamOptions) | undefined;
  /** The query and body values the call sent (a resumed stream sends some again). */
  sent?: { query: Record<string, unknown>; body: unknown } | undefined;
}

/**
 * What streaming facade functions hand to callOperation (see call.ts); what it returns, the call
 * resolves with. `check` rejects bad stream options before anything is sent.
 */
export type StreamOpener = ((init: OpenStreamInit) => unknown) & { check?(options: (RequestOptions & StreamOptions) | undefined): void };

export const openEventStream: StreamOpener = (init) => new EventStream(eventStreamInit(init));

/** How a stream of `operation` reads its events and builds its errors (resume.ts adds a resumer). */
export function eventStreamInit({ context, operation, response, body, controller, includePings, signal }: OpenStreamInit): EventStreamInit {
  const name = `${operation.method} ${operation.path}`;
  return {
    response,
    body,
    controller,
    includePings,
    signal,
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
  };
}

/** The start of an event's (already redacted) text, on one line. */
function excerpt(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 120 ? `${line.slice(0, 120)}…` : line;
}
