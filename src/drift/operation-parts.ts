/**
 * The parts of one operation the comparison looks at, read from the
 * (overlay-applied) spec with their locations: path parameters in path order,
 * the request fields as the facade's `params` argument holds them, and every
 * response with its content types and schemas.
 */
import { isObject, resolve, type KeyPath } from "../codegen/refs.js";
import { isEventStream, isStringSchema, type OperationModel } from "../codegen/operation-model.js";
import type { SpecDocument } from "../codegen/spec-document.js";
import { shapeOf, type SchemaRef } from "./schema-compare.js";

export interface PathParameter {
  name: string;
  schema: SchemaRef | undefined;
  at: KeyPath;
}

export interface RequestField {
  name: string;
  in: "query" | "header" | "body";
  required: boolean;
  schema: SchemaRef | undefined;
  at: KeyPath;
  /** How the caller writes it: `params.user`, or `params.query.user` for a split params object. */
  subject: string;
}

export interface RequestParts {
  pathParams: PathParameter[];
  /** Keyed by name for a merged params object, by `query.name`/`header.name`/`body.name` for a split one. */
  fields: Map<string, RequestField>;
  /** A body that is not an object is compared as one value. */
  wholeBody: SchemaRef | undefined;
  bodyAt: KeyPath | undefined;
}

export interface ResponsePart {
  status: string;
  at: KeyPath;
  /** Content type → schema (undefined when the content declares none). */
  content: Map<string, SchemaRef | undefined>;
}

export function requestParts(spec: SpecDocument, op: OperationModel): RequestParts {
  const raw = valueAt(spec, op.at);
  const params = new Map<string, { p: Record<string, unknown>; at: KeyPath }>();
  const collect = (list: unknown, at: KeyPath) => {
    if (!Array.isArray(list)) return;
    list.forEach((item, i) => {
      const { value, at: pAt } = resolve(spec, item, [...at, i]);
      if (isObject(value) && typeof value["name"] === "string") params.set(`${value["in"]}:${value["name"]}`, { p: value, at: pAt });
    });
  };
  // Path-item parameters first: the operation's own override them (OpenAPI 3, Path Item Object).
  collect(valueAt(spec, [...op.at.slice(0, -1), "parameters"]), [...op.at.slice(0, -1), "parameters"]);
  collect(isObject(raw) ? raw["parameters"] : undefined, [...op.at, "parameters"]);
  const schemaOf = (entry: { p: Record<string, unknown>; at: KeyPath }): SchemaRef | undefined =>
    entry.p["schema"] === undefined ? undefined : { spec, value: entry.p["schema"], at: [...entry.at, "schema"] };

  const pathParams = op.pathParams.map((p): PathParameter => {
    const entry = params.get(`path:${p.name}`);
    return { name: p.name, schema: entry && schemaOf(entry), at: entry?.at ?? op.at };
  });

  const split = op.paramsShape === "split";
  const fields = new Map<string, RequestField>();
  const add = (field: Omit<RequestField, "subject">) => {
    const key = split ? `${field.in}.${field.name}` : field.name;
    fields.set(key, { ...field, subject: `params.${key}` });
  };
  for (const p of [...op.query, ...op.header]) {
    const entry = params.get(`${p.in}:${p.name}`);
    add({ name: p.name, in: p.in as "query" | "header", required: p.required, schema: entry && schemaOf(entry), at: entry?.at ?? op.at });
  }

  let wholeBody: SchemaRef | undefined;
  let bodyAt: KeyPath | undefined;
  if (op.body && isObject(raw)) {
    const { at } = resolve(spec, raw["requestBody"], [...op.at, "requestBody"]);
    bodyAt = at;
    const schemaAt = [...at, "content", op.body.mediaType, "schema"];
    const schemaValue = valueAt(spec, schemaAt);
    const schema = schemaValue === undefined ? undefined : { spec, value: schemaValue, at: schemaAt };
    if (schema && op.body.properties !== undefined) {
      const shape = shapeOf(schema);
      for (const [name, ref] of shape.properties) add({ name, in: "body", required: shape.required.has(name), schema: ref, at: ref.at });
    } else wholeBody = schema;
  }
  return { pathParams, fields, wholeBody, bodyAt };
}

export function responseParts(spec: SpecDocument, op: OperationModel): Map<string, ResponsePart> {
  const parts = new Map<string, ResponsePart>();
  const responses = valueAt(spec, [...op.at, "responses"]);
  if (!isObject(responses)) return parts;
  for (const [status, raw] of Object.entries(responses)) {
    const { value, at } = resolve(spec, raw, [...op.at, "responses", status]);
    const content = new Map<string, SchemaRef | undefined>();
    if (isObject(value) && isObject(value["content"])) {
      for (const [type, media] of Object.entries(value["content"])) {
        // An event stream typed `string` describes no events: untyped, as the generator reads it, so typing
        // its events later is a narrowing for every operation (not a change from `string` to a union).
        const declared = isObject(media) ? media["schema"] : undefined;
        const schema = declared !== undefined && isEventStream(type) && isStringSchema(spec, declared) ? undefined : declared;
        content.set(type, schema === undefined ? undefined : { spec, value: schema, at: [...at, "content", type, "schema"] });
      }
    }
    parts.set(status, { status, at, content });
  }
  return parts;
}

export function valueAt(spec: SpecDocument, path: KeyPath): unknown {
  let node: unknown = spec.data;
  for (const key of path) {
    if (!isObject(node) && !Array.isArray(node)) return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}
