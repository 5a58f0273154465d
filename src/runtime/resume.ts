/**
 * Resuming a dropped stream without re-sending its request: once an event has
 * carried the run id (Dify: `workflow_run_id`), a drop is followed by the
 * operation's resume request (Dify: `GET /workflow/{workflow_run_id}/events?user=…`),
 * whose events continue the same loop. Re-sending `POST /chat-messages` would
 * post the user's message twice and start a second run.
 *
 * Only facades of resumable operations (overlay extension `x-codegen-stream-resume`)
 * pass this opener, so other bundles do not carry it.
 */
import { callOperation } from "./call.js";
import type { ClientContext } from "./context.js";
import { ConnectionError, TimeoutError } from "./errors.js";
import type { OperationSpec, ResumeSpec } from "./operation.js";
import { keyFreeCause } from "./redact.js";
import { EventStream, eventStreamInit, type OpenStreamInit, type ResumedBody, type StreamOpener, type StreamResumer } from "./stream.js";

/** Per-call options of a stream that can resume (Dify's chatflow chats and workflow runs). */
export interface ResumeOptions {
  /**
   * Continue the stream through the resume request when its connection drops after the run id is
   * known; `false`: a drop is a ConnectionError, as before the run id is known.
   * @default true
   */
  resume?: boolean;
  /**
   * How many resume requests one stream may send; the drop after the last is a ConnectionError.
   * @default 3
   */
  maxResumes?: number;
  /**
   * Called before each resume request. Events the server sent while the stream was disconnected
   * may be missing or repeated: a UI can mark the possible gap. An error thrown here ends the loop.
   */
  onResume?: (info: ResumeInfo) => void;
}

export interface ResumeInfo {
  /** 1 for the first resume of this stream, 2 for the next, … */
  attempt: number;
  /** The run the stream continues (Dify's `workflow_run_id`). */
  runId: string;
  /** Why the stream was resumed: a ConnectionError, or a StreamIncompleteError when the body ended early. */
  cause: Error;
}

export const DEFAULT_MAX_RESUMES = 3;

/**
 * The wait before resume `attempt`: none for the first (the connection dropped, the server is
 * likely fine), then 0.5 s doubling up to 4 s, so a phone between networks gets a moment.
 */
function resumeDelayMs(attempt: number): number {
  return attempt === 1 ? 0 : Math.min(500 * 2 ** (attempt - 2), 4_000);
}

/** The opener of resumable operations: an event stream that resumes, unless the call says `resume: false`. */
export const openResumableEventStream: StreamOpener = Object.assign(
  (init: OpenStreamInit) => {
    const stream = eventStreamInit(init);
    const options = init.options as ResumeOptions | undefined;
    if (!init.operation.resume || options?.resume === false) return new EventStream(stream);
    return new EventStream({ ...stream, resumer: new Resumer(init, init.operation.resume, options?.maxResumes ?? DEFAULT_MAX_RESUMES) });
  },
  {
    // Before the request is sent: a bad limit found after the POST would have posted it for nothing.
    check(callOptions: object | undefined): void {
      const options = callOptions as ResumeOptions | undefined;
      const max = options?.maxResumes;
      if (max !== undefined && (!Number.isInteger(max) || max < 0)) throw new TypeError(`maxResumes must be a whole number ≥ 0, got ${String(max)}`);
      if (options?.onResume !== undefined && typeof options.onResume !== "function") throw new TypeError("onResume must be a function");
    },
  },
);

class Resumer implements StreamResumer {
  #count = 0;
  #runId: string | undefined;
  readonly #init: OpenStreamInit;
  readonly #spec: ResumeSpec;
  readonly #max: number;

  constructor(init: OpenStreamInit, spec: ResumeSpec, max: number) {
    this.#init = init;
    this.#spec = spec;
    this.#max = max;
  }

  get count(): number {
    return this.#count;
  }

  observe(event: Record<string, unknown>): void {
    const id = event[this.#spec.runId];
    if (typeof id === "string" && id !== "") this.#runId = id;
  }

  async resume(drop: Error): Promise<ResumedBody | undefined> {
    const runId = this.#runId;
    // Before the run id is known there is nothing to resume: the drop fails the loop, as without resuming.
    if (runId === undefined) return undefined;
    const { context, controller } = this.#init;
    let cause = drop;
    while (this.#count < this.#max) {
      this.#count++;
      (this.#init.options as ResumeOptions | undefined)?.onResume?.({ attempt: this.count, runId, cause });
      const delay = resumeDelayMs(this.count);
      if (delay > 0) await context.timing.sleep(delay, controller.signal);
      try {
        return await this.#request(context, runId);
      } catch (error) {
        // The resume request could not connect either: try again while resumes are left. A status
        // (404: the run is unknown, 400: another user) is the server's answer, not a drop.
        if (!(error instanceof ConnectionError || error instanceof TimeoutError) || controller.signal.aborted) throw error;
        cause = error;
      }
    }
    // Out of resumes: a network drop says how many requests the stream took; an early end stays itself.
    if (!(cause instanceof ConnectionError || cause instanceof TimeoutError)) return undefined;
    const { method, path } = this.#init.operation;
    throw new ConnectionError({ operation: `${method} ${path}`, attempts: 1 + this.count, cause: keyFreeCause(cause.cause ?? cause, context.redact) });
  }

  /** Sends the resume request through the call path: the client's auth, the call's headers and timeout, its abort. */
  async #request(context: ClientContext, runId: string): Promise<ResumedBody> {
    const { options, sent, controller } = this.#init;
    const spec = this.#spec;
    const resumeOperation: OperationSpec = {
      method: spec.method,
      path: spec.path,
      query: spec.query,
      header: [],
      params: "merged",
      response: "sse",
    };
    const values: Record<string, unknown> = {};
    const sentBody = typeof sent?.body === "object" && sent.body !== null ? (sent.body as Record<string, unknown>) : {};
    for (const name of spec.query) values[name] = sent?.query[name] ?? sentBody[name];
    const callOptions = {
      ...(options?.headers && { headers: options.headers }),
      ...(options?.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
      // The stream's own controller: abort() or the caller's signal cancel the resume request too.
      signal: controller.signal,
    };
    // Opened as a body, not a stream of its own: the loop that dropped reads it. Its request's controller
    // is linked to the stream's (callOperation), so it ends when the stream does.
    const body = (await callOperation(context, resumeOperation, { [spec.pathParam]: runId }, values, callOptions, (opened) => opened.body)) as ReadableStream<Uint8Array>;
    return { body, terminalEvents: spec.terminalEvents };
  }
}
