/**
 * The overlay extension `x-codegen-stream-resume` on a streaming operation: which operation
 * continues its stream after a drop, checked against both operations (the resume operation always
 * streams and takes the run id as its one path parameter; the values it re-sends exist on both).
 *
 * ```yaml
 * x-codegen-stream-resume: { operationId: streamWorkflowEvents, runId: workflow_run_id, query: [user] }
 * ```
 */
import type { HttpMethod } from "../runtime/operation.js";
import { GeneratorError } from "./errors.js";
import type { OperationModel } from "./operation-model.js";
import { isObject, type KeyPath } from "./refs.js";
import type { SpecDocument } from "./spec-document.js";

/**
 * How a dropped stream continues without re-sending its request (overlay extension
 * `x-codegen-stream-resume`): another operation, always a stream, that takes the run id an
 * event carried as its path parameter (Dify: `GET /workflow/{workflow_run_id}/events`).
 */
export interface StreamResume {
  /** The resume operation. */
  method: HttpMethod;
  path: string;
  /** Its one path parameter, which takes the run id. */
  pathParam: string;
  /** The top-level event property that carries the run id (`workflow_run_id`). */
  runId: string;
  /** Values of the original request (body properties or query parameters) sent again as the resume operation's query parameters of the same name. */
  query: string[];
  /** The resume operation's own terminal events: a resumed part may end at one of them too (a run that finished while disconnected). */
  terminalEvents: string[] | undefined;
}

/** `streams`: the operation has an event-stream success response (operation-model.ts eventStreamResponse). */
export function buildStreamResume(spec: SpecDocument, ext: unknown, op: OperationModel, streams: boolean, all: readonly OperationModel[]): StreamResume {
  const at = [...op.at, "x-codegen-stream-resume"];
  const fail = (problem: string, where: KeyPath = at, fix = "write x-codegen-stream-resume: { operationId: <the resume operation>, runId: <event property with the run id>, query: [<request values it needs>] }"): never => {
    throw new GeneratorError(spec.file, spec.locate(where) ?? spec.locate(at), problem, fix);
  };
  if (!isObject(ext) || typeof ext["operationId"] !== "string" || typeof ext["runId"] !== "string" || ext["runId"] === "") {
    return fail("x-codegen-stream-resume needs a string `operationId` and `runId`");
  }
  const query = ext["query"] ?? [];
  if (!Array.isArray(query) || !query.every((q) => typeof q === "string")) return fail("x-codegen-stream-resume `query` must be a list of names", [...at, "query"]);
  if (!streams) return fail("x-codegen-stream-resume is set but the operation does not stream", at, "remove it, or set it on a streaming operation");
  if (!op.terminalEvents) return fail("x-codegen-stream-resume needs x-codegen-terminal-events on the same operation: without them a stream that ends early cannot be told from one that is complete", at, "declare the events that end the stream with x-codegen-terminal-events");
  const target = all.find((o) => o.operationId === ext["operationId"]);
  if (!target) return fail(`x-codegen-stream-resume names operationId ${JSON.stringify(ext["operationId"])}, which no operation has`, [...at, "operationId"], "name the operationId of the operation that continues the stream");
  if (!target.success.some((r) => r.kind === "sse") || target.stream !== undefined) {
    return fail(`the resume operation ${target.key} does not always answer with an event stream`, [...at, "operationId"], "name an operation whose success response is text/event-stream only");
  }
  if (target.pathParams.length !== 1 || target.body?.required) {
    return fail(`the resume operation ${target.key} must take the run id as its only path parameter and need no body`, [...at, "operationId"], "name an operation like GET /runs/{run_id}/events");
  }
  const sent = new Set([...(op.body?.properties ?? []), ...op.query.map((p) => p.name)]);
  for (const [i, name] of (query as string[]).entries()) {
    if (!target.query.some((p) => p.name === name)) return fail(`x-codegen-stream-resume sends ${JSON.stringify(name)}, which is not a query parameter of ${target.key}`, [...at, "query", i], "list query parameters of the resume operation");
    if (!sent.has(name)) return fail(`x-codegen-stream-resume sends ${JSON.stringify(name)}, which ${op.key} does not take`, [...at, "query", i], "list values the original request has, as a body property or query parameter");
  }
  const missing = target.query.find((p) => p.required && !(query as string[]).includes(p.name));
  if (missing) return fail(`the resume operation ${target.key} requires query parameter ${JSON.stringify(missing.name)}, which x-codegen-stream-resume does not send`, [...at, "query"], `add ${missing.name} to query`);
  return { method: target.method, path: target.path, pathParam: target.pathParams[0]!.name, runId: ext["runId"] as string, query: query as string[], terminalEvents: target.terminalEvents };
}
