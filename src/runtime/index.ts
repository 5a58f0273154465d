/**
 * The runtime the generated facades call, and the package's `./runtime` entry:
 * a client generated for another project (`npm run generate -- --spec …`)
 * imports it as `dify-service-client/runtime`. Everything here ships to app
 * teams; the generator (src/codegen) does not.
 */
export { callOperation } from "./call.js";
export { ApiPromise, type WithResponse } from "./api-promise.js";
export { PagePromise, paginate } from "./pagination.js";
// The helpers generated operations pass along when they need them (see OperationSpec.encodeBody and cookieHeader).
export { binaryBody, formBody, multipartBody, textBody } from "./body-encoders.js";
export { cookieHeader, type BodyEncoder, type EncodedBody } from "./encode.js";
export { sendRequest, type PathsWith, type RawRequestParams, type RequestMethod, type RequestParamsOf, type RequestResultOf } from "./request.js";
export { createContext, type ApiDefaults, type ClientContext } from "./context.js";
export {
  AbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  ApiError,
  ClientError,
  createApiError,
  // The names Dify's clients have always used: the same classes.
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
  type ApiErrorInit,
  type DifyErrorEnvelope,
} from "./errors.js";
export type { BodyEncoding, HttpMethod, OperationInfo, OperationSpec, Pagination, QueryStyle, ResponseKind, ResumeSpec } from "./operation.js";
export { EventStream, openEventStream, type StreamOpener, type StreamOptions } from "./stream.js";
export { openResumableEventStream, type ResumeInfo, type ResumeOptions } from "./resume.js";
export { bearerAuthorizer, createAuthorizer, type AuthorizerFactory, type AuthScheme, type Security } from "./auth.js";
export type { Logger, LogLevel } from "./logging.js";
export type { CheckedClientOptions, ClientOptions, CredentialKind, FetchLike, RequestHookInfo, RequestOptions, ResponseHookInfo } from "./options.js";
