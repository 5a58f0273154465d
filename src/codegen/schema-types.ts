/**
 * The only module that knows openapi-typescript (in maintenance mode
 * upstream): it turns a parsed spec into the `paths`/`operations`/`components`
 * declarations the facade indexes into.
 */
import openapiTS, { astToString } from "openapi-typescript";
import ts from "typescript";
import { GeneratorError } from "./errors.js";
import type { SpecDocument } from "./spec-document.js";

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
  for (const item of Object.values(copy.paths ?? {})) {
    for (const op of Object.values(item ?? {})) {
      if (typeof op === "object" && op !== null && typeof (op as { operationId?: unknown }).operationId === "string" && (op as { operationId: string }).operationId.includes("%")) {
        delete (op as { operationId?: string }).operationId;
      }
    }
  }
  return copy;
}

function decodesTwice(path: string): boolean {
  try {
    decodeURIComponent(decodeURIComponent(path));
    return true;
  } catch {
    return false;
  }
}

export async function renderSchemaTypes(spec: SpecDocument): Promise<string> {
  const input = forOpenapiTypescript(spec);
  try {
    const ast = await openapiTS(input as never, {
      // A property with a default is still optional for the caller who sends it.
      defaultNonNullable: false,
      silent: true,
      // `format: binary` is a file to the caller (multipart fields, binary bodies), not a string.
      transform: (schema) => (schema.format === "binary" ? ts.factory.createTypeReferenceNode("Blob") : undefined),
    });
    return astToString(ast);
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new GeneratorError(spec.file, undefined, `openapi-typescript could not read the spec: ${message}`, "validate the spec (e.g. `npx @redocly/cli lint`) and correct what it reports");
  }
}
