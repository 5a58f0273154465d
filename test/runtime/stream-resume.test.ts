/**
 * Resuming a dropped chatflow or workflow stream on loopback sockets: the Dify-like server
 * destroys the socket right after `workflow_started`, the run goes on, and the same loop
 * continues through `GET /workflow/{workflow_run_id}/events?user=…`. The server counts what
 * it received: the POST exactly once, and each resume request.
 */
import { describe, expect, it } from "vitest";
import {
  AbortError,
  ConnectionError,
  createChatflowConfig,
  createWorkflowConfig,
  runWorkflow,
  runWorkflowById,
  sendChatMessage,
  streamWorkflowEvents,
  submitHumanInputForm,
  type ResumeInfo,
  type RunWorkflowEvent,
  type SendChatMessageEvent,
  type StreamWorkflowEventsEvent,
} from "../../src/index.js";
import { WORKFLOW_RUN_ID as CHAT_RUN_ID, chatflowStream } from "../fixtures/streams/chatflow-stream.js";
import { afterFormStream, FORM_OUTPUT, FORM_TOKEN, HUMAN_INPUT_RUN_ID, pausedRunStream } from "../fixtures/streams/human-input-stream.js";
import { WORKFLOW_ID, WORKFLOW_INPUTS, WORKFLOW_RUN_ID, workflowStream } from "../fixtures/streams/workflow-stream.js";
import type { DifyLikeServer, DifyLikeServerOptions } from "../support/dify-like-server.js";
import { serverPerTest } from "../support/server-per-test.js";
import { recordSleeps } from "./fetch-recorder.js";

const USER = "user-1";
const query = { query: "你好", inputs: {}, user: USER, response_mode: "streaming" } as const;

const startServer = serverPerTest();

async function start(options: DifyLikeServerOptions) {
  const server = await startServer(options);
  const clock = recordSleeps();
  const settings = { apiKey: server.apiKey, baseUrl: server.baseUrl, headers: { "X-App": "resume-test" } };
  // The waits between resumes are recorded, not waited.
  return {
    server,
    sleeps: clock.sleeps,
    chatflow: { ...createChatflowConfig(settings), timing: clock.timing },
    workflow: { ...createWorkflowConfig(settings), timing: clock.timing },
  };
}

function count(server: DifyLikeServer, method: string, path: string): number {
  return server.requests.filter((r) => r.method === method && new URL(r.url, "http://loopback").pathname === path).length;
}

const eventsPath = (runId: string) => `/v1/workflow/${runId}/events`;

