/**
 * What `npm run generate` would write for one side, in memory: the same
 * renderClientSources as src/codegen/generate.ts, fed with the leniently
 * overlaid spec and the method names of method-names.ts (generateClient reads
 * its inputs from disk and applies the overlay strictly, which old revisions fail).
 */
import type { FacadeClient } from "../codegen/emit-client.js";
import { renderClientSources } from "../codegen/generate.js";
import type { OperationModel } from "../codegen/operation-model.js";
import type { SpecDocument } from "../codegen/spec-document.js";

export interface GeneratedSide {
  /** File name in the output folder (schema.d.ts, operations.ts, chatflow.ts, client.ts) → content. */
  files: ReadonlyMap<string, string>;
}

export interface GenerateSideInput {
  /** The clients of the project, each with the operations it has on this side. */
  clients: readonly FacadeClient[];
  /** Whether the project emits one file per client (memberships) or one client.ts. */
  split: boolean;
  /** Output folder relative to the project root, e.g. generated/dify (fixes the runtime import). */
  out: string;
  spec: SpecDocument;
  operations: readonly OperationModel[];
  names: ReadonlyMap<string, string>;
}

export async function generateSide(input: GenerateSideInput): Promise<GeneratedSide> {
  // Any root will do: `out` is relative, and only the path from it to the runtime matters.
  const files = await renderClientSources({ root: process.cwd(), ...input });
  return { files };
}
