import { createServer } from "node:net";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { createChatflowClient, createChatflowConfig, getAppInfo, sendChatMessage } from "../../src/index.js";
import {
  AbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  createApiError,
  ApiError as DifyApiError,
  ClientError as DifyError,
  InternalServerError,
  NotFoundError,
  PayloadTooLargeError,
  PermissionDeniedError,
  RateLimitError,
  ResponseParseError,
  StreamIncompleteError,
  TimeoutError,
  UnprocessableEntityError,
  UnsupportedMediaTypeError,
} from "../../src/runtime/errors.js";
import { recordSleeps } from "./fetch-recorder.js";

const apiKey = "app-test-SECRET-51c8e2";

/** Everywhere an error's text can end up: logs, JSON logs, inspect with hidden properties and causes. */
function surfaces(error: unknown): string[] {
  const e = error as Error;
  return [e.message, String(e.stack), JSON.stringify(e), inspect(e, { depth: 20, showHidden: true })];
}

const apiError = (status: number) =>
  createApiError({ status, body: { code: "c", message: "m", status }, headers: new Headers(), method: "GET", path: "/info" });

describe("createApiError picks the class for the status", () => {
  it.each([
    [400, BadRequestError, "BadRequestError"],
    [401, AuthenticationError, "AuthenticationError"],
    [403, PermissionDeniedError, "PermissionDeniedError"],
    [404, NotFoundError, "NotFoundError"],
    [409, ConflictError, "ConflictError"],
    [413, PayloadTooLargeError, "PayloadTooLargeError"],
    [415, UnsupportedMediaTypeError, "UnsupportedMediaTypeError"],
    [422, UnprocessableEntityError, "UnprocessableEntityError"],
    [429, RateLimitError, "RateLimitError"],
    [500, InternalServerError, "InternalServerError"],
    [502, InternalServerError, "InternalServerError"],
    [503, InternalServerError, "InternalServerError"],
    [599, InternalServerError, "InternalServerError"],
    [418, DifyApiError, "ApiError"],
    [405, DifyApiError, "ApiError"],
  ])("%i → %o", (status, ErrorClass, name) => {
    const error = apiError(status);
    expect(error.constructor).toBe(ErrorClass);
    expect(error).toBeInstanceOf(DifyApiError);
    expect(error).toBeInstanceOf(DifyError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(String(error.stack)).toMatch(new RegExp(`^${name}: m`));
    expect(error).toMatchObject({ status, code: "c", message: "m", operation: "GET /info" });
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ name, status, code: "c" });
  });
});

describe("errors without a response", () => {
  it.each([
    ["ConnectionError", new ConnectionError({ operation: "GET /info", attempts: 3, cause: new TypeError("fetch failed") }), ConnectionError],
    ["TimeoutError", new TimeoutError({ operation: "GET /info", attempts: 3, timeoutMs: 20 }), TimeoutError],
    ["AbortError", new AbortError({ operation: "GET /info", cause: undefined }), AbortError],
    ["ResponseParseError", new ResponseParseError({ operation: "GET /info", status: 200, contentType: "text/html", problem: "not JSON", excerpt: "Sign in" }), ResponseParseError],
    ["StreamIncompleteError", new StreamIncompleteError({ operation: "GET /info", expected: ["message_end"], partial: false }), StreamIncompleteError],
  ])("%s is a DifyError but not a DifyApiError, with its name and data-only JSON", (name, error, ErrorClass) => {
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toBeInstanceOf(DifyError);
    expect(error).not.toBeInstanceOf(DifyApiError);
    expect(error.name).toBe(name);
    expect(String(error.stack)).toMatch(new RegExp(`^${name}: GET /info`));
    const json = JSON.parse(JSON.stringify(error)) as Record<string, unknown>;
    expect(json).toMatchObject({ name, operation: "GET /info" });
    expect(json).not.toHaveProperty("stack");
  });

  it("renders to JSON its name, message and own fields, without the headers or the body excerpt", () => {
    const parse = new ResponseParseError({ operation: "GET /info", status: 200, contentType: "text/html", problem: "not JSON", excerpt: "Sign in" });
    expect(JSON.parse(JSON.stringify(parse))).toEqual({ name: "ResponseParseError", message: parse.message, operation: "GET /info", status: 200, contentType: "text/html" });
    const api = createApiError({ status: 404, body: { code: "not_found", message: "gone" }, headers: new Headers({ "x-request-id": "r1" }), method: "GET", path: "/info" });
    expect(JSON.parse(JSON.stringify(api))).toEqual({
      name: "NotFoundError",
      message: "gone",
      status: 404,
      code: "not_found",
      operation: "GET /info",
      requestId: "r1",
      body: { code: "not_found", message: "gone" },
    });
    const timeout = new TimeoutError({ operation: "GET /info", attempts: 2, timeoutMs: 20 });
    expect(JSON.parse(JSON.stringify(timeout))).toEqual({ name: "TimeoutError", message: timeout.message, operation: "GET /info", attempts: 2, timeoutMs: 20 });
  });

  it("says what failed, in one line", () => {
    const cause = new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED 127.0.0.1:1") });
    expect(new ConnectionError({ operation: "GET /info", attempts: 3, cause }).message).toBe(
      "GET /info: connection failed (fetch failed: connect ECONNREFUSED 127.0.0.1:1) after 3 attempts",
    );
    expect(new TimeoutError({ operation: "GET /info", attempts: 1, timeoutMs: 20 }).message).toBe("GET /info: no response within 20 ms");
  });
});

