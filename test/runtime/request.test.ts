/** `client.request(method, path, params)`: the client's auth, retries and errors for any path, documented or not. */
import { describe, expect, it } from "vitest";
import { createWorkflowClient, NotFoundError } from "../../src/index.js";
import { json, recordFetch } from "./fetch-recorder.js";

const apiKey = "app-escape-hatch-51d2";

describe("client.request", () => {
  it("sends a spec operation the client does not expose, with the client's key, path and query encoded", async () => {
    const recorded = recordFetch(json(200, { data: [], has_more: false, limit: 5 }));
    const client = createWorkflowClient({ apiKey, fetch: recorded.fetch });
    expect(await client.request("GET", "/conversations", { query: { user: "u 1", limit: 5 } })).toEqual({ data: [], has_more: false, limit: 5 });
    expect(recorded.calls[0]!.url).toBe("https://api.dify.ai/v1/conversations?user=u%201&limit=5");
    expect(recorded.calls[0]!.headers.get("authorization")).toBe(`Bearer ${apiKey}`);
  });

  it("sends an undocumented path with a JSON body and reads a text answer as text", async () => {
    const recorded = recordFetch(() => new Response("pong", { headers: { "content-type": "text/plain" } }));
    const client = createWorkflowClient({ apiKey, fetch: recorded.fetch });
    expect(await client.request("POST", "/beta/{id}/ping", { path: { id: "a/b" }, body: { hello: "world" } })).toBe("pong");
    expect(recorded.calls[0]!.url).toBe("https://api.dify.ai/v1/beta/a%2Fb/ping");
    expect(recorded.calls[0]!.headers.get("content-type")).toBe("application/json");
    expect(await recorded.calls[0]!.json()).toEqual({ hello: "world" });
  });

  it("retries an idempotent request and rejects with the typed error", async () => {
    const recorded = recordFetch(json(503, { code: "busy", message: "later", status: 503 }), json(404, { code: "not_found", message: "No such thing", status: 404 }));
    const client = createWorkflowClient({ apiKey, fetch: recorded.fetch, maxRetries: 1 });
    const error = await client.request("GET", "/things/{id}", { path: { id: "x" } }, { timeoutMs: 5_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(recorded.calls).toHaveLength(2);
  });

  it("refuses a method or a path it cannot send, before sending", () => {
    const recorded = recordFetch();
    const client = createWorkflowClient({ apiKey, fetch: recorded.fetch });
    expect(() => client.request("FETCH" as never, "/x")).toThrow(/method must be one of/);
    expect(() => client.request("GET", "x")).toThrow(/path must start with "\/"/);
    expect(recorded.calls).toHaveLength(0);
  });
});
