/**
 * The only module that knows openapi-typescript (in maintenance mode
 * upstream): it turns a parsed spec into the `paths`/`operations`/`components`
 * declarations the facade indexes into.
 */
import { createRequire } from "node:module";
import openapiTS, { astToString } from "openapi-typescript";
import ts from "typescript";
import { GeneratorError, type SourceLocation } from "./errors.js";
import { checkSelfContained, inertDataReferences, isDataKey, isObject, lookup, refPath, type KeyPath, type Reference } from "./refs.js";
import type { SpecDocument } from "./spec-document.js";

/**
 * openapi-typescript loads the document through @redocly/openapi-core, whose
 * resolver reads any file or URL a `$ref`, `externalValue` or discriminator
 * mapping names (relative to the working directory, examples included), and
 * accepts no resolver of ours. Generation must never touch the disk or the
 * network for a spec, so the loader of the copy openapi-typescript uses is
 * replaced, for this process, by one that refuses. checkSelfContained (below)
 * makes sure it is never even asked; this makes sure asking cannot read.
 */
const redocly = createRequire(createRequire(import.meta.url).resolve("openapi-typescript"))("@redocly/openapi-core") as {
  BaseResolver: { prototype: { loadExternalRef(absoluteRef: string): Promise<unknown> } };
};
redocly.BaseResolver.prototype.loadExternalRef = (absoluteRef: string) =>
  Promise.reject(new Error(`refused to load ${JSON.stringify(absoluteRef)}: generation reads no file or URL but the spec`));

/**
 * A deep copy (openapi-typescript annotates the objects it is given), fit for
 * openapi-typescript, which builds JSON pointers from path keys and
 * operationIds without escaping and decodes them ("URI malformed"):
 * - an operationId holding "%" is dropped; the operation's type is then
 *   inlined under `paths`, which is all the facade uses;
 * - a path key that does not survive two decodings cannot be kept (it is the
 *   `paths` key the facade indexes), so it is an error with its position.
 */
