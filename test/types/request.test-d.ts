import { describe, expectTypeOf, it } from "vitest";
import type { ApiPromise, ChatflowPaths, KnowledgeClient, WorkflowClient } from "../../src/index.js";

declare const workflow: WorkflowClient;
declare const knowledge: KnowledgeClient;

type Conversations = ChatflowPaths["/conversations"]["get"];

describe("client.request, the escape hatch", () => {
  it("is typed against the spec's paths for any operation, even one the client does not expose", () => {
    // GET /conversations is no workflow operation, but it is in the spec.
    const listed = workflow.request("GET", "/conversations", { query: { user: "u" } });
    expectTypeOf(listed).toEqualTypeOf<ApiPromise<Conversations["responses"][200]["content"]["application/json"]>>();
    expectTypeOf(knowledge.request("DELETE", "/datasets/{dataset_id}", { path: { dataset_id: "d-1" } })).toEqualTypeOf<ApiPromise<undefined>>();
  });

  it("rejects what the spec does not allow for a documented path", () => {
    // @ts-expect-error `user` is a string
    void workflow.request("GET", "/conversations", { query: { user: 1 } });
    // @ts-expect-error the path parameter is required
    void knowledge.request("DELETE", "/datasets/{dataset_id}", {});
  });

  it("takes a path the spec does not document, untyped", () => {
    expectTypeOf(workflow.request("GET", "/not-documented-yet", { query: { a: 1 } })).toEqualTypeOf<ApiPromise<unknown>>();
  });
});