async function collect<E>(stream: AsyncIterable<E>): Promise<E[]> {
  const events: E[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

async function failure(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error("expected the loop to fail");
}

describe("a chatflow stream cut after workflow_started", () => {
  it("continues through GET /workflow/{id}/events with the same user, auth and headers, posting the message exactly once", async () => {
    const { server, chatflow, sleeps } = await start({ cutAfter: "workflow_started" });
    const resumes: ResumeInfo[] = [];
    const stream = await sendChatMessage(chatflow, query, { onResume: (info) => resumes.push(info) });
    const events = await collect(stream);

    expect(events).toEqual(chatflowStream);
    expect(stream.resumes).toBe(1);
    expect(resumes).toEqual([{ attempt: 1, runId: CHAT_RUN_ID, cause: expect.any(ConnectionError) }]);
    expect(count(server, "POST", "/v1/chat-messages")).toBe(1);
    const gets = server.requests.filter((r) => r.method === "GET");
    expect(gets.map((r) => r.url)).toEqual([`${eventsPath(CHAT_RUN_ID)}?user=${USER}`]);
    expect(gets[0]!.headers).toMatchObject({ authorization: `Bearer ${server.apiKey}`, "x-app": "resume-test", accept: "text/event-stream" });
    // The first resume goes at once: the connection dropped, the server is likely fine.
    expect(sleeps).toEqual([]);
  });

  it("resumes again when a resumed stream drops too, up to the limit, with growing waits", async () => {
    const { server, chatflow, sleeps } = await start({ cutAfter: "workflow_started", resumeCuts: 2 });
    const stream = await sendChatMessage(chatflow, query);
    expect(await collect(stream)).toEqual(chatflowStream);
    expect(stream.resumes).toBe(3);
    expect(sleeps).toEqual([500, 1000]);
    expect(count(server, "POST", "/v1/chat-messages")).toBe(1);
    expect(count(server, "GET", eventsPath(CHAT_RUN_ID))).toBe(3);
  });

  it("fails with a ConnectionError once the resumes are used up, the key in no rendering of it", async () => {
    const { server, chatflow } = await start({ cutAfter: "workflow_started", resumeCuts: 100 });
    const stream = await sendChatMessage(chatflow, query, { maxResumes: 2 });
    const seen: SendChatMessageEvent[] = [];
    const error = await failure(async () => {
      for await (const event of stream) seen.push(event);
    });
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ operation: "POST /chat-messages", attempts: 3 });
    // The first part, then one event from each cut resume.
    expect(seen).toEqual(chatflowStream.slice(0, 3));
    expect(stream.resumes).toBe(2);
    expect(count(server, "POST", "/v1/chat-messages")).toBe(1);
    expect(count(server, "GET", eventsPath(CHAT_RUN_ID))).toBe(2);
    const err = error as ConnectionError;
    for (const text of [String(err), err.stack ?? "", JSON.stringify(err), String(err.cause)]) expect(text).not.toContain(server.apiKey);
  });

  it("with `resume: false` a drop is a ConnectionError and nothing is requested again", async () => {
    const { server, chatflow } = await start({ cutAfter: "workflow_started" });
    const stream = await sendChatMessage(chatflow, query, { resume: false });
    const error = await failure(() => collect(stream));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(stream.resumes).toBe(0);
    expect(server.requests.map((r) => r.method)).toEqual(["POST"]);
  });

  it("a drop before any event carried the run id is a ConnectionError, with no resume request", async () => {
    // A chat whose first events carry no workflow_run_id (as a Chatbot's never do).
    const events = chatflowStream.filter((e) => e.event === "message" || e.event === "message_end");
    const { server, chatflow } = await start({ cutAfter: "message", events });
    const resumes: ResumeInfo[] = [];
    const stream = await sendChatMessage(chatflow, query, { onResume: (info) => resumes.push(info) });
    const error = await failure(() => collect(stream));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ operation: "POST /chat-messages", attempts: 1 });
    expect(resumes).toEqual([]);
    expect(server.requests.map((r) => r.method)).toEqual(["POST"]);
  });

  it("an abort while resuming cancels: no resume request goes out and the loop ends with an AbortError", async () => {
    const { server, chatflow } = await start({ cutAfter: "workflow_started" });
    const controller = new AbortController();
    const stream = await sendChatMessage(chatflow, query, { signal: controller.signal, onResume: () => controller.abort() });
    const error = await failure(() => collect(stream));
    expect(error).toBeInstanceOf(AbortError);
    expect(server.requests.map((r) => r.method)).toEqual(["POST"]);
  });

  it("breaking out of a resumed loop sends no further request", async () => {
    // The resumed stream is cut once more after its first event, so the second resume is the one left.
    const { server, chatflow } = await start({ cutAfter: "workflow_started", resumeCuts: 1 });
    const stream = await sendChatMessage(chatflow, query);
    const seen: SendChatMessageEvent[] = [];
    for await (const event of stream) {
      seen.push(event);
      if (stream.resumes === 1 && seen.length === 2) break;
    }
    expect(seen).toEqual(chatflowStream.slice(0, 2));
    expect(count(server, "GET", eventsPath(CHAT_RUN_ID))).toBe(1);
    expect(count(server, "POST", "/v1/chat-messages")).toBe(1);
  });
});

describe("a workflow run stream cut after workflow_started", () => {
  it.each([
    ["runWorkflow", (config: ReturnType<typeof createWorkflowConfig>) => runWorkflow(config, { inputs: WORKFLOW_INPUTS, user: USER, response_mode: "streaming" }), "/v1/workflows/run"],
    ["runWorkflowById", (config: ReturnType<typeof createWorkflowConfig>) => runWorkflowById(config, WORKFLOW_ID, { inputs: WORKFLOW_INPUTS, user: USER, response_mode: "streaming" }), `/v1/workflows/${WORKFLOW_ID}/run`],
  ])("%s continues to workflow_finished, posted exactly once", async (_name, run, postPath) => {
    const { server, workflow } = await start({ cutAfter: "workflow_started" });
    const stream = await run(workflow);
    const events: RunWorkflowEvent[] = await collect(stream);
    expect(events).toEqual(workflowStream);
    expect(events.at(-1)?.event).toBe("workflow_finished");
    expect(stream.resumes).toBe(1);
    expect(count(server, "POST", postPath)).toBe(1);
    expect(server.requests.filter((r) => r.method === "GET").map((r) => r.url)).toEqual([`${eventsPath(WORKFLOW_RUN_ID)}?user=${USER}`]);
  });
});

