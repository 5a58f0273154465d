/**
 * How a 2xx body is read: as the operation declares it, or by its actual Content-Type
 * when the operation declares several. A body that is not what was declared is a
 * ResponseParseError (status, redacted excerpt): never retried, never a connection failure.
 * Real sockets: the loopback echo server sends the odd answers.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createChatflowConfig, deleteConversation, getAppInfo } from "../../src/index.js";
import { callOperation, createContext, ResponseParseError, type OperationSpec } from "../../src/runtime/index.js";
import { startEchoServer, type EchoHandler, type EchoServer } from "../support/echo-server.js";
import { rejection } from "../support/rejection.js";
import { recordSleeps } from "./fetch-recorder.js";

const apiKey = "app-test-SECRET-c4d2a9";
let server: EchoServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(handler: EchoHandler) {
  server = await startEchoServer(handler);
  const clock = recordSleeps();
  return { config: { ...createChatflowConfig({ apiKey, baseUrl: server.baseUrl }), timing: clock.timing }, sleeps: clock.sleeps, server };
}

const answer = (status: number, type: string | undefined, body: string): EchoHandler => (_request, res) => {
  res.writeHead(status, { ...(type ? { "Content-Type": type } : {}), "Content-Length": String(Buffer.byteLength(body)) });
  res.end(body);
};

describe("a 2xx body that is not the declared JSON", () => {
  it("a proxy's 200 HTML page is a ResponseParseError with status and title, sent once (a GET, otherwise retried)", async () => {
    const html = "<html><head><title>Captive portal: sign in</title></head><body>Please sign in</body></html>";
    const { config, sleeps, server } = await serve(answer(200, "text/html", html));
    const error = await rejection(getAppInfo(config));
    expect(error).toBeInstanceOf(ResponseParseError);
    expect(error).toMatchObject({ name: "ResponseParseError", status: 200, contentType: "text/html", operation: "GET /info" });
    expect((error as Error).message).toContain("Captive portal: sign in");
    expect((error as Error).message).not.toMatch(/connection failed|Unexpected token/);
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("truncated JSON is a ResponseParseError, not retried", async () => {
    const { config, server } = await serve(answer(200, "application/json", '{"name": "app", "descr'));
    const error = await rejection(getAppInfo(config));
    expect(error).toBeInstanceOf(ResponseParseError);
    expect((error as Error).message).toContain('{"name": "app", "descr');
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    ["Content-Length: 0", answer(200, "application/json", "")],
    ["a 204", ((_request, res) => void res.writeHead(204).end()) as EchoHandler],
  ])("an empty body (%s) on a JSON operation is a ResponseParseError, not undefined", async (_name, handler) => {
    const { config } = await serve(handler);
    const error = await rejection(getAppInfo(config));
    expect(error).toBeInstanceOf(ResponseParseError);
    expect((error as Error).message).toMatch(/empty where the operation declares JSON/);
  });

  it("an empty body on a void operation still resolves undefined", async () => {
    const { config } = await serve(answer(200, undefined, ""));
    await expect(deleteConversation(config, "c1", { user: "u" })).resolves.toBeUndefined();
  });
});

describe("an operation that declares several 2xx media types", () => {
  const operation: OperationSpec = {
    method: "GET",
    path: "/export",
    query: [],
    header: [],
    params: "merged",
    response: "json",
    responseMediaTypes: ["application/json", "text/plain"],
  };
  const call = (baseUrl: string) => callOperation(createContext({ apiKey, baseUrl, maxRetries: 0 }, { baseUrl }), operation, {}, undefined);

  it("reads a text/plain answer as text", async () => {
    server = await startEchoServer(answer(200, "text/plain; charset=utf-8", "plain words, not JSON"));
    await expect(call(server.baseUrl)).resolves.toBe("plain words, not JSON");
  });

  it("reads an application/json answer as JSON", async () => {
    server = await startEchoServer(answer(200, "application/json; charset=utf-8", '{"rows":[1,2]}'));
    await expect(call(server.baseUrl)).resolves.toEqual({ rows: [1, 2] });
  });
});
