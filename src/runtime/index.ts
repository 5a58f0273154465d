/**
 * The runtime the generated facades call, and the package's `./runtime` entry:
 * a client generated for another project (`npm run generate -- --spec …`)
 * imports it as `dify-service-client/runtime`. Everything here ships to app
 * teams; the generator (src/codegen) does not.
 */
export { callOperation } from "./call.js";
export { createContext, type ApiDefaults, type ClientContext } from "./context.js";
export {
  AbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  createApiError,
  DifyApiError,
  DifyError,
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
  type DifyApiErrorInit,
  type DifyErrorEnvelope,
} from "./errors.js";
export type { BodyEncoding, HttpMethod, OperationInfo, OperationSpec, QueryStyle, ResponseKind } from "./operation.js";
export { EventStream, openEventStream, type StreamOpener, type StreamOptions } from "./stream.js";
export type { CheckedClientOptions, ClientOptions, FetchLike, RequestHookInfo, RequestOptions, ResponseHookInfo } from "./options.js";
