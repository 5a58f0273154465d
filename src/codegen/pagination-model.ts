/**
 * The overlay extension `x-codegen-pagination` on a list operation: how its
 * pages follow each other, checked against the operation (the parameter it
 * names is a query parameter, the properties it names are in the JSON result).
 *
 * ```yaml
 * x-codegen-pagination: { style: cursor, param: last_id, items: data, hasMore: has_more }
 * x-codegen-pagination: { style: cursor, param: first_id, cursorFrom: first, items: data, hasMore: has_more }
 * x-codegen-pagination: { style: page, param: page, items: data, hasMore: has_more }
 * ```
 */
import type { Pagination } from "../runtime/operation.js";
import { GeneratorError } from "./errors.js";
import type { ParameterModel, ResponseModel } from "./operation-model.js";
import { isObject, resolve, type KeyPath } from "./refs.js";
import type { SpecDocument } from "./spec-document.js";

const EXTENSION = "x-codegen-pagination";
const FIX = "write x-codegen-pagination: { style: cursor | page, param: <query parameter>, items: <array property of the result>, hasMore?: <boolean property>, totalPages?: <number property> (page), cursorFrom?: first | last, cursorField?: <item field> (cursor) }";
const KEYS: Record<string, "cursor" | "page" | "both"> = { style: "both", param: "both", items: "both", hasMore: "both", totalPages: "page", cursorFrom: "cursor", cursorField: "cursor" };

export function buildPagination(spec: SpecDocument, op: Record<string, unknown>, query: readonly ParameterModel[], success: readonly ResponseModel[], at: KeyPath): Pagination {
  const ext = op[EXTENSION];
  const where = [...at, EXTENSION];
  const fail = (problem: string, fix = FIX): never => {
    throw new GeneratorError(spec.file, spec.locate(where), problem, fix);
  };
  if (!isObject(ext)) return fail(`${EXTENSION} must be an object`);
  const style = ext["style"];
  if (style !== "cursor" && style !== "page") return fail(`${EXTENSION} style must be "cursor" or "page", got ${JSON.stringify(style)}`);
  for (const [key, value] of Object.entries(ext)) {
    const allowed = KEYS[key];
    if (allowed === undefined) fail(`${EXTENSION} has an unknown property ${JSON.stringify(key)}`);
    if (allowed !== "both" && allowed !== style) fail(`${EXTENSION} property ${key} applies to style ${allowed} only, not ${style}`);
    if (key === "cursorFrom" ? value !== "first" && value !== "last" : typeof value !== "string" || value === "") {
      fail(`${EXTENSION} property ${key} must be ${key === "cursorFrom" ? '"first" or "last"' : "a non-empty string"}, got ${JSON.stringify(value)}`);
    }
  }
  const param = ext["param"] as string | undefined;
  const items = ext["items"] as string | undefined;
  if (param === undefined || items === undefined) return fail(`${EXTENSION} needs \`param\` and \`items\``);
  if (!query.some((p) => p.name === param)) return fail(`${EXTENSION} param ${JSON.stringify(param)} is not a query parameter of the operation`, "name the query parameter the next page's request sets");

  const result = resultProperties(spec, op, success, at);
  if (result === undefined) return fail(`${EXTENSION} is set but the operation's success response is not a JSON object`, "set it on a list operation whose result is a JSON object");
  const property = (key: "items" | "hasMore" | "totalPages", type: string) => {
    const name = ext[key] as string | undefined;
    if (name === undefined) return undefined;
    const schema = result.get(name);
    if (schema === undefined) fail(`${EXTENSION} ${key} ${JSON.stringify(name)} is not a property of the operation's result`, "name a property of the success response");
    const declared = isObject(schema) ? schema["type"] : undefined;
    const types = Array.isArray(declared) ? declared : [declared];
    if (declared !== undefined && !types.includes(type) && !(type === "number" && types.includes("integer"))) {
      fail(`${EXTENSION} ${key} ${JSON.stringify(name)} is a ${String(declared)} property, not ${type === "array" ? "an" : "a"} ${type}`, `name the result's ${type} property`);
    }
    return name;
  };
  property("items", "array");
  const hasMore = property("hasMore", "boolean");
  const totalPages = property("totalPages", "number");
  const cursorFrom = ext["cursorFrom"] as Pagination["cursorFrom"];
  const cursorField = ext["cursorField"] as string | undefined;
  return { style, param, items, ...(hasMore && { hasMore }), ...(totalPages && { totalPages }), ...(cursorFrom && { cursorFrom }), ...(cursorField && { cursorField }) };
}

/** The JSON result's properties (allOf merged) with their resolved schemas; undefined when it is not an object. */
function resultProperties(spec: SpecDocument, op: Record<string, unknown>, success: readonly ResponseModel[], at: KeyPath): Map<string, unknown> | undefined {
  const json = success.find((r) => r.kind === "json");
  if (!json || success.some((r) => r.kind === "sse")) return undefined;
  const responses = op["responses"] as Record<string, unknown>;
  const { value: response, at: responseAt } = resolve(spec, responses[json.status], [...at, "responses", json.status]);
  const media = isObject(response["content"]) ? response["content"][json.mediaType!] : undefined;
  if (!isObject(media)) return undefined;
  const properties = new Map<string, unknown>();
  const visit = (raw: unknown, schemaAt: KeyPath, depth: number): boolean => {
    const { value: schema, at: resolvedAt } = resolve(spec, raw, schemaAt);
    if (!isObject(schema) || depth > 8) return false;
    const own = isObject(schema["properties"]) ? schema["properties"] : {};
    for (const [name, property] of Object.entries(own)) properties.set(name, resolve(spec, property, [...resolvedAt, "properties", name]).value);
    const parts = Array.isArray(schema["allOf"]) ? schema["allOf"] : [];
    parts.forEach((part, i) => visit(part, [...resolvedAt, "allOf", i], depth + 1));
    return schema["type"] === "object" || properties.size > 0;
  };
  return visit(media["schema"], [...responseAt, "content", json.mediaType!, "schema"], 0) ? properties : undefined;
}
