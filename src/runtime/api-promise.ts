/**
 * What every generated call returns: a real Promise of the result (awaiting it
 * is unchanged), plus the HTTP response behind it (openai-node's APIPromise).
 * The request starts when the call is made, as before: a call nobody awaits is
 * still sent.
 */
import { requestIdOf } from "./logging.js";

/** A call's result with the response it came in. */
export interface WithResponse<T> {
  data: T;
  response: Response;
  /** The server's request id (`x-request-id`), for a support ticket. */
  requestId: string | undefined;
}

/** @internal What the call path resolves with; `unread`: the body was left for `asResponse()`. */
export interface RawResult {
  data: unknown;
  response: Response;
  unread?: boolean;
}

/** @internal Sends the call; `unread`: leave a non-stream body unread (asked for by `asResponse()`). */
export type SendCall = (unread: boolean) => Promise<RawResult>;

export class ApiPromise<T> extends Promise<T> {
  // `.then`, `.catch` and `.finally` return plain Promises (they cannot be built from a SendCall).
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  readonly #raw: Promise<RawResult>;
  #unread = false;

  constructor(send: SendCall) {
    let settle!: [(value: T) => void, (reason: unknown) => void];
    super((resolve, reject) => void (settle = [resolve, reject]));
    // One microtask late, so that `.asResponse()` called on the call itself is seen before the body is read.
    this.#raw = Promise.resolve().then(() => send(this.#unread));
    this.#raw.then(
      (raw) => (raw.unread ? settle[1](unreadError()) : settle[0](raw.data as T)),
      settle[1],
    );
  }

  /**
   * The result with its `Response` (status, headers) and request id. Rejects
   * like the call itself (ApiError for a non-2xx status).
   */
  withResponse(): Promise<WithResponse<T>> {
    this.#handled();
    return this.#raw.then((raw) => {
      if (raw.unread) throw unreadError();
      return { data: raw.data as T, response: raw.response, requestId: requestIdOf(raw.response.headers) };
    });
  }

  /**
   * The `Response` with its body unread, to read as you like. Call it on the
   * call itself (`await client.getX().asResponse()`): the body of a call left
   * pending past its first tick is already being read (`response.bodyUsed`).
   * A stream's response belongs to its event stream. Rejects with ApiError for
   * a non-2xx status.
   */
  asResponse(): Promise<Response> {
    this.#unread = true;
    this.#handled();
    return this.#raw.then((raw) => raw.response);
  }

  // Whoever reads the response handles the call's failure there: the result promise must not report it unhandled.
  #handled(): void {
    super.then(undefined, () => undefined);
  }
}

function unreadError(): TypeError {
  return new TypeError("the response body was left unread for asResponse(): read it from the Response");
}
