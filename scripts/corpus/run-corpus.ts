/**
 * Runs corpus specs through the generator and the compiler: each spec is
 * unpacked and generated (in-process, generateClient) into its own folder of
 * a work directory, then one TypeScript program checks every generated
 * client at once (one program over all outputs is far faster than one per
 * spec). Shared by `npm run test:corpus` and the sample in `npm test`.
 *
 * The work directory must be inside the project (e.g. under .scratch/, which
 * tsconfig excludes and git ignores): generated facades import the runtime by
 * a path relative to the project root (RUNTIME_ENTRY), and the runtime's own
 * imports (openapi-fetch) resolve from the project's node_modules.
 */
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { gunzipSync } from "node:zlib";
import ts from "typescript";
import { GeneratorError } from "../../src/codegen/errors.js";
import { generateClient } from "../../src/codegen/generate.js";
import { writeFiles } from "../../src/codegen/output.js";
import { invalidity } from "./validity.js";

export interface CorpusSpec {
  /** Path inside the corpus folder, e.g. "heyapi/3.0.x_full.json.gz". */
  id: string;
  /** Absolute path of the (possibly gzipped) spec file. */
  file: string;
}

export type Status = "compiled" | "clean error" | "other";

export interface Outcome {
  id: string;
  generated: boolean;
  status: Status;
  /** Why it is not "compiled": the generator's line, the first compiler errors, or the crash. */
  detail?: string;
  /** Lines the generator printed (console.warn/error/log) while generating this spec. */
  warnings: string[];
}

const SPEC_EXTENSIONS = /\.(ya?ml|json)(\.gz)?$/i;

/** Every spec file under `dir` (MANIFEST.tsv and other files are skipped), in a stable order. */
export async function listCorpus(dir: string): Promise<CorpusSpec[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && SPEC_EXTENSIONS.test(e.name))
    .map((e) => {
      const file = join(e.parentPath, e.name);
      return { id: relative(dir, file).split(sep).join("/"), file };
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Compiler options of the check: the project's tsconfig plus noUnusedLocals, and the .d.ts output checked too. */
function checkOptions(root: string): ts.CompilerOptions {
  const parsed = ts.getParsedCommandLineOfConfigFile(join(root, "tsconfig.json"), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, " "));
    },
  });
  if (!parsed) throw new Error("cannot read tsconfig.json");
  return {
    ...parsed.options,
    strict: true,
    noUnusedLocals: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    // schema.d.ts is output too (only the outputs' files are asked for diagnostics, see checkOutputs).
    skipLibCheck: false,
    skipDefaultLibCheck: true,
    noEmit: true,
  };
}

/**
 * Generates every spec into `workDir/<id>.out/` and type-checks the results.
 * `workDir` must be inside `root` (see the module comment).
 */
export async function runCorpus(root: string, workDir: string, specs: readonly CorpusSpec[], log: (line: string) => void = () => {}): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const generated: { dir: string; sources: string[]; outcome: Outcome; bytes: number }[] = [];
  for (const spec of specs) {
    const { outcome, sources, bytes } = await generateOne(root, workDir, spec);
    outcomes.push(outcome);
    if (outcome.generated) generated.push({ dir: join(workDir, outDirOf(spec.id)) + sep, sources, outcome, bytes });
    log(`${outcome.generated ? "generated" : outcome.status}: ${spec.id}`);
  }
  for (const batch of batches(generated)) {
    const found = checkOutputs(root, batch.flatMap((g) => g.sources), batch.map((g) => g.dir), workDir);
    for (const g of batch) {
      const list = found.get(g.dir) ?? [];
      if (list.length === 0) continue;
      const codes = [...new Set(list.map((line) => /: (TS\d+):/.exec(line)?.[1] ?? "?"))].join(", ");
      g.outcome.status = "other";
      g.outcome.detail = `${list.length} compiler error(s) (${codes}), first: ${list[0]}`;
    }
  }
  return outcomes;
}

/**
 * Type-checks `roots` in one program and returns, per folder of `folders` (absolute, ending
 * in a separator), the diagnostics of the files under it, one line each, paths relative to
 * `base`. Only those files are asked for diagnostics: the runtime is checked by npm test and
 * libraries by their authors, and checking @types/node for every program costs seconds.
 */
export function checkOutputs(root: string, roots: readonly string[], folders: readonly string[], base: string): Map<string, string[]> {
  const program = ts.createProgram(roots, checkOptions(root));
  const global = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()].map((d) => render(d, base));
  const found = new Map(folders.map((folder) => [folder, [...global]]));
  for (const file of program.getSourceFiles()) {
    const list = found.get(folders.find((folder) => file.fileName.startsWith(folder)) ?? "");
    list?.push(...[...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)].map((d) => render(d, base)));
  }
  return found;
}

