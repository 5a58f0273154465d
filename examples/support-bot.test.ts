/**
 * An app team's own test of examples/support-bot.ts, written against the typed mock: no
 * server, no network, every answer typed by the client's own types.
 */
import { describe, expect, it } from "vitest";
import { AuthenticationError } from "../src/index.js";
import { mockChatflowClient, mockError } from "../src/testing.js";
import { ask } from "./support-bot.js";

const events = (conversationId: string) => [
  { event: "message" as const, answer: "Our office opens ", conversation_id: conversationId },
  { event: "message" as const, answer: "at 9.", conversation_id: conversationId },
  { event: "message_end" as const, conversation_id: conversationId, metadata: {} },
];

describe("ask", () => {
  it("collects the streamed answer and the conversation it belongs to", async () => {
    const mock = mockChatflowClient({ sendChatMessage: events("conv-1") });
    expect(await ask(mock.client, "user-1", "When do you open?")).toEqual({ text: "Our office opens at 9.", conversationId: "conv-1", restarted: false });
    expect(mock.callsOf("sendChatMessage")).toEqual([[{ query: "When do you open?", user: "user-1", inputs: {}, response_mode: "streaming" }]]);
  });

  it("starts a new conversation when Dify no longer has the remembered one", async () => {
    const mock = mockChatflowClient({
      sendChatMessage: (request) =>
        request.params["conversation_id"] === "gone"
          ? mockError(404, { code: "not_found", message: "Conversation Not Exists." })
          : events("conv-2"),
    });
    expect(await ask(mock.client, "user-1", "And on Sundays?", "gone")).toEqual({ text: "Our office opens at 9.", conversationId: "conv-2", restarted: true });
    // Sent twice: with the stale id, then without one.
    expect(mock.requests.map((request) => request.params["conversation_id"])).toEqual(["gone", undefined]);
  });

  it("lets other errors through (a revoked key is not a missing conversation)", async () => {
    const mock = mockChatflowClient({ sendChatMessage: mockError(401, { code: "unauthorized", message: "Access token is invalid" }) });
    await expect(ask(mock.client, "user-1", "Hi", "conv-1")).rejects.toBeInstanceOf(AuthenticationError);
    expect(mock.calls).toHaveLength(1);
  });
});
