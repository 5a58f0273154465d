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

function lookup(root: unknown, path: KeyPath): unknown {
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
