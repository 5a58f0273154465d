import { describe, expectTypeOf, it } from "vitest";
import type { ApiPromise, ChatflowClient, ChatflowComponents, EventStream, StreamWorkflowEventsEvent } from "../../src/index.js";

declare const client: ChatflowClient;

describe("streamWorkflowEvents (an operation that always streams)", () => {
  it("resolves with a stream of the overlay-wired events: a workflow run's or a chatflow chat's", () => {
    expectTypeOf(client.streamWorkflowEvents("run-1", { user: "u" })).toEqualTypeOf<ApiPromise<EventStream<StreamWorkflowEventsEvent>>>();
    expectTypeOf<StreamWorkflowEventsEvent>().toEqualTypeOf<ChatflowComponents["schemas"]["WorkflowStreamEvent"] | ChatflowComponents["schemas"]["ChatStreamEvent"]>();
    expectTypeOf(client.streamWorkflowEvents("run-1", { user: "u" }, { includePings: true })).toEqualTypeOf<ApiPromise<EventStream<StreamWorkflowEventsEvent>>>();
  });

  it("requires what the spec requires", () => {
    // @ts-expect-error `user` is a required query parameter
    void client.streamWorkflowEvents("run-1", {});
    // @ts-expect-error the run id is a string
    void client.streamWorkflowEvents(1, { user: "u" });
  });
});
