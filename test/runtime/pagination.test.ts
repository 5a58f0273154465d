/**
 * Auto-pagination against the loopback Dify-like server: seven conversations in
 * cursor pages of three (`last_id`), seven documents in numbered pages of three
 * (`page`). The server records every request, so each test proves which pages were
 * asked for, and that none was asked for twice.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  AbortError,
  createChatConfig,
  createChatClient,
  createKnowledgeClient,
  listConversations,
  type ListConversationsItem,
  type ListConversationsResult,
  type ListDocumentsItem,
} from "../../src/index.js";
import type { DifyLikeServerOptions, RecordedRequest } from "../support/dify-like-server.js";
import { serverPerTest } from "../support/server-per-test.js";
import { rejection } from "../support/rejection.js";
import { recordSleeps } from "./fetch-recorder.js";

const user = "user-pages";
const ALL_CONVERSATIONS = ["conv-1", "conv-2", "conv-3", "conv-4", "conv-5", "conv-6", "conv-7"];

const startServer = serverPerTest();

async function start(options?: DifyLikeServerOptions) {
  const server = await startServer(options);
  return { server, client: createChatClient({ apiKey: server.apiKey, baseUrl: server.baseUrl }) };
}

/** The query of each list request the server received, in order. */
function listQueries(requests: readonly RecordedRequest[], path: string): string[] {
  return requests.filter((r) => r.method === "GET" && new URL(r.url, "http://x").pathname.endsWith(path)).map((r) => new URL(r.url, "http://x").search);
}

