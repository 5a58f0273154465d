/**
 * The operation model: what the facade emitter needs to know about each
 * operation, read from the spec with `$ref`s followed. Types are not modelled
 * here; the facade indexes openapi-typescript's output for those.
 */
import type { BodyEncoding, HttpMethod, Pagination, ResponseKind } from "../runtime/operation.js";
import { GeneratorError } from "./errors.js";
import { buildPagination } from "./pagination-model.js";
import { buildStreamResume, type StreamResume } from "./stream-resume-model.js";
import { isObject, resolve, type KeyPath } from "./refs.js";
import type { SpecDocument } from "./spec-document.js";

export interface ParameterModel {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required: boolean;
  /** false for a `{name}` in the path template that no parameter declares. */
  declared: boolean;
  /** For query parameters that do not use OpenAPI's default (`form`, exploded). */
  style?: { style: "form" | "spaceDelimited" | "pipeDelimited" | "deepObject"; explode: boolean };
}

export interface BodyModel {
  mediaType: string;
  encoding: BodyEncoding;
  required: boolean;
  /** Property names when the body schema is an object; undefined otherwise. */
  properties: string[] | undefined;
  requiredProperties: string[];
  /** Each property's `default`, where it declares one. */
  propertyDefaults: Record<string, unknown>;
}

export interface ResponseModel {
  /** "200", "2XX", "default" */
  status: string;
  /** Chosen content type, undefined for no content. */
  mediaType: string | undefined;
  kind: ResponseKind;
  /** Every content type the response declares. */
  contentTypes: string[];
  /** Whether the text/event-stream schema describes event objects (not just `type: string`). */
  typedEvents: boolean;
}

/** Where a request property switches the response to an event stream (overlay extension `x-codegen-stream`). */
export interface StreamSwitch {
  property: string;
  value: string;
  /** The property's default selects the stream. */
  byDefault: boolean;
  /** The success response carrying the text/event-stream content. */
  response: ResponseModel;
  mediaType: string;
}

