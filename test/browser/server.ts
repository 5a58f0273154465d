/**
 * The loopback origins of the browser check (`npm run test:browser`), composed around the
 * Dify-like server of test/support (which stays as it is):
 *
 * - a *front* origin answers the browser. It serves the page (on the page's own origin), answers
 *   CORS preflights when told to, and plays two stream scenarios the Dify-like server cannot:
 *   `gated` (each event is written only after the page acknowledged the one before it, through
 *   `POST /__ack` on the page's origin, so incremental delivery is proven without sleeps) and
 *   `held` (several events in one write, then the response is held open until the client leaves,
 *   so only the client can close the socket). Everything else (uploads, audio, the blocking chat,
 *   a stream with an `event: error`) is forwarded to a Dify-like server, byte for byte.
 * - the Dify-like server itself is the origin *without* CORS headers.
 *
 * Every front request is recorded with the moment its client went away, like the Dify-like
 * server's own records.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { SendChatMessageEvent } from "../../src/index.js";
import { chatflowStream, toSse } from "../fixtures/streams/chatflow-stream.js";
import type { DifyLikeServer } from "../support/dify-like-server.js";

/** The chat `query` values the front answers itself; any other query is forwarded. */
export const GATED_QUERY = "gated";
export const HELD_QUERY = "held";
/** A chat with this query goes to the Dify-like server whose stream ends in `event: error`. */
export const ERROR_QUERY = "error";

/** The events of the gated stream, written without pings: the client hides those, so the page could never acknowledge one. */
export const GATED_EVENTS: readonly SendChatMessageEvent[] = chatflowStream;
/** The events the held stream writes in a single chunk before holding the response open. */
export const HELD_EVENTS: readonly SendChatMessageEvent[] = chatflowStream.slice(0, 6);

/** The headers a preflight allows: exactly what the client sends (a new header would fail here first). */
export const ALLOWED_HEADERS = "Authorization, Content-Type, Accept";

export interface FrontRequest {
  method: string;
  url: string;
  /** Lower-cased names. */
  headers: Record<string, string>;
  /** The status the front answered, or the Dify-like server's when forwarded. */
  status?: number;
  /** Response headers as sent to the browser (lower-cased), for preflights. */
  responseHeaders?: Record<string, string>;
  /** `gated` or `held` when the front played that stream. */
  scenario?: string;
  /** SSE events written so far by a gated or held stream. */
  eventsWritten: number;
  /** Resolves when the browser's connection for this response closed; true when it left before the end. */
  closed: Promise<{ clientDisconnected: boolean }>;
}

/** One acknowledgement of the gated stream, with how many events the server had written when it arrived. */
export interface Ack {
  token: string;
  index: number;
  eventsWrittenAtAck: number;
}

/** The page's acknowledgements of gated events, shared by all fronts (acks always go to the page's origin). */
export class AckGate {
  readonly acks: Ack[] = [];
  readonly #waiters = new Map<string, { promise: Promise<void>; resolve: () => void }>();
  readonly #streams = new Map<string, FrontRequest>();

  track(token: string, request: FrontRequest): void {
    this.#streams.set(token, request);
  }

  /** Resolves once the page acknowledged event `index` of the stream `token`. */
  acknowledged(token: string, index: number): Promise<void> {
    return this.#slot(token, index).promise;
  }

