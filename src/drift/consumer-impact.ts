/**
 * Consumer impact: type-checks a consumer project (its own tsconfig.json)
 * against the client generated from the base and from the head, and lists
 * the call sites that only the head breaks, as `file:line: message`.
 *
 * Nothing is written anywhere: a CompilerHost serves the generated
 * files (schema.d.ts, operations.ts, the facades) from memory at their place in the project, and module
 * resolution sends the consumer's imports of this package (by name, through
 * node_modules, or into dist/) to the project's sources, so however the
 * consumer reaches the client it gets the regenerated one.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";
import { GeneratorError } from "../codegen/errors.js";
import type { GeneratedSide } from "./generate-side.js";

export interface ConsumerImpact {
  /** The consumer's tsconfig.json, as given. */
  tsconfig: string;
  /** Call sites that compile against the base and break against the head: `src/app.ts:12: message`. */
  errors: string[];
  /** Errors the consumer has against the base client already (not caused by this change). */
  preexisting: number;
}

/** A consumer project, its tsconfig read and checked before anything is generated. */
export interface Consumer {
  /** The tsconfig.json as given. */
  tsconfig: string;
  dir: string;
  config: ts.ParsedCommandLine;
}

export function loadConsumer(tsconfig: string, cwd: string): Consumer {
  const configPath = resolve(cwd, tsconfig);
  return { tsconfig, dir: dirname(configPath), config: readConsumerConfig(tsconfig, configPath) };
}

export interface ConsumerImpactInput {
  /** The project root (where package.json and src/ are). */
  root: string;
  /** Output folder of the client, relative to the root (generated/chatflow). */
  out: string;
  consumer: Consumer;
  base: GeneratedSide;
  head: GeneratedSide;
}

export function consumerImpact(input: ConsumerImpactInput): ConsumerImpact {
  const { dir: consumerDir, config: parsed } = input.consumer;
  const redirects = packageEntries(input.root);

  // Both checks share every parsed file but the two generated ones (lib.dom.d.ts alone is 1 MB).
  const parsedFiles = new Map<string, ts.SourceFile>();
  let oldProgram: ts.Program | undefined;
  const check = (side: GeneratedSide) => {
    const host = consumerHost(parsed.options, input.root, input.out, side, redirects, parsedFiles);
    const program = ts.createProgram({ rootNames: parsed.fileNames, options: { ...parsed.options, noEmit: true }, host, ...(oldProgram && { oldProgram }) });
    oldProgram = program;
    // Only the consumer's own files are checked: the project's sources and the generated client are not its call sites.
    const files = program.getSourceFiles().filter((f) => isConsumerFile(f.fileName, consumerDir));
    return files
      .flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)])
      .filter((d) => d.category === ts.DiagnosticCategory.Error)
      .map((d) => {
        const where = location(d, consumerDir);
        return { text: `${where}: ${conciseMessage(d.messageText)}`, key: `${where}: TS${d.code}` };
      });
  };
  // A line that already failed with the same error code against the base is not this change's doing,
  // even when the message differs (the type it names changed too).
  const before = check(input.base);
  const known = new Set(before.map((e) => e.key));
  const errors = [...new Set(check(input.head).filter((e) => !known.has(e.key)).map((e) => e.text))];
  return { tsconfig: input.consumer.tsconfig, errors, preexisting: new Set(before.map((e) => e.text)).size };
}

function readConsumerConfig(given: string, configPath: string): ts.ParsedCommandLine {
  const read = ts.readConfigFile(configPath, ts.sys.readFile);
  if (read.error) {
    const message = ts.flattenDiagnosticMessageText(read.error.messageText, " ");
    throw new GeneratorError(given, undefined, `cannot read the consumer's tsconfig (${message})`, "pass --consumer the tsconfig.json of the project that calls the client");
  }
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(configPath), undefined, configPath);
  const fatal = parsed.errors.find((e) => e.category === ts.DiagnosticCategory.Error);
  if (fatal) {
    throw new GeneratorError(given, undefined, ts.flattenDiagnosticMessageText(fatal.messageText, " "), "correct the consumer's tsconfig.json so that `tsc -p` accepts it");
  }
  return parsed;
}

