/**
 * A loopback HTTP server that answers like Dify's Service API for the calls a chat
 * app makes: stream or block a chat message, upload a file, speech to text, text to
 * audio, delete a conversation. It also runs the flows of the other app types: a
 * workflow run (streamed or blocking, stopped by its task, its run detail read back),
 * a completion, and a knowledge base (create it, add a document by file, poll its
 * indexing, list its documents page by page, retrieve chunks, delete it), behind the
 * dataset key as in Dify. It lists conversations in Dify's cursor pages.
 *
 * It records every request it receives (so a test can prove nothing was sent twice)
 * and when each client went away (so a test can prove that leaving a stream
 * disconnects, without guessing with sleeps). Nothing in it waits on a timer: a held
 * run waits for its stop request, indexing completes after a counted number of polls.
 *
 * Only `node:http` on 127.0.0.1, port 0; multipart bodies are parsed with the Web
 * `Request.formData()`, the same parser a browser-side test would use.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type {
  CreateDocumentByFileResult,
  CreateKnowledgeBaseResult,
  GetDocumentIndexingStatusResult,
  GetWorkflowRunDetailResult,
  ListConversationsItem,
  ListConversationsResult,
  ListDocumentsResult,
  RetrieveChunksResult,
  RunWorkflowEvent,
  RunWorkflowResult,
  SendChatMessageEvent,
  SendChatMessageResult,
  SendCompletionMessageEvent,
  SendCompletionMessageResult,
  StreamWorkflowEventsEvent,
} from "../../src/index.js";
import { CONVERSATION_ID, MESSAGE_ID, TASK_ID, chatflowStream, toSse } from "../fixtures/streams/chatflow-stream.js";
import { completionStream } from "../fixtures/streams/completion-stream.js";
import { datasourceStream } from "../fixtures/streams/datasource-stream.js";
import { WORKFLOW_ID, workflowStopped, workflowStream, type WorkflowFinishedEvent } from "../fixtures/streams/workflow-stream.js";

/** The app key the server accepts unless told otherwise. */
export const LOOPBACK_API_KEY = "app-loopback-3f9a7c21";
/** The knowledge (dataset) key: Dify serves `/datasets/…` to this key only, never to an app's key. */
export const LOOPBACK_DATASET_API_KEY = "dataset-loopback-8e2d4b60";
/** How many indexing-status polls a new document takes to reach `completed`, unless told otherwise. */
export const INDEXING_POLLS = 3;
/** What a document reports on the polls before the one that completes it, in order (the last repeats). */
export const INDEXING_STEPS = ["waiting", "parsing", "splitting", "indexing"] as const;

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
  /** Its place in arrival order, from 1. */
  index: number;
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
  /** @default LOOPBACK_DATASET_API_KEY */
  datasetApiKey?: string;
  /**
   * How a streaming workflow run (`POST /workflows/run`, `/workflows/{id}/run`) answers.
   * `recorded`: it streams `workflowEvents` and ends.
   * `until-stopped`: it streams `workflowEvents` up to their `workflow_finished`, then holds
   * the stream open until `POST /workflows/tasks/{task_id}/stop` names its task, and ends
   * with the `workflow_finished` of a stopped run.
   * @default "recorded"
   */
  workflow?: "recorded" | "until-stopped";
  /** @default workflowStream, the recorded Dify workflow run */
  workflowEvents?: readonly RunWorkflowEvent[];
  /** @default completionStream, the recorded Dify completion */
  completionEvents?: readonly SendCompletionMessageEvent[];
  /** The indexing-status poll (counted per batch, from 1) that first answers `completed`. @default INDEXING_POLLS */
  indexingPolls?: number;
  /** Pause between written chunks; 0 yields to the event loop only. @default 0 */
  chunkDelayMs?: number;
  /** How many conversations `GET /conversations` lists (most recently active first), ids `conv-1`, `conv-2`, …. @default 7 */
  conversations?: number;
  /**
   * Consulted for every list request (`GET /conversations`, `GET /datasets/{id}/documents`): a status
   * to answer instead, with Dify's error envelope, or undefined to answer the page.
   */
  failList?: (request: RecordedRequest) => number | undefined;
  /**
   * A streaming chat or workflow run loses its connection (the socket destroyed, no proper end)
   * right after the first event of this name; the run goes on, and `GET /workflow/{id}/events`
   * (same `user`) streams the events it had not sent.
   */
  cutAfter?: string;
  /** How many `GET /workflow/{id}/events` streams are cut too, each after its first event. @default 0 */
  resumeCuts?: number;
  /**
   * A human input form: after `POST /form/human_input/{form_token}` names this token, `GET
   * /workflow/{id}/events` of the paused run streams `events` (before it, the pause again).
   */
  humanInput?: { formToken: string; events: readonly StreamWorkflowEventsEvent[] };
}

