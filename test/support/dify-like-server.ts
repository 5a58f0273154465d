/**
 * A loopback HTTP server that answers like Dify's Service API for the calls a chat
 * app makes: stream or block a chat message, upload a file, speech to text, text to
 * audio, delete a conversation. It records every request it receives (so a test can
 * prove nothing was sent twice) and when each client went away (so a test can prove
 * that leaving a stream disconnects, without guessing with sleeps).
 *
 * Only `node:http` on 127.0.0.1, port 0; multipart bodies are parsed with the Web
 * `Request.formData()`, the same parser a browser-side test would use.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { SendChatMessageEvent, SendChatMessageResult } from "../../src/index.js";
import { CONVERSATION_ID, MESSAGE_ID, TASK_ID, chatflowStream, toSse } from "../fixtures/streams/chatflow-stream.js";

/** The key the server accepts unless told otherwise. */
export const LOOPBACK_API_KEY = "app-loopback-3f9a7c21";

/** What `POST /text-to-audio` answers: an MP3 frame header followed by every byte value once. */
export const AUDIO_BYTES: Uint8Array<ArrayBuffer> = Uint8Array.from([0xff, 0xfb, 0x90, 0x64, ...Array.from({ length: 256 }, (_, i) => i)]);
export const AUDIO_TYPE = "audio/mpeg";

/** What `POST /audio-to-text` answers in `text`. */
export const TRANSCRIPT = "Hello from the loopback server, ça va? 你好";

export interface RecordedFile {
  name: string;
  type: string;
  bytes: Uint8Array<ArrayBuffer>;
}

export interface RecordedRequest {
  method: string;
  /** Path and query, as sent: `/v1/conversations/c-1`. */
  url: string;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Uint8Array<ArrayBuffer>;
  /** The parsed form, when the body was `multipart/form-data`. */
  form?: { fields: Record<string, string>; files: Record<string, RecordedFile> };
  /**
   * Resolves when the response's connection closed. `clientDisconnected` is true when
   * the client left before the server finished the response (a cancelled stream).
   */
  closed: Promise<{ clientDisconnected: boolean }>;
  /** How many SSE events the server wrote for this request. */
  eventsWritten: number;
}

export interface DifyLikeServerOptions {
  /** @default LOOPBACK_API_KEY */
  apiKey?: string;
  /**
   * How a chat with `response_mode: "streaming"` answers (without it, Dify answers blocking).
   * `recorded`: a streaming chat answers `events` and ends.
   * `endless`: it keeps sending `message` events until the client disconnects.
   * @default "recorded"
   */
  stream?: "recorded" | "endless";
  /** @default chatflowStream, the recorded Dify stream */
  events?: readonly SendChatMessageEvent[];
  /** Pause between written chunks; 0 yields to the event loop only. @default 0 */
  chunkDelayMs?: number;
}