/** The package's public specifiers (`dify-chatflow-client`, `dify-chatflow-client/chatflow`) → the source file behind their types. */
function packageEntries(root: string): Map<string, string> {
  const entries = new Map<string, string>();
  const manifest = join(root, "package.json");
  if (!existsSync(manifest)) return entries;
  const pkg = JSON.parse(readFileSync(manifest, "utf8")) as { name?: string; types?: string; exports?: Record<string, unknown> };
  if (!pkg.name) return entries;
  const add = (subpath: string, types: unknown) => {
    if (typeof types !== "string") return;
    const source = sourceForDeclaration(root, resolve(root, types));
    if (source) entries.set(subpath === "." ? pkg.name! : `${pkg.name}/${subpath.replace(/^\.\//, "")}`, source);
  };
  add(".", pkg.types);
  for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
    add(subpath, typeof target === "object" && target !== null ? (target as Record<string, unknown>)["types"] : undefined);
  }
  return entries;
}

/** `<root>/dist/src/index.d.ts` → `<root>/src/index.ts`, when the source exists (the build keeps the layout). */
function sourceForDeclaration(root: string, file: string): string | undefined {
  const dist = join(root, "dist") + sep;
  if (!file.startsWith(dist)) return undefined;
  const source = join(root, file.slice(dist.length)).replace(/\.d\.([mc]?)ts$/, ".$1ts");
  return existsSync(source) ? source : undefined;
}

function consumerHost(options: ts.CompilerOptions, root: string, out: string, side: GeneratedSide, redirects: ReadonlyMap<string, string>, parsedFiles: Map<string, ts.SourceFile>): ts.CompilerHost {
  const host = ts.createCompilerHost(options, true);
  const virtual = new Map([...side.files].map(([name, text]) => [resolve(root, out, name), text]));
  const { readFile, fileExists, getSourceFile } = host;
  host.readFile = (file) => virtual.get(resolve(file)) ?? readFile.call(host, file);
  host.fileExists = (file) => virtual.has(resolve(file)) || fileExists.call(host, file);
  host.getSourceFile = (file, language, onError, create) => {
    const text = virtual.get(resolve(file));
    if (text !== undefined) return ts.createSourceFile(file, text, language);
    const key = `${file}\u0000${JSON.stringify(language)}`;
    let parsedFile = parsedFiles.get(key);
    if (!parsedFile) {
      parsedFile = getSourceFile.call(host, file, language, onError, create);
      if (parsedFile) parsedFiles.set(key, parsedFile);
    }
    return parsedFile;
  };
  const cache = ts.createModuleResolutionCache(host.getCurrentDirectory(), (f) => host.getCanonicalFileName(f), options);
  host.resolveModuleNameLiterals = (literals, containingFile, redirected, compilerOptions, containingSourceFile) =>
    literals.map((literal) => {
      const redirect = redirects.get(literal.text);
      if (redirect) return { resolvedModule: { resolvedFileName: redirect, extension: ts.Extension.Ts, isExternalLibraryImport: false } };
      const mode = ts.getModeForUsageLocation(containingSourceFile, literal, compilerOptions);
      const resolved = ts.resolveModuleName(literal.text, containingFile, compilerOptions, host, cache, redirected, mode);
      const file = resolved.resolvedModule?.resolvedFileName;
      const source = file === undefined ? undefined : sourceForDeclaration(root, resolve(file));
      return source ? { resolvedModule: { resolvedFileName: source, extension: ts.Extension.Ts, isExternalLibraryImport: false } } : resolved;
    });
  return host;
}

function isConsumerFile(file: string, consumerDir: string): boolean {
  const path = relative(consumerDir, resolve(file));
  return !path.startsWith("..") && !path.split(/[\\/]/).includes("node_modules");
}

/**
 * The first and the most specific line of a diagnostic chain: "No overload
 * matches this call. … Property 'inputs' is missing in type …". The whole
 * chain repeats every overload's parameter types and runs to pages.
 */
function conciseMessage(message: string | ts.DiagnosticMessageChain): string {
  if (typeof message === "string") return message;
  let leaf = message;
  while (leaf.next?.[0]) leaf = leaf.next[0];
  return leaf === message ? message.messageText : `${message.messageText} … ${leaf.messageText}`;
}

/** `src/app.ts:12`, relative to the consumer's folder. */
function location(d: ts.Diagnostic, consumerDir: string): string {
  const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
  return `${relative(consumerDir, resolve(d.file!.fileName)).split(sep).join("/")}:${line + 1}`;
}
