/**
 * dify-service-client/testing: the typed mock answers a real client through its real paths
 * (JSON, Blob, 204, SSE, Dify's error envelope), records calls, and fails loudly on anything
 * it was not told to answer.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  ApiError,
  ChatflowClient,
  ClientError,
  ConnectionError,
  createChatflowClient,
  InternalServerError,
  NotFoundError,
  RateLimitError,
  StreamIncompleteError,
} from "../../src/index.js";
import {
  MOCK_BASE_URL,
  mockChatflowClient,
  mockError,
  mockExample,
  mockKnowledgeClient,
  mockNetworkError,
  mockWorkflowClient,
  UnmockedCallError,
} from "../../src/testing.js";

const user = "user-1";
const chat = { query: "Hello", inputs: {}, user };

/** The spec's first example of a 2xx JSON response, read from the spec itself (not from the generated file). */
type Spec = {
  paths: Record<string, Record<string, { responses: Record<string, { content: Record<string, { examples: Record<string, { value: unknown }> }> }> }>>;
};
let spec: Spec | undefined;

function specExample(path: string, method: string, status: string): unknown {
  spec ??= parse(readFileSync(new URL("../../spec/dify-service.openapi.yaml", import.meta.url), "utf8")) as Spec;
  const examples = spec.paths[path]![method]!.responses[status]!.content["application/json"]!.examples;
  return Object.values(examples)[0]!.value;
}

describe("answers", () => {
  it("resolves a method with the result it was given, through a real client", async () => {
    const mock = mockChatflowClient({ getAppInfo: { name: "Support bot", mode: "advanced-chat", tags: [] } });
    expect(mock.client).toBeInstanceOf(ChatflowClient);
    expect(await mock.client.getAppInfo()).toEqual({ name: "Support bot", mode: "advanced-chat", tags: [] });
  });

  it("answers with the spec's example, whole or with properties replaced", async () => {
    const mock = mockChatflowClient({ getAppInfo: mockExample(), getAppMeta: mockExample() });
    expect(await mock.client.getAppInfo()).toEqual(specExample("/info", "get", "200"));
    expect(await mock.client.getAppMeta()).toEqual(specExample("/meta", "get", "200"));
    mock.on({ getAppInfo: mockExample({ name: "Renamed" }) });
    expect(await mock.client.getAppInfo()).toEqual({ ...(specExample("/info", "get", "200") as object), name: "Renamed" });
  });

  it("answers with the spec's success status (201 for an upload)", async () => {
    const statuses: number[] = [];
    const mock = mockChatflowClient({ uploadFile: mockExample() }, { onResponse: ({ response }) => void statuses.push(response.status) });
    const file = await mock.client.uploadFile({ file: new File(["hello"], "notes.txt", { type: "text/plain" }), user });
    expect(file).toEqual(specExample("/files/upload", "post", "201"));
    expect(statuses).toEqual([201]);
    // The multipart body reached the handler side as FormData.
    const body = mock.requests[0]!.body as FormData;
    expect(body.get("user")).toBe(user);
    expect(await (body.get("file") as File).text()).toBe("hello");
  });

  it("with { examples: true } answers every method the spec has an example for, and still fails on the others", async () => {
    const mock = mockChatflowClient({}, { examples: true });
    expect(await mock.client.getAppInfo()).toEqual(specExample("/info", "get", "200"));
    // DELETE /conversations/{id} answers 204: the spec has no example to give.
    await expect(mock.client.deleteConversation("c1", { user })).rejects.toThrow(UnmockedCallError);
  });

  it("fails naming the method when mockExample() is used where the spec has no example", async () => {
    const mock = mockChatflowClient({ textToAudio: mockExample() });
    await expect(mock.client.textToAudio({ text: "hi", user })).rejects.toThrow("chatflow.textToAudio: the spec has no example result for it");
  });

  it("answers a function of the request, sync or async, with the request's path, query and body decoded", async () => {
    const mock = mockChatflowClient({
      listConversations: (request) => ({ data: [{ id: `for-${String(request.params["user"])}` }], has_more: false, limit: Number(request.query.get("limit")) }),
      renameConversation: async (request) => ({ id: request.pathParams["conversation_id"] ?? "", name: (request.body as { name: string }).name }),
    });
    expect(await mock.client.listConversations({ user, limit: 5 })).toEqual({ data: [{ id: "for-user-1" }], has_more: false, limit: 5 });
    expect(await mock.client.renameConversation("a/b c", { name: "Trip", user })).toEqual({ id: "a/b c", name: "Trip" });
  });

  it("lets a handler's own error reach the caller unchanged", async () => {
    const boom = new Error("fixture missing");
    const mock = mockChatflowClient({
      getAppInfo: () => {
        throw boom;
      },
    });
    await expect(mock.client.getAppInfo()).rejects.toBe(boom);
  });

  it("answers a Blob for a binary response and nothing for a 204", async () => {
    const mock = mockChatflowClient({ textToAudio: new Blob([new Uint8Array([1, 2, 3])], { type: "audio/mpeg" }), deleteConversation: undefined });
    const audio = await mock.client.textToAudio({ text: "hi", user });
    expect(audio.type).toBe("audio/mpeg");
    expect([...new Uint8Array(await audio.arrayBuffer())]).toEqual([1, 2, 3]);
    await expect(mock.client.deleteConversation("c1", { user })).resolves.toBeUndefined();
  });

  it("passes a Response of the test's own through (a proxy's HTML 502 page)", async () => {
    const mock = mockChatflowClient({ getAppInfo: () => new Response("<html><title>Bad gateway</title></html>", { status: 502, headers: { "content-type": "text/html" } }) });
    const error = await mock.client.getAppInfo().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as ApiError).message).toContain("Bad gateway");
  });
});