describe("the Human Input flow", () => {
  it("a run ends at workflow_paused; after submitHumanInputForm, streamWorkflowEvents continues it with the same events", async () => {
    const { server, workflow } = await start({ workflowEvents: pausedRunStream, humanInput: { formToken: FORM_TOKEN, events: afterFormStream } });
    const paused = await collect(await runWorkflow(workflow, { inputs: { draft: "Hello" }, user: USER, response_mode: "streaming" }));
    expect(paused.map((e) => e.event)).toEqual(["workflow_started", "human_input_required", "workflow_paused"]);
    const required = paused.find((e) => e.event === "human_input_required");
    const formToken = required?.event === "human_input_required" ? required.data?.form_token : undefined;
    expect(formToken).toBe(FORM_TOKEN);

    await submitHumanInputForm(workflow, formToken!, { inputs: { comment: "Looks good." }, action: "approve", user: USER });
    const rest: StreamWorkflowEventsEvent[] = await collect(await streamWorkflowEvents(workflow, HUMAN_INPUT_RUN_ID, { user: USER }));
    expect(rest).toEqual(afterFormStream);
    const finished = rest.at(-1);
    expect(finished?.event === "workflow_finished" ? finished.data?.outputs : undefined).toEqual({ result: FORM_OUTPUT });
    expect(server.requests.map((r) => `${r.method} ${new URL(r.url, "http://loopback").pathname}`)).toEqual([
      "POST /v1/workflows/run",
      `POST /v1/form/human_input/${FORM_TOKEN}`,
      `GET ${eventsPath(HUMAN_INPUT_RUN_ID)}`,
    ]);
  });
});

describe("streamWorkflowEvents, the resume stream itself", () => {
  it("resumes its own drop with a new GET carrying the same user and continue_on_pause", async () => {
    const { server, workflow } = await start({ workflowEvents: pausedRunStream, humanInput: { formToken: FORM_TOKEN, events: afterFormStream }, resumeCuts: 1 });
    await collect(await runWorkflow(workflow, { inputs: { draft: "Hello" }, user: USER, response_mode: "streaming" }));
    await submitHumanInputForm(workflow, FORM_TOKEN, { inputs: { comment: "Looks good." }, action: "approve", user: USER });
    const stream = await streamWorkflowEvents(workflow, HUMAN_INPUT_RUN_ID, { user: USER, continue_on_pause: true });
    expect(await collect(stream)).toEqual(afterFormStream);
    expect(stream.resumes).toBe(1);
    const gets = server.requests.filter((r) => r.method === "GET").map((r) => r.url);
    expect(gets).toEqual([0, 1].map(() => `${eventsPath(HUMAN_INPUT_RUN_ID)}?user=${USER}&continue_on_pause=true`));
  });
});

