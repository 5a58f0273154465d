/**
 * Every drift rule, one synthetic base/head pair each: the smallest spec
 * change that should trigger it, and the finding it must produce (rule,
 * operation, facade method). The table must cover every id in RULES.
 */
import { describe, expect, it } from "vitest";
import type { Change } from "../../src/drift/change.js";
import { RULES, type RuleId } from "../../src/drift/rules.js";
import { compareDocs, doc, getThings, json, object, pathParam, postThing, type Json } from "./spec-builders.js";

interface Case {
  base: Json;
  head: Json;
  want: Partial<Change>;
}

const things = (get: Json | undefined, post?: Json) => doc({ "/things": { ...(get && { get }), ...(post && { post }) } });
const withBody = (body: Json, patch: Json = {}) => things(undefined, postThing(body, patch));
const nameNote = (name: Json = { type: "string" }, note: Json = { type: "string" }, required = ["name"]) => object({ name, note }, required);
const withResult = (schema: Json) => things(getThings({ responses: json(schema) }));
const query = (...params: Json[]) => things(getThings({ parameters: params }));
const limit = (patch: Json = {}) => ({ name: "limit", in: "query", schema: { type: "integer" }, ...patch });
const byPath = (path: string, ...params: string[]) => doc({ [path]: { get: { summary: "Get Part", parameters: params.map(pathParam), responses: json({ type: "string" }) } } });
const streaming = (mode: Json) =>
  doc({
    "/chat": {
      post: {
        summary: "Send Chat",
        "x-codegen-stream": { property: "mode", value: "streaming" },
        requestBody: { required: true, content: { "application/json": { schema: object({ query: { type: "string" }, mode }, ["query"]) } } },
        responses: { "200": { description: "ok", content: { "application/json": { schema: object({ answer: { type: "string" } }) }, "text/event-stream": { schema: { type: "string" } } } } },
      },
    },
  });
const variant = (kind: string) => object({ kind: { type: "string", enum: [kind] }, value: { type: "string" } }, ["kind"]);
const listThings = { operation: "GET /things", method: "listThings" };
const createThing = { operation: "POST /things", method: "createThing" };