describe("cursor pages (GET /conversations, last_id)", () => {
  it("awaiting the call is the first page, one request, as before", async () => {
    const { server, client } = await start();
    const page = await client.listConversations({ user, limit: 3 });
    expectTypeOf(page).toEqualTypeOf<ListConversationsResult>();
    expect(page.data?.map((c) => c.id)).toEqual(["conv-1", "conv-2", "conv-3"]);
    expect(page.has_more).toBe(true);
    expect(listQueries(server.requests, "/conversations")).toEqual([`?user=${user}&limit=3`]);
  });

  it("for await yields every conversation across three pages, each page requested once", async () => {
    const { server, client } = await start();
    const ids: string[] = [];
    for await (const conversation of client.listConversations({ user, limit: 3 })) {
      expectTypeOf(conversation).toEqualTypeOf<ListConversationsItem>();
      ids.push(conversation.id!);
    }
    expect(ids).toEqual(ALL_CONVERSATIONS);
    expect(listQueries(server.requests, "/conversations")).toEqual([
      `?user=${user}&limit=3`,
      `?user=${user}&limit=3&last_id=conv-3`,
      `?user=${user}&limit=3&last_id=conv-6`,
    ]);
  });

  it(".pages() yields every page, the awaited first one included and not requested again", async () => {
    const { server, client } = await start();
    const call = client.listConversations({ user, limit: 3 });
    const first = await call;
    const pages: ListConversationsResult[] = [];
    for await (const page of call.pages()) pages.push(page);
    expect(pages[0]).toBe(first);
    expect(pages.map((p) => p.data?.map((c) => c.id))).toEqual([["conv-1", "conv-2", "conv-3"], ["conv-4", "conv-5", "conv-6"], ["conv-7"]]);
    expect(pages.map((p) => p.has_more)).toEqual([true, true, false]);
    expect(listQueries(server.requests, "/conversations")).toHaveLength(3);
    // Iterating the same call's items again reuses its first page too: one more request per later page only.
    const again: string[] = [];
    for await (const conversation of call) again.push(conversation.id!);
    expect(again).toEqual(ALL_CONVERSATIONS);
    expect(listQueries(server.requests, "/conversations").filter((q) => !q.includes("last_id"))).toHaveLength(1);
  });

  it("stops at the page whose has_more is false, even when it is full", async () => {
    const { server, client } = await start({ conversations: 6 });
    const ids: string[] = [];
    for await (const conversation of client.listConversations({ user, limit: 3 })) ids.push(conversation.id!);
    expect(ids).toEqual(ALL_CONVERSATIONS.slice(0, 6));
    expect(listQueries(server.requests, "/conversations")).toHaveLength(2);
  });

  it("an empty list is one request and no item", async () => {
    const { server, client } = await start({ conversations: 0 });
    const ids: string[] = [];
    for await (const conversation of client.listConversations({ user })) ids.push(conversation.id!);
    expect(ids).toEqual([]);
    expect(listQueries(server.requests, "/conversations")).toHaveLength(1);
  });

  it("aborting the signal mid-iteration ends the loop with AbortError and requests no further page", async () => {
    const { server, client } = await start();
    const controller = new AbortController();
    const ids: string[] = [];
    const error = await rejection(
      (async () => {
        for await (const conversation of client.listConversations({ user, limit: 3 }, { signal: controller.signal })) {
          ids.push(conversation.id!);
          if (conversation.id === "conv-4") controller.abort();
        }
      })(),
    );
    expect(error).toBeInstanceOf(AbortError);
    // No item after the abort, though the rest of the second page was already read; the third page is never asked for.
    expect(ids).toEqual(["conv-1", "conv-2", "conv-3", "conv-4"]);
    expect(listQueries(server.requests, "/conversations")).toHaveLength(2);
  });

  it("a page that fails with 503 is retried by the usual policy, and the loop goes on", async () => {
    let failed = 0;
    const { server } = await start({
      // The second page fails once.
      failList: (request) => (request.url.includes("last_id=conv-3") && failed++ === 0 ? 503 : undefined),
    });
    const sleeps = recordSleeps();
    const config = { ...createChatConfig({ apiKey: server.apiKey, baseUrl: server.baseUrl }), timing: sleeps.timing };
    const ids: string[] = [];
    for await (const conversation of listConversations(config, { user, limit: 3 })) ids.push(conversation.id!);
    expect(ids).toEqual(ALL_CONVERSATIONS);
    expect(listQueries(server.requests, "/conversations")).toEqual([
      `?user=${user}&limit=3`,
      `?user=${user}&limit=3&last_id=conv-3`,
      `?user=${user}&limit=3&last_id=conv-3`,
      `?user=${user}&limit=3&last_id=conv-6`,
    ]);
    expect(sleeps.sleeps).toHaveLength(1);
  });

  it("a page that keeps failing ends the loop with its ApiError after the items before it", async () => {
    const { client } = await start({ failList: (request) => (request.url.includes("last_id=conv-3") ? 404 : undefined) });
    const ids: string[] = [];
    const error = await rejection(
      (async () => {
        for await (const conversation of client.listConversations({ user, limit: 3 })) ids.push(conversation.id!);
      })(),
    );
    expect(error).toMatchObject({ status: 404 });
    expect(ids).toEqual(["conv-1", "conv-2", "conv-3"]);
  });
});

describe("numbered pages (GET /datasets/{dataset_id}/documents, page)", () => {
  it("for await yields every document across three pages: page 1 (as the caller asked), 2, 3", async () => {
    const server = await startServer();
    const client = createKnowledgeClient({ apiKey: server.datasetApiKey, baseUrl: server.baseUrl });
    const dataset = await client.createKnowledgeBase({ name: "pages", indexing_technique: "economy" });
    const names = Array.from({ length: 7 }, (_, i) => `doc-${i + 1}.txt`);
    for (const name of names) await client.createDocumentByFile(dataset.id!, { file: new File([`text of ${name}`], name, { type: "text/plain" }) });

    const seen: string[] = [];
    for await (const document of client.listDocuments(dataset.id!, { limit: 3 })) {
      expectTypeOf(document).toEqualTypeOf<ListDocumentsItem>();
      seen.push(document.name!);
    }
    expect(seen).toEqual(names);
    expect(listQueries(server.requests, "/documents")).toEqual(["?limit=3", "?limit=3&page=2", "?limit=3&page=3"]);

    // Starting from a later page goes on from there; .pages() gives each page with its total.
    const pages = [];
    for await (const page of client.listDocuments(dataset.id!, { page: 2, limit: 3 }).pages()) pages.push([page.page, page.data?.length, page.total]);
    expect(pages).toEqual([[2, 3, 7], [3, 1, 7]]);
  });
});
