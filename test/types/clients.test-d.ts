/**
 * For each of the six clients: one streaming call, whose events narrow by `event` to the
 * spec's member (a field of another member is a compile error), and one error, caught as
 * `unknown` and narrowed with `instanceof` to an API error whose `status`/`code` are typed.
 */
import { describe, expectTypeOf, it } from "vitest";
import {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  DifyApiError,
  NotFoundError,
  RateLimitError,
  type AgentClient,
  type ChatClient,
  type ChatflowClient,
  type CompletionClient,
  type DifyComponents,
  type EventStream,
  type KnowledgeClient,
  type RunDatasourceNodeEvent,
  type RunPipelineEvent,
  type RunWorkflowEvent,
  type SendChatMessageEvent,
  type SendCompletionMessageEvent,
  type WorkflowClient,
} from "../../src/index.js";

type Schemas = DifyComponents["schemas"];

declare const chatflow: ChatflowClient;
declare const chat: ChatClient;
declare const agent: AgentClient;
declare const workflow: WorkflowClient;
declare const completion: CompletionClient;
declare const knowledge: KnowledgeClient;

const chatBody = { query: "你好", inputs: {}, user: "user-1", response_mode: "streaming" } as const;

/** What every API error exposes, whichever client threw it. */
function expectApiErrorFields(error: DifyApiError): void {
  expectTypeOf(error.status).toEqualTypeOf<number>();
  expectTypeOf(error.code).toEqualTypeOf<string | undefined>();
  expectTypeOf(error.body).toBeUnknown();
  expectTypeOf(error.operation).toEqualTypeOf<string>();
  expectTypeOf(error.requestId).toEqualTypeOf<string | undefined>();
}

describe("chatflow", () => {
  it("sendChatMessage streams the chat event union; `message_end` narrows to its metadata", async () => {
    const stream = await chatflow.sendChatMessage(chatBody);
    expectTypeOf(stream).toEqualTypeOf<EventStream<SendChatMessageEvent>>();
    for await (const event of stream) {
      if (event.event === "message_end") {
        expectTypeOf(event).toEqualTypeOf<Schemas["StreamEventChatMessageEnd"]>();
        expectTypeOf(event.metadata).not.toBeAny();
        // @ts-expect-error `answer` belongs to `message`, not to `message_end`
        void event.answer;
      }
      if (event.event === "workflow_finished") expectTypeOf(event.data).toEqualTypeOf<Schemas["StreamEventWorkflowFinished"]["data"]>();
    }
  });

  it("deleteConversation rejects with a NotFoundError whose status and code are typed", async () => {
    try {
      await chatflow.deleteConversation("missing", { user: "user-1" });
    } catch (error) {
      expectTypeOf(error).toBeUnknown();
      // @ts-expect-error a caught value is unknown until narrowed
      void error.status;
      if (error instanceof NotFoundError) {
        expectTypeOf(error).toExtend<DifyApiError>();
        expectApiErrorFields(error);
      }
    }
  });
});

describe("chat", () => {
  it("sendChatMessage streams `message` events carrying the answer", async () => {
    const stream = await chat.sendChatMessage(chatBody);
    expectTypeOf(stream).toEqualTypeOf<EventStream<SendChatMessageEvent>>();
    for await (const event of stream) {
      if (event.event === "message") {
        expectTypeOf(event.answer).toEqualTypeOf<string | undefined>();
        expectTypeOf(event.conversation_id).toEqualTypeOf<string | undefined>();
        // @ts-expect-error `metadata` belongs to `message_end`
        void event.metadata;
      }
    }
  });

  it("sendChatMessage rejects with a RateLimitError whose status and code are typed", async () => {
    try {
      await chat.sendChatMessage({ ...chatBody, response_mode: "blocking" });
    } catch (error) {
      if (error instanceof RateLimitError) expectApiErrorFields(error);
      // @ts-expect-error `status` needs the instanceof narrowing first
      expectTypeOf(error.status).toEqualTypeOf<number>();
    }
  });
});

describe("agent", () => {
  it("sendChatMessage streams `agent_thought` events with the tool call", async () => {
    const stream = await agent.sendChatMessage(chatBody);
    expectTypeOf(stream).toEqualTypeOf<EventStream<SendChatMessageEvent>>();
    for await (const event of stream) {
      if (event.event === "agent_thought") {
        expectTypeOf(event).toEqualTypeOf<Schemas["StreamEventChatAgentThought"]>();
        expectTypeOf(event.tool).toEqualTypeOf<string | undefined>();
        expectTypeOf(event.message_files).toEqualTypeOf<string[] | undefined>();
        // @ts-expect-error `answer` belongs to `agent_message`, not to `agent_thought`
        void event.answer;
      }
    }
  });

  it("a wrong key rejects with an AuthenticationError whose status and code are typed", async () => {
    try {
      await agent.getAppInfo();
    } catch (error) {
      if (error instanceof AuthenticationError) {
        expectApiErrorFields(error);
        // @ts-expect-error `status` is read-only
        error.status = 200;
      }
    }
  });
});