describe("streams", () => {
  it("answers a streaming call with its events, parsed by the real SSE reader", async () => {
    const events = [
      { event: "message", answer: "Hel", conversation_id: "c1" },
      { event: "message", answer: "lo", conversation_id: "c1" },
      { event: "message_end", conversation_id: "c1", metadata: {} },
    ] as const;
    const mock = mockChatflowClient({ sendChatMessage: [...events] });
    const seen: unknown[] = [];
    for await (const event of await mock.client.sendChatMessage({ ...chat, response_mode: "streaming" })) seen.push(event);
    expect(seen).toEqual(events);
    expect(mock.requests[0]!.streaming).toBe(true);
  });

  it("ends as production does: no terminal event resumes the run or is StreamIncompleteError, an error event is an ApiError", async () => {
    const mock = mockWorkflowClient({ runWorkflow: [{ event: "workflow_started", workflow_run_id: "r1", data: {} }] });
    const read = async (options?: { resume: false }) => {
      for await (const _ of await mock.client.runWorkflow({ inputs: {}, user, response_mode: "streaming" }, options));
    };
    await expect(read({ resume: false })).rejects.toBeInstanceOf(StreamIncompleteError);
    // The run id was seen, so the client resumes through streamWorkflowEvents, which this mock does not answer: loudly.
    await expect(read()).rejects.toThrow("workflow.streamWorkflowEvents was called but is not mocked");

    mock.on({ streamWorkflowEvents: [{ event: "workflow_finished", workflow_run_id: "r1", data: {} } as never] });
    await read();
    // The resume is the client's own request, not an app call: it shows in `requests`, with the run's user.
    const resumes = mock.requests.filter((request) => request.name === "streamWorkflowEvents");
    expect(resumes.map((request) => [request.pathParams, request.query.get("user")])).toEqual([[{ workflow_run_id: "r1" }, user], [{ workflow_run_id: "r1" }, user]]);
    expect(mock.requests.filter((request) => request.name === "runWorkflow")).toHaveLength(3);

    mock.on({ runWorkflow: [{ event: "workflow_started", workflow_run_id: "r1", data: {} }, { event: "error", status: 400, code: "invalid_param", message: "bad input" } as never] });
    const error = await read().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: "invalid_param", message: "bad input" });
  });

  it("fails naming the method when a streaming call's mock is not a list of events", async () => {
    const mock = mockChatflowClient({ sendChatMessage: mockExample() });
    await expect(mock.client.sendChatMessage({ ...chat, response_mode: "streaming" })).rejects.toThrow(
      "chatflow.sendChatMessage was called with streaming, but its mock is not a list of events",
    );
    // The same mock answers the blocking call with the spec's example.
    expect(await mock.client.sendChatMessage({ ...chat, response_mode: "blocking" })).toEqual(specExample("/chat-messages", "post", "200"));
  });
});

describe("errors", () => {
  it("answers mockError(status) with Dify's envelope, read into the subclass for the status", async () => {
    const mock = mockChatflowClient({
      deleteConversation: mockError(404, { code: "not_found", message: "Conversation Not Exists." }, { headers: { "x-request-id": "req-42" } }),
      getAppInfo: mockError(429),
      getAppMeta: mockError(500),
    });
    const notFound = await mock.client.deleteConversation("c1", { user }).catch((caught: unknown) => caught);
    expect(notFound).toBeInstanceOf(NotFoundError);
    expect(notFound).toMatchObject({
      status: 404,
      code: "not_found",
      message: "Conversation Not Exists.",
      requestId: "req-42",
      body: { status: 404, code: "not_found", message: "Conversation Not Exists." },
      operation: "DELETE /conversations/{conversation_id}",
    });
    await expect(mock.client.getAppInfo()).rejects.toBeInstanceOf(RateLimitError);
    await expect(mock.client.getAppInfo()).rejects.toMatchObject({ status: 429, code: "too_many_requests" });
    await expect(mock.client.getAppMeta()).rejects.toBeInstanceOf(InternalServerError);
  });

  it("refuses a status that is not an error", () => {
    expect(() => mockError(200)).toThrow(RangeError);
  });

  it("answers mockNetworkError() as a dropped connection", async () => {
    const mock = mockChatflowClient({ getAppInfo: mockNetworkError("socket hang up") });
    const error = await mock.client.getAppInfo().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toContain("socket hang up");
  });

  it("re-runs a handler per attempt when the test allows retries (answers 503, then the result)", async () => {
    let attempt = 0;
    const mock = mockChatflowClient(
      { getAppInfo: () => (++attempt === 1 ? mockError(503, {}, { headers: { "retry-after-ms": "0" } }) : { name: "ok" }) },
      { maxRetries: 1 },
    );
    expect(await mock.client.getAppInfo()).toEqual({ name: "ok" });
    expect(mock.calls).toHaveLength(1);
    expect(mock.requests).toHaveLength(2);
  });
});

