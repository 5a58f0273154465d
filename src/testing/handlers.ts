/**
 * The handler types of the typed mock: what a test may answer each client method with, derived
 * from the client's own method types (so from the generated `…Result`/`…Event` types), never
 * re-declared. Shared by the fetch mock (./mock-client.ts) and the MSW handlers (./msw.ts).
 */
import type { EventStream } from "../runtime/stream.js";
import type { MockError, MockExample, MockNetworkError } from "./answers.js";

/** The methods of a client that call an operation: every method but the `request` escape hatch. */
export type OperationName<C> = Exclude<
  { [K in keyof C]: C[K] extends (...args: never[]) => unknown ? K : never }[keyof C],
  "request"
> &
  string;

/** What the method resolves with (the last overload's: for a stream switch, the result or the stream). */
type Outcome<C, M extends keyof C> = C[M] extends (...args: never[]) => infer R ? Awaited<R> : never;

/** The method's non-streaming result (`Blob` for binary responses, `void` for 204). */
export type MockResult<C, M extends keyof C> = Exclude<Outcome<C, M>, EventStream<unknown>>;

/** One event of the method's stream; `never` for methods that do not stream. */
export type MockEvent<C, M extends keyof C> = Outcome<C, M> extends infer O ? (O extends EventStream<infer E> ? E : never) : never;

/**
 * What a method may be answered with: its result; `mockExample()` (the spec's example); `mockError(status)`;
 * `mockNetworkError()`; a `Response` of your own; and, for a streaming method, its events in order.
 */
export type MockAnswer<C, M extends keyof C> =
  | MockResult<C, M>
  | MockExample<MockResult<C, M>>
  | MockError
  | MockNetworkError
  | Response
  | ([MockEvent<C, M>] extends [never] ? never : readonly MockEvent<C, M>[]);

/** A fixed answer, or a function of the request that computes one (called for each request, retries included). */
export type MockHandler<C, M extends keyof C> =
  | MockAnswer<C, M>
  | ((request: MockRequest<M & string>) => MockAnswer<C, M> | Promise<MockAnswer<C, M>>);

/** Method name → handler; an unknown name is a compile error (and a TypeError at run time). */
export type MockHandlers<C> = { [M in OperationName<C>]?: MockHandler<C, M> };

/** One HTTP request as a handler sees it (and as `mock.requests` records it). */
export interface MockRequest<M extends string = string> {
  /** The client method whose operation this request is (`deleteConversation`). */
  readonly name: M;
  /** HTTP method and the operation's path template: `DELETE`, `/conversations/{conversation_id}`. */
  readonly method: string;
  readonly path: string;
  readonly url: URL;
  /** Path parameters by the spec's names, decoded: `{ conversation_id: "c1" }`. */
  readonly pathParams: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The body: parsed JSON, `FormData` for multipart, text otherwise; undefined when there is none. */
  readonly body: unknown;
  /** Query values (strings) and the JSON body's properties in one object, as the facade's merged params. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly headers: Headers;
  /** The client asked for an event stream (`response_mode: "streaming"`, or an operation that always streams). */
  readonly streaming: boolean;
}

/** One call of a client method, with its arguments as the app passed them. */
export type MockCall<C> = {
  [M in OperationName<C>]: { readonly name: M; readonly args: C[M] extends (...args: infer A) => unknown ? A : never };
}[OperationName<C>];
