import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { chatflowOperations, createChatflowClient } from "../../src/index.js";
import { json, noContent, recordFetch } from "./fetch-recorder.js";
import { apiRejection } from "../support/rejection.js";

const apiKey = "app-test-SECRET-9f2c1e";

function clientWith(recorded: ReturnType<typeof recordFetch>, baseUrl = "https://dify.example.test/v1") {
  // No retries here: these tests are about one exchange; retry.test.ts covers retrying.
  return createChatflowClient({ apiKey, baseUrl, fetch: recorded.fetch, maxRetries: 0 });
}

describe("deleteConversation on the wire", () => {
  it("sends DELETE with the encoded id, bearer key and JSON body, and resolves undefined on 204", async () => {
    const recorded = recordFetch(noContent());
    const result = await clientWith(recorded).deleteConversation("a/../b", { user: "user-1" });

    expect(result).toBeUndefined();
    expect(recorded.calls).toHaveLength(1);
    const request = recorded.calls[0]!;
    expect(request.method).toBe("DELETE");
    expect(request.url).toBe("https://dify.example.test/v1/conversations/a%2F..%2Fb");
    expect(request.headers.get("authorization")).toBe(`Bearer ${apiKey}`);
    expect(request.headers.get("content-type")).toBe("application/json");
    expect(await request.json()).toEqual({ user: "user-1" });
  });

  it.each([
    ["a trailing slash", "https://dify.example.test/v1/"],
    ["no trailing slash", "https://dify.example.test/v1"],
  ])("joins a baseUrl with %s", async (_name, baseUrl) => {
    const recorded = recordFetch(noContent());
    await clientWith(recorded, baseUrl).deleteConversation("c1", { user: "u" });
    expect(recorded.calls[0]!.url).toBe("https://dify.example.test/v1/conversations/c1");
  });

  it("sends {} when user is omitted: the spec requires a JSON body even then", async () => {
    const recorded = recordFetch(noContent(), noContent());
    const client = clientWith(recorded);
    await client.deleteConversation("c1");
    await client.deleteConversation("c2", {});
    for (const request of recorded.calls) {
      expect(request.headers.get("content-type")).toBe("application/json");
      expect(await request.text()).toBe("{}");
    }
  });

  it("defaults baseUrl to the spec's server", async () => {
    const recorded = recordFetch(noContent());
    await createChatflowClient({ apiKey, fetch: recorded.fetch }).deleteConversation("c1", { user: "u" });
    expect(recorded.calls[0]!.url).toBe("https://api.dify.ai/v1/conversations/c1");
  });

  it.each([
    ["?", "%3F"],
    ["#", "%23"],
    ["%", "%25"],
    [" ", "%20"],
    ["ü", "%C3%BC"],
  ])("percent-encodes %j in the id", async (char, encoded) => {
    const recorded = recordFetch(noContent());
    await clientWith(recorded).deleteConversation(`x${char}y`, { user: "u" });
    expect(recorded.calls[0]!.url).toBe(`https://dify.example.test/v1/conversations/x${encoded}y`);
  });

  it.each([".", "..", ""])("refuses the id %j, which cannot be one path segment, before sending", async (id) => {
    const recorded = recordFetch(noContent());
    await expect(clientWith(recorded).deleteConversation(id, { user: "u" })).rejects.toThrow(/path parameter conversation_id/);
    expect(recorded.calls).toHaveLength(0);
  });

  it("sends per-call headers and the signal, but never lets them replace the key", async () => {
    const recorded = recordFetch(noContent());
    const controller = new AbortController();
    await clientWith(recorded).deleteConversation(
      "c1",
      { user: "u" },
      { signal: controller.signal, headers: { "X-Trace": "t-1", Authorization: "Bearer other" } },
    );
    const request = recorded.calls[0]!;
    expect(request.headers.get("x-trace")).toBe("t-1");
    expect(request.headers.get("authorization")).toBe(`Bearer ${apiKey}`);
    controller.abort();
    expect(request.signal.aborted).toBe(true);
  });

  it("exposes the operation index", () => {
    expect(chatflowOperations.deleteConversation).toEqual({
      method: "DELETE",
      path: "/conversations/{conversation_id}",
      operationId: "deleteConversation",
    });
  });
});

describe("deleteConversation errors", () => {
  it("turns Dify's 404 envelope into a DifyApiError with status, code and message", async () => {
    const body = { code: "not_found", message: "Conversation Not Exists.", status: 404 };
    const recorded = recordFetch(json(404, body, { "x-request-id": "req-42" }));
    const error = await apiRejection(clientWith(recorded).deleteConversation("missing", { user: "u" }));
    expect(error.status).toBe(404);
    expect(error.code).toBe("not_found");
    expect(error.message).toBe("Conversation Not Exists.");
    expect(error.body).toEqual(body);
    expect(error.requestId).toBe("req-42");
    expect(error.operation).toBe("DELETE /conversations/{conversation_id}");
  });

  it("turns a 401 into a DifyApiError", async () => {
    const recorded = recordFetch(json(401, { code: "unauthorized", message: "Access token is invalid", status: 401 }));
    const error = await apiRejection(clientWith(recorded).deleteConversation("c1", { user: "u" }));
    expect(error.status).toBe(401);
    expect(error.code).toBe("unauthorized");
    expect(error.message).toBe("Access token is invalid");
  });

  it("gives a useful error for a proxy's HTML 502 page", async () => {
    const html = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";
    const recorded = recordFetch(() => new Response(html, { status: 502, headers: { "content-type": "text/html" } }));
    const error = await apiRejection(clientWith(recorded).deleteConversation("c1", { user: "u" }));
    expect(error.status).toBe(502);
    expect(error.code).toBeUndefined();
    expect(error.body).toBe(html);
    expect(error.message).toContain("502 Bad Gateway");
    expect(error.message).toContain("HTML");
    expect(error.message).not.toContain("<");
  });

  it("gives a status-based message for an empty error body", async () => {
    const recorded = recordFetch(() => new Response("", { status: 500 }));
    const error = await apiRejection(clientWith(recorded).deleteConversation("c1", { user: "u" }));
    expect(error.status).toBe(500);
    expect(error.message).toBe("500 Internal Server Error");
  });

  it("never shows the API key, even when the server echoes it", async () => {
    const echo = { code: "unauthorized", message: `Invalid key Bearer ${apiKey}`, status: 401, [apiKey]: apiKey };
    const recorded = recordFetch(json(401, echo));
    const client = clientWith(recorded);
    const error = await apiRejection(client.deleteConversation("c1", { user: "u" }));
    const surfaces = [error.message, String(error.stack), JSON.stringify(error), inspect(error, { depth: 10, showHidden: true }), inspect(client, { depth: 10, showHidden: true }), JSON.stringify(client)];
    for (const text of surfaces) expect(text).not.toContain(apiKey);
    expect(error.message).toContain("[redacted]");
  });
});

describe("client construction", () => {
  it.each([
    ["an empty apiKey", { apiKey: "" }],
    ["a blank apiKey", { apiKey: "   " }],
    ["a missing apiKey", {}],
  ])("rejects %s with a clear error", (_name, options) => {
    expect(() => createChatflowClient(options as never)).toThrow(/apiKey is missing or empty/);
  });

  it("rejects a relative baseUrl", () => {
    expect(() => createChatflowClient({ apiKey, baseUrl: "dify/v1" })).toThrow(/not an absolute URL/);
  });
});
