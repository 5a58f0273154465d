/**
 * Entry point `dify-service-client/testing/msw`: MSW request handlers per operation, for teams
 * whose tests already use MSW (an optional peer dependency: only this entry imports it). The
 * handlers take the same typed answers as the mock (`mockError`, `mockExample`, event lists, …)
 * and answer through the same code, so both behave alike. Handlers exist for the methods given
 * (and, with `examples: true`, for every method the spec has an example result for); run MSW with
 * `onUnhandledRequest: "error"` so that any other call fails loudly.
 */
import { http, HttpResponse, type HttpHandler } from "msw";
import { operationExamples } from "../../generated/dify/examples.js";
import type { ChatflowClient, ChatClient, AgentClient, WorkflowClient, CompletionClient, KnowledgeClient } from "../index.js";
import { MockNetworkError } from "./answers.js";
import { chatflowKind, chatKind, agentKind, workflowKind, completionKind, knowledgeKind } from "./clients.js";
import type { MockHandlers } from "./handlers.js";
import { createResponder, handlerTable, type MockedClientKind } from "./mock-client.js";
import { matchRoute } from "./routes.js";

export interface MswOptions {
  /**
   * Where the app's client sends its requests.
   * @default the spec's server, https://api.dify.ai/v1
   */
  baseUrl?: string;
  /**
   * Also answer every method the spec has an example result for (streams excepted) with that example.
   * @default false
   */
  examples?: boolean;
}

const METHODS = { GET: http.get, POST: http.post, PUT: http.put, PATCH: http.patch, DELETE: http.delete, HEAD: http.head, OPTIONS: http.options } as const;

function mswHandlers<C>(client: MockedClientKind<C>, handlers: object, options: MswOptions = {}): HttpHandler[] {
  // Messages name the function the test called.
  const kind = { ...client, factory: `${client.client}Handlers` };
  const examples = options.examples ?? false;
  const table = handlerTable(kind, handlers);
  const responder = createResponder(kind, table, examples);
  const baseUrl = (options.baseUrl ?? kind.defaultBaseUrl).replace(/\/+$/, "");
  const basePath = new URL(baseUrl).pathname.replace(/\/+$/, "");
  const answered = (name: string) => table.has(name) || (examples && operationExamples[name]?.value !== undefined);
  return responder.routes
    .filter((route) => answered(route.name) && route.info.method in METHODS)
    .map((route) =>
      METHODS[route.info.method as keyof typeof METHODS](`${baseUrl}${route.info.path.replace(/\{([^{}]+)\}/g, ":$1")}`, async ({ request }) => {
        const path = new URL(request.url).pathname.slice(basePath.length);
        // `/datasets/:dataset_id` also matches `/datasets/tags`: leave a request of another operation to its own handler.
        if (matchRoute(responder.routes, request.method, path)?.route.name !== route.name) return undefined;
        const answer = await responder.respond(request, path);
        return answer instanceof MockNetworkError ? HttpResponse.error() : answer;
      }),
    );
}

/** MSW request handlers answering `ChatflowClient` calls from `handlers` (see the README, "Testing your app"). */
export function chatflowHandlers(handlers: MockHandlers<ChatflowClient>, options?: MswOptions): HttpHandler[] {
  return mswHandlers(chatflowKind, handlers, options);
}

/** MSW request handlers answering `ChatClient` calls from `handlers` (see the README, "Testing your app"). */
export function chatHandlers(handlers: MockHandlers<ChatClient>, options?: MswOptions): HttpHandler[] {
  return mswHandlers(chatKind, handlers, options);
}

/** MSW request handlers answering `AgentClient` calls from `handlers` (see the README, "Testing your app"). */
export function agentHandlers(handlers: MockHandlers<AgentClient>, options?: MswOptions): HttpHandler[] {
  return mswHandlers(agentKind, handlers, options);
}

/** MSW request handlers answering `WorkflowClient` calls from `handlers` (see the README, "Testing your app"). */
export function workflowHandlers(handlers: MockHandlers<WorkflowClient>, options?: MswOptions): HttpHandler[] {
  return mswHandlers(workflowKind, handlers, options);
}

/** MSW request handlers answering `CompletionClient` calls from `handlers` (see the README, "Testing your app"). */
export function completionHandlers(handlers: MockHandlers<CompletionClient>, options?: MswOptions): HttpHandler[] {
  return mswHandlers(completionKind, handlers, options);
}

/** MSW request handlers answering `KnowledgeClient` calls from `handlers` (see the README, "Testing your app"). */
export function knowledgeHandlers(handlers: MockHandlers<KnowledgeClient>, options?: MswOptions): HttpHandler[] {
  return mswHandlers(knowledgeKind, handlers, options);
}
