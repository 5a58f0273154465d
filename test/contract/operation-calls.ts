/**
 * One real call per method name of the six clients, with arguments taken from
 * the spec's schemas and examples. Each call is typed against every client
 * that has the method (method names are unique across clients, so the
 * signatures agree); operations.contract.test.ts runs it through each of
 * them. The mapped type makes a new operation without a call a compile error.
 */
import { EventStream } from "../../src/index.js";
import type { ClientWith, MethodName } from "./clients.js";

// IDs and values from the spec's examples.
const user = "abc-123";
const conversationId = "45701982-8118-4bc5-8e9b-64562b4555f2";
const messageId = "9da23599-e713-473b-982c-4328d4f5c78a";
const taskId = "c3800678-a077-43df-a102-53f23ed20b88";
const fileId = "a1b2c3d4-e5f6-7890-abcd-ef1234567890";
const endUserId = "f1e2d3c4-b5a6-7890-abcd-ef1234567890";
const annotationId = "a1b2c3d4-5678-90ab-cdef-1234567890ab";
const jobId = "a1b2c3d4-5678-90ab-cdef-1234567890ab";
const workflowRunId = "fb47b2e6-5e43-4f90-be01-d5c5a088d156";
const datasetId = "101b4c97-fc2e-463c-90b1-5261a4cdcafb";
const documentId = "a8e0e5b5-78c6-4130-a5ce-25feb0e0b4ac";
const segmentId = "f3d1c7be-9f3a-40d8-8eb8-3a1ef9c3f2c1";
const childChunkId = "d7e8f9a0-1b2c-3d4e-5f6a-7b8c9d0e1f2a";
const metadataId = "b5c6d7e8-f9a0-1b2c-3d4e-5f6a7b8c9d0e";
const tagId = "f4b5c6d7-e8f9-0a1b-2c3d-4e5f6a7b8c9d";
// The spec gives no example of a variable's, a workflow's or a form token's ID: any will do.
const variableId = "3c90c3cc-0d44-4b50-8888-8dd25736052a";
const workflowId = "wf-contract-1";
const formToken = "form-token-contract-1";
const textFile = () => new File(["Dify is an LLM app platform."], "guide.txt", { type: "text/plain" });

export type Expectation = "object" | "void" | "blob" | "stream" | "prism-cannot-mock";

export interface ContractCall<M extends MethodName> {
  call(client: ClientWith<M>): Promise<unknown>;
  /** What the resolved value must look like. */
  expect: Expectation;
}

