/**
 * The package entry: what app teams import. Everything else is internal.
 */
// The client, its operation index, standalone operation functions and their Params/Result types.
export * from "../generated/chatflow/client.js";
export type { components as ChatflowComponents, operations as ChatflowSpecOperations, paths as ChatflowPaths } from "../generated/chatflow/schema.js";
export {
  AbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  DifyApiError,
  DifyError,
  InternalServerError,
  NotFoundError,
  PayloadTooLargeError,
  PermissionDeniedError,
  RateLimitError,
  TimeoutError,
  UnprocessableEntityError,
  UnsupportedMediaTypeError,
  type DifyErrorEnvelope,
} from "./runtime/errors.js";
export { EventStream, type StreamOptions } from "./runtime/stream.js";
export type { ClientOptions, FetchLike, OperationInfo, RequestHookInfo, RequestOptions, ResponseHookInfo } from "./runtime/index.js";