describe("resuming, with an injected fetch (what each request saw)", () => {
  const apiKey = "app-Zq8SECRETxK3vP9wL2mN";
  const started = chatflowStream[0]!;
  const sse = (event: object) => new TextEncoder().encode(`data: ${JSON.stringify(event)}\n\n`);

  /** A body that sends `events`, then fails as undici does when the socket closes mid-body. */
  const droppingBody = (...events: object[]) =>
    new ReadableStream<Uint8Array>({
      // Errored on the read after the events (an error in `start` would discard them unread).
      pull(controller) {
        const next = events.shift();
        if (next) controller.enqueue(sse(next));
        else controller.error(new TypeError("terminated"));
      },
    });

  function scripted(answer: (request: Request, index: number) => Response | Promise<Response>) {
    const calls: Request[] = [];
    const clock = recordSleeps();
    const fetch = async (request: Request) => {
      calls.push(request);
      return answer(request, calls.length - 1);
    };
    return { calls, config: { ...createChatflowConfig({ apiKey, baseUrl: "http://127.0.0.1:9/v1", fetch }), timing: clock.timing } };
  }
  const stream = (body: ReadableStream<Uint8Array>) => new Response(body, { headers: { "content-type": "text/event-stream" } });

  it("abort() during the resumed part aborts the resume request and cancels its body", async () => {
    let cancelled = false;
    const held = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(sse(chatflowStream[1]!));
      },
      cancel() {
        cancelled = true;
      },
    });
    const { calls, config } = scripted((request, index) => (index === 0 ? stream(droppingBody(started)) : stream(held)));
    const events = await sendChatMessage(config, query);
    const seen: SendChatMessageEvent[] = [];
    const error = await failure(async () => {
      for await (const event of events) {
        seen.push(event);
        if (seen.length === 2) events.abort();
      }
    });
    expect(error).toBeInstanceOf(AbortError);
    expect(seen).toEqual(chatflowStream.slice(0, 2));
    expect(calls.map((r) => r.method)).toEqual(["POST", "GET"]);
    expect(calls[1]!.signal.aborted).toBe(true);
    expect(cancelled).toBe(true);
  });

  it("a resume request that cannot connect counts as a resume; the final error names neither the key nor its fragments", async () => {
    const { calls, config } = scripted((request, index) => {
      if (index === 0) return stream(droppingBody(started));
      // A failure whose text holds the key, as a proxy's error page or a logged URL might.
      throw new TypeError("fetch failed", { cause: new Error(`connect ECONNRESET (Authorization: Bearer ${apiKey})`) });
    });
    const events = await sendChatMessage(config, query);
    const error = await failure(() => collect(events));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ operation: "POST /chat-messages", attempts: 4 });
    expect(calls.map((r) => r.method)).toEqual(["POST", "GET", "GET", "GET"]);
    const err = error as ConnectionError;
    for (const text of [String(err), err.stack ?? "", JSON.stringify(err), String(err.cause), String((err.cause as Error | undefined)?.cause)]) {
      expect(text).not.toContain(apiKey.slice(4, 14));
    }
  });

  it("an error thrown by onResume ends the loop as it is, before any resume request", async () => {
    const { calls, config } = scripted(() => stream(droppingBody(started)));
    const events = await sendChatMessage(config, query, {
      onResume: () => {
        throw new RangeError("the UI refused");
      },
    });
    const error = await failure(() => collect(events));
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toBe("the UI refused");
    expect(calls.map((r) => r.method)).toEqual(["POST"]);
  });

  it.each([[-1], [1.5], [Number.NaN]])("maxResumes %s is a TypeError before the message is posted", async (maxResumes) => {
    const { calls, config } = scripted(() => stream(droppingBody(started)));
    await expect(sendChatMessage(config, query, { maxResumes })).rejects.toThrow(/maxResumes must be a whole number ≥ 0/);
    expect(calls).toEqual([]);
  });

  it("a status answer to the resume request (the run is unknown) ends the loop with that error, with no further request", async () => {
    const { calls, config } = scripted((request, index) =>
      index === 0
        ? stream(droppingBody(started))
        : new Response(JSON.stringify({ code: "not_found", message: "Workflow run not found", status: 404 }), { status: 404, headers: { "content-type": "application/json" } }),
    );
    const events = await sendChatMessage(config, query);
    const error = await failure(() => collect(events));
    expect(error).toMatchObject({ status: 404, code: "not_found" });
    expect(calls.map((r) => `${r.method} ${new URL(r.url).pathname}${new URL(r.url).search}`)).toEqual([
      "POST /v1/chat-messages",
      `GET /v1/workflow/${CHAT_RUN_ID}/events?user=${USER}`,
    ]);
  });

  it("a run that finished while disconnected answers only workflow_finished: the chat ends there, complete", async () => {
    const finished = chatflowStream.find((e) => e.event === "workflow_finished")!;
    const { config } = scripted((request, index) => (index === 0 ? stream(droppingBody(started)) : stream(new Response(sse(finished)).body!)));
    const events = await sendChatMessage(config, query);
    expect(await collect(events)).toEqual([started, finished]);
    expect(events.resumes).toBe(1);
  });
});
