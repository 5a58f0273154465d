/**
 * Contract tests: the client against a real Prism mock of the spec, over HTTP
 * on loopback. Prism validates each request (path, body, security) against
 * the spec and answers with problem+json when it is invalid.
 */
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChatflowClient, DifyApiError, type DeleteConversationParams } from "../../src/index.js";
import type { PrismServer } from "./prism-server.js";
import { startServicePrism } from "./service-spec.js";
import { apiRejection } from "../support/rejection.js";

// Distinctive, so a leak anywhere in an error is found by plain substring search.
const API_KEY = "app-contract-SECRET-4f1c9e27d8b3";

let prism: PrismServer;

beforeAll(async () => {
  prism = await startServicePrism();
});

afterAll(async () => {
  await prism?.stop();
});

/** Records what went over the wire, to check the test exercised what it claims. */
function recordingFetch(transform: (request: Request) => Request = (request) => request) {
  const sent: Request[] = [];
  const received: Response[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    sent.push(request.clone());
    const response = await globalThis.fetch(transform(request));
    received.push(response.clone());
    return response;
  };
  return { fetch, sent, received };
}

function expectNoKey(error: DifyApiError): void {
  expect(error.message).not.toContain(API_KEY);
  expect(error.stack ?? "").not.toContain(API_KEY);
  expect(JSON.stringify(error)).not.toContain(API_KEY);
  expect(inspect(error, { depth: Infinity, showHidden: true })).not.toContain(API_KEY);
}

describe("deleteConversation against Prism", () => {
  it("resolves to undefined when Prism accepts the request (204)", async () => {
    const wire = recordingFetch();
    const client = createChatflowClient({ apiKey: API_KEY, baseUrl: prism.baseUrl, fetch: wire.fetch });

    await expect(client.deleteConversation("conv-123", { user: "user-1" })).resolves.toBeUndefined();

    expect(wire.sent).toHaveLength(1);
    const [request] = wire.sent;
    expect(request?.method).toBe("DELETE");
    expect(request?.url).toBe(`${prism.baseUrl}/conversations/conv-123`);
    expect(await request?.json()).toEqual({ user: "user-1" });
    expect(wire.received[0]?.status).toBe(204);
  });

  it("maps the spec's paths at the root: a /v1 prefix is not routed (404)", async () => {
    const client = createChatflowClient({ apiKey: API_KEY, baseUrl: `${prism.baseUrl}/v1` });

    const error = await apiRejection(client.deleteConversation("conv-123", { user: "user-1" }));

    expect(error.status).toBe(404);
    expect(error.message).toContain("/v1/conversations/conv-123");
  });

  it("accepts a body without user: optional since the 2026-07-09 spec, which still wants the JSON body", async () => {
    const wire = recordingFetch();
    const client = createChatflowClient({ apiKey: API_KEY, baseUrl: prism.baseUrl, fetch: wire.fetch });
    await expect(client.deleteConversation("conv-123")).resolves.toBeUndefined();
    expect(await wire.sent[0]!.text()).toBe("{}");
    expect(wire.received[0]!.status).toBe(204);
  });

  it.each([
    { name: "user of the wrong type", params: { user: 42 } as unknown as DeleteConversationParams, problem: /user must be string/ },
    { name: "user as a list", params: { user: ["a", "b"] } as unknown as DeleteConversationParams, problem: /user must be string/ },
  ])("rejects with Prism's 400 problem for a body with $name", async ({ params, problem }) => {
    const client = createChatflowClient({ apiKey: API_KEY, baseUrl: prism.baseUrl });

    const error = await apiRejection(client.deleteConversation("conv-123", params));

    // Prism answers a request that fails validation with the spec's own 400 (declared since 2026-07-09; 422 before).
    expect(error.status).toBe(400);
    expect(error.operation).toBe("DELETE /conversations/{conversation_id}");
    // With a 400 declared, Prism answers with its example, a Dify envelope, and lists what failed
    // validation in its `sl-violations` header.
    expect(error.code).toBe("not_chat_app");
    expect(error.body).toEqual({ status: 400, code: "not_chat_app", message: "Please check if your app mode matches the right API route." });
    expect(error.message).toBe("Please check if your app mode matches the right API route.");
    expect(error.headers.get("sl-violations") ?? "").toMatch(problem);
    expectNoKey(error);
  });

  it("rejects with Prism's 401 when the Authorization header does not arrive", async () => {
    const wire = recordingFetch((request) => {
      const headers = new Headers(request.headers);
      headers.delete("Authorization");
      return new Request(request, { headers });
    });
    const client = createChatflowClient({ apiKey: API_KEY, baseUrl: prism.baseUrl, fetch: wire.fetch });

    const error = await apiRejection(client.deleteConversation("conv-123", { user: "user-1" }));

    // The client did send the key; only the injected fetch dropped it.
    expect(wire.sent[0]?.headers.get("Authorization")).toBe(`Bearer ${API_KEY}`);
    expect(error.status).toBe(401);
    // The overlay declares Dify's envelope as every operation's `default` response, so Prism answers
    // with that (generated from the schema, as it has no example) instead of its own problem+json,
    // and names the failed check in `sl-violations`.
    expect(error.body).toEqual({ code: expect.any(String), message: expect.any(String), status: expect.any(Number) });
    expect(error.code).toBe((error.body as { code: string }).code);
    expect(error.message).toBe((error.body as { message: string }).message);
    expect(JSON.parse(error.headers.get("sl-violations") ?? "[]")).toEqual([
      expect.objectContaining({ location: ["request"], code: 401, message: "Invalid security scheme used" }),
    ]);
    expectNoKey(error);
  });
});
