/**
 * A Text Generator (completion) app's flow against the loopback Dify-like server: a
 * streamed completion read event by event, a blocking one, stopping its task, and the
 * errors a caller handles.
 */
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import {
  AuthenticationError,
  BadRequestError,
  createCompletionClient,
  EventStream,
  type CompletionClient,
  type SendCompletionMessageEvent,
  type SendCompletionMessageResult,
} from "../../src/index.js";
import { COMPLETION, COMPLETION_TASK_ID, completionBlockingAnswer, completionStream } from "../fixtures/streams/completion-stream.js";
import { USAGE } from "../fixtures/streams/chatflow-stream.js";
import { startDifyLikeServer, type DifyLikeServer, type RecordedRequest } from "../support/dify-like-server.js";

const USER = "user-1";
const INPUTS = { text: "Hello world", target_language: "français, 日本語" };

let server: DifyLikeServer;
let client: CompletionClient;

beforeAll(async () => {
  server = await startDifyLikeServer();
  client = createCompletionClient({ apiKey: server.apiKey, baseUrl: server.baseUrl });
});
afterAll(() => server.close());

/** The requests received since `from`. */
function since(from: number): RecordedRequest[] {
  return server.requests.slice(from);
}

function jsonBody(request: RecordedRequest | undefined): unknown {
  return JSON.parse(new TextDecoder().decode(request?.body));
}

describe("sendCompletionMessage, streaming", () => {
  it("yields the recorded message events, then message_end with the usage, typed by event", async () => {
    const from = server.requests.length;
    const stream = await client.sendCompletionMessage({ inputs: INPUTS, user: USER, response_mode: "streaming" });
    expectTypeOf(stream).toEqualTypeOf<EventStream<SendCompletionMessageEvent>>();

    const received: SendCompletionMessageEvent[] = [];
    let answer = "";
    let usage: unknown;
    for await (const event of stream) {
      received.push(event);
      switch (event.event) {
        case "message":
          expectTypeOf(event.answer).toEqualTypeOf<string | undefined>();
          answer += event.answer ?? "";
          break;
        case "message_end":
          usage = event.metadata?.usage;
          break;
      }
    }
    expect(received).toEqual(completionStream);
    expect(received.at(-1)?.event).toBe("message_end");
    expect(answer).toBe(COMPLETION);
    expect(usage).toEqual(USAGE);

    const [request] = since(from);
    // The server's count is final once it closed the response.
    expect(await request?.closed).toEqual({ clientDisconnected: false });
    expect(request).toMatchObject({ method: "POST", url: "/v1/completion-messages", eventsWritten: completionStream.length });
    expect(request?.headers["authorization"]).toBe(`Bearer ${server.apiKey}`);
    expect(jsonBody(request)).toEqual({ inputs: INPUTS, user: USER, response_mode: "streaming" });
  });
});

describe("sendCompletionMessage, blocking", () => {
  it("resolves with the typed JSON answer when response_mode is omitted", async () => {
    const from = server.requests.length;
    const result = await client.sendCompletionMessage({ inputs: INPUTS, user: USER });
    expectTypeOf(result).toEqualTypeOf<SendCompletionMessageResult>();
    expect(result).toEqual(completionBlockingAnswer);
    expect(result.answer).toBe(COMPLETION);
    expect(jsonBody(since(from)[0])).toEqual({ inputs: INPUTS, user: USER });
  });
});

describe("stopCompletionMessageGeneration", () => {
  it("sends the user to the task's stop path", async () => {
    const from = server.requests.length;
    await expect(client.stopCompletionMessageGeneration(COMPLETION_TASK_ID, { user: USER })).resolves.toEqual({ result: "success" });
    const [request] = since(from);
    expect(request).toMatchObject({ method: "POST", url: `/v1/completion-messages/${COMPLETION_TASK_ID}/stop` });
    expect(jsonBody(request)).toEqual({ user: USER });
  });
});

describe("completion errors", () => {
  it("a body the server rejects is a BadRequestError with Dify's code", async () => {
    // Cast past the types on purpose: a caller in plain JavaScript can send this.
    const error = await client.sendCompletionMessage({ inputs: INPUTS } as unknown as Parameters<CompletionClient["sendCompletionMessage"]>[0]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ status: 400, code: "invalid_param", operation: "POST /completion-messages" });
  });

  it("a wrong key is an AuthenticationError that never shows the key", async () => {
    const wrongKey = "app-wrong-0000";
    const wrong = createCompletionClient({ apiKey: wrongKey, baseUrl: server.baseUrl });
    const error = await wrong.sendCompletionMessage({ inputs: INPUTS, user: USER, response_mode: "streaming" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, code: "unauthorized" });
    expect(JSON.stringify(error)).not.toContain(wrongKey);
    expect(String(error)).not.toContain(wrongKey);
  });
});