export interface DifyLikeServer {
  /** `http://127.0.0.1:<port>/v1`, the client's `baseUrl`. */
  baseUrl: string;
  apiKey: string;
  /** Every request received, in arrival order. */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startDifyLikeServer(options: DifyLikeServerOptions = {}): Promise<DifyLikeServer> {
  const apiKey = options.apiKey ?? LOOPBACK_API_KEY;
  const settings = { apiKey, mode: options.stream ?? "recorded", events: options.events ?? chatflowStream, delayMs: options.chunkDelayMs ?? 0 };
  const requests: RecordedRequest[] = [];

  const server = createServer((req, res) => {
    handle(req, res, settings, requests).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, envelope(500, "internal_server_error", String(error)));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    apiKey,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // fetch keeps connections alive: without this, close() waits for them to time out.
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

interface Settings {
  apiKey: string;
  mode: "recorded" | "endless";
  events: readonly SendChatMessageEvent[];
  delayMs: number;
}

async function handle(req: IncomingMessage, res: ServerResponse, settings: Settings, requests: RecordedRequest[]): Promise<void> {
  res.on("error", () => undefined); // a write after the client left is expected in the endless mode
  const closed = new Promise<{ clientDisconnected: boolean }>((resolve) => {
    res.once("close", () => resolve({ clientDisconnected: !res.writableFinished }));
  });
  const body = await readBody(req);
  const headers = flatHeaders(req);
  const recorded: RecordedRequest = { method: req.method ?? "", url: req.url ?? "", headers, body, closed, eventsWritten: 0 };
  requests.push(recorded);

  if (headers["authorization"] !== `Bearer ${settings.apiKey}`) {
    return sendJson(res, 401, envelope(401, "unauthorized", "Access token is invalid"));
  }
  if (headers["content-type"]?.startsWith("multipart/form-data")) {
    recorded.form = await parseForm(req, headers, body);
  }

  const path = new URL(recorded.url, "http://loopback").pathname;
  const route = `${recorded.method} ${path}`;
  if (route === "POST /v1/chat-messages") return chat(res, recorded, settings);
  if (route === "POST /v1/files/upload") return upload(res, recorded);
  if (route === "POST /v1/audio-to-text") return speechToText(res, recorded);
  if (route === "POST /v1/text-to-audio") return textToAudio(res, recorded);
  if (recorded.method === "DELETE" && /^\/v1\/conversations\/[^/]+$/.test(path)) {
    // The spec: a JSON body is always required, `user` in it is optional (`{}` without one).
    const request = parseJson(body);
    if (request === undefined || !optionalUser(request["user"])) {
      return sendJson(res, 400, envelope(400, "invalid_param", "a JSON body is required; user must be a string"));
    }
    res.writeHead(204).end();
    return;
  }
  sendJson(res, 404, envelope(404, "not_found", `${route} is not served by the Dify-like server`));
}

async function chat(res: ServerResponse, recorded: RecordedRequest, settings: Settings): Promise<void> {
  const request = parseJson(recorded.body);
  const inputs = request?.["inputs"];
  if (typeof request?.["query"] !== "string" || typeof request["user"] !== "string" || typeof inputs !== "object" || inputs === null || Array.isArray(inputs)) {
    return sendJson(res, 400, envelope(400, "invalid_param", "query, inputs and user are required"));
  }
  // The spec: "When omitted, defaults to blocking behavior". Only an explicit "streaming" streams.
  if (request["response_mode"] !== "streaming") return sendJson(res, 200, blockingAnswer(settings.events));

  res.writeHead(200, { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache", "X-Accel-Buffering": "no" });
  const encoder = new TextEncoder();
  const write = async (text: string) => {
    const bytes = encoder.encode(text);
    // Two writes per frame, cut at the middle byte: often inside a multi-byte character.
    const middle = Math.floor(bytes.length / 2);
    for (const chunk of [bytes.subarray(0, middle), bytes.subarray(middle)]) {
      if (res.destroyed || res.closed) return;
      res.write(chunk);
      await pause(settings.delayMs);
    }
  };

  if (settings.mode === "endless") {
    for (let n = 0; !res.destroyed && !res.closed; n++) {
      await write(`data: ${JSON.stringify({ event: "message", task_id: TASK_ID, message_id: MESSAGE_ID, conversation_id: CONVERSATION_ID, answer: `${n} ` })}\n\n`);
      recorded.eventsWritten++;
    }
    return;
  }
  const frames = toSse(settings.events).split(/(?<=\n\n)/);
  for (const frame of frames) {
    await write(frame);
    if (frame.startsWith("data:")) recorded.eventsWritten++;
  }
  res.end();
}

/** The blocking answer, built from the same events: what Dify returns for `response_mode: "blocking"` (or none). */
function blockingAnswer(events: readonly SendChatMessageEvent[]): SendChatMessageResult {
  const end = events.find((event) => event.event === "message_end");
  return {
    event: "message",
    task_id: TASK_ID,
    id: MESSAGE_ID,
    message_id: MESSAGE_ID,
    conversation_id: CONVERSATION_ID,
    mode: "advanced-chat",
    answer: events.map((event) => (event.event === "message" ? (event.answer ?? "") : "")).join(""),
    metadata: (end?.event === "message_end" ? end.metadata : undefined) ?? {},
    created_at: 1_705_395_332,
  };
}

function upload(res: ServerResponse, recorded: RecordedRequest): void {
  const file = recorded.form?.files["file"];
  // `user` is optional (the spec: an upload without one is attributed to `DEFAULT-USER`).
  if (!file) return sendJson(res, 400, envelope(400, "no_file_uploaded", "Please upload your file."));
  const extension = file.name.includes(".") ? file.name.slice(file.name.lastIndexOf(".") + 1) : "";
  // Dify answers an upload with 201 Created, as the spec documents.
  sendJson(res, 201, {
    id: "72fa9618-8f89-4a37-9b33-7e1178a24a67",
    name: file.name,
    size: file.bytes.byteLength,
    extension,
    mime_type: file.type,
    created_by: "bbd4aa5c-3e5b-4b0e-8c1a-4c6e1f0a9d7e",
    created_at: 1_705_395_400,
  });
}

function speechToText(res: ServerResponse, recorded: RecordedRequest): void {
  if (!recorded.form?.files["file"]) return sendJson(res, 400, envelope(400, "no_audio_uploaded", "Please upload your audio."));
  sendJson(res, 200, { text: TRANSCRIPT });
}

function textToAudio(res: ServerResponse, recorded: RecordedRequest): void {
  const request = parseJson(recorded.body);
  if (request === undefined || !optionalUser(request["user"])) return sendJson(res, 400, envelope(400, "invalid_param", "user must be a string"));
  res.writeHead(200, { "Content-Type": AUDIO_TYPE, "Content-Length": String(AUDIO_BYTES.byteLength) });
  res.end(AUDIO_BYTES);
}

/** The body is read whole first so it can be recorded; the form is then parsed by the Web platform from those bytes. */
async function parseForm(req: IncomingMessage, headers: Record<string, string>, body: Uint8Array<ArrayBuffer>): Promise<NonNullable<RecordedRequest["form"]>> {
  const request = new Request(new URL(req.url ?? "/", "http://loopback"), { method: req.method ?? "POST", headers, body });
  const fields: Record<string, string> = {};
  const files: Record<string, RecordedFile> = {};
  for (const [name, value] of await request.formData()) {
    if (typeof value === "string") fields[name] = value;
    else files[name] = { name: value.name, type: value.type, bytes: new Uint8Array(await value.arrayBuffer()) };
  }
  return { fields, files };
}

async function readBody(req: IncomingMessage): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

function parseJson(body: Uint8Array): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(body));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** `user` is optional outside `POST /chat-messages` (Dify falls back to `DEFAULT-USER`), but a string when sent. */
function optionalUser(user: unknown): boolean {
  return user === undefined || typeof user === "string";
}

/** Dify's error envelope. */
function envelope(status: number, code: string, message: string) {
  return { code, message, status };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(text)) });
  res.end(text);
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)));
}
