/**
 * The consumer of the type-check section: the same 50 calls (25 of the chatflow
 * client's operations, each twice with different arguments) written once against our
 * facade and once against plain openapi-fetch `createClient<paths>()`, over the same
 * generated schema. Hand-written code, not spec text: the two columns say the same thing.
 */

/** `n` tells the first call of an operation from the second, so the two are not textually identical. */
interface Call {
  facade: (n: 1 | 2) => string;
  openapiFetch: (n: 1 | 2) => string;
}

const annotationReply = (n: 1 | 2) =>
  `{ score_threshold: ${n === 1 ? 0.9 : 0.5}, embedding_provider_name: "openai", embedding_model_name: "text-embedding-3-${n === 1 ? "small" : "large"}" }`;

const CALLS: readonly Call[] = [
  {
    facade: (n) => (n === 1 ? `c.sendChatMessage({ query: "Hi", user, inputs: {}, response_mode: "blocking" })` : `c.sendChatMessage({ query: "Stream", user, inputs: { topic: "x" } })`),
    openapiFetch: (n) =>
      n === 1
        ? `f.POST("/chat-messages", { body: { query: "Hi", user, inputs: {}, response_mode: "blocking" } })`
        : `f.POST("/chat-messages", { body: { query: "Stream", user, inputs: { topic: "x" } }, parseAs: "stream" })`,
  },
  {
    facade: (n) => `c.uploadFile({ file: new File(["${n}"], "a${n}.txt"), user })`,
    openapiFetch: (n) => `f.POST("/files/upload", { body: { file: new File(["${n}"], "a${n}.txt"), user } })`,
  },
  {
    facade: (n) => `c.getEndUser(id${n})`,
    openapiFetch: (n) => `f.GET("/end-users/{end_user_id}", { params: { path: { end_user_id: id${n} } } })`,
  },
  {
    facade: (n) => (n === 1 ? `c.previewFile(id1, { as_attachment: true })` : `c.previewFile(id2)`),
    openapiFetch: (n) =>
      n === 1
        ? `f.GET("/files/{file_id}/preview", { params: { path: { file_id: id1 }, query: { as_attachment: true } }, parseAs: "blob" })`
        : `f.GET("/files/{file_id}/preview", { params: { path: { file_id: id2 } }, parseAs: "blob" })`,
  },
  {
    facade: (n) => `c.stopChatMessageGeneration("task-${n}", { user })`,
    openapiFetch: (n) => `f.POST("/chat-messages/{task_id}/stop", { params: { path: { task_id: "task-${n}" } }, body: { user } })`,
  },
  {
    facade: (n) => (n === 1 ? `c.sendMessageFeedback("msg-1", { rating: "like", user, content: "great" })` : `c.sendMessageFeedback("msg-2", { rating: null, user })`),
    openapiFetch: (n) =>
      n === 1
        ? `f.POST("/messages/{message_id}/feedbacks", { params: { path: { message_id: "msg-1" } }, body: { rating: "like", user, content: "great" } })`
        : `f.POST("/messages/{message_id}/feedbacks", { params: { path: { message_id: "msg-2" } }, body: { rating: null, user } })`,
  },
  {
    facade: (n) => (n === 1 ? `c.getAppFeedbacks({ page: 1, limit: 20 })` : `c.getAppFeedbacks()`),
    openapiFetch: (n) => (n === 1 ? `f.GET("/app/feedbacks", { params: { query: { page: 1, limit: 20 } } })` : `f.GET("/app/feedbacks")`),
  },
  {
    facade: (n) => `c.getSuggestedQuestions("msg-${n}", { user })`,
    openapiFetch: (n) => `f.GET("/messages/{message_id}/suggested", { params: { path: { message_id: "msg-${n}" }, query: { user } } })`,
  },
  {
    facade: (n) => `c.listConversationMessages({ conversation_id: "conv-${n}", user, limit: ${n * 20} })`,
    openapiFetch: (n) => `f.GET("/messages", { params: { query: { conversation_id: "conv-${n}", user, limit: ${n * 20} } } })`,
  },
  {
    facade: (n) => (n === 1 ? `c.listConversations({ user, limit: 20, sort_by: "-updated_at" })` : `c.listConversations({ user })`),
    openapiFetch: (n) =>
      n === 1 ? `f.GET("/conversations", { params: { query: { user, limit: 20, sort_by: "-updated_at" } } })` : `f.GET("/conversations", { params: { query: { user } } })`,
  },
  {
    facade: (n) => `c.deleteConversation("conv-${n}", { user })`,
    openapiFetch: (n) => `f.DELETE("/conversations/{conversation_id}", { params: { path: { conversation_id: "conv-${n}" } }, body: { user } })`,
  },
  {
    facade: (n) => `c.renameConversation("conv-${n}", { name: "Trip ${n}", user })`,
    openapiFetch: (n) => `f.POST("/conversations/{conversation_id}/name", { params: { path: { conversation_id: "conv-${n}" } }, body: { name: "Trip ${n}", user } })`,
  },
  {
    facade: (n) => `c.getConversationVariables("conv-${n}", { user, limit: ${n * 20} })`,
    openapiFetch: (n) => `f.GET("/conversations/{conversation_id}/variables", { params: { path: { conversation_id: "conv-${n}" }, query: { user, limit: ${n * 20} } } })`,
  },
  {
    facade: (n) => `c.speechToText({ file: new File(["${n}"], "s${n}.mp3", { type: "audio/mpeg" }), user })`,
    openapiFetch: (n) => `f.POST("/audio-to-text", { body: { file: new File(["${n}"], "s${n}.mp3", { type: "audio/mpeg" }), user } })`,
  },
  {
    facade: (n) => `c.textToAudio({ text: "Hello ${n}", user })`,
    openapiFetch: (n) => `f.POST("/text-to-audio", { body: { text: "Hello ${n}", user }, parseAs: "blob" })`,
  },
  { facade: () => `c.getAppInfo()`, openapiFetch: () => `f.GET("/info")` },
  { facade: () => `c.getAppParameters()`, openapiFetch: () => `f.GET("/parameters")` },
  { facade: () => `c.getAppMeta()`, openapiFetch: () => `f.GET("/meta")` },
  { facade: () => `c.getWebAppSettings()`, openapiFetch: () => `f.GET("/site")` },
  {
    facade: (n) => `c.listAnnotations({ page: ${n}, limit: 20 })`,
    openapiFetch: (n) => `f.GET("/apps/annotations", { params: { query: { page: ${n}, limit: 20 } } })`,
  },
  {
    facade: (n) => `c.createAnnotation({ question: "Q${n}?", answer: "A${n}." })`,
    openapiFetch: (n) => `f.POST("/apps/annotations", { body: { question: "Q${n}?", answer: "A${n}." } })`,
  },
  {
    facade: (n) => `c.updateAnnotation(id${n}, { question: "Q${n}?", answer: "A${n}." })`,
    openapiFetch: (n) => `f.PUT("/apps/annotations/{annotation_id}", { params: { path: { annotation_id: id${n} } }, body: { question: "Q${n}?", answer: "A${n}." } })`,
  },
  {
    facade: (n) => `c.deleteAnnotation(id${n})`,
    openapiFetch: (n) => `f.DELETE("/apps/annotations/{annotation_id}", { params: { path: { annotation_id: id${n} } } })`,
  },
  {
    facade: (n) => `c.configureAnnotationReply("${n === 1 ? "enable" : "disable"}", ${annotationReply(n)})`,
    openapiFetch: (n) => `f.POST("/apps/annotation-reply/{action}", { params: { path: { action: "${n === 1 ? "enable" : "disable"}" } }, body: ${annotationReply(n)} })`,
  },
  {
    facade: (n) => `c.getAnnotationReplyStatus("${n === 1 ? "enable" : "disable"}", id${n})`,
    openapiFetch: (n) => `f.GET("/apps/annotation-reply/{action}/status/{job_id}", { params: { path: { action: "${n === 1 ? "enable" : "disable"}", job_id: id${n} } } })`,
  },
];

