/** The error a promise rejects with; the test fails when it resolves instead. */
import { expect } from "vitest";
import { DifyApiError } from "../../src/index.js";

export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable("expected a rejection"),
    (error: unknown) => error,
  );
}

/** The DifyApiError a call rejects with; the test fails on a resolve or another error. */
export async function apiRejection(promise: Promise<unknown>): Promise<DifyApiError> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(DifyApiError);
  return error as DifyApiError;
}
