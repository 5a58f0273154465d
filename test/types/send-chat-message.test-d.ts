/**
 * `sendChatMessage`'s result follows `response_mode` at compile time, and its stream's
 * events are a union discriminated on `event`, all taken from the spec.
 */
import { describe, expectTypeOf, it } from "vitest";
import type {
  ApiPromise,
  ChatflowClient,
  ChatflowComponents,
  EventStream,
  SendChatMessageEvent,
  SendChatMessageParams,
  SendChatMessageResult,
} from "../../src/index.js";

declare const client: ChatflowClient;
declare const stream: EventStream<SendChatMessageEvent>;
/** A mode chosen at run time, e.g. from configuration. */
declare const mode: "streaming" | "blocking";
/** The spec's required body: `query`, `inputs` and `user`. */
const chat = { query: "你好", inputs: {}, user: "user-1" };

type Schemas = ChatflowComponents["schemas"];

describe("sendChatMessage's result follows response_mode", () => {
  it('streams only when response_mode is "streaming"', () => {
    expectTypeOf(client.sendChatMessage({ ...chat, response_mode: "streaming" })).toEqualTypeOf<ApiPromise<EventStream<SendChatMessageEvent>>>();
    expectTypeOf(client.sendChatMessage({ ...chat, response_mode: "streaming" }, { includePings: true })).toEqualTypeOf<
      ApiPromise<EventStream<SendChatMessageEvent>>
    >();
  });

  it('resolves with the JSON answer when "blocking" or omitted (the spec\'s default is blocking)', () => {
    expectTypeOf(client.sendChatMessage({ ...chat, response_mode: "blocking" })).toEqualTypeOf<ApiPromise<SendChatMessageResult>>();
    expectTypeOf(client.sendChatMessage(chat)).toEqualTypeOf<ApiPromise<SendChatMessageResult>>();
    expectTypeOf<SendChatMessageResult>().toEqualTypeOf<Schemas["ChatCompletionResponse"]>();
  });

  it("is the union when response_mode is only known at run time", () => {
    expectTypeOf(client.sendChatMessage({ ...chat, response_mode: mode })).toEqualTypeOf<ApiPromise<SendChatMessageResult | EventStream<SendChatMessageEvent>>>();
  });

  it("takes exactly the spec's request body", () => {
    expectTypeOf<SendChatMessageParams>().toEqualTypeOf<Schemas["ChatRequest"]>();
    expectTypeOf<SendChatMessageParams["response_mode"]>().toEqualTypeOf<"streaming" | "blocking" | undefined>();
    expectTypeOf<SendChatMessageParams["inputs"]>().toEqualTypeOf<{ [key: string]: unknown }>();
  });

  it("rejects calls the spec does not allow", () => {
    // @ts-expect-error "stream" is not one of the spec's response modes
    void client.sendChatMessage({ ...chat, response_mode: "stream" });
    // @ts-expect-error `query` is required by the spec
    void client.sendChatMessage({ inputs: {}, user: "user-1" });
    // @ts-expect-error `user` is required by the spec
    void client.sendChatMessage({ query: "你好", inputs: {} });
    // @ts-expect-error `inputs` is required by the spec
    void client.sendChatMessage({ query: "你好", user: "user-1" });
    // @ts-expect-error `inputs` is required when streaming too
    void client.sendChatMessage({ query: "你好", user: "user-1", response_mode: "streaming" });
    // @ts-expect-error the request body is required
    void client.sendChatMessage();
  });
});

describe("stream events", () => {
  it("are the spec's event union, one event per loop turn", () => {
    expectTypeOf<SendChatMessageEvent>().toEqualTypeOf<Schemas["ChatStreamEvent"]>();
    expectTypeOf(stream).toMatchTypeOf<AsyncIterable<SendChatMessageEvent>>();
    expectTypeOf(stream.response).toEqualTypeOf<Response>();
    expectTypeOf<SendChatMessageEvent["event"]>().toEqualTypeOf<
      | "message"
      | "agent_message"
      | "agent_thought"
      | "message_file"
      | "message_end"
      | "tts_message"
      | "tts_message_end"
      | "message_replace"
      | "reasoning_chunk"
      | "workflow_started"
      | "node_started"
      | "node_finished"
      | "node_retry"
      | "iteration_started"
      | "iteration_next"
      | "iteration_completed"
      | "loop_started"
      | "loop_next"
      | "loop_completed"
      | "workflow_finished"
      | "workflow_paused"
      | "human_input_required"
      | "human_input_form_filled"
      | "human_input_form_timeout"
      | "agent_log"
      | "text_chunk"
      | "error"
      | "ping"
    >();
  });

  // The 2026-07-09 spec makes every event field optional (`answer`, `metadata`, `data`, …) and
  // types statuses as plain strings: a consumer has to handle their absence.
  it("narrow on `event`", async () => {
    for await (const e of stream) {
      if (e.event === "message") {
        expectTypeOf(e.answer).toEqualTypeOf<string | undefined>();
        expectTypeOf(e.conversation_id).toEqualTypeOf<string | undefined>();
      } else if (e.event === "message_end") {
        expectTypeOf(e.metadata).toEqualTypeOf<{ usage?: Schemas["Usage"]; retriever_resources?: Schemas["RetrieverResource"][] } | undefined>();
        expectTypeOf(e.metadata?.usage).toEqualTypeOf<Schemas["Usage"] | undefined>();
      } else if (e.event === "node_finished") {
        expectTypeOf(e.data?.status).toEqualTypeOf<string | undefined>();
        expectTypeOf(e.workflow_run_id).toEqualTypeOf<string | undefined>();
      } else if (e.event === "message_file") {
        expectTypeOf(e.url).toEqualTypeOf<string | undefined>();
        expectTypeOf(e.belongs_to).toEqualTypeOf<string | undefined>();
      } else if (e.event === "reasoning_chunk") {
        expectTypeOf(e.data?.reasoning).toEqualTypeOf<string | undefined>();
        expectTypeOf(e.data?.is_final).toEqualTypeOf<boolean | undefined>();
      } else if (e.event === "node_retry") {
        expectTypeOf(e.data?.retry_index).toEqualTypeOf<number | undefined>();
      } else if (e.event === "error") {
        expectTypeOf(e.status).toEqualTypeOf<number | undefined>();
        expectTypeOf(e.code).toEqualTypeOf<string | undefined>();
      } else {
        // @ts-expect-error only `message` and `message_replace` events carry an answer
        void e.answer;
      }
    }
  });
});
