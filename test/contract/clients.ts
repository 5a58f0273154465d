/**
 * The six clients the contract tests run: each app type's factory, its
 * operations index and the kind of key it takes. Method names are unique
 * across clients (one name, one operation), so a call can be written once
 * against whichever clients have the method.
 */
import {
  agentOperations,
  chatflowOperations,
  chatOperations,
  completionOperations,
  createAgentClient,
  createChatClient,
  createChatflowClient,
  createCompletionClient,
  createKnowledgeClient,
  createWorkflowClient,
  knowledgeOperations,
  workflowOperations,
  type CheckedClientOptions,
  type OperationInfo,
} from "../../src/index.js";

export const contractClients = {
  chatflow: { create: (options: CheckedClientOptions<string>) => createChatflowClient(options), operations: chatflowOperations, apiKey: "app-contract-chatflow" },
  chat: { create: (options: CheckedClientOptions<string>) => createChatClient(options), operations: chatOperations, apiKey: "app-contract-chat" },
  agent: { create: (options: CheckedClientOptions<string>) => createAgentClient(options), operations: agentOperations, apiKey: "app-contract-agent" },
  workflow: { create: (options: CheckedClientOptions<string>) => createWorkflowClient(options), operations: workflowOperations, apiKey: "app-contract-workflow" },
  completion: { create: (options: CheckedClientOptions<string>) => createCompletionClient(options), operations: completionOperations, apiKey: "app-contract-completion" },
  // Knowledge endpoints take a dataset API key, not an app key.
  knowledge: { create: (options: CheckedClientOptions<string>) => createKnowledgeClient(options), operations: knowledgeOperations, apiKey: "dataset-contract-knowledge" },
} as const;

export type AppName = keyof typeof contractClients;
export type ClientOf<A extends AppName> = ReturnType<(typeof contractClients)[A]["create"]>;
export type AnyClient = ClientOf<AppName>;
/** Every method name of every client. */
export type MethodName = { [A in AppName]: keyof (typeof contractClients)[A]["operations"] }[AppName];
/** The clients that have method `M`. */
export type ClientWith<M extends MethodName> = Extract<AnyClient, { readonly [K in M]: unknown }>;

/** Every (client, method) pair of the operations indexes, with the index's entry. */
export function clientMethodPairs(): { app: AppName; method: MethodName; info: OperationInfo }[] {
  return (Object.keys(contractClients) as AppName[]).flatMap((app) =>
    Object.entries(contractClients[app].operations as Record<string, OperationInfo>).map(([method, info]) => ({ app, method: method as MethodName, info })),
  );
}
