/**
 * The page of the browser check: bundled by test/browser/run.ts against the *built* package
 * (the import below is redirected to dist's src/index.js), loaded in headless Chromium, and
 * driven from Node through `window.browserCases`. Each case makes real calls with the client
 * and reports what the page saw as plain data; the runner asserts it together with what the
 * servers saw. Errors are described here because `instanceof` only works on the page's side.
 */
import { AbortError, ConnectionError, createChatflowClient, DifyApiError } from "../../src/index.js";

export interface CaseInput {
  baseUrl: string;
  apiKey: string;
  /** Sent as `user`: names the stream for acknowledgements and tells calls apart in the servers' records. */
  user: string;
}

export interface ErrorInfo {
  name: string;
  message: string;
  isAbortError: boolean;
  isConnectionError: boolean;
  isDifyApiError: boolean;
  status?: number;
  code?: string;
}

export interface StreamOutcome {
  /** The `event` of each event the loop got, in order. */
  events: string[];
  /** Events the loop still got after the page aborted (0 when it aborted nothing). */
  eventsAfterAbort: number;
  /** What the loop threw, or null when it ended normally (or by `break`). */
  error: ErrorInfo | null;
}

function clientFor(input: CaseInput) {
  return createChatflowClient({ apiKey: input.apiKey, baseUrl: input.baseUrl, maxRetries: 0 });
}

function streamChat(input: CaseInput, query: string, signal?: AbortSignal) {
  return clientFor(input).sendChatMessage({ query, user: input.user, inputs: {}, response_mode: "streaming" }, signal ? { signal } : undefined);
}

function describe(error: unknown): ErrorInfo {
  const info: ErrorInfo = {
    name: error instanceof Error ? error.name : typeof error,
    message: error instanceof Error ? error.message : String(error),
    isAbortError: error instanceof AbortError,
    isConnectionError: error instanceof ConnectionError,
    isDifyApiError: error instanceof DifyApiError,
  };
  if (error instanceof DifyApiError) {
    info.status = error.status;
    if (error.code !== undefined) info.code = error.code;
  }
  return info;
}

/** Reads the stream; after the first event, `stop` runs once (an abort) and the loop goes on to see what follows. */
async function readAndStop(events: AsyncIterable<{ event: string }>, stop: () => void): Promise<StreamOutcome> {
  const outcome: StreamOutcome = { events: [], eventsAfterAbort: 0, error: null };
  try {
    for await (const event of events) {
      outcome.events.push(event.event);
      if (outcome.events.length === 1) stop();
      else outcome.eventsAfterAbort++;
    }
  } catch (error) {
    outcome.error = describe(error);
  }
  return outcome;
}

const cases = {
  /** Acknowledges each event to the page's origin before reading on: the server writes event N+1 only after that. */
  async gatedStream(input: CaseInput): Promise<StreamOutcome> {
    const outcome: StreamOutcome = { events: [], eventsAfterAbort: 0, error: null };
    try {
      for await (const event of await streamChat(input, "gated")) {
        outcome.events.push(event.event);
        const ack = await fetch("/__ack", { method: "POST", body: JSON.stringify({ token: input.user, index: outcome.events.length - 1 }) });
        if (!ack.ok) throw new Error(`ack answered ${ack.status}`);
      }
    } catch (error) {
      outcome.error = describe(error);
    }
    return outcome;
  },

  async breakAfterFirst(input: CaseInput): Promise<StreamOutcome> {
    const outcome: StreamOutcome = { events: [], eventsAfterAbort: 0, error: null };
    try {
      for await (const event of await streamChat(input, "held")) {
        outcome.events.push(event.event);
        break;
      }
    } catch (error) {
      outcome.error = describe(error);
    }
    return outcome;
  },

  async abortMethod(input: CaseInput): Promise<StreamOutcome> {
    const stream = await streamChat(input, "held");
    return readAndStop(stream, () => stream.abort());
  },

  async abortSignal(input: CaseInput): Promise<StreamOutcome> {
    const controller = new AbortController();
    const stream = await streamChat(input, "held", controller.signal);
    return readAndStop(stream, () => controller.abort());
  },

  async errorEvent(input: CaseInput): Promise<StreamOutcome> {
    const outcome: StreamOutcome = { events: [], eventsAfterAbort: 0, error: null };
    try {
      for await (const event of await streamChat(input, "error")) outcome.events.push(event.event);
    } catch (error) {
      outcome.error = describe(error);
    }
    return outcome;
  },

  async upload(input: CaseInput & { name: string; type: string; bytes: number[] }) {
    const file = new File([Uint8Array.from(input.bytes)], input.name, { type: input.type });
    const uploaded = await clientFor(input).uploadFile({ file, user: input.user });
    return { name: uploaded.name, size: uploaded.size, mimeType: uploaded.mime_type };
  },

  async download(input: CaseInput) {
    const audio = await clientFor(input).textToAudio({ text: "Hello", user: input.user });
    return { type: audio.type, bytes: Array.from(new Uint8Array(await audio.arrayBuffer())) };
  },

  /** A blocking chat; a failure is reported, not thrown. */
  async blockingChat(input: CaseInput): Promise<{ answer: string | null; error: ErrorInfo | null }> {
    try {
      const result = await clientFor(input).sendChatMessage({ query: "Hello", user: input.user, inputs: {}, response_mode: "blocking" });
      return { answer: result.answer ?? "", error: null };
    } catch (error) {
      return { answer: null, error: describe(error) };
    }
  },
};

export type BrowserCases = typeof cases;

declare global {
  interface Window {
    browserCases: BrowserCases;
  }
}

window.browserCases = cases;
