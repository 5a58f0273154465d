/**
 * Server-sent event streams (Dify's `response_mode: "streaming"`), parsed by
 * eventsource-parser over Web streams only, so the same code runs in Node and
 * in browsers.
 */
import { EventSourceParserStream } from "eventsource-parser/stream";
import type { ClientContext } from "./context.js";
import { AbortError, ConnectionError, createApiError, DifyError } from "./errors.js";
import type { OperationSpec } from "./operation.js";
import { redactDeep, redactHeaders } from "./redact.js";
import { whenAborted } from "./signals.js";

/** Per-call options of a streaming call, on top of the usual ones. */
export interface StreamOptions {
  /** Yield `ping` keep-alive events that carry data (hidden by default; data-less pings are never dispatched, per the SSE standard). */
  includePings?: boolean;
}

export interface EventStreamInit {
  /** The response whose body is the event stream. */
  response: Response;
  body: ReadableStream<Uint8Array>;
  /** Aborting it cancels the HTTP request. */
  controller: AbortController;
  /** Keep `ping` keep-alive events (hidden by default). */
  includePings: boolean;
  /** The caller's signal: its abort ends the loop with `abortError`. */
  signal: AbortSignal | undefined;
  /** Builds the error thrown for an `event: error` (Dify reports failures mid-stream this way). */
  errorFromEvent(event: Record<string, unknown>): Error;
  /** The error a caller's abort ends the loop with. */
  abortError(reason: unknown): Error;
  /** Wraps a network failure mid-stream (undici's "terminated"). */
  connectionError(cause: unknown): Error;
}

/**
 * An async iterable of typed events. Breaking out of `for await`, throwing
 * inside it, or calling `abort()` cancels the HTTP request.
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

  /** Stops reading and aborts the HTTP request. */
  abort(): void {
    this.#init.controller.abort();
  }

  [Symbol.asyncIterator](): AsyncIterator<Event> {
    if (this.#consumed) throw new TypeError("this stream has already been iterated: a stream can be read once");
    this.#consumed = true;
    return this.#events();
  }

  async *#events(): AsyncGenerator<Event, void, undefined> {
    const { body, controller, includePings, signal, errorFromEvent, abortError, connectionError } = this.#init;
    // The DOM lib types TextDecoderStream as accepting any BufferSource, a supertype of our chunks.
    const decoder = new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>;
    const reader = body.pipeThrough(decoder).pipeThrough(new EventSourceParserStream()).getReader();
    // A fetch that ignores its signal would keep the body flowing: race every read against the abort.
    const aborted = whenAborted(controller.signal, abortError);
    try {
      for (;;) {
        const { done, value } = await Promise.race([reader.read(), aborted.promise]);
        if (done) return;
        const event = decode(value.event, value.data);
        if (event === undefined) continue;
        if (event["event"] === "ping" && !includePings) continue;
        if (event["event"] === "error") throw errorFromEvent(event);
        yield event as Event;
      }
    } catch (error) {
      if (signal?.aborted) throw abortError(signal.reason);
      // Our own errors (an `event: error`, an abort) and malformed events pass through; the rest is the network.
      if (error instanceof SyntaxError || error instanceof DifyError) throw error;
      throw connectionError(error);
    } finally {
      aborted.dispose();
      // Runs on completion, break, return and throw: release the connection either way.
      controller.abort();
      await reader.cancel().catch(() => undefined);
    }
  }
}

/** Dify puts the event name inside the JSON data; an SSE `event:` field fills it in when absent. */
function decode(name: string | undefined, data: string): Record<string, unknown> | undefined {
  if (data.trim() === "") return name ? { event: name } : undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    throw new SyntaxError(`stream event is not JSON: ${data.length > 120 ? `${data.slice(0, 120)}…` : data}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new SyntaxError("stream event is not a JSON object");
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
    abortError: (cause) => new AbortError({ operation: name, cause }),
    connectionError: (cause) => new ConnectionError({ operation: name, attempts: 1, cause }),
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
