/**
 * Emits examples.ts: per operation (by method name) its success status and, where the spec has
 * one, the first JSON example of that response, as plain data. Only the `./testing` entry
 * imports it (the typed mock answers with these), so no client bundle carries the examples.
 *
 * The values are the spec's data and nothing else: JSON text (strings escaped by
 * JSON.stringify, U+2028/2029 too), never code; a value with a `__proto__` key, which an object
 * literal would read as a prototype, goes through JSON.parse instead.
 * @see https://spec.openapis.org/oas/v3.1.0#media-type-object (`example` / `examples`)
 */
import { MAX_LINE } from "./line-width.js";
import type { OperationModel } from "./operation-model.js";
import { isObject, resolve, type KeyPath } from "./refs.js";
import type { SpecDocument } from "./spec-document.js";
import { propertyName, stringLiteral } from "./ts-literals.js";

export const EXAMPLES_FILE = "examples.ts";

export interface ExampleInput {
  spec: SpecDocument;
  operations: readonly OperationModel[];
  /** Operation key → method name. */
  names: ReadonlyMap<string, string>;
}

export function emitExamples(input: ExampleInput): string {
  // Name-lock order (path, then method), as operations.ts: an upstream reorder changes nothing.
  const operations = [...input.operations].sort((a, b) => compare(a.path, b.path) || compare(a.method, b.method));
  const entries = operations.flatMap((op) => {
    const name = input.names.get(op.key);
    if (name === undefined) return [];
    const { status, value } = successExample(input.spec, op);
    const key = propertyName(name);
    if (value === undefined) return [`  ${key}: { status: ${status} },`];
    return [`  ${key}: {`, `    status: ${status},`, `    value: ${jsonLiteral(value, "    ")},`, "  },"];
  });
  return [
    "/** An operation's success status, and the spec's first JSON example of that response when it has one. */",
    "export interface OperationExample {",
    "  readonly status: number;",
    "  readonly value?: unknown;",
    "}",
    "",
    "/** What `dify-service-client/testing` answers with by default: method name → status and example. */",
    "export const operationExamples: Readonly<Record<string, OperationExample>> = {",
    ...entries,
    "};",
    "",
  ].join("\n");
}

/** The first 2xx response's status (200 for `2XX`/`default`) and its JSON example, if any. */
function successExample(spec: SpecDocument, op: OperationModel): { status: number; value: unknown } {
  const response = op.success[0];
  const status = response && /^2\d\d$/.test(response.status) ? Number(response.status) : 200;
  if (!response || response.kind !== "json" || response.mediaType === undefined) return { status, value: undefined };
  const at: KeyPath = [...op.at, "responses", response.status];
  const { value: resolved, at: responseAt } = resolve(spec, lookupChild(spec, at), at);
  const content = isObject(resolved["content"]) ? resolved["content"] : {};
  const media = content[response.mediaType];
  if (!isObject(media)) return { status, value: undefined };
  if (media["example"] !== undefined) return { status, value: media["example"] };
  if (isObject(media["examples"])) {
    for (const [key, raw] of Object.entries(media["examples"])) {
      const { value: example } = resolve(spec, raw, [...responseAt, "content", response.mediaType, "examples", key]);
      // An Example Object's `value` (an `externalValue` would be a download: skipped).
      if (isObject(example) && example["value"] !== undefined) return { status, value: example["value"] };
    }
  }
  return { status, value: undefined };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function lookupChild(spec: SpecDocument, at: KeyPath): unknown {
  let node: unknown = spec.data;
  for (const key of at) node = isObject(node) || Array.isArray(node) ? (node as Record<string | number, unknown>)[key] : undefined;
  return node;
}

/** Pretty JSON as a TypeScript expression, lines after the first indented by `indent`. */
function jsonLiteral(value: unknown, indent: string): string {
  if (hasProtoKey(value)) return `JSON.parse(${stringLiteral(JSON.stringify(value))})`;
  const text = JSON.stringify(value, null, 2).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
  return text
    .split("\n")
    .flatMap((line, i) => fitJsonLine(i === 0 ? line : indent + line))
    .join("\n");
}

/**
 * A JSON line within the width, or one unbreakable token: a long value goes on its own line below
 * its key, and a string value's spaces become `\u0020` (the same string, read by a reviewer as one token).
 */
function fitJsonLine(line: string): string[] {
  if (line.length <= MAX_LINE) return [line];
  const pair = /^(\s*)("(?:[^"\\]|\\.)*"): (.*)$/.exec(line);
  const lines = pair ? [`${pair[1]!}${pair[2]!}:`, `${pair[1]!}  ${pair[3]!}`] : [line];
  return lines.map((part) => {
    const lead = /^\s*/.exec(part)![0];
    const rest = part.slice(lead.length);
    return part.length > MAX_LINE && rest.startsWith('"') ? lead + rest.replace(/ /g, "\\u0020") : part;
  });
}

function hasProtoKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasProtoKey);
  if (!isObject(value)) return false;
  return Object.keys(value).some((key) => key === "__proto__" || hasProtoKey(value[key]));
}
