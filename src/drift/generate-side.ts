/**
 * What `npm run generate` would write for one side, in memory: the same
 * emitters as src/codegen/generate.ts, fed with the leniently overlaid spec
 * and the method names of method-names.ts (generateClient reads its inputs
 * from disk and applies the overlay strictly, which old revisions fail).
 */
import { relative, sep } from "node:path";
import { emitFacade } from "../codegen/emit-client.js";
import { RUNTIME_ENTRY } from "../codegen/generate.js";
import { renderSchemaTypes } from "../codegen/schema-types.js";
import type { OperationModel } from "../codegen/operation-model.js";
import type { SpecDocument } from "../codegen/spec-document.js";
import { defaultServerUrl } from "../codegen/generate.js";

export interface GeneratedSide {
  /** generated/<client>/client.ts */
  client: string;
  /** generated/<client>/schema.d.ts */
  schema: string;
}

export interface GenerateSideInput {
  clientName: string;
  /** Output folder relative to the project root, e.g. generated/chatflow (fixes the runtime import). */
  out: string;
  spec: SpecDocument;
  operations: readonly OperationModel[];
  names: ReadonlyMap<string, string>;
}

export async function generateSide(input: GenerateSideInput): Promise<GeneratedSide> {
  const schema = await renderSchemaTypes(input.spec);
  const client = emitFacade({
    clientName: input.clientName,
    title: input.spec.data.info?.title,
    defaultBaseUrl: defaultServerUrl(input.spec),
    operations: input.operations,
    names: input.names,
    runtimeImport: importPath(input.out, RUNTIME_ENTRY),
    schemaImport: "./schema.js",
  });
  return { client, schema };
}

function importPath(fromDir: string, target: string): string {
  const path = relative(fromDir, target).split(sep).join("/");
  return path.startsWith(".") ? path : `./${path}`;
}
