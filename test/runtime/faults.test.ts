/**
 * Faults on real loopback sockets, attempts counted by the server: a connection
 * dropped before the response, a cross-origin redirect. (Status-code and timeout
 * faults are in retry.test.ts and timeout.test.ts, with an injected fetch.)
 */
import { afterEach, describe, expect, it } from "vitest";
import { createChatflowConfig, getAppInfo, sendChatMessage } from "../../src/index.js";
import { startEchoServer, type EchoServer } from "../support/echo-server.js";
import { rejection } from "../support/rejection.js";
import { recordSleeps } from "./fetch-recorder.js";

const apiKey = "app-test-SECRET-fa017c";
const servers: EchoServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function server(handler: Parameters<typeof startEchoServer>[0]): Promise<EchoServer> {
  const started = await startEchoServer(handler);
  servers.push(started);
  return started;
}

const config = (baseUrl: string) => ({ ...createChatflowConfig({ apiKey, baseUrl, maxRetries: 2 }), timing: recordSleeps().timing });

describe("a connection dropped before the response", () => {
  it("GET: retried, ConnectionError after 3 attempts", async () => {
    const dropping = await server((_request, res) => void res.socket?.destroy());
    const error = await rejection(getAppInfo(config(dropping.baseUrl)));
    expect(error).toMatchObject({ name: "ConnectionError", attempts: 3 });
    expect(dropping.requests).toHaveLength(3);
  });

  it("POST /chat-messages (blocking): sent once, ConnectionError (the server may have acted on it)", async () => {
    const dropping = await server((_request, res) => void res.socket?.destroy());
    const error = await rejection(sendChatMessage(config(dropping.baseUrl), { query: "hi", inputs: {}, user: "u", response_mode: "blocking" }));
    expect(error).toMatchObject({ name: "ConnectionError", attempts: 1 });
    expect(dropping.requests).toHaveLength(1);
  });
});

describe("redirects", () => {
  it("a cross-origin redirect is followed without the Authorization header", async () => {
    const target = await server((_request, res) => void res.writeHead(200, { "Content-Type": "application/json" }).end('{"name":"moved"}'));
    const origin = await server((_request, res) => void res.writeHead(302, { Location: `${target.baseUrl}/info` }).end());
    await expect(getAppInfo(config(origin.baseUrl))).resolves.toEqual({ name: "moved" });
    expect(origin.requests[0]!.headers["authorization"]).toBe(`Bearer ${apiKey}`);
    expect(target.requests).toHaveLength(1);
    expect(target.requests[0]!.headers["authorization"]).toBeUndefined();
  });
});
