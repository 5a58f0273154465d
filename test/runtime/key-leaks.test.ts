/**
 * The secret-leak matrix (docs/reliability.md): for every kind of error the client
 * throws, neither the API key nor any 6-character fragment of it appears in the
 * message, the stack, String(), util.inspect (hidden properties, whole cause chain),
 * JSON.stringify, or anywhere along the cause chain. Servers that echo the key are
 * real loopback servers; the custom-fetch case injects the fetch it is about.
 */
import type { ServerResponse } from "node:http";
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { createChatflowClient, createChatflowConfig, getAppInfo, type ChatflowClient } from "../../src/index.js";
import { callOperation, createContext, openEventStream, type EventStream, type OperationSpec } from "../../src/runtime/index.js";
import { startEchoServer, type EchoServer } from "../support/echo-server.js";
import { rejection } from "../support/rejection.js";
import { recordSleeps } from "./fetch-recorder.js";

const apiKey = "app-Zq8SECRETxK3vP9wL2mN";
/** Every 6-character piece of the key: none may show up either. */
const fragments = Array.from({ length: apiKey.length - 5 }, (_, i) => apiKey.slice(i, i + 6));
const chat = { query: "hi", inputs: {}, user: "u", response_mode: "streaming" } as const;

/** Every rendering of an error and of each error in its cause chain. */
function renderings(error: unknown): string[] {
  const texts: string[] = [inspect(error, { depth: 30, showHidden: true }), JSON.stringify(error) ?? ""];
  for (let e: unknown = error, depth = 0; e !== undefined && depth < 10; e = (e as { cause?: unknown }).cause, depth++) {
    texts.push(String(e), inspect(e, { depth: 30, showHidden: true }), JSON.stringify(e) ?? "");
    if (e instanceof Error) texts.push(e.message, String(e.stack));
    if (e instanceof AggregateError) texts.push(...e.errors.flatMap(renderings));
  }
  return texts;
}

function expectKeyFree(error: unknown): void {
  expect(error).toBeInstanceOf(Error);
  for (const text of renderings(error)) {
    expect(text).not.toContain(apiKey);
    for (const fragment of fragments) if (text.includes(fragment)) expect.fail(`fragment ${JSON.stringify(fragment)} of the key in: ${text.slice(0, 400)}`);
  }
}

let server: EchoServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A loopback server whose every answer is `respond(res)`; a client for it without retries. */
async function serving(respond: (res: ServerResponse) => void): Promise<ChatflowClient> {
  server = await startEchoServer((_request, res) => respond(res));
  return createChatflowClient({ apiKey, baseUrl: server.baseUrl, maxRetries: 0 });
}

async function streamError(client: ChatflowClient): Promise<unknown> {
  return rejection(
    (async () => {
      for await (const _event of await client.sendChatMessage(chat));
    })(),
  );
}

const sse = (text: string) => (res: ServerResponse) => {
  res.writeHead(200, { "Content-Type": "text/event-stream" });
  res.end(text);
};

