/**
 * The mock's handlers are typed by the client's own methods: a result, an event list or an
 * example override of the wrong shape, or a method the client does not have, does not compile.
 */
import { describe, expectTypeOf, it } from "vitest";
import type { ChatflowClient, GetAppInfoResult, SendChatMessageEvent, SendChatMessageResult, WorkflowClient } from "../../src/index.js";
import {
  mockChatflowClient,
  mockError,
  mockExample,
  mockWorkflowClient,
  type MockClient,
  type MockEvent,
  type MockRequest,
  type MockResult,
} from "../../src/testing.js";
import { chatflowHandlers } from "../../src/testing/msw.js";

describe("handler types", () => {
  it("derives results and events from the client's methods", () => {
    expectTypeOf<MockResult<ChatflowClient, "getAppInfo">>().toEqualTypeOf<GetAppInfoResult>();
    expectTypeOf<MockResult<ChatflowClient, "sendChatMessage">>().toEqualTypeOf<SendChatMessageResult>();
    expectTypeOf<MockEvent<ChatflowClient, "sendChatMessage">>().toEqualTypeOf<SendChatMessageEvent>();
    expectTypeOf<MockEvent<ChatflowClient, "getAppInfo">>().toBeNever();
    expectTypeOf<MockResult<ChatflowClient, "deleteConversation">>().toEqualTypeOf<void>();
    expectTypeOf<MockResult<ChatflowClient, "textToAudio">>().toEqualTypeOf<Blob>();
  });

  it("accepts well-typed answers of every kind", () => {
    const mock = mockChatflowClient({
      getAppInfo: { name: "x", tags: ["a"] },
      getAppMeta: mockExample(),
      getAppParameters: mockExample({ opening_statement: "Hi" }),
      sendChatMessage: [{ event: "message", answer: "Hi" }, { event: "message_end" }],
      deleteConversation: mockError(404, { code: "not_found" }),
      textToAudio: new Blob([]),
      listConversations: async (request) => {
        expectTypeOf(request).toEqualTypeOf<MockRequest<"listConversations">>();
        return { data: [], has_more: false, limit: 20 };
      },
    });
    expectTypeOf(mock).toEqualTypeOf<MockClient<ChatflowClient>>();
    expectTypeOf(mock.client).toEqualTypeOf<ChatflowClient>();
    expectTypeOf(mock.callsOf("deleteConversation")).toEqualTypeOf<Parameters<ChatflowClient["deleteConversation"]>[]>();
    expectTypeOf(chatflowHandlers({ getAppInfo: { name: "x" } })).toBeArray();
  });

  it("refuses answers of the wrong shape", () => {
    // @ts-expect-error name is a string in the spec
    mockChatflowClient({ getAppInfo: { name: 1 } });
    // @ts-expect-error getAppInfo does not stream: a list of events is not its answer
    mockChatflowClient({ getAppInfo: [{ event: "message" }] });
    // @ts-expect-error "nope" is not an event of sendChatMessage's stream
    mockChatflowClient({ sendChatMessage: [{ event: "nope" }] });
    // @ts-expect-error an override of the example is typed like the result
    mockChatflowClient({ getAppInfo: mockExample({ name: 1 }) });
    // @ts-expect-error a function handler returns the result type too
    mockChatflowClient({ getAppInfo: () => ({ name: false }) });
    // @ts-expect-error textToAudio answers a Blob, not JSON
    mockChatflowClient({ textToAudio: { audio: "…" } });
    // @ts-expect-error a plain object is not a mockError(): it must be made by mockError
    mockChatflowClient({ deleteConversation: { status: 404, code: "not_found", message: "x" } });
  });

  it("refuses methods the client does not have", () => {
    // @ts-expect-error a misspelled method
    mockChatflowClient({ getAppInf: { name: "x" } });
    // @ts-expect-error runWorkflow belongs to the workflow client
    mockChatflowClient({ runWorkflow: [] });
    // @ts-expect-error the escape hatch is not an operation to mock
    mockChatflowClient({ request: {} });
    // @ts-expect-error the same for the MSW handlers
    chatflowHandlers({ getAppInf: { name: "x" } });
    mockWorkflowClient({ runWorkflow: [{ event: "workflow_finished", workflow_run_id: "r1" }] });
    expectTypeOf(mockWorkflowClient().client).toEqualTypeOf<WorkflowClient>();
  });
});
