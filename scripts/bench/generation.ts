/**
 * Section 1: generation time and peak memory, ours vs openapi-typescript alone,
 * each run in a fresh process (generation-child.ts), alternating, median of several runs.
 */
import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { gunzipSync } from "node:zlib";
import { cacheDir, projectRoot, runTsChild } from "./child.js";
import type { GenerationReport, Tool } from "./generation-child.js";
import { inclusiveTimeBy, selfTimeBy, shortUrl, totalMs, type CpuProfile, type Frame } from "./profile.js";
import type { SectionOptions, TargetRow } from "./section.js";
import { alternate, formatRatio, mb, median, ms, ratio, spread, verdict } from "./stats.js";
import { table } from "./table.js";

/** issue 12: "generation ≤ 1.10× openapi-typescript alone, end to end". */
export const GENERATION_TARGET = 1.1;
/** issue 12: "peak RSS ≤ 1.2×". */
export const MEMORY_TARGET = 1.2;

const TOOLS: readonly Tool[] = ["ours", "openapi-typescript"];

interface Spec {
  name: string;
  /** Under bench/specs/; a `.gz` is unpacked into the bench's scratch folder first (both tools read the same file). */
  file: string;
  runs: (quick: boolean) => number;
}

const SPECS: readonly Spec[] = [
  // Petstore's runs are dominated by module loading, which is noisy: more of them.
  { name: "Petstore", file: "bench/specs/petstore.yaml", runs: (quick) => (quick ? 3 : 5) },
  { name: "OpenAI", file: "bench/specs/openai-openapi.yaml", runs: (quick) => (quick ? 1 : 3) },
  { name: "Stripe", file: "bench/specs/stripe-spec3.yaml", runs: (quick) => (quick ? 1 : 3) },
  // 1,223 operations, 11 MB of JSON: the scale the others do not reach.
  { name: "GitHub", file: "bench/specs/github-api.github.com.json.gz", runs: (quick) => (quick ? 1 : 3) },
];

/** The file both tools read: the spec itself, or its unpacked copy. */
async function specPath(spec: Spec): Promise<string> {
  const source = join(projectRoot, spec.file);
  if (!spec.file.endsWith(".gz")) return source;
  const unpacked = join(cacheDir, "specs", basename(spec.file, ".gz"));
  await mkdir(join(cacheDir, "specs"), { recursive: true });
  await writeFile(unpacked, gunzipSync(await readFile(source)));
  return unpacked;
}

interface Run extends GenerationReport {
  wallMs: number;
}

const outDir = (tool: Tool) => join(cacheDir, "generation", tool);

async function generate(tool: Tool, file: string, profileFile?: string): Promise<Run> {
  // A fresh output folder every run: our writer skips unchanged files, which would flatter later runs.
  await rm(outDir(tool), { recursive: true, force: true });
  const args = [tool, file, outDir(tool), ...(profileFile ? ["--profile", profileFile] : [])];
  const { wallMs, report } = await runTsChild<GenerationReport>("generation-child.ts", args);
  if (!report) throw new Error(`generation-child.ts ${tool} ${file} reported nothing`);
  return { ...report, wallMs };
}

/** Where in-process time goes, by owner of the code (natives charged to their caller). */
function owner(frame: Frame): string {
  const name = shortUrl(frame.url, projectRoot);
  if (name === "yaml") return "yaml (our spec parse, with positions)";
  if (name.startsWith("@redocly/") || ["js-yaml", "minimatch", "colorette", "js-levenshtein", "yaml-ast-parser", "pluralize"].includes(name)) {
    return "@redocly (openapi-typescript's load, lint, bundle)";
  }
  if (name === "openapi-typescript") return "openapi-typescript (transform)";
  if (name === "typescript") return "typescript (openapi-typescript's AST + printer)";
  if (name === "ts-morph" || name === "@ts-morph/common" || name === "code-block-writer") return "ts-morph (facade → text)";
  if (name.startsWith("src/")) return name;
  if (name.startsWith("scripts/bench/")) return "(bench harness: timer and profiler calls)";
  return `other: ${name}`;
}