describe("real connection failures (undici, loopback)", () => {
  /** A loopback port nothing listens on: bound, then released. */
  async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    return port;
  }

  it("turns a refused connection into a ConnectionError whose cause chain holds no API key", async () => {
    const client = createChatflowClient({ apiKey, baseUrl: `http://127.0.0.1:${await closedPort()}/v1`, maxRetries: 0 });
    const error = await client.getAppInfo().then(
      () => expect.fail("expected a rejection"),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toContain("ECONNREFUSED");
    expect((((error as Error).cause as Error).cause as { code?: string }).code).toBe("ECONNREFUSED");
    for (const text of surfaces(error)) expect(text).not.toContain(apiKey);
  });

  it("re-sends a POST whose connection was refused", async () => {
    const attempts: number[] = [];
    const config = {
      ...createChatflowConfig({ apiKey, baseUrl: `http://127.0.0.1:${await closedPort()}/v1`, maxRetries: 1, onRequest: ({ attempt }) => void attempts.push(attempt) }),
      timing: recordSleeps().timing,
    };
    const error = await sendChatMessage(config, { query: "hi", user: "u", inputs: {}, response_mode: "blocking" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "ConnectionError", attempts: 2 });
    expect(attempts).toEqual([1, 2]);
  });
});

describe("the API key never appears in an error", () => {
  it("replaces a custom fetch's error that quotes the Authorization header", async () => {
    const leaky = async (request: Request): Promise<Response> => {
      throw new Error(`proxy refused ${request.headers.get("authorization")}`, { cause: new Error(`header was ${apiKey}`) });
    };
    const config = { ...createChatflowConfig({ apiKey, fetch: leaky, maxRetries: 0 }), timing: recordSleeps().timing };
    const error = await getAppInfo(config).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toContain("[redacted]");
    for (const text of surfaces(error)) expect(text).not.toContain(apiKey);
  });

  it("nor in a TimeoutError or AbortError", async () => {
    const controller = new AbortController();
    const hanging = (request: Request) =>
      new Promise<Response>((_resolve, reject) => request.signal.addEventListener("abort", () => reject(request.signal.reason)));
    const config = { ...createChatflowConfig({ apiKey, fetch: hanging, timeoutMs: 20, maxRetries: 0 }), timing: recordSleeps().timing };
    const timeout = await getAppInfo(config).catch((e: unknown) => e);
    expect(timeout).toBeInstanceOf(TimeoutError);
    const pending = getAppInfo(config, {}, { signal: controller.signal, timeoutMs: 60_000 }).catch((e: unknown) => e);
    controller.abort();
    const aborted = await pending;
    expect(aborted).toBeInstanceOf(AbortError);
    for (const text of [...surfaces(timeout), ...surfaces(aborted)]) expect(text).not.toContain(apiKey);
  });
});
