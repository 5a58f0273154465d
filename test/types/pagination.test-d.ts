/**
 * Paginated lists and raw responses at compile time: awaiting a call is typed as
 * before, iterating a paginated one yields its typed items, `.pages()` its pages,
 * `.withResponse()` the result with its Response and request id.
 */
import { describe, expectTypeOf, it } from "vitest";
import {
  listConversations,
  type ApiPromise,
  type ChatClient,
  type ChatConfig,
  type ChatflowComponents,
  type EventStream,
  type KnowledgeClient,
  type ListConversationMessagesItem,
  type ListConversationsItem,
  type ListConversationsResult,
  type ListDocumentsItem,
  type ListDocumentsResult,
  type PagePromise,
  type SendChatMessageEvent,
  type WithResponse,
} from "../../src/index.js";

declare const chat: ChatClient;
declare const knowledge: KnowledgeClient;
declare const config: ChatConfig;
type Schemas = ChatflowComponents["schemas"];

describe("paginated lists", () => {
  it("await as before: the first page", async () => {
    expectTypeOf(await chat.listConversations({ user: "u" })).toEqualTypeOf<ListConversationsResult>();
    expectTypeOf(await knowledge.listDocuments("d-1")).toEqualTypeOf<ListDocumentsResult>();
    expectTypeOf(chat.listConversations({ user: "u" })).toEqualTypeOf<PagePromise<ListConversationsResult, ListConversationsItem>>();
    expectTypeOf(listConversations(config, { user: "u" })).toEqualTypeOf<PagePromise<ListConversationsResult, ListConversationsItem>>();
  });

  it("iterate: the spec's item types", async () => {
    expectTypeOf<ListConversationsItem>().toEqualTypeOf<NonNullable<Schemas["ConversationsListResponse"]["data"]>[number]>();
    expectTypeOf<ListDocumentsItem>().toEqualTypeOf<Schemas["Document"]>();
    for await (const conversation of chat.listConversations({ user: "u" })) expectTypeOf(conversation).toEqualTypeOf<ListConversationsItem>();
    for await (const message of chat.listConversationMessages({ user: "u", conversation_id: "c" })) {
      expectTypeOf(message).toEqualTypeOf<ListConversationMessagesItem>();
    }
    for await (const document of knowledge.listDocuments("d-1", { limit: 50 })) expectTypeOf(document).toEqualTypeOf<ListDocumentsItem>();
  });

  it(".pages(): the page type", async () => {
    for await (const page of chat.listConversations({ user: "u" }).pages()) expectTypeOf(page).toEqualTypeOf<ListConversationsResult>();
  });

  it("only paginated lists iterate", () => {
    // @ts-expect-error deleteConversation is no list: its ApiPromise has no async iterator
    void (async () => { for await (const x of chat.deleteConversation("c-1")) void x; });
    // @ts-expect-error nor a `pages()` method
    void chat.getAppInfo().pages();
  });

  it("take the list's own params (the cursor included)", () => {
    void chat.listConversations({ user: "u", last_id: "c-3", limit: 100 });
    // @ts-expect-error limit is a number
    void chat.listConversations({ user: "u", limit: "100" });
  });
});

describe(".withResponse() and .asResponse()", () => {
  it("on any call: the result, the Response and the request id", async () => {
    const raw = await chat.deleteConversation("c-1").withResponse();
    expectTypeOf(raw).toEqualTypeOf<WithResponse<void>>();
    expectTypeOf(raw).toEqualTypeOf<{ data: void; response: Response; requestId: string | undefined }>();
    expectTypeOf((await chat.listConversations({ user: "u" }).withResponse()).data).toEqualTypeOf<ListConversationsResult>();
    expectTypeOf(chat.listConversations({ user: "u" }).asResponse()).toEqualTypeOf<Promise<Response>>();
  });

  it("on a stream: data is the EventStream", async () => {
    const { data } = await chat.sendChatMessage({ query: "q", inputs: {}, user: "u", response_mode: "streaming" }).withResponse();
    expectTypeOf(data).toEqualTypeOf<EventStream<SendChatMessageEvent>>();
  });

  it("on the escape hatch", async () => {
    const { data } = await chat.request("GET", "/conversations", { query: { user: "u" } }).withResponse();
    expectTypeOf(data).toEqualTypeOf<ListConversationsResult>();
  });

  it("then/catch/finally give plain Promises; the call is a Promise", () => {
    const call = chat.getAppInfo();
    expectTypeOf(call).toExtend<Promise<Awaited<typeof call>>>();
    expectTypeOf(call).toExtend<ApiPromise<Awaited<typeof call>>>();
    expectTypeOf(call.then((x) => x)).toEqualTypeOf<Promise<Awaited<typeof call>>>();
    // @ts-expect-error a derived promise is a plain Promise: no withResponse
    void call.then((x) => x).withResponse();
  });
});
