/**
 * The package entry: what app teams import. Every client, every standalone
 * operation function with its `…Params`/`…Result` types, errors and options.
 * Each client also has an entry point of its own (`./chatflow`, `./workflow`, …).
 */
export * from "../generated/dify/chatflow.js";
export * from "../generated/dify/chat.js";
export * from "../generated/dify/agent.js";
export * from "../generated/dify/workflow.js";
export * from "../generated/dify/completion.js";
export * from "../generated/dify/knowledge.js";
export * from "./public-runtime.js";
// The names 0.2.0 exported the Chatflow spec's types under; the one Service API spec types them now.
export type { DifyComponents as ChatflowComponents, DifySpecOperations as ChatflowSpecOperations, DifyPaths as ChatflowPaths } from "./public-runtime.js";