describe("workflow", () => {
  it("runWorkflow streams workflow events only: `text_chunk` narrows to its `data.text`", async () => {
    const stream = await workflow.runWorkflow({ inputs: { topic: "x" }, user: "user-1", response_mode: "streaming" });
    expectTypeOf(stream).toEqualTypeOf<EventStream<RunWorkflowEvent>>();
    expectTypeOf<RunWorkflowEvent>().toEqualTypeOf<Schemas["WorkflowStreamEvent"]>();
    for await (const event of stream) {
      if (event.event === "text_chunk") {
        expectTypeOf(event.data).toEqualTypeOf<{ text?: string; from_variable_selector?: string[] | null } | undefined>();
        expectTypeOf(event.task_id).toEqualTypeOf<string | undefined>();
      }
      if (event.event === "workflow_finished") expectTypeOf(event.data).toEqualTypeOf<Schemas["WorkflowFinishedData"] | undefined>();
      // @ts-expect-error a workflow stream has no chat events
      if (event.event === "message") void event;
    }
  });

  it("getWorkflowRunDetail rejects with a NotFoundError whose status and code are typed", async () => {
    try {
      await workflow.getWorkflowRunDetail("missing");
    } catch (error) {
      if (error instanceof NotFoundError) expectApiErrorFields(error);
      if (error instanceof DifyApiError) {
        expectTypeOf(error.status).toEqualTypeOf<number>();
        expectTypeOf(error.toJSON()).toEqualTypeOf<Record<string, unknown>>();
      }
    }
  });
});

describe("completion", () => {
  it("sendCompletionMessage streams completion events: `message_end` narrows to its usage and files", async () => {
    const stream = await completion.sendCompletionMessage({ inputs: { text: "x" }, user: "user-1", response_mode: "streaming" });
    expectTypeOf(stream).toEqualTypeOf<EventStream<SendCompletionMessageEvent>>();
    expectTypeOf<SendCompletionMessageEvent>().toEqualTypeOf<Schemas["CompletionStreamEvent"]>();
    for await (const event of stream) {
      if (event.event === "message_end") {
        expectTypeOf(event.metadata?.usage).toEqualTypeOf<Schemas["Usage"] | undefined>();
        expectTypeOf(event.files).toEqualTypeOf<NonNullable<Schemas["StreamEventMessageEnd"]["files"]> | null | undefined>();
      }
      // @ts-expect-error a completion stream has no workflow events
      if (event.event === "workflow_started") void event;
    }
  });

  it("sendCompletionMessage rejects with a BadRequestError whose status and code are typed", async () => {
    try {
      await completion.sendCompletionMessage({ inputs: {}, user: "user-1" });
    } catch (error) {
      if (error instanceof BadRequestError) expectApiErrorFields(error);
    }
  });
});

describe("knowledge", () => {
  it("runDatasourceNode streams datasource events: `datasource_error` narrows to a required `error`", async () => {
    const stream = await knowledge.runDatasourceNode("ds-1", "node-1", { inputs: {}, datasource_type: "online_document", is_published: true });
    expectTypeOf(stream).toEqualTypeOf<EventStream<RunDatasourceNodeEvent>>();
    for await (const event of stream) {
      if (event.event === "datasource_error") expectTypeOf(event.error).toEqualTypeOf<string>();
      if (event.event === "datasource_processing") {
        expectTypeOf(event.completed).toEqualTypeOf<number | null | undefined>();
        // @ts-expect-error `error` belongs to `datasource_error` only
        void event.error;
      }
    }
  });

  it("runPipeline with response_mode streaming streams workflow events", async () => {
    const stream = await knowledge.runPipeline("ds-1", {
      inputs: {},
      datasource_type: "local_file",
      datasource_info_list: [{ reference: "file-1" }],
      start_node_id: "node-1",
      is_published: true,
      response_mode: "streaming",
    });
    expectTypeOf(stream).toEqualTypeOf<EventStream<RunPipelineEvent>>();
    for await (const event of stream) {
      if (event.event === "node_finished") expectTypeOf(event.data?.status).toEqualTypeOf<string | undefined>();
    }
  });

  it("createKnowledgeBase rejects with a ConflictError (a duplicate name) whose status and code are typed", async () => {
    try {
      await knowledge.createKnowledgeBase({ name: "twice" });
    } catch (error) {
      if (error instanceof ConflictError) expectApiErrorFields(error);
      // @ts-expect-error `name` is required by the spec
      await knowledge.createKnowledgeBase({});
    }
  });
});
