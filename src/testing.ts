/**
 * Entry point `dify-service-client/testing`: a typed mock of each Dify client for app teams' own
 * tests. No other entry point imports it, so no client bundle carries it (nor the spec's examples
 * it answers with). MSW request handlers: `dify-service-client/testing/msw`.
 */
import type { ChatflowClient, ChatClient, AgentClient, WorkflowClient, CompletionClient, KnowledgeClient } from "./index.js";
import { chatflowKind, chatKind, agentKind, workflowKind, completionKind, knowledgeKind } from "./testing/clients.js";
import type { MockHandlers } from "./testing/handlers.js";
import { createMockClient, type MockClient, type MockOptions } from "./testing/mock-client.js";

export { mockError, mockExample, mockNetworkError, MockError, MockExample, MockNetworkError, UnmockedCallError } from "./testing/answers.js";
export type { MockAnswer, MockCall, MockEvent, MockHandler, MockHandlers, MockRequest, MockResult, OperationName } from "./testing/handlers.js";
export { MOCK_BASE_URL, type MockClient, type MockOptions } from "./testing/mock-client.js";

/** A mocked `ChatflowClient`: each method answered by its handler (see the README, "Testing your app"). */
export function mockChatflowClient(handlers: MockHandlers<ChatflowClient> = {}, options?: MockOptions): MockClient<ChatflowClient> {
  return createMockClient(chatflowKind, handlers, options);
}

/** A mocked `ChatClient`: each method answered by its handler (see the README, "Testing your app"). */
export function mockChatClient(handlers: MockHandlers<ChatClient> = {}, options?: MockOptions): MockClient<ChatClient> {
  return createMockClient(chatKind, handlers, options);
}

/** A mocked `AgentClient`: each method answered by its handler (see the README, "Testing your app"). */
export function mockAgentClient(handlers: MockHandlers<AgentClient> = {}, options?: MockOptions): MockClient<AgentClient> {
  return createMockClient(agentKind, handlers, options);
}

/** A mocked `WorkflowClient`: each method answered by its handler (see the README, "Testing your app"). */
export function mockWorkflowClient(handlers: MockHandlers<WorkflowClient> = {}, options?: MockOptions): MockClient<WorkflowClient> {
  return createMockClient(workflowKind, handlers, options);
}

/** A mocked `CompletionClient`: each method answered by its handler (see the README, "Testing your app"). */
export function mockCompletionClient(handlers: MockHandlers<CompletionClient> = {}, options?: MockOptions): MockClient<CompletionClient> {
  return createMockClient(completionKind, handlers, options);
}

/** A mocked `KnowledgeClient`: each method answered by its handler (see the README, "Testing your app"). */
export function mockKnowledgeClient(handlers: MockHandlers<KnowledgeClient> = {}, options?: MockOptions): MockClient<KnowledgeClient> {
  return createMockClient(knowledgeKind, handlers, options);
}