const cases: [RuleId, Case][] = [
  // ── breaking ──
  ["operation-removed", { base: things(getThings(), postThing()), head: things(undefined, postThing()), want: listThings }],
  ["path-parameter-removed", { base: byPath("/things/{thing_id}/parts/{part_id}", "thing_id", "part_id"), head: byPath("/things/{thing_id}/parts", "thing_id"), want: { operation: "GET /things/{thing_id}/parts", method: "getPart" } }],
  ["path-parameter-added", { base: byPath("/things/{thing_id}/parts", "thing_id"), head: byPath("/things/{thing_id}/parts/{part_id}", "thing_id", "part_id"), want: { operation: "GET /things/{thing_id}/parts/{part_id}", method: "getPart" } }],
  ["path-parameters-reordered", { base: byPath("/a/{x}/b/{y}", "x", "y"), head: byPath("/a/{y}/b/{x}", "y", "x"), want: { operation: "GET /a/{y}/b/{x}", method: "getPart" } }],
  [
    "request-params-shape-changed",
    {
      base: withBody(nameNote(), { parameters: [{ name: "mode", in: "query", schema: { type: "string" } }] }),
      head: withBody(object({ name: { type: "string" }, mode: { type: "string" } }, ["name"]), { parameters: [{ name: "mode", in: "query", schema: { type: "string" } }] }),
      want: { ...createThing, before: "one merged object", after: "{ query, header, body }" },
    },
  ],
  ["request-parameter-added-required", { base: query(limit()), head: query(limit(), { name: "user", in: "query", required: true, schema: { type: "string" } }), want: { ...listThings, after: "user" } }],
  ["request-parameter-made-required", { base: query(limit()), head: query(limit({ required: true })), want: { ...listThings, before: false, after: true } }],
  ["request-parameter-removed", { base: query(limit()), head: query(), want: { ...listThings, before: "limit", pointer: "/paths/~1things/get/parameters/0" } }],
  ["request-property-added-required", { base: withBody(nameNote()), head: withBody(object({ name: { type: "string" }, note: { type: "string" }, owner: { type: "string" } }, ["name", "owner"])), want: { ...createThing, after: "owner" } }],
  ["request-property-made-required", { base: withBody(nameNote()), head: withBody(nameNote(undefined, undefined, ["name", "note"])), want: { ...createThing, message: "`params.note` is now required" } }],
  ["request-property-removed", { base: withBody(nameNote()), head: withBody(object({ name: { type: "string" } }, ["name"])), want: { ...createThing, before: "note" } }],
  ["request-body-made-required", { base: things(undefined, postThing(nameNote(), { requestBody: { required: false, content: { "application/json": { schema: nameNote() } } } })), head: withBody(nameNote()), want: createThing }],
  ["request-type-changed", { base: withBody(nameNote()), head: withBody(nameNote({ type: "integer" })), want: { ...createThing, before: "string", after: "number" } }],
  ["request-enum-value-removed", { base: withBody(nameNote(undefined, { type: "string", enum: ["a", "b"] })), head: withBody(nameNote(undefined, { type: "string", enum: ["a"] })), want: { ...createThing, before: ["b"] } }],
  ["response-property-removed", { base: withResult(object({ id: { type: "string" }, name: { type: "string" } })), head: withResult(object({ id: { type: "string" } })), want: { ...listThings, before: "name", message: "`result.name` removed" } }],
  ["response-property-made-optional", { base: withResult(object({ id: { type: "string" } }, ["id"])), head: withResult(object({ id: { type: "string" } })), want: listThings }],
  ["response-property-made-nullable", { base: withResult(object({ id: { type: "string" } })), head: withResult(object({ id: { type: "string", nullable: true } })), want: { ...listThings, before: "string", after: "null | string" } }],
  ["response-type-changed", { base: withResult(object({ id: { type: "string" } })), head: withResult(object({ id: { type: "integer" } })), want: { ...listThings, message: "`result.id`: string → number" } }],
  ["success-status-changed", { base: things(undefined, postThing()), head: things(undefined, postThing(undefined, { responses: json(object({ id: { type: "string" } }), "200") })), want: { ...createThing, before: "201", after: "200" } }],
  ["response-content-type-changed", { base: withResult({ type: "string" }), head: things(getThings({ responses: { "200": { description: "ok", content: { "text/plain": { schema: { type: "string" } } } } } })), want: listThings }],
  ["default-server-url-changed", { base: things(getThings()), head: { ...things(getThings()), servers: [{ url: "https://eu.example.com/v1" }] }, want: { operation: null, method: null, after: "https://eu.example.com/v1" } }],
  ["stream-default-changed", { base: streaming({ type: "string", enum: ["streaming", "blocking"], default: "streaming" }), head: streaming({ type: "string", enum: ["streaming", "blocking"] }), want: { operation: "POST /chat", method: "sendChat", before: true, after: false } }],

  // ── non-breaking ──
  ["operation-added", { base: things(undefined, postThing()), head: things(getThings(), postThing()), want: listThings }],
  ["operation-deprecated", { base: things(getThings()), head: things(getThings({ deprecated: true })), want: listThings }],
  ["request-parameter-added-optional", { base: query(limit()), head: query(limit(), { name: "cursor", in: "query", schema: { type: "string" } }), want: { ...listThings, after: "cursor" } }],
  ["request-parameter-made-optional", { base: query(limit({ required: true })), head: query(limit()), want: listThings }],
  ["request-property-added-optional", { base: withBody(nameNote()), head: withBody(object({ name: { type: "string" }, note: { type: "string" }, tag: { type: "string" } }, ["name"])), want: { ...createThing, after: "tag" } }],
  ["request-property-made-optional", { base: withBody(nameNote()), head: withBody(nameNote(undefined, undefined, [])), want: { ...createThing, message: "`params.name` is no longer required" } }],
  ["request-body-made-optional", { base: withBody(nameNote()), head: things(undefined, postThing(nameNote(), { requestBody: { required: false, content: { "application/json": { schema: nameNote() } } } })), want: createThing }],
  ["request-type-widened", { base: withBody(nameNote()), head: withBody(nameNote({ type: "string", nullable: true })), want: { ...createThing, before: "string", after: "null | string" } }],
  ["request-enum-value-added", { base: withBody(nameNote(undefined, { type: "string", enum: ["a"] })), head: withBody(nameNote(undefined, { type: "string", enum: ["a", "b"] })), want: { ...createThing, after: ["b"] } }],
  ["response-property-added", { base: withResult(object({ id: { type: "string" } })), head: withResult(object({ id: { type: "string" }, name: { type: "string" } })), want: { ...listThings, after: "name" } }],
  ["response-property-made-required", { base: withResult(object({ id: { type: "string" } })), head: withResult(object({ id: { type: "string" } }, ["id"])), want: listThings }],
  ["response-type-narrowed", { base: withResult(object({ id: { type: "string", nullable: true } })), head: withResult(object({ id: { type: "string" } })), want: listThings }],
  ["response-enum-value-added", { base: withResult(object({ status: { type: "string", enum: ["ok"] } })), head: withResult(object({ status: { type: "string", enum: ["ok", "failed"] } })), want: { ...listThings, after: ["failed"] } }],
  ["response-enum-value-removed", { base: withResult(object({ status: { type: "string", enum: ["ok", "failed"] } })), head: withResult(object({ status: { type: "string", enum: ["ok"] } })), want: { ...listThings, before: ["failed"] } }],
  ["response-variant-added", { base: withResult({ oneOf: [variant("a"), variant("b")] }), head: withResult({ oneOf: [variant("a"), variant("b"), variant("c")] }), want: { ...listThings, after: 'kind="c"' } }],
  ["response-content-type-added", { base: withResult({ type: "string" }), head: things(getThings({ responses: { "200": { description: "ok", content: { "application/json": { schema: { type: "string" } }, "application/xml": { schema: { type: "string" } } } } } })), want: listThings }],
  ["error-response-added", { base: things(getThings()), head: things(getThings({ responses: { ...json(object({ id: { type: "string" } }, ["id"])), ...json(object({ code: { type: "string" } }), "404") } })), want: { ...listThings, after: "404" } }],

  // ── info ──
  ["operation-id-changed", { base: things(getThings()), head: things(getThings({ operationId: "listAllThings" })), want: { ...listThings, message: "operationId listThingsV1 → listAllThings; the name lock keeps `listThings`" } }],
  ["operation-summary-changed", { base: things(getThings()), head: things(getThings({ summary: "Get All Things" })), want: listThings }],
  ["operation-tags-changed", { base: things(getThings({ tags: ["Things"] })), head: things(getThings({ tags: ["Inventory"] })), want: { ...listThings, before: ["Things"], after: ["Inventory"] } }],
  ["description-changed", { base: things(getThings({ description: "Lists things." })), head: things(getThings({ description: "Lists all things." })), want: listThings }],
  ["path-parameter-renamed", { base: byPath("/tasks/{task_id}", "task_id"), head: byPath("/tasks/{workflow_run_id}", "workflow_run_id"), want: { operation: "GET /tasks/{workflow_run_id}", method: "getPart", before: "task_id", after: "workflow_run_id" } }],
  [
    "request-field-moved",
    {
      base: withBody(object({ name: { type: "string" } }, ["name"]), { parameters: [{ name: "user", in: "query", required: true, schema: { type: "string" } }] }),
      head: withBody(object({ name: { type: "string" }, user: { type: "string" } }, ["name", "user"])),
      want: { ...createThing, before: "query", after: "body" },
    },
  ],
  ["request-content-type-changed", { base: withBody(nameNote()), head: things(undefined, postThing(undefined, { requestBody: { required: true, content: { "multipart/form-data": { schema: nameNote() } } } })), want: { ...createThing, after: "multipart/form-data" } }],
  ["request-default-changed", { base: withBody(nameNote(undefined, { type: "string", default: "a" })), head: withBody(nameNote(undefined, { type: "string", default: "b" })), want: { ...createThing, before: "a", after: "b" } }],
  ["request-body-flag-changed", { base: things(undefined, postThing(nameNote(undefined, undefined, []), { requestBody: { content: { "application/json": { schema: nameNote(undefined, undefined, []) } } } })), head: withBody(nameNote(undefined, undefined, [])), want: createThing }],
  ["error-response-removed", { base: things(getThings({ responses: { ...json({ type: "string" }), ...json({ type: "string" }, "404") } })), head: withResult({ type: "string" }), want: { ...listThings, before: "404" } }],
  [
    "error-schema-removed",
    {
      base: things(getThings({ responses: { ...json({ type: "string" }), ...json(object({ code: { type: "string" } }), "404") } })),
      head: things(getThings({ responses: { ...json({ type: "string" }), "404": { description: "not found", content: { "application/json": { examples: { e: { value: { code: "not_found" } } } } } } } })),
      want: { ...listThings, before: "404" },
    },
  ],
  [
    "server-template-changed",
    {
      base: things(getThings()),
      head: { ...things(getThings()), servers: [{ url: "https://{host}", variables: { host: { default: "api.example.com/v1" } } }] },
      want: { operation: null, method: null },
    },
  ],
];