describe("recorded calls", () => {
  it("records each call with the app's arguments, and each request as sent", async () => {
    const mock = mockChatflowClient({ deleteConversation: undefined, getAppInfo: { name: "x" } });
    await mock.client.deleteConversation("c1", { user });
    await mock.client.getAppInfo();
    await mock.client.deleteConversation("c2", { user: "user-2" });
    expect(mock.calls).toEqual([
      { name: "deleteConversation", args: ["c1", { user }] },
      { name: "getAppInfo", args: [] },
      { name: "deleteConversation", args: ["c2", { user: "user-2" }] },
    ]);
    expect(mock.callsOf("deleteConversation")).toEqual([["c1", { user }], ["c2", { user: "user-2" }]]);
    expect(mock.requests.map((r) => [r.method, r.url.pathname, r.pathParams, r.params])).toEqual([
      ["DELETE", "/v1/conversations/c1", { conversation_id: "c1" }, { user }],
      ["GET", "/v1/info", {}, {}],
      ["DELETE", "/v1/conversations/c2", { conversation_id: "c2" }, { user: "user-2" }],
    ]);
    mock.reset();
    expect(mock.calls).toEqual([]);
    expect(mock.requests).toEqual([]);
  });
});

describe("failing loudly", () => {
  it("rejects an unmocked call with UnmockedCallError naming the method and how to mock it", async () => {
    const mock = mockChatflowClient({ getAppInfo: { name: "x" } });
    const error = await mock.client.getAppMeta().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnmockedCallError);
    // Not a ClientError: an app's `catch` for API or connection errors does not swallow it.
    expect(error).not.toBeInstanceOf(ClientError);
    expect((error as Error).message).toBe(
      "chatflow.getAppMeta was called but is not mocked. Fix: mockChatflowClient({ getAppMeta: <result> | mockExample() | mockError(404) | (request) => … })",
    );
    // The call is recorded all the same.
    expect(mock.callsOf("getAppMeta")).toEqual([[]]);
  });

  it("refuses a handler for a method the client does not have", () => {
    expect(() => mockChatflowClient({ getAppInf: { name: "x" } } as never)).toThrow(/mockChatflowClient: the chatflow client has no method "getAppInf"\. Its methods: .*getAppInfo/);
    // runWorkflow is a workflow client's, not a chatflow client's.
    expect(() => mockChatflowClient({ runWorkflow: [] } as never)).toThrow('the chatflow client has no method "runWorkflow"');
  });

  it("rejects a request for no operation of the client (the escape hatch to an unknown path)", async () => {
    const mock = mockChatflowClient({});
    await expect(mock.client.request("GET", "/not-in-the-spec" as never)).rejects.toThrow(
      "mockChatflowClient: GET /not-in-the-spec is not an operation of the chatflow client, so it cannot be mocked",
    );
  });

  it("routes a literal path before a templated one (/datasets/tags is not /datasets/{dataset_id})", async () => {
    const mock = mockKnowledgeClient({ listKnowledgeTags: [{ id: "t1", name: "hr" }] as never });
    await expect(mock.client.listKnowledgeTags()).resolves.toEqual([{ id: "t1", name: "hr" }]);
    await expect(mock.client.getKnowledgeBase("tags-not")).rejects.toThrow("knowledge.getKnowledgeBase was called but is not mocked");
  });
});

describe("mock.fetch, for app code that builds its own client", () => {
  it("answers a client built with it, and an unmocked call is a ConnectionError caused by UnmockedCallError", async () => {
    const mock = mockChatflowClient({ getAppInfo: { name: "x" } });
    const own = createChatflowClient({ apiKey: "app-key", baseUrl: mock.baseUrl, fetch: mock.fetch, maxRetries: 0 });
    expect(mock.baseUrl).toBe(MOCK_BASE_URL);
    expect(await own.getAppInfo()).toEqual({ name: "x" });
    const error = await own.getAppMeta().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).cause).toBeInstanceOf(UnmockedCallError);
    expect(mock.requests.map((r) => r.name)).toEqual(["getAppInfo", "getAppMeta"]);
  });
});
