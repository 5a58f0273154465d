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
 * A deep copy (openapi-typescript annotates the objects it is given), minus
 * operationIds holding "%": openapi-typescript builds JSON pointers from them
 * without escaping and then fails to decode them ("URI malformed"). Such an
 * operation's type is then inlined under `paths`, which is all the facade uses.
 */
function forOpenapiTypescript(data: SpecDocument["data"]): SpecDocument["data"] {
  const copy = structuredClone(data);
  for (const item of Object.values(copy.paths ?? {})) {
    for (const op of Object.values(item ?? {})) {
      if (typeof op === "object" && op !== null && typeof (op as { operationId?: unknown }).operationId === "string" && (op as { operationId: string }).operationId.includes("%")) {
        delete (op as { operationId?: string }).operationId;
      }
    }
  }
  return copy;
}

export async function renderSchemaTypes(spec: SpecDocument): Promise<string> {
  try {
    const ast = await openapiTS(forOpenapiTypescript(spec.data) as never, {
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
