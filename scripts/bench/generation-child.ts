/**
 * One generation in a fresh process, for the generation section of `npm run bench`:
 *
 *   node --import tsx scripts/bench/generation-child.ts <ours|openapi-typescript> <spec> <outDir> [--profile <file>]
 *
 * `ours` is the whole generator as `npm run generate` runs it (read and parse the spec with positions,
 * check $refs, model operations, resolve names, openapi-typescript, ts-morph facade, write the files);
 * `openapi-typescript` is what its own CLI does (openapiTS on the file's URL, so it parses the YAML itself,
 * then astToString and a write), with the options our generator passes it, so both emit the same schema.
 * Reports how long the process took to reach this module, to import the tools, and to do the work,
 * plus the process's peak RSS. With --profile, the work (imports excluded) runs under the CPU profiler.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { projectRoot, reportResult } from "./child.js";
import { profile } from "./profile.js";

export type Tool = "ours" | "openapi-typescript";

export interface GenerationReport {
  /** From process start to this module's first line: node, the tsx loader, this module's own imports. */
  bootMs: number;
  /** Loading the generator (or openapi-typescript) and everything it imports. */
  importMs: number;
  /** Parse to files on disk. */
  workMs: number;
  /** Peak resident set size of the whole process, in kB (`process.resourceUsage().maxRSS`). */
  maxRssKb: number;
  /** Bytes written. */
  outputBytes: number;
}

const bootMs = performance.now();
const { positionals, values } = parseArgs({ allowPositionals: true, options: { profile: { type: "string" } } });
const [tool, spec, outDir] = positionals as [Tool, string, string];
if ((tool !== "ours" && tool !== "openapi-typescript") || !spec || !outDir) {
  throw new Error("usage: generation-child.ts <ours|openapi-typescript> <spec> <outDir> [--profile <file>]");
}

async function load(): Promise<() => Promise<number>> {
  if (tool === "ours") {
    const { generateClient } = await import("../../src/codegen/generate.js");
    const { writeFiles } = await import("../../src/codegen/output.js");
    return async () => {
      const files = await generateClient(projectRoot, { name: "bench", spec: resolve(spec), out: resolve(outDir), names: join(resolve(outDir), "names.json") });
      await writeFiles(projectRoot, files);
      return files.reduce((sum, file) => sum + Buffer.byteLength(file.content), 0);
    };
  }
  const { default: openapiTS, astToString } = await import("openapi-typescript");
  const { default: ts } = await import("typescript");
  return async () => {
    const ast = await openapiTS(pathToFileURL(resolve(spec)), {
      defaultNonNullable: false,
      silent: true,
      transform: (schema) => (schema.format === "binary" ? ts.factory.createTypeReferenceNode("Blob") : undefined),
    });
    const text = astToString(ast);
    await mkdir(outDir, { recursive: true });
    await writeFile(join(outDir, "schema.d.ts"), text);
    return Buffer.byteLength(text);
  };
}

const importStarted = performance.now();
const work = await load();
const workStarted = performance.now();
let outputBytes: number;
if (values.profile) {
  const taken = await profile(work);
  outputBytes = taken.result;
  await writeFile(values.profile, JSON.stringify(taken.profile));
} else {
  outputBytes = await work();
}
const workMs = performance.now() - workStarted;

reportResult({
  bootMs,
  importMs: workStarted - importStarted,
  workMs,
  maxRssKb: process.resourceUsage().maxRSS,
  outputBytes,
} satisfies GenerationReport);