function forOpenapiTypescript(spec: SpecDocument): SpecDocument["data"] {
  for (const path of Object.keys(spec.data.paths)) {
    if (!decodesTwice(path)) {
      throw new GeneratorError(spec.file, spec.locate(["paths", path]), `path ${JSON.stringify(path)} has a "%" that is not a percent-escape (or escapes one)`, "write the character itself, or a valid escape such as %20");
    }
  }
  const copy = structuredClone(spec.data);
  // Paths in key order, as the operations are (generate.ts): a spec that only reorders them changes no output.
  if (copy.paths) copy.paths = Object.fromEntries(Object.entries(copy.paths).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  // A reference inside an example or an extension is data: text for the loader, never followed.
  inertDataReferences(copy);
  inlineDeepReferences(copy);
  for (const item of Object.values(copy.paths ?? {})) {
    for (const op of Object.values(item ?? {})) {
      if (typeof op === "object" && op !== null && typeof (op as { operationId?: unknown }).operationId === "string" && (op as { operationId: string }).operationId.includes("%")) {
        delete (op as { operationId?: string }).operationId;
      }
    }
  }
  return copy;
}

/**
 * openapi-typescript types a `$ref` as an indexed access along its pointer, which works for
 * `#/components/<kind>/<name>` only: `#/components/schemas/Foo/properties/foo/items` or
 * `#/paths/…/schema` index through keywords its types do not have (TS2339). Such a reference is
 * replaced by a copy of what it points at, unless that copy would contain the reference itself.
 */
function inlineDeepReferences(data: SpecDocument["data"]): void {
  const deep = (path: KeyPath) => !(path.length === 3 && path[0] === "components");
  // Each reference text decoded once: a large spec names the same components thousands of times.
  const targets = new Map<string, KeyPath | undefined>();
  const targetOf = (ref: string): KeyPath | undefined => {
    if (!targets.has(ref)) targets.set(ref, refPath(ref));
    return targets.get(ref);
  };
  for (let round = 0; round < 20; round++) {
    let replaced = false;
    // One path, pushed and popped (the documents are large); data positions are never entered.
    const path: KeyPath = [];
    const walk = (node: unknown): void => {
      if (typeof node !== "object" || node === null) return;
      const record = node as Record<string | number, unknown>;
      const keys: (string | number)[] = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
      for (const key of keys) {
        path.push(key);
        if (!isDataKey(path, path.length - 1)) {
          const value = record[key];
          const ref = isObject(value) && typeof value["$ref"] === "string" ? value["$ref"] : undefined;
          const target = ref === undefined ? undefined : targetOf(ref);
          // Only a deep target is asked whether the reference lies inside it (most are `#/components/<kind>/<name>`).
          const inlined = target !== undefined && target.length > 0 && deep(target) && !target.every((part, i) => String(path[i]) === String(part));
          const resolved = inlined ? lookup(data, target) : undefined;
          if (resolved !== undefined) {
            record[key] = structuredClone(resolved);
            replaced = true;
          } else walk(value);
        }
        path.pop();
      }
    };
    walk(data);
    if (!replaced) return;
  }
}

function decodesTwice(path: string): boolean {
  try {
    decodeURIComponent(decodeURIComponent(path));
    return true;
  } catch {
    return false;
  }
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/**
 * openapi-typescript refuses a repeated operationId (without a position); we say where. Exported so
 * generation checks it with the spec's other problems, before the name lock is looked at.
 */
export function checkOperationIdsUnique(spec: SpecDocument, data: SpecDocument["data"] = spec.data): void {
  const seen = new Map<string, string>();
  for (const [path, item] of Object.entries(data.paths ?? {})) {
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const op = item[method];
      const id = isObject(op) ? op["operationId"] : undefined;
      // One holding "%" is dropped before openapi-typescript sees it (forOpenapiTypescript).
      if (typeof id !== "string" || id.includes("%")) continue;
      const key = `${method.toUpperCase()} ${path}`;
      const first = seen.get(id);
      if (first !== undefined) {
        throw new GeneratorError(spec.file, spec.locate(["paths", path, method, "operationId"]), `operationId ${JSON.stringify(id)} of ${key} is also the operationId of ${first}`, "give each operation its own operationId (an overlay can rename one)");
      }
      seen.set(id, key);
    }
  }
}

/** `references`: the spec's references outside data, when the caller has them (checkRefs' result); else they are found here. */
export async function renderSchemaTypes(spec: SpecDocument, references?: readonly Reference[]): Promise<string> {
  // Also checked before (refs.ts checkRefs); here because this is where the document is handed to the loader.
  checkSelfContained(spec, references);
  const input = forOpenapiTypescript(spec);
  checkOperationIdsUnique(spec, input);
  try {
    const ast = await withoutOwnLog(() =>
      openapiTS(input as never, {
        // A property with a default is still optional for the caller who sends it.
        defaultNonNullable: false,
        silent: true,
        // `format: binary` is a file to the caller (multipart fields, binary bodies), not a string.
        transform: (schema) => (schema.format === "binary" ? ts.factory.createTypeReferenceNode("Blob") : undefined),
      }),
    );
    return astToString(ast);
  } catch (cause) {
    const { problem, location } = describeProblem(spec, cause);
    throw new GeneratorError(spec.file, location, `openapi-typescript could not read the spec: ${problem}`, "validate the spec (e.g. `npx @redocly/cli lint`) and correct what it reports");
  }
}

/** Its problems end in " at #/json/pointer" (redocly's location): that becomes our line:col. */
function describeProblem(spec: SpecDocument, cause: unknown): { problem: string; location: SourceLocation | undefined } {
  const message = cause instanceof Error ? cause.message : String(cause);
  const match = /^([^]*) at (#\/\S*)$/.exec(message);
  const path = match ? refPath(match[2]!) : undefined;
  // Our line adds ". Fix:"; its sentences end with their own period.
  if (!match || !path) return { problem: message.replace(/\.$/, ""), location: undefined };
  return { problem: match[1]!.replace(/\.$/, ""), location: spec.locate(path) };
}

/** openapi-typescript's `error()` writes " ✘  <problem>" with console.error even when silent; the problem is also in what it throws. */
const OWN_LINE = /^(\u001b\[[0-9;]*m)* \u2718 {2}/;
let logDepth = 0;
let realError: typeof console.error = console.error;

async function withoutOwnLog<T>(run: () => Promise<T>): Promise<T> {
  if (logDepth++ === 0) {
    realError = console.error;
    console.error = (...args: unknown[]) => {
      if (typeof args[0] === "string" && OWN_LINE.test(args[0])) return;
      realError(...args);
    };
  }
  try {
    return await run();
  } finally {
    if (--logDepth === 0) console.error = realError;
  }
}