/**
 * One program checks many outputs at once (far faster than one per spec); a program is cut
 * at about this much generated source, so a large corpus stays within Node's default heap
 * (GitHub's 10 MB of output takes ~1 GB).
 */
const PROGRAM_BUDGET_BYTES = 32 * 1024 * 1024;

function batches<T extends { bytes: number }>(items: readonly T[]): T[][] {
  const result: T[][] = [];
  let size = Infinity;
  for (const item of items) {
    if (size + item.bytes > PROGRAM_BUDGET_BYTES) {
      result.push([]);
      size = 0;
    }
    result[result.length - 1]!.push(item);
    size += item.bytes;
  }
  return result;
}

interface Generated {
  outcome: Outcome;
  /** Absolute paths of the generated TypeScript files (every one is a root of the check). */
  sources: string[];
  bytes: number;
}

async function generateOne(root: string, workDir: string, spec: CorpusSpec): Promise<Generated> {
  const bytes = await readFile(spec.file);
  const text = (spec.file.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8");
  const outDir = join(workDir, outDirOf(spec.id));
  const specFile = join(workDir, spec.id.replace(/\.gz$/, ""));
  await mkdir(dirname(specFile), { recursive: true });
  await writeFile(specFile, text);

  // What the generator (or openapi-typescript, which logs some problems itself) prints is kept per spec.
  const warnings: string[] = [];
  const saved = { warn: console.warn, error: console.error, log: console.log };
  console.warn = console.error = console.log = (...args: unknown[]) => void warnings.push(oneLine(args.map(String).join(" ")).trim());
  try {
    const files = await generateClient(root, {
      name: "corpus",
      spec: relative(root, specFile),
      out: relative(root, outDir),
      names: relative(root, join(outDir, "names.json")),
    });
    await writeFiles(root, files);
    const sources = files.filter((f) => f.path.endsWith(".ts"));
    return {
      outcome: { id: spec.id, generated: true, status: "compiled", warnings },
      sources: sources.map((f) => resolve(root, f.path)),
      bytes: sources.reduce((sum, f) => sum + f.content.length, 0),
    };
  } catch (error) {
    if (!(error instanceof GeneratorError)) {
      const crash = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      return { outcome: { id: spec.id, generated: false, status: "other", detail: `crash: ${oneLine(crash)}`, warnings }, sources: [], bytes: 0 };
    }
    if (/[\r\n]/.test(error.message) || !/\. Fix: \S/.test(error.message)) {
      return { outcome: { id: spec.id, generated: false, status: "other", detail: `refusal is not one line with a fix: ${oneLine(error.message)}`, warnings }, sources: [], bytes: 0 };
    }
    let why: string | undefined;
    try {
      why = await invalidity(text, spec.id);
    } catch (judgeError) {
      const message = judgeError instanceof Error ? judgeError.message : String(judgeError);
      return { outcome: { id: spec.id, generated: false, status: "other", detail: `refused, and the validity check failed (${oneLine(message)}): ${error.message}`, warnings }, sources: [], bytes: 0 };
    }
    const outcome: Outcome =
      why === undefined
        ? { id: spec.id, generated: false, status: "other", detail: `valid document refused: ${error.message}`, warnings }
        : { id: spec.id, generated: false, status: "clean error", detail: `${error.message} (invalid: ${why})`, warnings };
    return { outcome, sources: [], bytes: 0 };
  } finally {
    Object.assign(console, saved);
  }
}

/** "heyapi/full.json.gz" → "heyapi/full.json.gz.out" (the output folder: distinct for full.json and full.yaml). */
function outDirOf(id: string): string {
  return `${id}.out`;
}

function render(d: ts.Diagnostic, workDir: string): string {
  const message = ts.flattenDiagnosticMessageText(d.messageText, " ");
  if (!d.file || d.start === undefined) return `TS${d.code}: ${message}`;
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  const source = d.file.text.split("\n")[line]?.trim() ?? "";
  return `${relative(workDir, d.file.fileName)}:${line + 1}:${character + 1}: TS${d.code}: ${oneLine(message)} [${source.slice(0, 160)}]`;
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ");
}

/** `N specs, G generated, C compiled clean, E clean errors, X other` */
export function summaryLine(outcomes: readonly Outcome[]): string {
  const count = (f: (o: Outcome) => boolean) => outcomes.filter(f).length;
  return `${outcomes.length} specs, ${count((o) => o.generated)} generated, ${count((o) => o.status === "compiled")} compiled clean, ${count((o) => o.status === "clean error")} clean errors, ${count((o) => o.status === "other")} other`;
}