describe("the API key never renders from", () => {
  it("DifyApiError: a 401 echoing the key, a fragment of it, and a header with it", async () => {
    const client = await serving((res) => {
      const body = JSON.stringify({ code: "unauthorized", message: `bad key Bearer ${apiKey} (starts ${apiKey.slice(0, 10)})`, status: 401, [apiKey]: 1 });
      res.writeHead(401, { "Content-Type": "application/json", "X-Echo": `Bearer ${apiKey}` }).end(body);
    });
    expectKeyFree(await rejection(client.getAppInfo()));
  });

  it("DifyApiError: an `error` stream event echoing the key", async () => {
    const client = await serving(sse(`data: ${JSON.stringify({ event: "error", status: 401, code: "x", message: `key ${apiKey.slice(3)} refused` })}\n\n`));
    expectKeyFree(await streamError(client));
  });

  it("ResponseParseError: a non-JSON stream event quoting the key (was a raw SyntaxError)", async () => {
    const client = await serving(sse(`data: not json, Authorization: Bearer ${apiKey}\n\n`));
    const error = await streamError(client);
    expect(error).toMatchObject({ name: "ResponseParseError" });
    expectKeyFree(error);
  });

  it("ResponseParseError: a non-JSON event whose excerpt would cut the key in two", async () => {
    // The excerpt keeps 120 characters: the key straddles the cut.
    const client = await serving(sse(`data: ${"x".repeat(105)}${apiKey}\n\n`));
    expectKeyFree(await streamError(client));
  });

  it("ResponseParseError: a 2xx JSON body broken inside the key (V8's message would quote `app-Zq8SEC`…)", async () => {
    const client = await serving((res) => res.writeHead(200, { "Content-Type": "application/json" }).end(`{"k": ${apiKey}}`));
    const error = await rejection(client.getAppInfo());
    expect(error).toMatchObject({ name: "ResponseParseError" });
    expectKeyFree(error);
  });

  it("ResponseParseError: a proxy's 200 HTML page titled with the key", async () => {
    const client = await serving((res) => res.writeHead(200, { "Content-Type": "text/html" }).end(`<html><title>Hello ${apiKey}</title></html>`));
    expectKeyFree(await rejection(client.getAppInfo()));
  });

  it("StreamIncompleteError: a partial event holding the key", async () => {
    const client = await serving(sse(`data: {"event":"message","answer":"${apiKey}`));
    const error = await streamError(client);
    expect(error).toMatchObject({ name: "StreamIncompleteError" });
    expectKeyFree(error);
  });

  it("ConnectionError: a custom fetch whose error carries the request, its headers and a quoted fragment in `cause`", async () => {
    const leaky = async (request: Request): Promise<Response> => {
      const inner = Object.assign(new Error(`upstream saw ${request.headers.get("authorization")!.slice(7, 19)}`), { headers: request.headers, code: "ECONNRESET" });
      throw Object.assign(new TypeError("fetch failed", { cause: inner }), { request, config: { headers: { authorization: request.headers.get("authorization") } } });
    };
    const config = { ...createChatflowConfig({ apiKey, fetch: leaky, maxRetries: 0 }), timing: recordSleeps().timing };
    const error = await rejection(getAppInfo(config));
    expect(error).toMatchObject({ name: "ConnectionError" });
    // What is useful survives the copy: the system error's code.
    expect(((error as Error).cause as Error).cause).toMatchObject({ code: "ECONNRESET" });
    expectKeyFree(error);
  });

  it("ConnectionError: a loopback server that drops the connection mid-stream", async () => {
    const client = await serving((res) => {
      res.writeHead(200, { "Content-Type": "text/event-stream" });
      res.write(`data: {"event":"message","answer":"a"}\n\n`, () => res.destroy());
    });
    const error = await streamError(client);
    expect(error).toMatchObject({ name: "ConnectionError" });
    expectKeyFree(error);
  });

  it("TimeoutError and AbortError, including a signal reason that quotes the key", async () => {
    const hanging = (request: Request) => new Promise<Response>((_resolve, reject) => request.signal.addEventListener("abort", () => reject(request.signal.reason)));
    const config = { ...createChatflowConfig({ apiKey, fetch: hanging, timeoutMs: 20, maxRetries: 0 }), timing: recordSleeps().timing };
    expectKeyFree(await rejection(getAppInfo(config)));
    const controller = new AbortController();
    const pending = rejection(getAppInfo(config, {}, { signal: controller.signal, timeoutMs: 60_000 }));
    controller.abort(new Error(`cancelled by ${apiKey}`));
    const aborted = await pending;
    expect(aborted).toMatchObject({ name: "AbortError" });
    expectKeyFree(aborted);
  });

  it("AbortError of a stream aborted with a reason that quotes the key", async () => {
    server = await startEchoServer((_request, res) => {
      res.writeHead(200, { "Content-Type": "text/event-stream" });
      res.write(`data: {"event":"message","answer":"a"}\n\n`);
    });
    const operation: OperationSpec = { method: "POST", path: "/chat-messages", query: [], header: [], body: "json", params: "merged", response: "sse" };
    const controller = new AbortController();
    const context = createContext({ apiKey, baseUrl: server.baseUrl }, { baseUrl: server.baseUrl });
    const stream = (await callOperation(context, operation, {}, {}, { signal: controller.signal }, openEventStream)) as EventStream<unknown>;
    const error = await rejection(
      (async () => {
        for await (const _event of stream) controller.abort({ reason: `Bearer ${apiKey}` });
      })(),
    );
    expect(error).toMatchObject({ name: "AbortError" });
    expectKeyFree(error);
  });

  it.each([
    ["a newline", `${apiKey}\n`],
    ["a NUL", `${apiKey}\0`],
    ["a space inside", `${apiKey.slice(0, 8)} ${apiKey.slice(8)}`],
    ["a non-ASCII character", `${apiKey}é`],
  ])("the client-creation TypeError for an apiKey with %s (was the Headers TypeError, quoting it)", (_name, key) => {
    const error = (() => {
      try {
        createChatflowClient({ apiKey: key });
      } catch (e) {
        return e;
      }
      return expect.unreachable("expected createChatflowClient to throw");
    })();
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/apiKey contains a character that cannot be sent in an HTTP header/);
    expectKeyFree(error);
  });
});
