/**
 * Small OpenAPI documents for the drift rules' table, and a comparison of
 * two of them in memory (no overlay, no name lock: names are derived).
 */
import { facadeExportNames } from "../../src/codegen/emit-client.js";
import { buildOperationModel } from "../../src/codegen/operation-model.js";
import { parseSpec } from "../../src/codegen/spec-document.js";
import type { Change } from "../../src/drift/change.js";
import { methodNames } from "../../src/drift/method-names.js";
import { compareSpecs } from "../../src/drift/spec-compare.js";

export type Json = Record<string, unknown>;

export function doc(paths: Json, extra: Json = {}): Json {
  return { openapi: "3.0.1", info: { title: "t", version: "1" }, servers: [{ url: "https://api.example.com/v1" }], paths, ...extra };
}

export const json = (schema: Json, status = "200"): Json => ({ [status]: { description: "ok", content: { "application/json": { schema } } } });

export const object = (properties: Json, required: string[] = []): Json => ({ type: "object", properties, required });

/** GET /things: summary "List Things" (method listThings), query `limit`, result `{ id: string }`. */
export function getThings(patch: Json = {}): Json {
  return {
    summary: "List Things",
    operationId: "listThingsV1",
    parameters: [{ name: "limit", in: "query", schema: { type: "integer" } }],
    responses: json(object({ id: { type: "string" } }, ["id"])),
    ...patch,
  };
}

/** POST /things: summary "Create Thing" (method createThing), JSON body `{ name: string, note?: string }`. */
export function postThing(body: Json = object({ name: { type: "string" }, note: { type: "string" } }, ["name"]), patch: Json = {}): Json {
  return {
    summary: "Create Thing",
    requestBody: { required: true, content: { "application/json": { schema: body } } },
    responses: json(object({ id: { type: "string" } }, ["id"]), "201"),
    ...patch,
  };
}

export function pathParam(name: string): Json {
  return { name, in: "path", required: true, schema: { type: "string" } };
}

export function compareDocs(base: Json, head: Json): Change[] {
  const side = (name: string, data: Json) => {
    const spec = parseSpec(name, JSON.stringify(data), "0");
    return { spec, operations: buildOperationModel(spec) };
  };
  const b = side("base.json", base);
  const h = side("head.json", head);
  return compareSpecs(b, h, methodNames(new Set(facadeExportNames("chatflow")), { file: "names.json", text: undefined }, b.operations, h.operations));
}
