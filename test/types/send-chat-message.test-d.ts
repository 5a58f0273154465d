/**
 * `sendChatMessage`'s result follows `response_mode` at compile time, and its stream's
 * events are a union discriminated on `event`, all taken from the spec.
 */
import { describe, expectTypeOf, it } from "vitest";
import type {
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
const chat = { query: "你好", user: "user-1" };

describe("sendChatMessage's result follows response_mode", () => {
  it("streams when response_mode is omitted (the spec's default) or \"streaming\"", () => {
    expectTypeOf(client.sendChatMessage(chat)).toEqualTypeOf<Promise<EventStream<SendChatMessageEvent>>>();
    expectTypeOf(client.sendChatMessage({ ...chat, response_mode: "streaming" })).toEqualTypeOf<Promise<EventStream<SendChatMessageEvent>>>();
    expectTypeOf(client.sendChatMessage(chat, { includePings: true })).toEqualTypeOf<Promise<EventStream<SendChatMessageEvent>>>();
  });

  it('resolves with the JSON answer when "blocking"', () => {
    expectTypeOf(client.sendChatMessage({ ...chat, response_mode: "blocking" })).toEqualTypeOf<Promise<SendChatMessageResult>>();
    expectTypeOf<SendChatMessageResult>().toEqualTypeOf<ChatflowComponents["schemas"]["ChatCompletionResponse"]>();
  });

  it("is the union when response_mode is only known at run time", () => {
    expectTypeOf(client.sendChatMessage({ ...chat, response_mode: mode })).toEqualTypeOf<Promise<SendChatMessageResult | EventStream<SendChatMessageEvent>>>();
  });

  it("takes exactly the spec's request body", () => {
    expectTypeOf<SendChatMessageParams>().toEqualTypeOf<ChatflowComponents["schemas"]["AdvancedChatRequest"]>();
    expectTypeOf<SendChatMessageParams["response_mode"]>().toEqualTypeOf<"streaming" | "blocking" | undefined>();
  });

  it("rejects calls the spec does not allow", () => {
    // @ts-expect-error "stream" is not one of the spec's response modes
    void client.sendChatMessage({ ...chat, response_mode: "stream" });
    // @ts-expect-error `query` is required by the spec
    void client.sendChatMessage({ user: "user-1" });
    // @ts-expect-error `user` is required by the spec
    void client.sendChatMessage({ query: "你好" });
    // @ts-expect-error the request body is required
    void client.sendChatMessage();
  });
});

describe("stream events", () => {
  it("are the spec's event union, one event per loop turn", () => {
    expectTypeOf<SendChatMessageEvent>().toEqualTypeOf<ChatflowComponents["schemas"]["ChatflowStreamEvent"]>();
    expectTypeOf(stream).toMatchTypeOf<AsyncIterable<SendChatMessageEvent>>();
    expectTypeOf(stream.response).toEqualTypeOf<Response>();
    expectTypeOf<SendChatMessageEvent["event"]>().toEqualTypeOf<
      | "message"
      | "message_file"
      | "message_end"
      | "tts_message"
      | "tts_message_end"
      | "message_replace"
      | "workflow_started"
      | "node_started"
      | "node_finished"
      | "workflow_finished"
      | "error"
      | "ping"
    >();
  });

  it("narrow on `event`", async () => {
    for await (const e of stream) {
      if (e.event === "message") {
        expectTypeOf(e.answer).toEqualTypeOf<string>();
        expectTypeOf(e.conversation_id).toEqualTypeOf<string | undefined>();
      } else if (e.event === "message_end") {
        expectTypeOf(e.metadata.usage).toEqualTypeOf<ChatflowComponents["schemas"]["Usage"] | undefined>();
      } else if (e.event === "node_finished") {
        expectTypeOf(e.data.status).toEqualTypeOf<"running" | "succeeded" | "failed" | "stopped">();
      } else if (e.event === "message_file") {
        expectTypeOf(e.url).toEqualTypeOf<string>();
      } else if (e.event === "error") {
        expectTypeOf(e.status).toEqualTypeOf<number>();
        expectTypeOf(e.code).toEqualTypeOf<string>();
      } else {
        // @ts-expect-error only `message` and `message_replace` events carry an answer
        void e.answer;
      }
    }
  });
});
