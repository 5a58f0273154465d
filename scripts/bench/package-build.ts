/**
 * The package as it ships (what `npm run build` puts in dist/: tsc's JavaScript and
 * declarations of src/index.ts and everything it imports, plus generated .d.ts files),
 * built into the bench's scratch folder so dist/ is left alone. The type-check section
 * reads its declarations; the runtime section runs its JavaScript, not tsx-transformed sources.
 */
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import ts from "typescript";
import { cacheDir, projectRoot } from "./child.js";

export const packageDir = join(cacheDir, "package");

/** The project's compiler settings (tsconfig.json) with the build's: no Node types in what ships. */
const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ["lib.es2022.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
  types: [],
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  verbatimModuleSyntax: true,
  skipLibCheck: true,
  declaration: true,
  rootDir: projectRoot,
  outDir: packageDir,
};

let built = false;

/** Builds once per bench run; a type error in the package fails the bench (there is nothing valid to measure). */
export function buildPackage(): string {
  if (built) return packageDir;
  rmSync(packageDir, { recursive: true, force: true });
  const program = ts.createProgram([join(projectRoot, "src/index.ts")], OPTIONS);
  const emitted = program.emit();
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics];
  if (diagnostics.length > 0 || emitted.emitSkipped) {
    const host = { getCanonicalFileName: (f: string) => f, getCurrentDirectory: () => projectRoot, getNewLine: () => "\n" };
    throw new Error(`building the package failed:\n${ts.formatDiagnostics(diagnostics, host)}`);
  }
  // tsc emits nothing for .d.ts inputs such as generated/chatflow/schema.d.ts, yet client.d.ts imports it.
  for (const file of program.getSourceFiles()) {
    if (!file.isDeclarationFile || program.isSourceFileDefaultLibrary(file) || program.isSourceFileFromExternalLibrary(file)) continue;
    const rel = relative(projectRoot, resolve(file.fileName));
    if (rel.startsWith("..") || isAbsolute(rel) || rel.split(sep).includes("node_modules")) continue;
    mkdirSync(dirname(join(packageDir, rel)), { recursive: true });
    copyFileSync(file.fileName, join(packageDir, rel));
  }
  built = true;
  return packageDir;
}