export const CALL_COUNT = CALLS.length * 2;
export const OPERATION_COUNT = CALLS.length;

const PRELUDE = `declare function keep(value: unknown): void;
const user = "user-bench";
const id1 = "3c90c3cc-0d44-4b50-8888-8dd25736052a";
const id2 = "5b2f0a71-8d7e-4c33-9e1a-2f6c8d0b4e17";
`;

function body(pick: (call: Call, n: 1 | 2) => string, use: (expression: string) => string): string {
  const lines = ([1, 2] as const).flatMap((n) => CALLS.map((call) => `  ${use(pick(call, n))}`));
  return `export async function run(): Promise<void> {\n${lines.join("\n")}\n}\n`;
}

/** A consumer of the facade; `entry` is the module specifier of the package entry. */
export function facadeConsumer(entry: string): string {
  return `import { createChatflowClient } from ${JSON.stringify(entry)};
${PRELUDE}const c = createChatflowClient({ apiKey: "app-bench" });

${body((call, n) => call.facade(n), (e) => `keep(await ${e});`)}`;
}

/** The same calls through openapi-fetch; `schema` is the module specifier of the generated schema types. */
export function openapiFetchConsumer(schema: string): string {
  return `import createClient from "openapi-fetch";
import type { paths } from ${JSON.stringify(schema)};
${PRELUDE}const f = createClient<paths>({ baseUrl: "https://api.dify.ai/v1", headers: { Authorization: "Bearer app-bench" } });

${body((call, n) => call.openapiFetch(n), (e) => `keep((await ${e}).data);`)}`;
}