describe("drift rules, one synthetic pair each", () => {
  it("covers every rule id", () => {
    expect(cases.map(([rule]) => rule).sort()).toEqual(Object.keys(RULES).sort());
  });

  it.each(cases)("%s", (rule, { base, head, want }) => {
    const changes = compareDocs(base, head);
    expect(changes).toContainEqual(expect.objectContaining({ rule, severity: RULES[rule].severity, ...want }));
  });

  it("reports nothing for identical specs", () => {
    const spec = things(getThings(), postThing());
    expect(compareDocs(spec, structuredClone(spec))).toEqual([]);
  });

  it("does not mistake a renamed path parameter or operationId for a removed operation", () => {
    const base = doc({ "/tasks/{task_id}/stop": { post: { summary: "Stop Task", operationId: "stopTaskV1", parameters: [pathParam("task_id")], responses: json({ type: "string" }) } } });
    const head = doc({ "/tasks/{run_id}/stop": { post: { summary: "Stop Task", operationId: "stopRunV2", parameters: [pathParam("run_id")], responses: json({ type: "string" }) } } });
    const changes = compareDocs(base, head);
    expect(changes.map((c) => c.rule).sort()).toEqual(["operation-id-changed", "path-parameter-renamed"]);
    expect(changes.every((c) => c.method === "stopTask" && c.severity === "info")).toBe(true);
  });

  it("follows $refs on both sides and survives a recursive schema", () => {
    const node = (extra: Json) => ({ type: "object", properties: { name: { type: "string" }, children: { type: "array", items: { $ref: "#/components/schemas/Node" } }, ...extra } });
    const base = { ...withResult({ $ref: "#/components/schemas/Node" }), components: { schemas: { Node: node({}) } } };
    const head = { ...withResult({ $ref: "#/components/schemas/Node" }), components: { schemas: { Node: node({ size: { type: "integer" } }) } } };
    expect(compareDocs(base, head)).toEqual([expect.objectContaining({ rule: "response-property-added", message: "`result.size` added", pointer: "/components/schemas/Node/properties/size" })]);
  });

  it("treats a required-only union member gaining structure as a constraint, not a type change", () => {
    const file = object({ type: { type: "string" }, url: { type: "string" } }, ["type"]);
    const base = withBody({ ...file, oneOf: [{ required: ["url"] }] });
    const head = withBody({ ...file, oneOf: [{ properties: { url: { type: "string" } }, required: ["url"] }] });
    expect(compareDocs(base, head).filter((c) => c.severity === "breaking")).toEqual([]);
  });
});
