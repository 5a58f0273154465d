/**
 * The runtime's public part, exported by the package root and by every
 * per-app entry point: errors, the event stream, option types.
 */
export {
  AbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  ApiError,
  ClientError,
  // Dify's names for them, as 0.2.0 exported them: `instanceof DifyApiError` is `instanceof ApiError`.
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
  type DifyErrorEnvelope,
} from "./runtime/errors.js";
export { EventStream, type StreamOptions } from "./runtime/stream.js";
// Types only: what calls return (the classes stay internal, so a bundle carries only what its calls use).
export type { ApiPromise, WithResponse } from "./runtime/api-promise.js";
export type { PagePromise } from "./runtime/pagination.js";
export type { ResumeInfo, ResumeOptions } from "./runtime/resume.js";
export type { CheckedClientOptions, ClientOptions, FetchLike, Logger, LogLevel, OperationInfo, RequestHookInfo, RequestOptions, ResponseHookInfo } from "./runtime/index.js";
/** The Service API's types as openapi-typescript writes them (one copy for every client). */
export type { components as DifyComponents, operations as DifySpecOperations, paths as DifyPaths } from "../generated/dify/schema.js";