export const contractCalls: { readonly [M in MethodName]: ContractCall<M> } = {
  // Chat, chatflow, agent.
  sendChatMessage: {
    call: (c) => c.sendChatMessage({ query: "What are the specs of the iPhone 13 Pro Max?", user, inputs: { city: "San Francisco" }, response_mode: "blocking" }),
    expect: "object",
  },
  stopChatMessageGeneration: { call: (c) => c.stopChatMessageGeneration(taskId, { user }), expect: "object" },
  getSuggestedQuestions: { call: (c) => c.getSuggestedQuestions(messageId, { user }), expect: "object" },
  sendMessageFeedback: { call: (c) => c.sendMessageFeedback(messageId, { rating: "like", user, content: "This answer was very helpful!" }), expect: "object" },
  getAppFeedbacks: { call: (c) => c.getAppFeedbacks({ page: 1, limit: 20 }), expect: "object" },
  listConversationMessages: { call: (c) => c.listConversationMessages({ conversation_id: conversationId, user, limit: 20 }), expect: "object" },
  listConversations: { call: (c) => c.listConversations({ user, limit: 20, sort_by: "-updated_at" }), expect: "object" },
  deleteConversation: { call: (c) => c.deleteConversation(conversationId, { user }), expect: "void" },
  renameConversation: { call: (c) => c.renameConversation(conversationId, { name: "iPhone Specs Chat", user }), expect: "object" },
  getConversationVariables: { call: (c) => c.getConversationVariables(conversationId, { user, limit: 20 }), expect: "object" },
  updateConversationVariable: { call: (c) => c.updateConversationVariable(conversationId, variableId, { value: "new value", user }), expect: "object" },
  listAnnotations: { call: (c) => c.listAnnotations({ page: 1, limit: 20 }), expect: "object" },
  createAnnotation: {
    call: (c) => c.createAnnotation({ question: "What is Dify?", answer: "Dify is an open-source LLM application development platform." }),
    expect: "object",
  },
  updateAnnotation: {
    call: (c) => c.updateAnnotation(annotationId, { question: "What is Dify?", answer: "Dify is an open-source LLM application development platform." }),
    expect: "object",
  },
  deleteAnnotation: { call: (c) => c.deleteAnnotation(annotationId), expect: "void" },
  configureAnnotationReply: {
    call: (c) => c.configureAnnotationReply("enable", { score_threshold: 0.9, embedding_provider_name: "openai", embedding_model_name: "text-embedding-3-small" }),
    expect: "object",
  },
  getAnnotationReplyStatus: { call: (c) => c.getAnnotationReplyStatus("enable", jobId), expect: "object" },

  // Every app type.
  uploadFile: { call: (c) => c.uploadFile({ file: textFile(), user }), expect: "object" },
  previewFile: { call: (c) => c.previewFile(fileId, { as_attachment: true, user }), expect: "blob" },
  getEndUser: { call: (c) => c.getEndUser(endUserId), expect: "object" },
  speechToText: {
    call: (c) => c.speechToText({ file: new File([new Uint8Array([0x49, 0x44, 0x33])], "speech.mp3", { type: "audio/mpeg" }), user }),
    expect: "object",
  },
  textToAudio: { call: (c) => c.textToAudio({ text: "Hello, welcome to our service.", user, voice: "alloy", streaming: false }), expect: "blob" },
  getAppInfo: { call: (c) => c.getAppInfo(), expect: "object" },
  getAppParameters: { call: (c) => c.getAppParameters(), expect: "object" },
  getAppMeta: { call: (c) => c.getAppMeta(), expect: "object" },
  getWebAppSettings: { call: (c) => c.getWebAppSettings(), expect: "object" },

  // Workflow and chatflow runs.
  runWorkflow: {
    call: (c) => c.runWorkflow({ inputs: { query: "Summarize this text: The quick brown fox jumps over the lazy dog." }, response_mode: "blocking", user: "user_workflow_123" }),
    expect: "object",
  },
  runWorkflowById: {
    call: (c) => c.runWorkflowById(workflowId, { inputs: { query: "Summarize this article" }, response_mode: "blocking", user: "user_workflow_123" }),
    expect: "object",
  },
  stopWorkflowTask: { call: (c) => c.stopWorkflowTask(taskId, { user: "user_workflow_123" }), expect: "object" },
  getWorkflowRunDetail: { call: (c) => c.getWorkflowRunDetail(workflowRunId), expect: "object" },
  listWorkflowLogs: { call: (c) => c.listWorkflowLogs({ status: "succeeded", page: 1, limit: 20 }), expect: "object" },
  getHumanInputForm: { call: (c) => c.getHumanInputForm(formToken), expect: "object" },
  submitHumanInputForm: { call: (c) => c.submitHumanInputForm(formToken, { inputs: { feedback: "Looks good to ship" }, action: "approve", user }), expect: "object" },
  streamWorkflowEvents: { call: (c) => c.streamWorkflowEvents(workflowRunId, { user }), expect: "stream" },

  // Completion.
  sendCompletionMessage: {
    call: (c) => c.sendCompletionMessage({ inputs: { city: "San Francisco" }, query: "Translate 'hello' to Spanish.", response_mode: "blocking", user }),
    expect: "object",
  },
  stopCompletionMessageGeneration: { call: (c) => c.stopCompletionMessageGeneration(taskId, { user }), expect: "object" },

  // Knowledge (dataset API key).
  listKnowledgeBases: { call: (c) => c.listKnowledgeBases({ page: 1, limit: 20 }), expect: "object" },
  createKnowledgeBase: { call: (c) => c.createKnowledgeBase({ name: "Product Docs" }), expect: "object" },
  getKnowledgeBase: { call: (c) => c.getKnowledgeBase(datasetId), expect: "object" },
  updateKnowledgeBase: { call: (c) => c.updateKnowledgeBase(datasetId, { name: "Product Docs v2" }), expect: "object" },
  deleteKnowledgeBase: { call: (c) => c.deleteKnowledgeBase(datasetId), expect: "void" },
  createDocumentByText: {
    call: (c) => c.createDocumentByText(datasetId, { name: "guide.txt", text: "Dify is an LLM app platform.", indexing_technique: "high_quality", process_rule: { mode: "automatic" } }),
    expect: "object",
  },
  createDocumentByFile: {
    call: (c) => c.createDocumentByFile(datasetId, { file: textFile(), data: '{"indexing_technique":"high_quality","doc_form":"text_model","doc_language":"English","process_rule":{"mode":"automatic"}}' }),
    expect: "object",
  },
  listDocuments: { call: (c) => c.listDocuments(datasetId, { page: 1, limit: 20, status: "available" }), expect: "object" },
  getDocument: { call: (c) => c.getDocument(datasetId, documentId, { metadata: "all" }), expect: "object" },
  deleteDocument: { call: (c) => c.deleteDocument(datasetId, documentId), expect: "void" },
  updateDocument: { call: (c) => c.updateDocument(datasetId, documentId, { data: '{"doc_form":"text_model","doc_language":"English","process_rule":{"mode":"automatic"}}' }), expect: "object" },
  downloadDocument: { call: (c) => c.downloadDocument(datasetId, documentId), expect: "object" },
  getDocumentIndexingStatus: { call: (c) => c.getDocumentIndexingStatus(datasetId, "20250306150245647595"), expect: "object" },
  updateDocumentByText: { call: (c) => c.updateDocumentByText(datasetId, documentId, { name: "guide.txt", text: "Dify is an open-source LLM app platform." }), expect: "object" },
  updateDocumentByFile: { call: (c) => c.updateDocumentByFile(datasetId, documentId, { file: textFile() }), expect: "object" },
  downloadDocumentsAsZip: { call: (c) => c.downloadDocumentsAsZip(datasetId, { document_ids: [documentId] }), expect: "blob" },
  batchUpdateDocumentStatus: { call: (c) => c.batchUpdateDocumentStatus(datasetId, "enable", { document_ids: [documentId] }), expect: "object" },
  createChunks: { call: (c) => c.createChunks(datasetId, documentId, { segments: [{ content: "Dify is an LLM app platform.", keywords: ["dify"] }] }), expect: "object" },
  listChunks: { call: (c) => c.listChunks(datasetId, documentId, { page: 1, limit: 20 }), expect: "object" },
  getChunk: { call: (c) => c.getChunk(datasetId, documentId, segmentId), expect: "object" },
  updateChunk: { call: (c) => c.updateChunk(datasetId, documentId, segmentId, { segment: { content: "Dify is an open-source LLM app platform." } }), expect: "object" },
  deleteChunk: { call: (c) => c.deleteChunk(datasetId, documentId, segmentId), expect: "void" },
  createChildChunk: { call: (c) => c.createChildChunk(datasetId, documentId, segmentId, { content: "An LLM app platform." }), expect: "object" },
  listChildChunks: { call: (c) => c.listChildChunks(datasetId, documentId, segmentId, { page: 1, limit: 20 }), expect: "object" },
  updateChildChunk: { call: (c) => c.updateChildChunk(datasetId, documentId, segmentId, childChunkId, { content: "An open-source LLM app platform." }), expect: "object" },
  deleteChildChunk: { call: (c) => c.deleteChildChunk(datasetId, documentId, segmentId, childChunkId), expect: "void" },
  retrieveChunks: { call: (c) => c.retrieveChunks(datasetId, { query: "What is Dify?" }), expect: "object" },
  createKnowledgeTag: { call: (c) => c.createKnowledgeTag({ name: "Product" }), expect: "object" },
  listKnowledgeTags: { call: (c) => c.listKnowledgeTags(), expect: "object" },
  updateKnowledgeTag: { call: (c) => c.updateKnowledgeTag({ tag_id: tagId, name: "Products" }), expect: "object" },
  deleteKnowledgeTag: { call: (c) => c.deleteKnowledgeTag({ tag_id: tagId }), expect: "void" },
  createTagBinding: { call: (c) => c.createTagBinding({ tag_ids: [tagId], target_id: datasetId }), expect: "void" },
  deleteTagBinding: { call: (c) => c.deleteTagBinding({ tag_id: tagId, target_id: datasetId }), expect: "void" },
  getKnowledgeBaseTags: { call: (c) => c.getKnowledgeBaseTags(datasetId), expect: "object" },
  createMetadataField: { call: (c) => c.createMetadataField(datasetId, { type: "string", name: "author" }), expect: "object" },
  listMetadataFields: { call: (c) => c.listMetadataFields(datasetId), expect: "object" },
  updateMetadataField: { call: (c) => c.updateMetadataField(datasetId, metadataId, { name: "writer" }), expect: "object" },
  deleteMetadataField: { call: (c) => c.deleteMetadataField(datasetId, metadataId), expect: "void" },
  getBuiltInMetadataFields: { call: (c) => c.getBuiltInMetadataFields(datasetId), expect: "object" },
  updateBuiltInMetadataField: { call: (c) => c.updateBuiltInMetadataField(datasetId, "enable"), expect: "object" },
  batchUpdateDocumentMetadata: {
    call: (c) => c.batchUpdateDocumentMetadata(datasetId, { operation_data: [{ document_id: documentId, metadata_list: [{ id: metadataId, name: "author", value: "Dify" }] }] }),
    expect: "object",
  },
  getAvailableModels: { call: (c) => c.getAvailableModels("text-embedding"), expect: "object" },
  uploadPipelineFile: { call: (c) => c.uploadPipelineFile({ file: textFile() }), expect: "object" },
  listDatasourcePlugins: { call: (c) => c.listDatasourcePlugins(datasetId, { is_published: true }), expect: "object" },
  runDatasourceNode: {
    call: (c) => c.runDatasourceNode(datasetId, "1719288585006", { inputs: {}, datasource_type: "online_document", is_published: true }, { maxRetries: 0 }),
    // The spec gives this stream no example and the overlay types its events as objects, which
    // Prism cannot write as text: it validates the request, then answers 500 NO_COMPLEX_OBJECT_TEXT
    // (not retried here, so the test counts one request).
    expect: "prism-cannot-mock",
  },
  runPipeline: {
    // Its 200 lists text/event-stream first: a blocking call asks for application/json itself,
    // or Prism would answer the stream (which it cannot serialise from the overlay's event union).
    call: (c) =>
      c.runPipeline(datasetId, {
        inputs: {},
        datasource_type: "local_file",
        datasource_info_list: [{ reference: fileId, name: "quarterly-report.pdf" }],
        start_node_id: "1719288585006",
        is_published: true,
        response_mode: "blocking",
      }),
    expect: "object",
  },
};

