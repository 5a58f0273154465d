import { describe, expectTypeOf, it } from "vitest";
import {
  createChatflowClient,
  deleteConversation,
  type ApiPromise,
  type ChatflowClient,
  type ChatflowConfig,
  type ChatflowSpecOperations,
  type RequestOptions,
} from "../../src/index.js";

type SpecDelete = ChatflowSpecOperations["deleteConversation"];
type SpecBody = SpecDelete["requestBody"]["content"]["application/json"];
type SpecId = SpecDelete["parameters"]["path"]["conversation_id"];

declare const client: ChatflowClient;

describe("deleteConversation types follow the spec", () => {
  it("takes (id, body?, options?) exactly as the spec declares them", () => {
    // Since the 2026-07-09 spec, `user` is optional, so the whole params object is too.
    expectTypeOf(client.deleteConversation).parameters.toEqualTypeOf<[conversationId: SpecId, params?: SpecBody, options?: RequestOptions]>();
    expectTypeOf(client.deleteConversation).parameter(0).toEqualTypeOf<string>();
    expectTypeOf(client.deleteConversation).parameter(1).toEqualTypeOf<{ user?: string } | undefined>();
  });

  it("resolves with void (204, no content)", () => {
    expectTypeOf(client.deleteConversation).returns.toEqualTypeOf<ApiPromise<void>>();
  });

  it("is also a standalone function taking the config first", () => {
    expectTypeOf(deleteConversation).parameters.toEqualTypeOf<[config: ChatflowConfig, conversationId: SpecId, params?: SpecBody, options?: RequestOptions]>();
  });

  it("accepts what the spec allows: `user` is optional since 2026-07-09", () => {
    expectTypeOf(client.deleteConversation("c1", { user: "u" })).toEqualTypeOf<ApiPromise<void>>();
    expectTypeOf(client.deleteConversation("c1", {})).toEqualTypeOf<ApiPromise<void>>();
    expectTypeOf(client.deleteConversation("c1")).toEqualTypeOf<ApiPromise<void>>();
  });

  it("rejects calls the spec does not allow", () => {
    // @ts-expect-error `user` is a string, not a number
    void client.deleteConversation("c1", { user: 42 });
    // @ts-expect-error the conversation id is a string, not a number
    void client.deleteConversation(123, { user: "u" });
    // @ts-expect-error the conversation id comes first and cannot be left out
    void client.deleteConversation({ user: "u" });
    // @ts-expect-error `usr` is not a property of the request body
    void client.deleteConversation("c1", { usr: "u" });
    // @ts-expect-error `user: "u"` plus an unknown extra property
    void client.deleteConversation("c1", { user: "u", force: true });
    // @ts-expect-error there is no such method (misspelled)
    void client.deleteConversations("c1", { user: "u" });
    // @ts-expect-error per-call options have no `timeout` field here
    void client.deleteConversation("c1", { user: "u" }, { timeout: 5 });
  });
});

describe("createChatflowClient options", () => {
  it("requires a non-empty apiKey at compile time", () => {
    expectTypeOf(createChatflowClient({ apiKey: "app-123" })).toEqualTypeOf<ChatflowClient>();
    const fromEnv: string = "app-from-env";
    expectTypeOf(createChatflowClient({ apiKey: fromEnv, baseUrl: "https://x/v1" })).toEqualTypeOf<ChatflowClient>();
    // @ts-expect-error an empty apiKey can never authenticate
    createChatflowClient({ apiKey: "" });
    // @ts-expect-error apiKey is required
    createChatflowClient({ baseUrl: "https://x/v1" });
    const maybe = undefined as string | undefined;
    // @ts-expect-error an unset environment variable is not a key
    createChatflowClient({ apiKey: maybe });
  });
});
