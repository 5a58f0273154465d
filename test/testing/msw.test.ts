/**
 * dify-service-client/testing/msw: request handlers for MSW's setupServer, which intercepts the
 * global fetch, so the app's ordinary client (no injected fetch, the spec's default server)
 * is answered by them.
 */
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ConnectionError, createChatflowClient, createKnowledgeClient, NotFoundError } from "../../src/index.js";
import { mockError, mockExample, mockNetworkError } from "../../src/testing.js";
import { chatflowHandlers, knowledgeHandlers } from "../../src/testing/msw.js";

const server = setupServer();
const unhandled: string[] = [];

beforeAll(() =>
  server.listen({
    onUnhandledRequest: (request) => {
      unhandled.push(`${request.method} ${new URL(request.url).pathname}`);
      throw new Error(`unhandled ${request.method} ${request.url}`);
    },
  }),
);
afterEach(() => {
  server.resetHandlers();
  unhandled.length = 0;
});
afterAll(() => server.close());

const user = "user-1";
// The app's client as in production: default baseUrl, global fetch (retries off to keep failures single).
const client = () => createChatflowClient({ apiKey: "app-key", maxRetries: 0 });

describe("chatflowHandlers", () => {
  it("answers results, spec examples, streams and errors for the app's real client", async () => {
    server.use(
      ...chatflowHandlers({
        getAppInfo: { name: "Support bot" },
        getAppMeta: mockExample(),
        sendChatMessage: [{ event: "message", answer: "Hi" }, { event: "message_end", metadata: {} }],
        deleteConversation: mockError(404, { code: "not_found", message: "Conversation Not Exists." }),
        renameConversation: (request) => ({ id: request.pathParams["conversation_id"] ?? "", name: String(request.params["name"]) }),
      }),
    );
    const app = client();
    expect(await app.getAppInfo()).toEqual({ name: "Support bot" });
    expect(await app.getAppMeta()).toHaveProperty("tool_icons");
    const answer: string[] = [];
    for await (const event of await app.sendChatMessage({ query: "q", inputs: {}, user, response_mode: "streaming" })) {
      if (event.event === "message") answer.push(event.answer ?? "");
    }
    expect(answer).toEqual(["Hi"]);
    const error = await app.deleteConversation("c1", { user }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, code: "not_found", message: "Conversation Not Exists." });
    // MSW decodes the path parameter as the mock does.
    expect(await app.renameConversation("a/b", { name: "Trip", user })).toEqual({ id: "a/b", name: "Trip" });
    expect(unhandled).toEqual([]);
  });

  it("registers handlers for the given methods only: any other call is MSW's unhandled request", async () => {
    server.use(...chatflowHandlers({ getAppInfo: { name: "x" } }));
    // The test's onUnhandledRequest throws: MSW answers that with a 500 carrying its message.
    await expect(client().getAppMeta()).rejects.toThrow("unhandled GET https://api.dify.ai/v1/meta");
    expect(unhandled).toEqual(["GET /v1/meta"]);
  });

  it("with { examples: true } answers every method the spec has an example for", async () => {
    server.use(...chatflowHandlers({}, { examples: true }));
    expect(await client().getAppInfo()).toHaveProperty("name", "My Chat App");
  });

  it("listens on the given baseUrl, and answers mockNetworkError() as a dropped connection", async () => {
    server.use(...chatflowHandlers({ getAppInfo: mockNetworkError() }, { baseUrl: "https://dify.internal/v1/" }));
    await expect(createChatflowClient({ apiKey: "k", baseUrl: "https://dify.internal/v1", maxRetries: 0 }).getAppInfo()).rejects.toBeInstanceOf(ConnectionError);
  });

  it("leaves /datasets/tags to its own handler, though /datasets/:dataset_id matches it too", async () => {
    server.use(...knowledgeHandlers({ getKnowledgeBase: { id: "kb-1" }, listKnowledgeTags: [{ id: "t1" }] as never }));
    const knowledge = createKnowledgeClient({ apiKey: "dataset-key", maxRetries: 0 });
    expect(await knowledge.listKnowledgeTags()).toEqual([{ id: "t1" }]);
    expect(await knowledge.getKnowledgeBase("kb-1")).toEqual({ id: "kb-1" });
  });

  it("refuses a handler for a method the client does not have", () => {
    expect(() => chatflowHandlers({ runWorkflow: [] } as never)).toThrow('chatflowHandlers: the chatflow client has no method "runWorkflow"');
  });
});
