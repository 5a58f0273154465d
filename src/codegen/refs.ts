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
    if (!target) throw notLocal(spec, ref, [...where, "$ref"]);
    const next = lookup(spec.data, target);
    if (next === undefined) {
      throw new GeneratorError(spec.file, spec.locate([...where, "$ref"]), `$ref ${JSON.stringify(ref)} points to nothing`, `define ${ref.slice(1)} or correct the reference`);
    }
    current = next;
    where = target;
  }
  return { value: current as T, at: where };
}

function notLocal(spec: SpecDocument, ref: string, at: KeyPath): GeneratorError {
  if (ref.startsWith("#/")) {
    return new GeneratorError(spec.file, spec.locate(at), `$ref ${JSON.stringify(ref)} has a "%" that is not a percent-escape`, "write the character itself, or a valid escape such as %20");
  }
  return new GeneratorError(
    spec.file,
    spec.locate(at),
    `$ref ${JSON.stringify(ref)} is not a local reference (the generator reads no other file or URL)`,
    "bundle external files into the spec first (e.g. `npx @redocly/cli bundle`), or delete the reference",
  );
}

/** "#/components/schemas/A~1B" → ["components", "schemas", "A/B"] (RFC 6901); undefined when not a local pointer or badly escaped. */
export function refPath(ref: string): KeyPath | undefined {
  if (!ref.startsWith("#")) return undefined;
  if (ref === "#") return [];
  if (!ref.startsWith("#/")) return undefined;
  try {
    return ref
      .slice(2)
      .split("/")
      .map((part) => decodeURIComponent(part).replace(/~1/g, "/").replace(/~0/g, "~"));
  } catch {
    // decodeURIComponent throws URIError on a "%" that is not an escape.
    return undefined;
  }
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

/** Objects whose keys are names (of properties, statuses, components), where data keywords do not apply. */
const NAME_MAPS = new Set([
  "properties", "patternProperties", "$defs", "definitions", "responses", "schemas", "parameters", "headers",
  "requestBodies", "securitySchemes", "links", "callbacks", "pathItems", "paths",
]);

/**
 * A place where openapi-typescript's loader (@redocly/openapi-core) would
 * follow a reference: it does so anywhere in the document, examples and
 * extensions included, not only where a schema can be.
 */
export interface Reference {
  /** The reference text. */
  ref: string;
  /** Key path of the string itself (…/$ref, …/externalValue, …/mapping/name). */
  at: KeyPath;
  kind: "$ref" | "externalValue" | "mapping";
}

/**
 * Every reference the loader would follow, in document order: any string
 * `$ref` and `externalValue` of any object, and discriminator mapping values
 * that look like references (redocly's isMappingRef: "#…", a URL, or text with "/").
 * `visit` returning true ends the walk.
 */
export function forEachReference(data: unknown, visit: (reference: Reference) => boolean | void, options: { skipData?: boolean } = {}): void {
  const seen = new WeakSet<object>();
  // One path, pushed and popped as the walk goes (a copy only for a reference found): the documents are large.
  const path: KeyPath = [];
  const skipData = options.skipData === true;
  let stopped = false;
  const found = (reference: Reference) => (stopped = visit(reference) === true);
  const walk = (node: unknown, inData: boolean): void => {
    if (typeof node !== "object" || node === null || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length && !stopped; i++) {
        path.push(i);
        walk(node[i], inData);
        path.pop();
      }
      return;
    }
    if (skipData && inData) return;
    const record = node as Record<string, unknown>;
    if (typeof record["$ref"] === "string" && found({ ref: record["$ref"], at: [...path, "$ref"], kind: "$ref" })) return;
    if (typeof record["externalValue"] === "string" && found({ ref: record["externalValue"], at: [...path, "externalValue"], kind: "externalValue" })) return;
    const mapping = record["mapping"];
    if (path[path.length - 1] === "discriminator" && isObject(mapping)) {
      for (const [name, value] of Object.entries(mapping)) {
        const looksLikeRef = typeof value === "string" && (value.startsWith("#") || value.includes("/"));
        if (looksLikeRef && found({ ref: value, at: [...path, "mapping", name], kind: "mapping" })) return;
      }
    }
    for (const key of Object.keys(record)) {
      if (stopped) return;
      path.push(key);
      // Where data starts matters only to a walk that skips it.
      walk(record[key], skipData && (inData || isDataKey(path, path.length - 1)));
      path.pop();
    }
  };
  walk(data, false);
}

