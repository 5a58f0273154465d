/**
 * What `npm run generate` would write for one side, in memory: the same
 * renderClientSources as src/codegen/generate.ts, fed with the leniently
 * overlaid spec and the method names of method-names.ts (generateClient reads
 * its inputs from disk and applies the overlay strictly, which old revisions fail).
 */
import { renderClientSources } from "../codegen/generate.js";
import type { OperationModel } from "../codegen/operation-model.js";
import type { SpecDocument } from "../codegen/spec-document.js";

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

export function generateSide(input: GenerateSideInput): Promise<GeneratedSide> {
  // Any root will do: `out` is relative, and only the path from it to the runtime matters.
  return renderClientSources({ root: process.cwd(), ...input });
}