export interface OperationModel {
  /** "DELETE /conversations/{conversation_id}": the operation's identity (and its name-lock key). */
  key: string;
  method: HttpMethod;
  /** The key of the operation in openapi-typescript's `paths[path]` ("delete"). */
  specMethod: string;
  path: string;
  operationId: string | undefined;
  summary: string | undefined;
  description: string | undefined;
  deprecated: boolean;
  pathParams: ParameterModel[];
  query: ParameterModel[];
  header: ParameterModel[];
  /** Sent in the `Cookie` header (servers only: browsers forbid setting it). */
  cookie: ParameterModel[];
  body: BodyModel | undefined;
  /**
   * The responses a call resolves with (2xx, or `default` when there is none). Empty when the
   * spec declares none (an OpenAPI 3.1 operation may omit `responses`): the result is then unknown.
   */
  success: ResponseModel[];
  /** Set when a request property chooses between a JSON result and an event stream. */
  stream: StreamSwitch | undefined;
  /** Events that end the operation's stream normally (overlay extension `x-codegen-terminal-events`). */
  terminalEvents: string[] | undefined;
  /** How the list is paged (overlay extension `x-codegen-pagination`, see pagination-model.ts). */
  pagination: Pagination | undefined;
  /** Set when a dropped stream can continue through another operation (see StreamResume). */
  resume: StreamResume | undefined;
  /** How the facade takes query, header and body values (see OperationSpec.params). */
  paramsShape: "merged" | "split" | "none";
  /** Whether the params argument must be given. */
  paramsRequired: boolean;
  /** Where the operation is in the spec, for error messages. */
  at: KeyPath;
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** Where non-fatal findings go: one line each, `warning: file:line:col: problem. Fix: fix`. */
export type Warn = (line: string) => void;

export function buildOperationModel(spec: SpecDocument, warn: Warn = (line) => console.warn(line)): OperationModel[] {
  const operations: OperationModel[] = [];
  const resumable: [OperationModel, unknown][] = [];
  for (const [path, rawItem] of Object.entries(spec.data.paths)) {
    if (!path.startsWith("/")) {
      throw new GeneratorError(spec.file, spec.locate(["paths", path]), `path ${JSON.stringify(path)} does not start with "/"`, "write paths as /resource/{id}");
    }
    const { value: item, at: itemAt } = resolve(spec, rawItem, ["paths", path]);
    if (!isObject(item)) continue;
    const shared = Array.isArray(item["parameters"]) ? item["parameters"] : [];
    for (const method of METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      const model = buildOperation(spec, path, method, op, shared, [...itemAt, method], warn);
      operations.push(model);
      if (op["x-codegen-stream-resume"] !== undefined) resumable.push([model, op["x-codegen-stream-resume"]]);
    }
  }
  // The resume operation may come later in the spec: resolved once every operation is known.
  for (const [model, ext] of resumable) model.resume = buildStreamResume(spec, ext, model, eventStreamResponse(model) !== undefined, operations);
  return operations;
}

function buildOperation(spec: SpecDocument, path: string, method: (typeof METHODS)[number], op: Record<string, unknown>, shared: unknown[], at: KeyPath, warn: Warn): OperationModel {
  const params = mergeParameters(spec, shared, at.slice(0, -1), Array.isArray(op["parameters"]) ? op["parameters"] : [], at);
  const declaredPath = new Map(params.filter((p) => p.in === "path").map((p) => [p.name, p]));
  const pathParams = [...path.matchAll(/\{([^{}]+)\}/g)].map((m): ParameterModel => {
    const name = m[1]!;
    return declaredPath.get(name) ?? { name, in: "path", required: true, declared: false };
  });
  const query = params.filter((p) => p.in === "query");
  const header = params.filter((p) => p.in === "header");
  const cookie = params.filter((p) => p.in === "cookie");
  const body = op["requestBody"] === undefined ? undefined : buildBody(spec, op["requestBody"], [...at, "requestBody"]);
  const success = buildSuccess(spec, op["responses"], [...at, "responses"], `${method.toUpperCase()} ${path}`, warn);
  const stream = op["x-codegen-stream"] === undefined ? undefined : buildStreamSwitch(spec, op["x-codegen-stream"], body, success, at);
  const terminalEvents = op["x-codegen-terminal-events"] === undefined ? undefined : buildTerminalEvents(spec, op["x-codegen-terminal-events"], success, at);
  const pagination = op["x-codegen-pagination"] === undefined ? undefined : buildPagination(spec, op, query, success, at);

  // One merged object unless names clash or the body is not an object (the calling convention).
  const names = [...query, ...header, ...cookie].map((p) => p.name);
  const clash = new Set(names).size !== names.length || (body?.properties ?? []).some((p) => names.includes(p));
  const hasParams = query.length + header.length + cookie.length > 0 || body !== undefined;
  const paramsShape = !hasParams ? "none" : clash || (body && body.properties === undefined) ? "split" : "merged";
  const bodyNeedsValues = body !== undefined && body.required && (body.properties === undefined || body.requiredProperties.length > 0);
  const paramsRequired = [...query, ...header, ...cookie].some((p) => p.required) || bodyNeedsValues;

  return {
    key: `${method.toUpperCase()} ${path}`,
    method: method.toUpperCase() as HttpMethod,
    specMethod: method,
    path,
    operationId: typeof op["operationId"] === "string" ? op["operationId"] : undefined,
    summary: typeof op["summary"] === "string" ? op["summary"] : undefined,
    description: typeof op["description"] === "string" ? op["description"] : undefined,
    deprecated: op["deprecated"] === true,
    pathParams,
    query,
    header,
    cookie,
    body,
    success,
    stream,
    terminalEvents,
    pagination,
    resume: undefined,
    paramsShape,
    paramsRequired,
    at,
  };
}

/** Operation-level parameters override path-item-level ones with the same name and location. */
function mergeParameters(spec: SpecDocument, shared: unknown[], sharedAt: KeyPath, own: unknown[], at: KeyPath): ParameterModel[] {
  const byKey = new Map<string, ParameterModel>();
  const add = (list: unknown[], listAt: KeyPath) =>
    list.forEach((raw, i) => {
      const { value: p, at: pAt } = resolve(spec, raw, [...listAt, "parameters", i]);
      if (!isObject(p) || typeof p["name"] !== "string" || typeof p["in"] !== "string") {
        throw new GeneratorError(spec.file, spec.locate(pAt), "a parameter needs a string `name` and `in`", "give the parameter a name and a location (path, query, header or cookie)");
      }
      if (p["in"] !== "path" && p["in"] !== "query" && p["in"] !== "header" && p["in"] !== "cookie") {
        throw new GeneratorError(spec.file, spec.locate([...pAt, "in"]), `parameter location ${JSON.stringify(p["in"])} is not one of path, query, header, cookie`, "correct `in`");
      }
      const style = p["in"] === "query" ? queryStyle(spec, p, pAt) : undefined;
      byKey.set(`${p["in"]}:${p["name"]}`, { name: p["name"], in: p["in"], required: p["in"] === "path" || p["required"] === true, declared: true, ...(style && { style }) });
    });
  add(shared, sharedAt);
  add(own, at);
  return [...byKey.values()];
}

const QUERY_STYLES = ["form", "spaceDelimited", "pipeDelimited", "deepObject"] as const;

function queryStyle(spec: SpecDocument, p: Record<string, unknown>, at: KeyPath): ParameterModel["style"] {
  const style = p["style"] ?? "form";
  if (!QUERY_STYLES.includes(style as (typeof QUERY_STYLES)[number])) {
    throw new GeneratorError(spec.file, spec.locate([...at, "style"]), `query parameter style ${JSON.stringify(style)} is not one of ${QUERY_STYLES.join(", ")}`, "use a style OpenAPI allows in the query");
  }
  const explode = typeof p["explode"] === "boolean" ? p["explode"] : style === "form";
  return style === "form" && explode ? undefined : { style: style as (typeof QUERY_STYLES)[number], explode };
}

function buildBody(spec: SpecDocument, raw: unknown, at: KeyPath): BodyModel | undefined {
  const { value: body, at: bodyAt } = resolve(spec, raw, at);
  const content = isObject(body["content"]) ? body["content"] : {};
  const mediaType = preferredRequestType(Object.keys(content));
  if (mediaType === undefined) return undefined;
  const media = content[mediaType];
  const schema = isObject(media) && media["schema"] !== undefined ? objectShape(spec, media["schema"], [...bodyAt, "content", mediaType, "schema"], new Set()) : undefined;
  return {
    mediaType,
    encoding: encodingOf(mediaType),
    required: body["required"] === true,
    properties: schema?.properties,
    requiredProperties: schema?.required ?? [],
    propertyDefaults: schema?.defaults ?? {},
  };
}

/** Property names of an object schema (allOf merged); undefined when the schema is not an object. */
interface ObjectShape {
  properties: string[];
  required: string[];
  defaults: Record<string, unknown>;
}

function objectShape(spec: SpecDocument, raw: unknown, at: KeyPath, seen: Set<string>): ObjectShape | undefined {
  const { value: schema, at: schemaAt } = resolve(spec, raw, at);
  const id = schemaAt.join("/");
  if (seen.has(id) || !isObject(schema)) return undefined;
  seen.add(id);
  // A nullable object is `{…} | null` in openapi-typescript's types: it cannot be merged with query and header values.
  if (isNullable(schema)) return undefined;
  const ownProperties = isObject(schema["properties"]) ? schema["properties"] : {};
  const properties = new Set<string>(Object.keys(ownProperties));
  const defaults: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(ownProperties)) {
    const { value } = resolve(spec, property, [...schemaAt, "properties", name]);
    if (isObject(value) && value["default"] !== undefined) defaults[name] = value["default"];
  }
  const required = new Set<string>(Array.isArray(schema["required"]) ? schema["required"].filter((r): r is string => typeof r === "string") : []);
  let isObjectSchema = schema["type"] === "object" || (Array.isArray(schema["type"]) && schema["type"].includes("object") && schema["type"].length === 1) || properties.size > 0;
  if (schema["oneOf"] !== undefined || schema["anyOf"] !== undefined || schema["additionalProperties"] !== undefined && schema["additionalProperties"] !== false) {
    return undefined; // unions and maps cannot be spread into one params object safely
  }
  if (Array.isArray(schema["allOf"])) {
    for (const [i, part] of schema["allOf"].entries()) {
      const shape = objectShape(spec, part, [...schemaAt, "allOf", i], seen);
      if (!shape) return undefined;
      shape.properties.forEach((p) => properties.add(p));
      shape.required.forEach((r) => required.add(r));
      Object.assign(defaults, shape.defaults);
      isObjectSchema = true;
    }
  }
  return isObjectSchema ? { properties: [...properties], required: [...required], defaults } : undefined;
}