/** Streaming variants: Prism answers with the spec's text/event-stream example. */
export const streamingCalls = {
  sendChatMessage: {
    call: (c: ClientWith<"sendChatMessage">) => c.sendChatMessage({ query: "What are the specs of the iPhone 13 Pro Max?", user, inputs: {}, response_mode: "streaming" }),
  },
  runWorkflow: {
    call: (c: ClientWith<"runWorkflow">) => c.runWorkflow({ inputs: { query: "Summarize this text." }, response_mode: "streaming", user: "user_workflow_123" }),
  },
};

/** Prism's problem type for a 200 it cannot serialise: it comes after the request passed validation. */
export const PRISM_CANNOT_SERIALISE = "https://stoplight.io/prism/errors#NO_COMPLEX_OBJECT_TEXT";

/** `value` is what the call resolved with; a "prism-cannot-mock" call is checked on its rejection instead. */
export function matchesExpectation(value: unknown, expectation: Exclude<Expectation, "prism-cannot-mock">): boolean {
  switch (expectation) {
    case "void":
      return value === undefined;
    case "blob":
      return value instanceof Blob;
    case "stream":
      return value instanceof EventStream;
    case "object":
      return typeof value === "object" && value !== null && !(value instanceof Blob) && !(value instanceof EventStream);
  }
}
