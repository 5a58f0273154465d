/**
 * The typed mock: a REAL client whose `fetch` answers each request from the handler of the
 * method it calls. Results, errors (the real `ApiError` subclasses), streams (the real SSE
 * parser, terminal events) and retries therefore behave as in production; only the network is
 * replaced.
 *
 * Requests are answered in the client's `onRequest` hook, before `fetch`: an error a hook throws
 * reaches the caller unchanged, so an unmocked call rejects with `UnmockedCallError` naming the
 * method, not with a `ConnectionError` an app might catch and hide.
 */
import { operationExamples } from "../../generated/dify/examples.js";
import type { OperationInfo } from "../runtime/operation.js";
import type { ClientOptions, FetchLike, RequestHookInfo } from "../runtime/options.js";
import { answerResponse, MockNetworkError, mockExample, UnmockedCallError } from "./answers.js";
import type { MockCall, MockHandlers, MockRequest, OperationName } from "./handlers.js";
import { matchRoute, mockRequest, routesOf, type Route } from "./routes.js";

/** Where the mock client sends its requests unless told otherwise: a host that never resolves. */
export const MOCK_BASE_URL = "https://dify.mock/v1";

/** The client options a mock accepts (the key and `fetch` are the mock's), and `examples`. */
export interface MockOptions extends Omit<ClientOptions, "apiKey" | "username" | "password" | "fetch"> {
  /**
   * Answer every method without a handler with the spec's example result, where the spec has one
   * (streams excepted); methods without an example still fail loudly.
   * @default false
   */
  examples?: boolean;
}

export interface MockClient<C> {
  /** The real client, answered by the mock. */
  readonly client: C;
  /** Every call of a client method, in order, with the arguments the app passed. */
  readonly calls: readonly MockCall<C>[];
  /** Every HTTP request that reached the mock (a retried call sends several), as handlers saw them. */
  readonly requests: readonly MockRequest[];
  /** The arguments of each call of one method. */
  callsOf<M extends OperationName<C>>(name: M): Extract<MockCall<C>, { name: M }>["args"][];
  /** Adds or replaces handlers (a test that needs another answer than the shared setup). */
  on(handlers: MockHandlers<C>): void;
  /** Forgets the recorded calls and requests (the handlers stay). */
  reset(): void;
  /**
   * The mock as a `fetch`, for app code that builds its own client:
   * `createChatflowClient({ apiKey: "k", baseUrl: mock.baseUrl, fetch: mock.fetch })`. Such a
   * client's calls are not in `calls` (its requests are), and an unmocked call rejects with a
   * `ConnectionError` whose cause is the `UnmockedCallError`.
   */
  readonly fetch: FetchLike;
  readonly baseUrl: string;
}

/** What the mock needs to know of one client: generated names and index. */
export interface MockedClientKind<C> {
  /** `chatflow` */
  client: string;
  /** `mockChatflowClient`, for messages. */
  factory: string;
  create(options: ClientOptions): C;
  operations: Readonly<Record<string, OperationInfo>>;
  /** The spec's server (where an app's real client sends, so where MSW handlers listen by default). */
  defaultBaseUrl: string;
}

/** The core of every mock: the answer for one request (shared with nothing else, so one behaviour). */
export interface Responder {
  routes: readonly Route[];
  respond(request: Request, path: string, onRequest?: (request: MockRequest) => void): Promise<Response | MockNetworkError>;
}

