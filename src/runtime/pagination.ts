/**
 * Auto-pagination of list operations (overlay extension `x-codegen-pagination`):
 * awaiting the call is the first page, as before; iterating it yields every
 * item of every page, `.pages()` every page. Only paginated operations import
 * this module (the generated code passes `paginate` to the call), so a bundle
 * without them carries none of it.
 */
import { ApiPromise, type RawResult, type SendCall } from "./api-promise.js";
import type { OperationSpec, Pagination } from "./operation.js";

type Params = Record<string, unknown> | undefined;

/** @internal Sends one page's request through the normal call path (auth, retries, errors). */
export type SendPage = (params: Params, unread: boolean) => Promise<RawResult>;

/** A call of a paginated list: the first page when awaited, every item when iterated. */
export class PagePromise<Page, Item> extends ApiPromise<Page> implements AsyncIterable<Item> {
  readonly #pagination: Pagination;
  readonly #split: boolean;
  readonly #params: Params;
  readonly #send: SendPage;
  readonly #signal: AbortSignal | undefined;

  constructor(operation: OperationSpec & { pagination: Pagination }, params: Params, send: SendPage, signal: AbortSignal | undefined) {
    super(((unread) => send(params, unread)) satisfies SendCall);
    this.#pagination = operation.pagination;
    this.#split = operation.params === "split";
    this.#params = params;
    this.#send = send;
    this.#signal = signal;
  }

  /**
   * Every page, this call's own first (never requested again), until the
   * server says there is no more (`has_more` false, the last page number, or
   * an empty page). Each next page is one request with the call's options,
   * retried like any call; an aborted `signal` ends the loop with AbortError.
   */
  async *pages(): AsyncGenerator<Page, void, undefined> {
    let params = this.#params;
    let page: Page = await this;
    for (;;) {
      yield page;
      const next = nextParams(this.#pagination, this.#split, params, page as Record<string, unknown>);
      if (next === undefined) return;
      params = next;
      page = (await this.#send(params, false)).data as Page;
    }
  }

  /** Every item of every page (see `pages()`); after the signal aborts, none is yielded and the loop ends with AbortError. */
  async *[Symbol.asyncIterator](): AsyncGenerator<Item, void, undefined> {
    for await (const page of this.pages()) {
      for (const item of itemsOf(this.#pagination, page as Record<string, unknown>)) {
        // An aborted call rejects with the runtime's AbortError before anything is sent.
        if (this.#signal?.aborted) await this.#send(this.#params, false);
        yield item as Item;
      }
    }
  }
}

/** @internal What a paginated operation's generated code passes to the call. */
export function paginate(operation: OperationSpec, params: Params, send: SendPage, signal: AbortSignal | undefined): PagePromise<unknown, unknown> {
  if (!operation.pagination) throw new TypeError(`${operation.method} ${operation.path}: the operation declares no pagination (regenerate the client)`);
  return new PagePromise(operation as OperationSpec & { pagination: Pagination }, params, send, signal);
}

function itemsOf(pagination: Pagination, page: Record<string, unknown> | null): unknown[] {
  const items = page?.[pagination.items];
  return Array.isArray(items) ? items : [];
}

/** The params of the page after `page`, or undefined when `page` is the last one. */
function nextParams(pagination: Pagination, split: boolean, params: Params, page: Record<string, unknown>): Params {
  const items = itemsOf(pagination, page);
  if (items.length === 0) return undefined;
  if (pagination.hasMore !== undefined && page[pagination.hasMore] !== true) return undefined;
  const current = readParam(pagination.param, split, params);
  let value: unknown;
  if (pagination.style === "page") {
    const number = current === undefined ? 1 : Number(current);
    const total = pagination.totalPages === undefined ? undefined : page[pagination.totalPages];
    if (!Number.isFinite(number) || (typeof total === "number" && number >= total)) return undefined;
    value = number + 1;
  } else {
    const item = items[pagination.cursorFrom === "first" ? 0 : items.length - 1] as Record<string, unknown> | null;
    value = item?.[pagination.cursorField ?? "id"];
    // No cursor, or the one just sent (a server ignoring it): going on would request the same page again.
    if (value === undefined || value === null || value === current) return undefined;
  }
  return writeParam(pagination.param, split, params, value);
}

// Merged params hold the query parameters themselves; split ones in `query`.
function readParam(name: string, split: boolean, params: Params): unknown {
  return (split ? (params?.["query"] as Params) : params)?.[name];
}

function writeParam(name: string, split: boolean, params: Params, value: unknown): Params {
  if (!split) return { ...params, [name]: value };
  return { ...params, query: { ...(params?.["query"] as Params), [name]: value } };
}