/**
 * Our generator's steps, by inclusive time (synchronous steps only: an async function's
 * time after its first await is not under it on the stack, so renderSchemaTypes is left out).
 */
const STEPS: Record<string, string> = {
  "src/codegen/spec-document.ts:readSpec": "read + parse the spec (spec-document.ts readSpec: JSON.parse or js-yaml; yaml only for positions)",
  "src/codegen/refs.ts:checkRefs": "check every $ref (refs.ts checkRefs)",
  "src/codegen/operation-model.ts:buildOperationModel": "operation model (operation-model.ts buildOperationModel)",
  "src/codegen/name-lock.ts:resolveNames": "method names (name-lock.ts resolveNames)",
  "src/codegen/schema-types.ts:forOpenapiTypescript": "copy of the spec for openapi-typescript (schema-types.ts forOpenapiTypescript: structuredClone)",
  "src/codegen/emit-client.ts:emitClientFiles": "facades and operations (emit-client.ts emitClientFiles), of which:",
  "src/codegen/emit-client.ts:printStatements": "  ts-morph prints the structures to text (printStructure)",
  "src/codegen/line-width.ts:fitLines": "lines fitted to 120 columns (line-width.ts fitLines, schema.d.ts included)",
};

function step(frame: Frame): string | undefined {
  return STEPS[`${shortUrl(frame.url, projectRoot)}:${frame.functionName}`];
}

async function profiles(spec: Spec, specFile: string): Promise<string> {
  const taken = new Map<Tool, CpuProfile>();
  for (const tool of TOOLS) {
    const file = join(cacheDir, `generation-${tool}.cpuprofile`);
    await generate(tool, specFile, file);
    taken.set(tool, JSON.parse(await readFile(file, "utf8")) as CpuProfile);
  }
  const ours = taken.get("ours")!;
  const theirs = taken.get("openapi-typescript")!;
  const oursByOwner = selfTimeBy(ours, owner);
  const theirsByOwner = selfTimeBy(theirs, owner);
  const threshold = totalMs(ours) / 100;
  const keys = [...new Set([...oursByOwner.keys(), ...theirsByOwner.keys()])]
    .map((key) => ({ key, ours: oursByOwner.get(key) ?? 0, theirs: theirsByOwner.get(key) ?? 0 }))
    .filter((row) => Math.max(row.ours, row.theirs) >= threshold)
    .sort((a, b) => b.ours - a.ours || b.theirs - a.theirs);
  const byOwner = [[`${spec.name}: CPU self time by owner`, "ours", "openapi-typescript", "difference"]];
  for (const row of keys) byOwner.push([row.key, ms(row.ours), ms(row.theirs), ms(row.ours - row.theirs)]);
  byOwner.push(["total sampled (entries under 1 % not listed)", ms(totalMs(ours)), ms(totalMs(theirs)), ms(totalMs(ours) - totalMs(theirs))]);

  const steps = inclusiveTimeBy(ours, step);
  const bySteps = [[`${spec.name}: our generator's own steps (inclusive)`, "ours"]];
  // A step renamed in src/codegen shows as missing rather than as a misleading 0 ms.
  for (const label of Object.values(STEPS)) bySteps.push([label, steps.has(label) ? ms(steps.get(label)!) : "not sampled"]);
  return `${table(byOwner)}\n\n${table(bySteps)}`;
}

