/**
 * One real call per facade method, with arguments taken from the spec's
 * schemas and examples. The mapped type makes a new operation without a call
 * here a compile error; operations.contract.test.ts runs them against Prism.
 */
import { EventStream, type ChatflowClient, type chatflowOperations } from "../../src/index.js";

const user = "user-contract-1";
const uuid = "3c90c3cc-0d44-4b50-8888-8dd25736052a";

export interface ContractCall {
  call(client: ChatflowClient): Promise<unknown>;
  /** What the resolved value must look like. */
  expect: "object" | "void" | "blob" | "stream";
}

export const contractCalls: { readonly [M in keyof typeof chatflowOperations]: ContractCall } = {
  sendChatMessage: {
    call: (c) => c.sendChatMessage({ query: "What can you do?", user, inputs: {}, response_mode: "blocking" }),
    expect: "object",
  },
  uploadFile: {
    call: (c) => c.uploadFile({ file: new File(["hello"], "hello.txt", { type: "text/plain" }), user }),
    expect: "object",
  },
  getEndUser: { call: (c) => c.getEndUser(uuid), expect: "object" },
  previewFile: { call: (c) => c.previewFile(uuid, { as_attachment: true }), expect: "blob" },
  stopChatMessageGeneration: { call: (c) => c.stopChatMessageGeneration("task-1", { user }), expect: "object" },
  sendMessageFeedback: { call: (c) => c.sendMessageFeedback("msg-1", { rating: "like", user, content: "great" }), expect: "object" },
  getAppFeedbacks: { call: (c) => c.getAppFeedbacks({ page: 1, limit: 20 }), expect: "object" },
  getSuggestedQuestions: { call: (c) => c.getSuggestedQuestions("msg-1", { user }), expect: "object" },
  listConversationMessages: { call: (c) => c.listConversationMessages({ conversation_id: "conv-1", user, limit: 20 }), expect: "object" },
  listConversations: { call: (c) => c.listConversations({ user, limit: 20, sort_by: "-updated_at" }), expect: "object" },
  deleteConversation: { call: (c) => c.deleteConversation("conv-1", { user }), expect: "void" },
  renameConversation: { call: (c) => c.renameConversation("conv-1", { name: "Trip planning", user }), expect: "object" },
  getConversationVariables: { call: (c) => c.getConversationVariables("conv-1", { user, limit: 20 }), expect: "object" },
  speechToText: {
    call: (c) => c.speechToText({ file: new File([new Uint8Array([0x49, 0x44, 0x33])], "speech.mp3", { type: "audio/mpeg" }), user }),
    expect: "object",
  },
  textToAudio: { call: (c) => c.textToAudio({ text: "Hello", user }), expect: "blob" },
  getAppInfo: { call: (c) => c.getAppInfo(), expect: "object" },
  getAppParameters: { call: (c) => c.getAppParameters(), expect: "object" },
  getAppMeta: { call: (c) => c.getAppMeta(), expect: "object" },
  getWebAppSettings: { call: (c) => c.getWebAppSettings(), expect: "object" },
  listAnnotations: { call: (c) => c.listAnnotations({ page: 1, limit: 20 }), expect: "object" },
  createAnnotation: { call: (c) => c.createAnnotation({ question: "Q?", answer: "A." }), expect: "object" },
  updateAnnotation: { call: (c) => c.updateAnnotation(uuid, { question: "Q?", answer: "A." }), expect: "object" },
  deleteAnnotation: { call: (c) => c.deleteAnnotation(uuid), expect: "void" },
  configureAnnotationReply: {
    call: (c) => c.configureAnnotationReply("enable", { score_threshold: 0.9, embedding_provider_name: "openai", embedding_model_name: "text-embedding-3-small" }),
    expect: "object",
  },
  getAnnotationReplyStatus: { call: (c) => c.getAnnotationReplyStatus("enable", uuid), expect: "object" },
  updateConversationVariable: { call: (c) => c.updateConversationVariable(uuid, uuid, { value: "Paris", user }), expect: "object" },
  getWorkflowRunDetail: { call: (c) => c.getWorkflowRunDetail("run-1"), expect: "object" },
  listWorkflowLogs: { call: (c) => c.listWorkflowLogs({ status: "succeeded", page: 1, limit: 20 }), expect: "object" },
  getHumanInputForm: { call: (c) => c.getHumanInputForm("form-token-1"), expect: "object" },
  submitHumanInputForm: { call: (c) => c.submitHumanInputForm("form-token-1", { inputs: { answer: "yes" }, action: "approve", user }), expect: "object" },
  streamWorkflowEvents: { call: (c) => c.streamWorkflowEvents(uuid, { user }), expect: "stream" },
};

/** Streaming variant of sendChatMessage: Prism answers with the spec's text/event-stream example. */
export const streamingChatCall: ContractCall = {
  call: async (c) => c.sendChatMessage({ query: "Stream please", user, inputs: {}, response_mode: "streaming" }),
  expect: "stream",
};

export function matchesExpectation(value: unknown, expectation: ContractCall["expect"]): boolean {
  switch (expectation) {
    case "void":
      return value === undefined;
    case "blob":
      return value instanceof Blob;
    case "stream":
      return value instanceof EventStream;
    case "object":
      return typeof value === "object" && value !== null && !(value instanceof Blob);
  }
}