/** OpenAPI 3.0 `nullable: true`, or 3.1 `type: [..., "null"]` / `type: "null"`. */
function isNullable(schema: Record<string, unknown>): boolean {
  const type = schema["type"];
  return schema["nullable"] === true || type === "null" || (Array.isArray(type) && type.includes("null"));
}

function buildSuccess(spec: SpecDocument, raw: unknown, at: KeyPath, key: string, warn: Warn): ResponseModel[] {
  // OpenAPI 3.1 made `responses` optional (3.0 requires it): nothing is known about the result.
  if (raw === undefined && /^3\.1\./.test(spec.data.openapi)) {
    const loc = spec.locate(at);
    warn(`warning: ${spec.file}${loc ? `:${loc.line}:${loc.col}` : ""}: ${key} declares no \`responses\`, so the type of its result is unknown. Fix: declare its success response`);
    return [];
  }
  if (!isObject(raw)) {
    throw new GeneratorError(spec.file, spec.locate(at), "the operation has no `responses`", "declare at least the success response");
  }
  const statuses = Object.keys(raw);
  const chosen = statuses.filter((s) => /^2(\d\d|XX)$/i.test(s));
  const list = chosen.length > 0 ? chosen : statuses.filter((s) => s === "default");
  return list.sort().map((status) => {
    const { value: response } = resolve(spec, raw[status], [...at, status]);
    const content = isObject(response["content"]) ? response["content"] : {};
    const types = Object.keys(content);
    const mediaType = preferredResponseType(types);
    const sse = types.find(isEventStream);
    const sseMedia = sse === undefined ? undefined : content[sse];
    const typedEvents = isObject(sseMedia) && sseMedia["schema"] !== undefined && !isStringSchema(spec, sseMedia["schema"]);
    return { status, mediaType, kind: kindOf(mediaType), contentTypes: types, typedEvents };
  });
}

