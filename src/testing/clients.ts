/** The six Dify clients as the mock and the MSW handlers see them: factory, operations index, default server. */
import { chatflowDefaultBaseUrl, chatflowOperations, createChatflowClient, type ChatflowClient } from "../../generated/dify/chatflow.js";
import { chatDefaultBaseUrl, chatOperations, createChatClient, type ChatClient } from "../../generated/dify/chat.js";
import { agentDefaultBaseUrl, agentOperations, createAgentClient, type AgentClient } from "../../generated/dify/agent.js";
import { workflowDefaultBaseUrl, workflowOperations, createWorkflowClient, type WorkflowClient } from "../../generated/dify/workflow.js";
import { completionDefaultBaseUrl, completionOperations, createCompletionClient, type CompletionClient } from "../../generated/dify/completion.js";
import { knowledgeDefaultBaseUrl, knowledgeOperations, createKnowledgeClient, type KnowledgeClient } from "../../generated/dify/knowledge.js";
import type { MockedClientKind } from "./mock-client.js";

export const chatflowKind: MockedClientKind<ChatflowClient> = { client: "chatflow", factory: "mockChatflowClient", create: createChatflowClient, operations: chatflowOperations, defaultBaseUrl: chatflowDefaultBaseUrl };
export const chatKind: MockedClientKind<ChatClient> = { client: "chat", factory: "mockChatClient", create: createChatClient, operations: chatOperations, defaultBaseUrl: chatDefaultBaseUrl };
export const agentKind: MockedClientKind<AgentClient> = { client: "agent", factory: "mockAgentClient", create: createAgentClient, operations: agentOperations, defaultBaseUrl: agentDefaultBaseUrl };
export const workflowKind: MockedClientKind<WorkflowClient> = { client: "workflow", factory: "mockWorkflowClient", create: createWorkflowClient, operations: workflowOperations, defaultBaseUrl: workflowDefaultBaseUrl };
export const completionKind: MockedClientKind<CompletionClient> = { client: "completion", factory: "mockCompletionClient", create: createCompletionClient, operations: completionOperations, defaultBaseUrl: completionDefaultBaseUrl };
export const knowledgeKind: MockedClientKind<KnowledgeClient> = { client: "knowledge", factory: "mockKnowledgeClient", create: createKnowledgeClient, operations: knowledgeOperations, defaultBaseUrl: knowledgeDefaultBaseUrl };
