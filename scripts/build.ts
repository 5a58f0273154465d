/**
 * `npm run build`: compiles the package entry (src/index.ts) and everything it imports to
 * ESM JavaScript and declarations under dist/, keeping the src/ + generated/ layout.
 *
 *   tsx scripts/build.ts                    # → dist/
 *   tsx scripts/build.ts --out-dir <dir>    # → <dir>/ (tests build into a temp folder)
 *
 * tsc emits nothing for hand-written declaration files such as generated/dify/schema.d.ts,
 * yet the emitted client.d.ts imports it (`./schema.js`): every .d.ts of the project that the
 * program uses is copied beside the emitted files.
 */
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const CONFIG = join(projectRoot, "tsconfig.build.json");

export interface BuildResult {
  outDir: string;
  /** Paths relative to outDir, sorted. */
  files: string[];
}

export function build(outDirArg?: string): BuildResult {
  const outDir = resolve(outDirArg ?? join(projectRoot, "dist"));
  // rm -rf of a mistyped --out-dir must not take the project (or its parents) with it.
  if (projectRoot === outDir || projectRoot.startsWith(outDir + sep)) {
    throw new Error(`refusing to build into ${outDir}: it contains the project`);
  }

  const parsed = ts.getParsedCommandLineOfConfigFile(CONFIG, { outDir, noEmitOnError: true }, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(format([diagnostic]));
    },
  });
  if (!parsed) throw new Error(`could not read ${CONFIG}`);
  if (parsed.errors.length > 0) throw new Error(format(parsed.errors));

  // A stale file from an earlier layout (a deleted module) must not be packed.
  rmSync(outDir, { recursive: true, force: true });
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  const emitted = program.emit();
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics];
  if (diagnostics.length > 0 || emitted.emitSkipped) throw new Error(format(diagnostics));

  const rootDir = parsed.options.rootDir ?? projectRoot;
  for (const file of program.getSourceFiles()) {
    if (!file.isDeclarationFile || program.isSourceFileFromExternalLibrary(file) || program.isSourceFileDefaultLibrary(file)) continue;
    const from = resolve(file.fileName);
    const rel = relative(rootDir, from);
    // node_modules declarations (@types) are not ours to ship.
    if (rel.startsWith("..") || isAbsolute(rel) || rel.split(sep).includes("node_modules")) continue;
    mkdirSync(dirname(join(outDir, rel)), { recursive: true });
    copyFileSync(from, join(outDir, rel));
  }

  return { outDir, files: listFiles(outDir) };
}

function listFiles(dir: string, base = dir): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? listFiles(path, base) : [relative(base, path).split(sep).join("/")];
    })
    .sort();
}

function format(diagnostics: readonly ts.Diagnostic[]): string {
  return ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (name) => name,
    getCurrentDirectory: () => projectRoot,
    getNewLine: () => "\n",
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const at = args.indexOf("--out-dir");
  const outDir = at >= 0 ? args[at + 1] : undefined;
  if (at >= 0 && outDir === undefined) {
    console.error("error: --out-dir needs a folder. Fix: tsx scripts/build.ts --out-dir <dir>");
    process.exit(2);
  }
  try {
    const started = performance.now();
    const result = build(outDir);
    const bytes = result.files.reduce((sum, file) => sum + statSync(join(result.outDir, file)).size, 0);
    console.log(
      `built ${result.files.length} files (${(bytes / 1024).toFixed(1)} kB) into ${relative(process.cwd(), result.outDir) || "."} ` +
        `in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
