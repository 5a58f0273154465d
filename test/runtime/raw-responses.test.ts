/**
 * `.withResponse()` and `.asResponse()` on every call: the result with its HTTP
 * response and request id, or the response with its body unread. Against the
 * loopback Dify-like server (its list answers carry `x-request-id: req-<n>`), and
 * an injected fetch where counting calls matters.
 */
import { describe, expect, it } from "vitest";
import {
  ApiError,
  createChatClient,
  EventStream,
  getAppInfo,
  NotFoundError,
  type ListConversationsResult,
} from "../../src/index.js";
import type { DifyLikeServerOptions } from "../support/dify-like-server.js";
import { serverPerTest } from "../support/server-per-test.js";
import { rejection } from "../support/rejection.js";
import { json, recordedConfig, recordFetch } from "./fetch-recorder.js";

const user = "user-raw";

const startServer = serverPerTest();

async function start(options?: DifyLikeServerOptions) {
  const server = await startServer(options);
  return { server, client: createChatClient({ apiKey: server.apiKey, baseUrl: server.baseUrl }) };
}

describe(".withResponse()", () => {
  it("gives the parsed result, the Response and the request id from x-request-id, in one request", async () => {
    const { server, client } = await start();
    const { data, response, requestId } = await client.listConversations({ user, limit: 2 }).withResponse();
    expect(data.data?.map((c) => c.id)).toEqual(["conv-1", "conv-2"]);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(requestId).toBe("req-1");
    expect(server.requests).toHaveLength(1);
  });

  it("rejects with the ApiError of a non-2xx answer, like the call, and the call's own promise reports nothing unhandled", async () => {
    const { client } = await start({ failList: () => 404 });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const error = await rejection(client.listConversations({ user }).withResponse());
      expect(error).toBeInstanceOf(NotFoundError);
      expect((error as ApiError).requestId).toBe("req-1");
      // Unhandled rejections are reported after a macrotask: let one pass.
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  it("of a stream: data is the EventStream, the response is the stream's", async () => {
    const { client } = await start();
    const { data, response } = await client.sendChatMessage({ query: "hi", inputs: {}, user, response_mode: "streaming" }).withResponse();
    expect(data).toBeInstanceOf(EventStream);
    expect(response).toBe(data.response);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events: string[] = [];
    for await (const event of data) events.push(event.event!);
    expect(events).toContain("message_end");
  });

  it("of the escape hatch, client.request", async () => {
    const { client } = await start();
    const { data, requestId } = await client.request("GET", "/conversations", { query: { user, limit: 1 } }).withResponse();
    expect(data.data?.map((c) => c.id)).toEqual(["conv-1"]);
    expect(requestId).toBe("req-1");
  });
});

describe(".asResponse()", () => {
  it("resolves with the Response, its body unread, to read as the caller likes", async () => {
    const { server, client } = await start();
    const response = await client.listConversations({ user, limit: 2 }).asResponse();
    expect(response.bodyUsed).toBe(false);
    const page = (await response.json()) as ListConversationsResult;
    expect(page.data?.map((c) => c.id)).toEqual(["conv-1", "conv-2"]);
    expect(server.requests).toHaveLength(1);
  });

  it("of a stream: the stream's response, its body unread", async () => {
    const { client } = await start();
    const response = await client.sendChatMessage({ query: "hi", inputs: {}, user, response_mode: "streaming" }).asResponse();
    expect(response.bodyUsed).toBe(false);
    expect(await response.text()).toContain('"event":"message_end"');
  });

  it("rejects with ApiError for a non-2xx status", async () => {
    const { client } = await start({ failList: () => 404 });
    expect(await rejection(client.listConversations({ user }).asResponse())).toBeInstanceOf(NotFoundError);
  });

  it("is retried like the call: a 503 then the answer resolves with the answer's Response, unread", async () => {
    const recorded = recordFetch(json(503, { code: "busy", message: "later", status: 503 }), json(200, { name: "app" }, { "x-request-id": "req-2" }));
    const { config, sleeps } = recordedConfig(recorded, { apiKey: "app-raw-1234" });
    const response = await getAppInfo(config).asResponse();
    expect(recorded.calls).toHaveLength(2);
    expect(sleeps).toHaveLength(1);
    expect(response.headers.get("x-request-id")).toBe("req-2");
    expect(response.bodyUsed).toBe(false);
    expect(await response.json()).toEqual({ name: "app" });
  });

  it("awaiting the call after asResponse() explains that the body was left unread", async () => {
    const { client } = await start();
    const call = client.listConversations({ user });
    const response = await call.asResponse();
    expect(await rejection(call)).toMatchObject({ name: "TypeError", message: expect.stringMatching(/left unread for asResponse\(\)/) });
    await response.body?.cancel();
  });
});

describe("the call is still a Promise, sent at once", () => {
  it("awaits, instanceof Promise, and then/catch/finally give plain Promises", async () => {
    const recorded = recordFetch(json(200, { limit: 20, has_more: false, data: [] }));
    const client = createChatClient({ apiKey: "app-raw-1234", fetch: recorded.fetch });
    const call = client.listConversations({ user });
    expect(call).toBeInstanceOf(Promise);
    const then = call.then((page) => page.has_more);
    expect(Object.getPrototypeOf(then)).toBe(Promise.prototype);
    expect(Object.getPrototypeOf(call.finally(() => undefined))).toBe(Promise.prototype);
    expect(await then).toBe(false);
    expect(await call).toEqual({ limit: 20, has_more: false, data: [] });
  });

  it("a call nobody awaits is still sent", async () => {
    let sent!: () => void;
    const arrived = new Promise<void>((resolve) => (sent = resolve));
    const client = createChatClient({
      apiKey: "app-raw-1234",
      fetch: async (request) => {
        sent();
        expect(request.method).toBe("DELETE");
        return new Response(null, { status: 204 });
      },
    });
    void client.deleteConversation("c-1", { user });
    await arrived;
  });
});