export async function generationSection(options: SectionOptions): Promise<TargetRow[]> {
  // Unmeasured warm-up: tsx's transform cache of our sources is cold after an edit (openapi-typescript is plain JS).
  await generate("ours", await specPath(SPECS[0]!));

  const endToEnd = [["spec (size, operations)", "runs", "ours wall", "openapi-typescript wall", "ratio", `target ≤ ${GENERATION_TARGET}×`, "ours peak RSS", "openapi-ts peak RSS", "RSS ratio", `target ≤ ${MEMORY_TARGET}×`]];
  const inProcess = [["spec", "ours work", "openapi-ts work", "work ratio", "ours import", "openapi-ts import", "process boot (both, median)", "ours wall spread", "openapi-ts wall spread"]];
  const summary: TargetRow[] = [];
  const breakdowns: string[] = [];

  for (const spec of SPECS) {
    const runs = spec.runs(options.quick);
    const file = await specPath(spec);
    const results = await alternate(TOOLS, runs, (tool) => generate(tool, file));
    const ours = results["ours"];
    const theirs = results["openapi-typescript"];
    const med = (runs: Run[], key: keyof Run) => median(runs.map((run) => run[key]));
    const size = (await stat(file)).size;
    const lock = JSON.parse(await readFile(join(outDir("ours"), "names.json"), "utf8")) as { names: Record<string, string> };
    const operations = Object.keys(lock.names).length;

    const wallRatio = ratio(med(ours, "wallMs"), med(theirs, "wallMs"));
    const workRatio = ratio(med(ours, "workMs"), med(theirs, "workMs"));
    const rssRatio = ratio(med(ours, "maxRssKb"), med(theirs, "maxRssKb"));
    endToEnd.push([
      `${spec.name} (${(size / 1e6).toFixed(2)} MB, ${operations} ops)`,
      String(runs),
      ms(med(ours, "wallMs")),
      ms(med(theirs, "wallMs")),
      formatRatio(wallRatio),
      verdict(wallRatio, GENERATION_TARGET),
      mb(med(ours, "maxRssKb")),
      mb(med(theirs, "maxRssKb")),
      formatRatio(rssRatio),
      verdict(rssRatio, MEMORY_TARGET),
    ]);
    inProcess.push([
      spec.name,
      ms(med(ours, "workMs")),
      ms(med(theirs, "workMs")),
      `${formatRatio(workRatio)} ${verdict(workRatio, GENERATION_TARGET)}`,
      ms(med(ours, "importMs")),
      ms(med(theirs, "importMs")),
      ms(median([...ours, ...theirs].map((run) => run.bootMs))),
      spread(ours.map((run) => run.wallMs), ms),
      spread(theirs.map((run) => run.wallMs), ms),
    ]);
    summary.push(
      { section: "generation", what: `${spec.name}, end to end (fresh process)`, target: `≤ ${GENERATION_TARGET}×`, measured: formatRatio(wallRatio), status: verdict(wallRatio, GENERATION_TARGET) },
      { section: "generation", what: `${spec.name}, in-process work (no imports)`, target: "(reported, no target)", measured: formatRatio(workRatio), status: "info" },
      { section: "generation", what: `${spec.name}, peak RSS`, target: `≤ ${MEMORY_TARGET}×`, measured: formatRatio(rssRatio), status: verdict(rssRatio, MEMORY_TARGET) },
    );
    // A missed target gets the profile that shows what is left (one more run per tool; GitHub: ~40 s more).
    if (!options.quick && (wallRatio > GENERATION_TARGET || rssRatio > MEMORY_TARGET)) breakdowns.push(await profiles(spec, file));
  }

  console.log("End to end: a fresh `node --import tsx` process per run, spawn to exit (node start-up, the tsx loader,");
  console.log("module imports, parsing, generation, writing the files). Peak RSS: process.resourceUsage().maxRSS.\n");
  console.log(table(endToEnd));
  console.log("\nIn-process: `work` is spec file to files on disk, measured inside the child after its imports;");
  console.log("`import` is loading the tool (ours: yaml, js-yaml, openapi-typescript, typescript, ts-morph on that same TypeScript).\n");
  console.log(table(inProcess));
  if (breakdowns.length > 0) {
    console.log("\nWhere the in-process time goes: one extra run per tool under the CPU profiler (imports excluded). Self time is");
    console.log("charged to the package or file whose code ran, natives (JSON.stringify, structuredClone) to their caller.\n");
    console.log(breakdowns.join("\n\n"));
  }
  return summary;
}