export interface DifyLikeServer {
  /** `http://127.0.0.1:<port>/v1`, the client's `baseUrl`. */
  baseUrl: string;
  apiKey: string;
  datasetApiKey: string;
  /** Every request received, in arrival order. */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startDifyLikeServer(options: DifyLikeServerOptions = {}): Promise<DifyLikeServer> {
  const apiKey = options.apiKey ?? LOOPBACK_API_KEY;
  const datasetApiKey = options.datasetApiKey ?? LOOPBACK_DATASET_API_KEY;
  const settings: Settings = {
    apiKey,
    datasetApiKey,
    mode: options.stream ?? "recorded",
    events: options.events ?? chatflowStream,
    workflowMode: options.workflow ?? "recorded",
    workflowEvents: options.workflowEvents ?? workflowStream,
    completionEvents: options.completionEvents ?? completionStream,
    indexingPolls: options.indexingPolls ?? INDEXING_POLLS,
    delayMs: options.chunkDelayMs ?? 0,
    conversations: Array.from({ length: options.conversations ?? 7 }, (_, i) => conversation(i + 1)),
    failList: options.failList,
    cutAfter: options.cutAfter,
    resumeCuts: options.resumeCuts ?? 0,
    humanInput: options.humanInput,
  };
  const requests: RecordedRequest[] = [];
  const state: State = { runs: new Map(), pendingStops: new Map(), knowledgeBases: new Map() };

  const server = createServer((req, res) => {
    handle(req, res, settings, state, requests).catch((error: unknown) => {
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
    datasetApiKey,
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
  datasetApiKey: string;
  mode: "recorded" | "endless";
  events: readonly SendChatMessageEvent[];
  workflowMode: "recorded" | "until-stopped";
  workflowEvents: readonly RunWorkflowEvent[];
  completionEvents: readonly SendCompletionMessageEvent[];
  indexingPolls: number;
  delayMs: number;
  conversations: readonly ListConversationsItem[];
  failList: DifyLikeServerOptions["failList"];
  cutAfter: string | undefined;
  resumeCuts: number;
  humanInput: DifyLikeServerOptions["humanInput"];
}

/** What the server remembers between requests. */
interface State {
  /** Workflow runs by run ID, as `GET /workflows/run/{id}` reports them. */
  runs: Map<string, GetWorkflowRunDetailResult>;
  /** Held `until-stopped` runs by task ID: calling one lets its stream finish as stopped. */
  pendingStops: Map<string, () => void>;
  knowledgeBases: Map<string, KnowledgeBase>;
  /** Runs whose stream was cut or paused, by run ID: what `GET /workflow/{id}/events` continues with. */
  resumable?: Map<string, ResumableRun>;
}

interface ResumableRun {
  user: string;
  /** The events not sent yet, in order. */
  rest: object[];
  /** The events a paused run streams once its form is submitted. */
  afterForm?: readonly object[];
}

interface KnowledgeBase {
  dataset: CreateKnowledgeBaseResult & { id: string; name: string };
  /** Documents by batch ID (one document per create-by-file call). */
  batches: Map<string, KnowledgeDocument>;
}

interface KnowledgeDocument {
  id: string;
  name: string;
  /** The file's text, split into chunks at blank lines. */
  chunks: string[];
  /** How many times its indexing status was asked for. */
  polls: number;
}

async function handle(req: IncomingMessage, res: ServerResponse, settings: Settings, state: State, requests: RecordedRequest[]): Promise<void> {
  res.on("error", () => undefined); // a write after the client left is expected in the endless mode
  const closed = new Promise<{ clientDisconnected: boolean }>((resolve) => {
    res.once("close", () => resolve({ clientDisconnected: !res.writableFinished }));
  });
  const body = await readBody(req);
  const headers = flatHeaders(req);
  const recorded: RecordedRequest = { method: req.method ?? "", url: req.url ?? "", headers, body, closed, eventsWritten: 0, index: requests.length + 1 };
  requests.push(recorded);

  const path = new URL(recorded.url, "http://loopback").pathname;
  // Dify's two kinds of key: an app's for the app APIs, a knowledge key for `/datasets`.
  const knowledge = path === "/v1/datasets" || path.startsWith("/v1/datasets/");
  if (headers["authorization"] !== `Bearer ${knowledge ? settings.datasetApiKey : settings.apiKey}`) {
    return sendJson(res, 401, envelope(401, "unauthorized", "Access token is invalid"));
  }
  if (headers["content-type"]?.startsWith("multipart/form-data")) {
    recorded.form = await parseForm(req, headers, body);
  }

  const route = `${recorded.method} ${path}`;
  if (knowledge) return knowledgeRoute(res, recorded, route, settings, state);
  if (route === "POST /v1/chat-messages") return chat(res, recorded, settings, state);
  if (route === "POST /v1/workflows/run") return runWorkflow(res, recorded, settings, state);
  const resumed = /^GET \/v1\/workflow\/([^/]+)\/events$/.exec(route);
  if (resumed) return resumeRun(res, recorded, settings, state, decodeURIComponent(resumed[1]!));
  const form = /^POST \/v1\/form\/human_input\/([^/]+)$/.exec(route);
  if (form) return submitForm(res, recorded, settings, state, decodeURIComponent(form[1]!));
  let match = /^POST \/v1\/workflows\/([^/]+)\/run$/.exec(route);
  if (match && match[1] !== "run") return runWorkflow(res, recorded, settings, state, decodeURIComponent(match[1]!));
  match = /^POST \/v1\/workflows\/tasks\/([^/]+)\/stop$/.exec(route);
  if (match) return stopTask(res, recorded, state, decodeURIComponent(match[1]!));
  match = /^GET \/v1\/workflows\/run\/([^/]+)$/.exec(route);
  if (match) {
    const run = state.runs.get(decodeURIComponent(match[1]!));
    return run ? sendJson(res, 200, run) : sendJson(res, 404, envelope(404, "not_found", "Workflow run not found."));
  }
  if (route === "POST /v1/completion-messages") return completion(res, recorded, settings);
  match = /^POST \/v1\/completion-messages\/([^/]+)\/stop$/.exec(route);
  if (match) return stopTask(res, recorded, state, decodeURIComponent(match[1]!));
  if (route === "POST /v1/files/upload") return upload(res, recorded);
  if (route === "GET /v1/conversations") return listConversations(res, recorded, settings);
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

async function chat(res: ServerResponse, recorded: RecordedRequest, settings: Settings, state: State): Promise<void> {
  const request = parseJson(recorded.body);
  const inputs = request?.["inputs"];
  if (typeof request?.["query"] !== "string" || typeof request["user"] !== "string" || typeof inputs !== "object" || inputs === null || Array.isArray(inputs)) {
    return sendJson(res, 400, envelope(400, "invalid_param", "query, inputs and user are required"));
  }
  // The spec: "When omitted, defaults to blocking behavior". Only an explicit "streaming" streams.
  if (request["response_mode"] !== "streaming") return sendJson(res, 200, blockingAnswer(settings.events));

  openSse(res);
  if (settings.mode === "endless") {
    for (let n = 0; !res.destroyed && !res.closed; n++) {
      await writeFrame(res, settings, `data: ${JSON.stringify({ event: "message", task_id: TASK_ID, message_id: MESSAGE_ID, conversation_id: CONVERSATION_ID, answer: `${n} ` })}\n\n`);
      recorded.eventsWritten++;
    }
    return;
  }
  if (await writeUntilCut(res, recorded, settings, state, settings.events, request["user"])) return;
  await writeEvents(res, recorded, settings, settings.events);
  res.end();
}

function openSse(res: ServerResponse): void {
  res.writeHead(200, { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache", "X-Accel-Buffering": "no" });
}

/** Writes one SSE frame as two writes, cut at the middle byte: often inside a multi-byte character. */
async function writeFrame(res: ServerResponse, settings: Settings, text: string): Promise<void> {
  const bytes = new TextEncoder().encode(text);
  const middle = Math.floor(bytes.length / 2);
  for (const chunk of [bytes.subarray(0, middle), bytes.subarray(middle)]) {
    if (res.destroyed || res.closed) return;
    res.write(chunk);
    await pause(settings.delayMs);
  }
}

/** Writes the events as Dify's wire text (pings included), counting the data frames. */
async function writeEvents(res: ServerResponse, recorded: RecordedRequest, settings: Settings, events: readonly object[]): Promise<void> {
  for (const frame of toSse(events).split(/(?<=\n\n)/)) {
    await writeFrame(res, settings, frame);
    if (frame.startsWith("data:")) recorded.eventsWritten++;
  }
}

/** A run's body: `inputs` (an object) and `user` are required by the spec, as for a completion. */
function appRequest(recorded: RecordedRequest): Record<string, unknown> & { inputs: Record<string, unknown> } | undefined {
  const request = parseJson(recorded.body);
  const inputs = request?.["inputs"];
  if (typeof request?.["user"] !== "string" || typeof inputs !== "object" || inputs === null || Array.isArray(inputs)) return undefined;
  return { ...request, inputs: inputs as Record<string, unknown> };
}

async function runWorkflow(res: ServerResponse, recorded: RecordedRequest, settings: Settings, state: State, workflowId?: string): Promise<void> {
  const request = appRequest(recorded);
  if (!request) return sendJson(res, 400, envelope(400, "invalid_param", "inputs and user are required"));
  // Only the recorded workflow's published version exists.
  if (workflowId !== undefined && workflowId !== WORKFLOW_ID) return sendJson(res, 404, envelope(404, "not_found", "Workflow not found."));
  const events = settings.workflowEvents;
  const terminal = events.find((event): event is WorkflowFinishedEvent => event.event === "workflow_finished");
  // A paused run has no `workflow_finished`: its other events carry the run id too.
  const runId = terminal?.workflow_run_id ?? runIdOf(events) ?? "";
  const taskId = terminal?.task_id ?? "";
  const remember = (finished: WorkflowFinishedEvent | undefined) => state.runs.set(runId, runDetail(runId, request.inputs, finished));

  if (request["response_mode"] !== "streaming") {
    remember(terminal);
    return sendJson(res, 200, blockingRun(terminal));
  }
  openSse(res);
  remember(undefined);
  if (settings.workflowMode === "recorded") {
    if (await writeUntilCut(res, recorded, settings, state, events, request["user"])) return;
    await writeEvents(res, recorded, settings, events);
    if (settings.humanInput && events.at(-1)?.event === "workflow_paused") {
      resumableRuns(state).set(runId, { user: String(request["user"]), rest: [events.at(-1)!], afterForm: settings.humanInput.events });
    }
    remember(terminal);
    res.end();
    return;
  }
  // Registered before the first byte, so a stop sent on seeing any event finds it.
  const stopped = new Promise<boolean>((resolve) => state.pendingStops.set(taskId, () => resolve(true)));
  await writeEvents(res, recorded, settings, events.filter((event) => event !== terminal));
  const wasStopped = await Promise.race([stopped, recorded.closed.then(() => false)]);
  state.pendingStops.delete(taskId);
  if (!wasStopped) return;
  await writeEvents(res, recorded, settings, [workflowStopped]);
  remember(workflowStopped);
  res.end();
}

/** The first `workflow_run_id` the events carry. */
function runIdOf(events: readonly object[]): string | undefined {
  return events.map((event) => (event as { workflow_run_id?: unknown }).workflow_run_id).find((id): id is string => typeof id === "string");
}

function resumableRuns(state: State): Map<string, ResumableRun> {
  return (state.resumable ??= new Map());
}

/**
 * With `cutAfter`: writes the events up to the first one of that name, remembers the rest for
 * `GET /workflow/{id}/events`, and destroys the socket once they are flushed. False when nothing is cut.
 */
async function writeUntilCut(res: ServerResponse, recorded: RecordedRequest, settings: Settings, state: State, events: readonly object[], user: unknown): Promise<boolean> {
  const at = events.findIndex((event) => (event as { event?: unknown }).event === settings.cutAfter);
  if (settings.cutAfter === undefined || at === -1) return false;
  resumableRuns(state).set(runIdOf(events) ?? "", { user: String(user), rest: events.slice(at + 1) });
  await cutAfterWriting(res, recorded, events.slice(0, at + 1));
  return true;
}

/** Writes the events, waits until they reached the socket, then destroys it: the client sees its body fail mid-stream. */
async function cutAfterWriting(res: ServerResponse, recorded: RecordedRequest, events: readonly object[]): Promise<void> {
  await new Promise<void>((resolve) => res.write(toSse(events, { pings: false }), () => resolve()));
  recorded.eventsWritten += events.length;
  res.destroy();
}

/**
 * `GET /workflow/{workflow_run_id}/events?user=…`: the events of a cut run it had not sent (each
 * answer cut after one event while `resumeCuts` lasts), or a paused run's continuation once its
 * form is submitted. Another user's run is not found, as in Dify.
 */
async function resumeRun(res: ServerResponse, recorded: RecordedRequest, settings: Settings, state: State, runId: string): Promise<void> {
  const user = new URL(recorded.url, "http://loopback").searchParams.get("user");
  const run = state.resumable?.get(runId);
  if (!run || run.user !== user) return sendJson(res, 404, envelope(404, "not_found", "Workflow run not found"));
  openSse(res);
  if (settings.resumeCuts > 0 && run.rest.length > 1) {
    settings.resumeCuts--;
    await cutAfterWriting(res, recorded, run.rest.splice(0, 1));
    return;
  }
  const events = run.rest.splice(0);
  await writeEvents(res, recorded, settings, events);
  res.end();
}

/** `POST /form/human_input/{form_token}`: the paused run continues (its events are then streamed by GET …/events). */
function submitForm(res: ServerResponse, recorded: RecordedRequest, settings: Settings, state: State, formToken: string): void {
  const request = parseJson(recorded.body);
  if (typeof request?.["action"] !== "string" || typeof request["inputs"] !== "object") return sendJson(res, 400, envelope(400, "invalid_param", "inputs and action are required"));
  const run = [...(state.resumable?.values() ?? [])].find((candidate) => candidate.afterForm !== undefined);
  if (settings.humanInput?.formToken !== formToken || !run?.afterForm) return sendJson(res, 404, envelope(404, "not_found", "Form not found"));
  run.rest = [...run.afterForm];
  delete run.afterForm;
  sendJson(res, 200, {});
}

/** Dify answers a stop with success whether or not the task still runs: it only raises a stop flag. */
function stopTask(res: ServerResponse, recorded: RecordedRequest, state: State, taskId: string): void {
  const request = parseJson(recorded.body);
  if (typeof request?.["user"] !== "string") return sendJson(res, 400, envelope(400, "invalid_param", "user is required"));
  state.pendingStops.get(taskId)?.();
  sendJson(res, 200, { result: "success" });
}

/** What `GET /workflows/run/{id}` reports: `running` until a `workflow_finished`, then its status and outputs. */
function runDetail(runId: string, inputs: Record<string, unknown>, finished: WorkflowFinishedEvent | undefined): GetWorkflowRunDetailResult {
  const data = finished?.data;
  return {
    id: runId,
    workflow_id: data?.workflow_id ?? WORKFLOW_ID,
    status: data?.status ?? "running",
    // The spec: a raw JSON string the client must parse.
    inputs: JSON.stringify(inputs),
    outputs: data?.outputs ?? {},
    error: data?.error ?? null,
    total_steps: data?.total_steps ?? 0,
    total_tokens: data?.total_tokens ?? 0,
    created_at: data?.created_at ?? 0,
    finished_at: data?.finished_at ?? null,
    elapsed_time: data?.elapsed_time ?? null,
  };
}

/** The blocking answer of a run, built from its `workflow_finished` event (without the fields only streaming sends). */
function blockingRun(finished: WorkflowFinishedEvent | undefined): RunWorkflowResult {
  if (!finished?.data) return {};
  const { created_by: _createdBy, exceptions_count: _exceptions, files: _files, ...data } = finished.data;
  return { ...(finished.task_id === undefined ? {} : { task_id: finished.task_id }), ...(finished.workflow_run_id === undefined ? {} : { workflow_run_id: finished.workflow_run_id }), data };
}

async function completion(res: ServerResponse, recorded: RecordedRequest, settings: Settings): Promise<void> {
  const request = appRequest(recorded);
  if (!request) return sendJson(res, 400, envelope(400, "invalid_param", "inputs and user are required"));
  if (request["response_mode"] !== "streaming") return sendJson(res, 200, blockingCompletion(settings.completionEvents));
  openSse(res);
  await writeEvents(res, recorded, settings, settings.completionEvents);
  res.end();
}

/** The blocking answer of a completion, built from the same events. */
function blockingCompletion(events: readonly SendCompletionMessageEvent[]): SendCompletionMessageResult {
  const first = events.find((event) => event.event === "message");
  const end = events.find((event) => event.event === "message_end");
  return {
    event: "message",
    task_id: first?.task_id ?? "",
    id: first?.message_id ?? "",
    message_id: first?.message_id ?? "",
    mode: "completion",
    answer: events.map((event) => (event.event === "message" ? (event.answer ?? "") : "")).join(""),
    metadata: (end?.event === "message_end" ? end.metadata : undefined) ?? {},
    created_at: first?.created_at ?? 0,
  };
}

/** `/datasets/…`: a knowledge base, its documents by file, their indexing, retrieval. */
function knowledgeRoute(res: ServerResponse, recorded: RecordedRequest, route: string, settings: Settings, state: State): void | Promise<void> {
  if (route === "POST /v1/datasets") return createKnowledgeBase(res, recorded, state);
  const match = /^(\w+) \/v1\/datasets\/([^/]+)(\/.*)?$/.exec(route);
  const base = match ? state.knowledgeBases.get(decodeURIComponent(match[2]!)) : undefined;
  if (!match || !base) return sendJson(res, 404, envelope(404, "not_found", "Dataset not found."));
  const [, method, datasetId, rest = ""] = match;
  if (method === "DELETE" && rest === "") {
    state.knowledgeBases.delete(decodeURIComponent(datasetId!));
    res.writeHead(204).end();
    return;
  }
  if (method === "POST" && rest === "/document/create-by-file") return createDocumentByFile(res, recorded, base);
  const indexing = /^\/documents\/([^/]+)\/indexing-status$/.exec(rest);
  if (method === "GET" && indexing) return indexingStatus(res, base, decodeURIComponent(indexing[1]!), settings);
  if (method === "POST" && rest === "/retrieve") return retrieve(res, recorded, base, settings);
  if (method === "GET" && rest === "/documents") return listDocuments(res, recorded, base, settings);
  if (method === "POST" && /^\/pipeline\/datasource\/nodes\/[^/]+\/run$/.test(rest)) return runDatasourceNode(res, recorded, settings);
  sendJson(res, 404, envelope(404, "not_found", `${route} is not served by the Dify-like server`));
}

function conversation(n: number): ListConversationsItem {
  return { id: `conv-${n}`, name: `Conversation ${n}`, inputs: {}, status: "normal", introduction: "", created_at: 1_705_400_000 + n, updated_at: 1_705_500_000 - n };
}

/**
 * Dify's cursor pages: the conversations after `last_id` (an unknown id is a 404, as in Dify), `limit`
 * of them (default 20), `has_more` while more follow. Each answer carries an `x-request-id`.
 */
function listConversations(res: ServerResponse, recorded: RecordedRequest, settings: Settings): void {
  const query = new URL(recorded.url, "http://loopback").searchParams;
  const failure = settings.failList?.(recorded);
  if (failure !== undefined) return sendJson(res, failure, envelope(failure, "unavailable", "try again"), requestId(recorded));
  if (!query.get("user")) return sendJson(res, 400, envelope(400, "invalid_param", "user is required"));
  const limit = Number(query.get("limit") ?? 20);
  const lastId = query.get("last_id");
  const start = lastId === null ? 0 : settings.conversations.findIndex((c) => c.id === lastId) + 1;
  if (start === 0 && lastId !== null) return sendJson(res, 404, envelope(404, "not_found", "Last Conversation Not Exists."));
  const data = settings.conversations.slice(start, start + limit);
  const page: ListConversationsResult = { limit, has_more: start + limit < settings.conversations.length, data };
  sendJson(res, 200, page, requestId(recorded));
}

/** Dify's numbered pages of a knowledge base's documents (in creation order): `page` from 1, `limit` (default 20), `total`, `has_more`. */
function listDocuments(res: ServerResponse, recorded: RecordedRequest, base: KnowledgeBase, settings: Settings): void {
  const query = new URL(recorded.url, "http://loopback").searchParams;
  const failure = settings.failList?.(recorded);
  if (failure !== undefined) return sendJson(res, failure, envelope(failure, "unavailable", "try again"), requestId(recorded));
  const page = Number(query.get("page") ?? 1);
  const limit = Number(query.get("limit") ?? 20);
  const documents = [...base.batches.values()];
  const data = documents.slice((page - 1) * limit, page * limit).map((d, i) => ({ id: d.id, name: d.name, position: (page - 1) * limit + i + 1 }));
  const result: ListDocumentsResult = { data, has_more: page * limit < documents.length, limit, total: documents.length, page };
  sendJson(res, 200, result, requestId(recorded));
}

/** `req-<n>`: the n-th request the server received (from 1). */
function requestId(recorded: RecordedRequest): Record<string, string> {
  return { "x-request-id": `req-${recorded.index}` };
}

/** A datasource node always streams (the spec has no blocking answer for it). */
async function runDatasourceNode(res: ServerResponse, recorded: RecordedRequest, settings: Settings): Promise<void> {
  const request = parseJson(recorded.body);
  const inputs = request?.["inputs"];
  if (typeof inputs !== "object" || inputs === null || typeof request?.["datasource_type"] !== "string" || typeof request["is_published"] !== "boolean") {
    return sendJson(res, 400, envelope(400, "invalid_param", "inputs, datasource_type and is_published are required"));
  }
  openSse(res);
  await writeEvents(res, recorded, settings, datasourceStream);
  res.end();
}

function createKnowledgeBase(res: ServerResponse, recorded: RecordedRequest, state: State): void {
  const request = parseJson(recorded.body);
  const name = request?.["name"];
  if (typeof name !== "string" || name.trim() === "") return sendJson(res, 400, envelope(400, "invalid_param", "name is required"));
  if ([...state.knowledgeBases.values()].some((base) => base.dataset.name === name)) {
    return sendJson(res, 409, envelope(409, "dataset_name_duplicate", "The dataset name already exists. Please modify your dataset name."));
  }
  const technique = request?.["indexing_technique"];
  const dataset = {
    id: randomUUID(),
    name,
    description: typeof request?.["description"] === "string" ? request["description"] : "",
    provider: "vendor",
    permission: typeof request?.["permission"] === "string" ? request["permission"] : "only_me",
    ...(typeof technique === "string" ? { indexing_technique: technique } : {}),
    app_count: 0,
    document_count: 0,
    word_count: 0,
    created_at: 1_705_420_000,
  };
  state.knowledgeBases.set(dataset.id, { dataset, batches: new Map() });
  sendJson(res, 200, dataset);
}

function createDocumentByFile(res: ServerResponse, recorded: RecordedRequest, base: KnowledgeBase): void {
  const file = recorded.form?.files["file"];
  if (!file) return sendJson(res, 400, envelope(400, "no_file_uploaded", "Please upload your file."));
  let data: Record<string, unknown> = {};
  const rawData = recorded.form?.fields["data"];
  if (rawData !== undefined) {
    const parsed = parseJson(new TextEncoder().encode(rawData));
    if (!parsed) return sendJson(res, 400, envelope(400, "invalid_param", "data must be a JSON object"));
    data = parsed;
  }
  // A knowledge base created without a technique takes it from its first document.
  const technique = data["indexing_technique"] ?? base.dataset.indexing_technique;
  if (typeof technique !== "string") return sendJson(res, 400, envelope(400, "invalid_param", "indexing_technique is required."));
  base.dataset.indexing_technique ??= technique;

  const text = new TextDecoder().decode(file.bytes);
  const chunks = text.split(/\n\s*\n/).map((chunk) => chunk.trim()).filter((chunk) => chunk !== "");
  const document: KnowledgeDocument = { id: randomUUID(), name: file.name, chunks, polls: 0 };
  // Dify's batch IDs are a timestamp and a random suffix; a counter keeps them readable.
  const batch = `20240116093012${String(base.batches.size + 1).padStart(6, "0")}`;
  base.batches.set(batch, document);
  base.dataset.document_count = base.batches.size;
  const result: CreateDocumentByFileResult = {
    document: {
      id: document.id,
      position: base.batches.size,
      data_source_type: "upload_file",
      name: file.name,
      created_from: "api",
      created_at: 1_705_420_100,
      indexing_status: "waiting",
      error: null,
      enabled: true,
      archived: false,
      display_status: "queuing",
      word_count: text.split(/\s+/).filter(Boolean).length,
      hit_count: 0,
      doc_form: typeof data["doc_form"] === "string" ? data["doc_form"] : "text_model",
    },
    batch,
  };
  sendJson(res, 200, result);
}

/** Counted per batch: the `indexingPolls`-th poll (and every later one) answers `completed`. */
function indexingStatus(res: ServerResponse, base: KnowledgeBase, batch: string, settings: Settings): void {
  const document = base.batches.get(batch);
  if (!document) return sendJson(res, 404, envelope(404, "not_found", "Documents not found."));
  document.polls++;
  const completed = isIndexed(document, settings);
  const status: GetDocumentIndexingStatusResult = {
    data: [
      {
        id: document.id,
        indexing_status: completed ? "completed" : INDEXING_STEPS[Math.min(document.polls, INDEXING_STEPS.length) - 1]!,
        processing_started_at: 1_705_420_101,
        completed_at: completed ? 1_705_420_160 : null,
        error: null,
        paused_at: null,
        stopped_at: null,
        completed_segments: completed ? document.chunks.length : 0,
        total_segments: document.chunks.length,
      },
    ],
  };
  sendJson(res, 200, status);
}

function isIndexed(document: KnowledgeDocument, settings: Settings): boolean {
  return document.polls >= settings.indexingPolls;
}

/**
 * Keyword retrieval over the chunks of indexed documents only (a document still indexing
 * has no chunks to find): a chunk scores the share of the query's words it contains.
 */
function retrieve(res: ServerResponse, recorded: RecordedRequest, base: KnowledgeBase, settings: Settings): void {
  const request = parseJson(recorded.body);
  const query = request?.["query"];
  if (typeof query !== "string" || query.trim() === "") return sendJson(res, 400, envelope(400, "invalid_param", "query is required"));
  const model = request?.["retrieval_model"];
  const topK = typeof model === "object" && model !== null && typeof (model as Record<string, unknown>)["top_k"] === "number" ? ((model as Record<string, unknown>)["top_k"] as number) : 4;
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const records: NonNullable<RetrieveChunksResult["records"]> = [];
  for (const document of base.batches.values()) {
    if (!isIndexed(document, settings)) continue;
    document.chunks.forEach((content, index) => {
      const score = words.filter((word) => content.toLowerCase().includes(word)).length / words.length;
      if (score === 0) return;
      records.push({
        segment: {
          id: `${document.id.slice(0, 24)}${String(index + 1).padStart(12, "0")}`,
          position: index + 1,
          document_id: document.id,
          content,
          word_count: content.split(/\s+/).filter(Boolean).length,
          tokens: content.length,
          keywords: words.filter((word) => content.toLowerCase().includes(word)),
          hit_count: 1,
          enabled: true,
          status: "completed",
          document: { id: document.id, data_source_type: "upload_file", name: document.name },
        },
        score,
      });
    });
  }
  records.sort((a, b) => (b.score ?? 0) - (a.score ?? 0));
  const result: RetrieveChunksResult = { query: { content: query }, records: records.slice(0, topK) };
  sendJson(res, 200, result);
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

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(text)) });
  res.end(text);
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)));
}
