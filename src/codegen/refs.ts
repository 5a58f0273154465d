/**
 * Local `$ref` resolution (`#/components/...`), enough for the generator's
 * own questions (is this parameter required? is this body an object?).
 * openapi-typescript resolves refs for the types itself.
 */
import { GeneratorError } from "./errors.js";
import type { SpecDocument } from "./spec-document.js";

export type KeyPath = (string | number)[];

export interface Resolved<T> {
  value: T;
  /** Where the resolved value lives, for error messages. */
  at: KeyPath;
}

/** Follows `$ref` chains from the object at `at`; a missing target or a ref loop is a GeneratorError. */
export function resolve<T = Record<string, unknown>>(spec: SpecDocument, value: unknown, at: KeyPath): Resolved<T> {
  const seen = new Set<string>();
  let current = value;
  let where = at;
  while (isObject(current) && typeof current["$ref"] === "string") {
    const ref = current["$ref"];
    if (seen.has(ref)) {
      throw new GeneratorError(spec.file, spec.locate(where), `$ref ${JSON.stringify(ref)} refers to itself in a loop`, "point the $ref at a real definition");
    }
    seen.add(ref);
    const target = refPath(ref);
    if (!target) {
      throw new GeneratorError(spec.file, spec.locate([...where, "$ref"]), `$ref ${JSON.stringify(ref)} is not a local reference`, "bundle external files into the spec first (e.g. `npx @redocly/cli bundle`)");
    }
    const next = lookup(spec.data, target);
    if (next === undefined) {
      throw new GeneratorError(spec.file, spec.locate([...where, "$ref"]), `$ref ${JSON.stringify(ref)} points to nothing`, `define ${ref.slice(1)} or correct the reference`);
    }
    current = next;
    where = target;
  }
  return { value: current as T, at: where };
}

/** "#/components/schemas/A~1B" → ["components", "schemas", "A/B"] (RFC 6901). */
export function refPath(ref: string): KeyPath | undefined {
  if (!ref.startsWith("#")) return undefined;
  if (ref === "#") return [];
  if (!ref.startsWith("#/")) return undefined;
  return ref
    .slice(2)
    .split("/")
    .map((part) => decodeURIComponent(part).replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** The node at `path`, or undefined when there is none. */
export function lookup(root: unknown, path: KeyPath): unknown {
  let node = root;
  for (const key of path) {
    if (!isObject(node) && !Array.isArray(node)) return undefined;
    if (!Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Keys whose values are data, not schema: a `$ref` inside an example is just text. */
const DATA_KEYS = new Set(["example", "examples", "default", "enum", "const", "value"]);

/** Objects whose keys are names (of properties, statuses, components), where DATA_KEYS do not apply. */
const NAME_MAPS = new Set([
  "properties", "patternProperties", "$defs", "definitions", "responses", "schemas", "parameters", "headers",
  "requestBodies", "securitySchemes", "links", "callbacks", "pathItems", "paths",
]);

/** Calls `visit` for every `$ref` of the document that sits where a schema or object can be (not inside examples or defaults). */
export function forEachRef(data: unknown, visit: (node: Record<string, unknown>, at: KeyPath) => void): void {
  const seen = new WeakSet<object>();
  const walk = (node: unknown, at: KeyPath): void => {
    if (typeof node !== "object" || node === null || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, [...at, i]));
      return;
    }
    const record = node as Record<string, unknown>;
    if (typeof record["$ref"] === "string") visit(record, at);
    // In a map of names a key is a name, not a keyword: a property called "example", a `default` response.
    const namesMap = NAME_MAPS.has(String(at[at.length - 1]));
    for (const [key, value] of Object.entries(record)) {
      if (!namesMap && DATA_KEYS.has(key)) continue;
      walk(value, [...at, key]);
    }
  };
  walk(data, []);
}

/** Resolves every `$ref` in the document once, so a dangling one is reported with its position. */
export function checkRefs(spec: SpecDocument): void {
  forEachRef(spec.data, (node, at) => void resolve(spec, node, at));
}