/** Whether a schema is a plain string: for text/event-stream content, events the spec does not describe. */
export function isStringSchema(spec: SpecDocument, raw: unknown): boolean {
  const { value } = resolve(spec, raw, []);
  return isObject(value) && value["type"] === "string";
}

export const isEventStream = (type: string) => /^text\/event-stream/i.test(type);

function buildStreamSwitch(spec: SpecDocument, ext: unknown, body: BodyModel | undefined, success: ResponseModel[], at: KeyPath): StreamSwitch {
  const fail = (problem: string): never => {
    throw new GeneratorError(spec.file, spec.locate([...at, "x-codegen-stream"]), problem, "write x-codegen-stream: { property: <body property>, value: <value that selects streaming> }");
  };
  if (!isObject(ext) || typeof ext["property"] !== "string" || typeof ext["value"] !== "string") return fail("x-codegen-stream needs a string `property` and `value`");
  const response = success.find((r) => r.contentTypes.some(isEventStream));
  if (!response) return fail("x-codegen-stream is set but no success response has text/event-stream content");
  const property = ext["property"] as string;
  const value = ext["value"] as string;
  // The body as the facade sends it (its chosen media type, allOf merged), not a re-read of the spec.
  if (!body?.properties?.includes(property)) return fail(`x-codegen-stream names ${JSON.stringify(property)}, which is not a property of the request body`);
  return { property, value, byDefault: body.propertyDefaults[property] === value, response, mediaType: response.contentTypes.find(isEventStream)! };
}

function buildTerminalEvents(spec: SpecDocument, ext: unknown, success: ResponseModel[], at: KeyPath): string[] {
  const where = spec.locate([...at, "x-codegen-terminal-events"]);
  const fix = "write x-codegen-terminal-events: [<event name>, …], the events after which the stream is complete";
  if (!Array.isArray(ext) || ext.length === 0 || !ext.every((e) => typeof e === "string" && e !== "")) {
    throw new GeneratorError(spec.file, where, "x-codegen-terminal-events needs a non-empty list of event names", fix);
  }
  if (!success.some((r) => r.contentTypes.some(isEventStream))) {
    throw new GeneratorError(spec.file, where, "x-codegen-terminal-events is set but no success response has text/event-stream content", "remove it, or set it on a streaming operation");
  }
  return ext as string[];
}

/** The success response that can be an event stream, if any (the facade then passes the SSE reader to the runtime). */
export function eventStreamResponse(op: OperationModel): ResponseModel | undefined {
  return op.stream?.response ?? op.success.find((r) => r.kind === "sse");
}

const isJson = (type: string) => /^application\/(.+\+)?json(;|$)/i.test(type) || type === "*/*";

function preferredRequestType(types: string[]): string | undefined {
  return (
    types.find(isJson) ??
    types.find((t) => /^multipart\/form-data/i.test(t)) ??
    types.find((t) => /^application\/x-www-form-urlencoded/i.test(t)) ??
    types.find((t) => /^text\//i.test(t)) ??
    types[0]
  );
}

function preferredResponseType(types: string[]): string | undefined {
  return types.find(isJson) ?? types.find(isEventStream) ?? types[0];
}

function encodingOf(mediaType: string): BodyEncoding {
  if (isJson(mediaType)) return "json";
  if (/^multipart\//i.test(mediaType)) return "multipart";
  if (/^application\/x-www-form-urlencoded/i.test(mediaType)) return "form";
  if (/^text\//i.test(mediaType)) return "text";
  return "binary";
}

function kindOf(mediaType: string | undefined): ResponseKind {
  if (mediaType === undefined) return "void";
  if (isJson(mediaType)) return "json";
  if (/^text\/event-stream/i.test(mediaType)) return "sse";
  if (/^text\//i.test(mediaType)) return "text";
  return "blob";
}