/** Whether `data` holds any reference forEachReference would find (it stops at the first). */
function holdsReference(data: unknown): boolean {
  let holds = false;
  forEachReference(data, () => (holds = true));
  return holds;
}

/**
 * Where the document holds data, not structure: an `example`, a `default`, an `enum` or `const`, an
 * Example Object's `value`, an `x-` extension (ours, `x-codegen-…`, excepted). A `$ref` there is text
 * (SCIM responses, for one, have a `$ref` field): it is kept as inert text, never followed.
 */
export function isDataPosition(at: KeyPath): boolean {
  for (let i = 0; i < at.length; i++) if (isDataKey(at, i)) return true;
  return false;
}

/**
 * Whether `at[i]` makes `at` a data position (isDataPosition): it looks only at `at[i]` and the two keys
 * above it, so a walk knows a child's answer from its parent's and one step.
 */
export function isDataKey(at: KeyPath, i: number): boolean {
  const key = at[i];
  if (typeof key !== "string") return false;
  // In a map of names a key is a name, not a keyword: a property called "example", a `default` response.
  const parent = i > 0 ? at[i - 1] : undefined;
  if (typeof parent === "string" && NAME_MAPS.has(parent)) return false;
  if (key === "example" || key === "default" || key === "enum" || key === "const") return true;
  if (key === "value" && at[i - 2] === "examples") return true;
  return key.startsWith("x-") && !key.startsWith("x-codegen-");
}

/**
 * The copy of the document openapi-typescript gets: every data value (see isDataPosition) that holds a
 * reference becomes its JSON text, so no loader can follow it; docs still show it, as text.
 */
export function inertDataReferences(data: unknown): void {
  const seen = new WeakSet<object>();
  const path: KeyPath = [];
  const walk = (node: unknown, inData: boolean): void => {
    if (typeof node !== "object" || node === null || seen.has(node)) return;
    seen.add(node);
    const record = node as Record<string | number, unknown>;
    const keys: (string | number)[] = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    for (const key of keys) {
      path.push(key);
      const here = inData || isDataKey(path, path.length - 1);
      const value = record[key];
      if (here && typeof value === "object" && value !== null) {
        // Data that holds no reference has none below either: nothing there to make inert.
        if (holdsReference(value)) record[key] = JSON.stringify(value);
      } else walk(value, here);
      path.pop();
    }
  };
  walk(data, false);
}

/**
 * The document is self-contained: every reference outside data (see isDataPosition) is a local
 * pointer ("#/…"), so nothing can make the generator read a file or a URL.
 * The first other one is the error, at its own position.
 */
export function checkSelfContained(spec: SpecDocument, references: readonly Reference[] = structuralReferences(spec.data)): void {
  for (const { ref, at, kind } of firstOfEach(references)) {
    if (kind === "externalValue") {
      throw new GeneratorError(spec.file, spec.locate(at), `externalValue ${JSON.stringify(ref)} names a file or URL (the generator reads no other file or URL)`, "put the example inline as `value`, or delete `externalValue`");
    }
    if (refPath(ref) === undefined) throw notLocal(spec, ref, at);
  }
}

/**
 * The first reference of each kind and text, in document order: what a check of the text finds is the same
 * at every place (only the error's position differs, and the first place is the one reported), and a large
 * spec names the same components thousands of times.
 */
function firstOfEach(references: readonly Reference[]): Reference[] {
  const seen = new Set<string>();
  return references.filter(({ ref, kind }) => {
    const key = `${kind} ${ref}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Every reference outside data (see isDataPosition), in document order. */
function structuralReferences(data: unknown): Reference[] {
  const references: Reference[] = [];
  forEachReference(data, (reference) => void references.push(reference), { skipData: true });
  return references;
}

/**
 * Checks every reference of the document, each at its own position: first
 * that all are local (so a local `$ref` into an external one does not take
 * the blame), then that every local one points at something, examples and
 * extensions included (openapi-typescript's loader follows those too).
 * Returns the references it checked (for renderSchemaTypes, which checks them again).
 */
export function checkRefs(spec: SpecDocument): readonly Reference[] {
  // One walk for both checks.
  const references = structuralReferences(spec.data);
  checkSelfContained(spec, references);
  // resolve() reports at `where`/$ref; for a mapping value the nearest existing node is the value itself.
  for (const { ref, at, kind } of firstOfEach(references)) resolve(spec, { $ref: ref }, kind === "$ref" ? at.slice(0, -1) : at);
  return references;
}
