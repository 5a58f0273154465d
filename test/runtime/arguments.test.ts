/**
 * A caller's mistake is a TypeError naming the argument, thrown before the first
 * attempt: nothing is sent, nothing is retried, and it is never called a
 * connection failure. An injected fetch counts what was sent.
 */
import { describe, expect, it } from "vitest";
import { deleteConversation, getConversationVariables, listConversations, sendChatMessage } from "../../src/index.js";
import { json, noContent, recordedConfig, recordFetch } from "./fetch-recorder.js";
import { rejection } from "../support/rejection.js";

const apiKey = "app-test-SECRET-0b7e55";
const baseUrl = "https://dify.example.test/v1";

function setup() {
  const recorded = recordFetch(noContent());
  return { recorded, ...recordedConfig(recorded, { apiKey, baseUrl }) };
}

/** The TypeError a call rejects with, after checking that nothing was sent or waited for. */
async function callerMistake(run: (config: ReturnType<typeof setup>["config"]) => Promise<unknown>, pattern: RegExp): Promise<void> {
  const { config, recorded, sleeps } = setup();
  const error = await rejection(run(config));
  expect(error).toBeInstanceOf(TypeError);
  expect((error as Error).message).toMatch(pattern);
  expect((error as Error).message).not.toMatch(/connection failed/);
  expect(recorded.calls).toHaveLength(0);
  expect(sleeps).toEqual([]);
}

describe("path parameters", () => {
  it.each([
    ["undefined", undefined],
    ["null", null],
    ["an object", { id: "c1" }],
    ["an array", ["c1"]],
    ["a boolean", true],
    ["NaN", Number.NaN],
  ])("%s is a TypeError naming the parameter, nothing sent (was sent as a literal placeholder)", async (_name, id) => {
    await callerMistake((config) => deleteConversation(config, id as never, { user: "u" }), /path parameter conversation_id must be a string or a finite number/);
  });

  it('"" is a TypeError at once, not a ConnectionError after 3 attempts', async () => {
    await callerMistake((config) => getConversationVariables(config, "", { user: "u" }), /path parameter conversation_id must not be ""/);
  });

  it("a lone surrogate is a TypeError naming the parameter (was 'URI malformed')", async () => {
    await callerMistake((config) => getConversationVariables(config, "c\uD800x", { user: "u" }), /path parameter conversation_id contains a lone surrogate/);
  });

  it("a number is sent as its decimal text", async () => {
    const { config, recorded } = setup();
    await deleteConversation(config, 42 as never, { user: "u" });
    expect(recorded.calls[0]!.url).toBe(`${baseUrl}/conversations/42`);
  });
});

describe("query parameters", () => {
  it("a lone surrogate is a TypeError naming the parameter", async () => {
    await callerMistake((config) => listConversations(config, { user: "u\uDC00" }), /query parameter user contains a lone surrogate/);
  });

  it("a BigInt is a TypeError naming the parameter", async () => {
    await callerMistake((config) => listConversations(config, { user: "u", limit: 10n as never }), /query parameter limit cannot be sent/);
  });
});

describe("JSON bodies", () => {
  const chat = { query: "hi", user: "u", response_mode: "blocking" } as const;

  it("a BigInt is a TypeError saying where it is, nothing sent", async () => {
    await callerMistake((config) => sendChatMessage(config, { ...chat, inputs: { count: 1n } }), /body\.inputs\.count is a BigInt/);
  });

  it("a circular structure is a TypeError saying where it closes, nothing sent", async () => {
    const inputs: Record<string, unknown> = { a: [1] };
    (inputs["a"] as unknown[]).push(inputs);
    await callerMistake((config) => sendChatMessage(config, { ...chat, inputs }), /body\.inputs\.a\[1\] refers back .* circular/);
  });

  it("a valid body is still sent once", async () => {
    const recorded = recordFetch(json(200, { answer: "ok" }));
    const { config } = recordedConfig(recorded, { apiKey, baseUrl });
    await expect(sendChatMessage(config, { ...chat, inputs: {} })).resolves.toEqual({ answer: "ok" });
    expect(recorded.calls).toHaveLength(1);
  });
});

describe("header values", () => {
  it("a per-call header with a newline is a TypeError naming it, nothing sent", async () => {
    await callerMistake((config) => deleteConversation(config, "c1", { user: "u" }, { headers: { "X-Trace": "a\nb" } }), /header parameter X-Trace/);
  });
});