  ack(token: string, index: number): void {
    this.acks.push({ token, index, eventsWrittenAtAck: this.#streams.get(token)?.eventsWritten ?? -1 });
    this.#slot(token, index).resolve();
  }

  #slot(token: string, index: number) {
    const key = `${token}#${index}`;
    let slot = this.#waiters.get(key);
    if (!slot) {
      let resolve: () => void = () => undefined;
      const promise = new Promise<void>((done) => (resolve = done));
      slot = { promise, resolve };
      this.#waiters.set(key, slot);
    }
    return slot;
  }
}

export interface FrontOptions {
  apiKey: string;
  /** Where non-scenario requests go. */
  upstream: DifyLikeServer;
  /** Where a chat with `query: "error"` goes. */
  errorUpstream: DifyLikeServer;
  gate: AckGate;
  /** Serve the page (`/` and `/page.js`) and the ack endpoint. */
  page?: { html: string; script: string };
  /** Answer preflights and add `Access-Control-Allow-Origin` for this origin. */
  corsOrigin?: string;
}

export interface Front {
  origin: string;
  /** `<origin>/v1`, the client's `baseUrl`. */
  baseUrl: string;
  requests: FrontRequest[];
  close(): Promise<void>;
}

export async function startFront(options: FrontOptions): Promise<Front> {
  const requests: FrontRequest[] = [];
  const server = createServer((req, res) => {
    handle(req, res, options, requests).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, "text/plain", String(error));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    baseUrl: `${origin}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Held streams never end on their own: drop every connection, then stop listening.
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, options: FrontOptions, requests: FrontRequest[]): Promise<void> {
  res.on("error", () => undefined); // writes after the browser left are expected
  const closed = new Promise<{ clientDisconnected: boolean }>((resolve) => {
    res.once("close", () => resolve({ clientDisconnected: !res.writableFinished }));
  });
  const headers = flatHeaders(req);
  const record: FrontRequest = { method: req.method ?? "", url: req.url ?? "", headers, eventsWritten: 0, closed };
  requests.push(record);
  const body = await readBody(req);
  const cors: Record<string, string> = options.corsOrigin ? { "Access-Control-Allow-Origin": options.corsOrigin, Vary: "Origin" } : {};
  const answer = (status: number, extra: Record<string, string>) => {
    record.status = status;
    record.responseHeaders = lowerCase({ ...extra, ...cors });
    res.writeHead(status, { ...extra, ...cors });
  };
  const path = new URL(record.url, "http://loopback").pathname;

  if (options.page && record.method === "GET" && path === "/") return send(res, 200, "text/html; charset=utf-8", options.page.html);
  if (options.page && record.method === "GET" && path === "/page.js") return send(res, 200, "text/javascript; charset=utf-8", options.page.script);
  if (options.page && record.method === "POST" && path === "/__ack") {
    const { token, index } = JSON.parse(new TextDecoder().decode(body)) as { token: string; index: number };
    options.gate.ack(token, index);
    return send(res, 204, "text/plain", "");
  }
  if (options.corsOrigin && record.method === "OPTIONS") {
    answer(204, {
      "Access-Control-Allow-Methods": "GET, POST, PUT, PATCH, DELETE",
      "Access-Control-Allow-Headers": ALLOWED_HEADERS,
      // No Access-Control-Max-Age: each case's first cross-origin call is preflighted, not served from a cache.
    });
    res.end();
    return;
  }

  const chat = record.method === "POST" && path === "/v1/chat-messages" ? parseChat(body) : undefined;
  if (chat?.query === GATED_QUERY || chat?.query === HELD_QUERY) {
    if (headers["authorization"] !== `Bearer ${options.apiKey}`) {
      answer(401, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ code: "unauthorized", message: "Access token is invalid", status: 401 }));
      return;
    }
    record.scenario = chat.query;
    answer(200, { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache" });
    if (chat.query === HELD_QUERY) {
      // One write: the browser gets every event in one chunk, so they sit parsed in the client's queue.
      res.write(toSse(HELD_EVENTS, { pings: false }));
      record.eventsWritten = HELD_EVENTS.length;
      await closed;
      return;
    }
    // `user` names the stream, so the page's acks find it.
    options.gate.track(chat.user, record);
    for (const [index, event] of GATED_EVENTS.entries()) {
      res.write(toSse([event], { pings: false }));
      record.eventsWritten++;
      await Promise.race([options.gate.acknowledged(chat.user, index), closed]);
      if (res.destroyed || res.closed) return;
    }
    res.end();
    return;
  }

  forward(req, res, body, chat?.query === ERROR_QUERY ? options.errorUpstream : options.upstream, (status, upstreamHeaders) => {
    record.status = status;
    record.responseHeaders = lowerCase({ ...upstreamHeaders, ...cors });
    return { ...upstreamHeaders, ...cors };
  });
}

/** Sends the request to the Dify-like server and streams its answer back; a browser that leaves ends the upstream request too. */
function forward(
  req: IncomingMessage,
  res: ServerResponse,
  body: Uint8Array,
  upstream: DifyLikeServer,
  headersFor: (status: number, headers: Record<string, string>) => Record<string, string>,
): void {
  const target = new URL(upstream.baseUrl);
  const out = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } }, (answer) => {
    const status = answer.statusCode ?? 502;
    res.writeHead(status, headersFor(status, flatHeaders(answer)));
    answer.pipe(res);
  });
  out.on("error", () => res.destroy());
  res.once("close", () => out.destroy());
  out.end(body);
}

function parseChat(body: Uint8Array): { query: string; user: string } | undefined {
  try {
    const value = JSON.parse(new TextDecoder().decode(body)) as { query?: unknown; user?: unknown };
    return typeof value.query === "string" && typeof value.user === "string" ? { query: value.query, user: value.user } : undefined;
  } catch {
    return undefined;
  }
}

async function readBody(req: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

function flatHeaders(message: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

function lowerCase(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

function send(res: ServerResponse, status: number, type: string, text: string): void {
  res.writeHead(status, { "Content-Type": type, "Content-Length": String(Buffer.byteLength(text)) });
  res.end(text);
}