export function createResponder<C>(kind: MockedClientKind<C>, handlers: ReadonlyMap<string, unknown>, examples: boolean): Responder {
  const routes = routesOf(kind.operations);
  return {
    routes,
    async respond(request, path, record) {
      const matched = matchRoute(routes, request.method, path);
      if (!matched) {
        throw new UnmockedCallError(`${kind.factory}: ${request.method} ${path} is not an operation of the ${kind.client} client, so it cannot be mocked`);
      }
      const { route, pathParams } = matched;
      const info = await mockRequest(request, route, pathParams);
      record?.(info);
      const example = operationExamples[route.name];
      const label = `${kind.client}.${route.name}`;
      let handler = handlers.get(route.name);
      if (!handlers.has(route.name)) {
        if (examples && example?.value !== undefined && !info.streaming) handler = mockExample();
        else {
          throw new UnmockedCallError(
            `${label} was called but is not mocked. Fix: ${kind.factory}({ ${route.name}: <result> | mockExample() | mockError(404) | (request) => … })`,
          );
        }
      }
      const answer: unknown = typeof handler === "function" ? await (handler as (request: MockRequest) => unknown)(info) : handler;
      return answerResponse(answer, { label, factory: kind.factory, name: route.name, streaming: info.streaming, example });
    },
  };
}

/** Handlers by name, refusing a name the client does not have (a typo must not mock nothing). */
export function handlerTable<C>(kind: MockedClientKind<C>, handlers: object, into = new Map<string, unknown>()): Map<string, unknown> {
  for (const [name, handler] of Object.entries(handlers)) {
    if (!Object.hasOwn(kind.operations, name)) {
      throw new TypeError(`${kind.factory}: the ${kind.client} client has no method ${JSON.stringify(name)}. Its methods: ${Object.keys(kind.operations).join(", ")}`);
    }
    into.set(name, handler);
  }
  return into;
}

export function createMockClient<C extends object>(kind: MockedClientKind<C>, handlers: MockHandlers<C>, options: MockOptions = {}): MockClient<C> {
  const { examples = false, ...clientOptions } = options;
  const table = handlerTable(kind, handlers);
  const responder = createResponder(kind, table, examples);
  const calls: MockCall<C>[] = [];
  const requests: MockRequest[] = [];
  const baseUrl = (clientOptions.baseUrl ?? MOCK_BASE_URL).replace(/\/+$/, "");
  const basePath = new URL(baseUrl).pathname.replace(/\/+$/, "");
  // The answer prepared in onRequest for the request fetch is then given (the same object).
  const prepared = new WeakMap<Request, Response | MockNetworkError>();

  const respond = (request: Request) => {
    const url = new URL(request.url);
    if (!url.href.startsWith(`${baseUrl}/`)) {
      throw new UnmockedCallError(`${kind.factory}: ${request.method} ${url.origin}${url.pathname} is not below the mock's base URL ${baseUrl}`);
    }
    return responder.respond(request, url.pathname.slice(basePath.length), (info) => requests.push(info));
  };
  const fetch: FetchLike = async (request) => {
    const answer = prepared.get(request) ?? (await respond(request));
    prepared.delete(request);
    if (answer instanceof MockNetworkError) throw new TypeError("fetch failed", { cause: new Error(answer.message) });
    return answer;
  };
  const onRequest = async (info: RequestHookInfo) => {
    await clientOptions.onRequest?.(info);
    prepared.set(info.request, await respond(info.request));
  };

  const real = kind.create({ ...clientOptions, apiKey: "app-mock-key", baseUrl, fetch, maxRetries: clientOptions.maxRetries ?? 0, onRequest });
  const wrappers = new Map<string, (...args: unknown[]) => unknown>();
  const client = new Proxy(real, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof property !== "string" || typeof value !== "function" || !Object.hasOwn(kind.operations, property)) return value;
      let wrapper = wrappers.get(property);
      if (!wrapper) {
        wrapper = (...args: unknown[]) => {
          calls.push({ name: property, args } as unknown as MockCall<C>);
          return (value as (...args: unknown[]) => unknown).apply(target, args);
        };
        wrappers.set(property, wrapper);
      }
      return wrapper;
    },
  });

  return {
    client,
    calls,
    requests,
    callsOf: (name) => calls.filter((call) => call.name === name).map((call) => call.args) as never,
    on: (more) => void handlerTable(kind, more, table),
    reset: () => {
      calls.length = 0;
      requests.length = 0;
    },
    fetch,
    baseUrl,
  };
}
