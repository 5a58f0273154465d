/**
 * `npm run size` (and `npm run bench`): what the client costs an app's browser bundle.
 *
 * Builds the package (as `npm run build` does, into node_modules/.cache so dist/ is left alone),
 * bundles small consumer entries with esbuild the way an app's bundler would (ESM, browser,
 * minified, tree-shaken), gzips each bundle and prints a table against the targets of issue 5.
 * Exits 1 when a bundle is over its target.
 */
import { rmSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { build as bundle, transform, type BuildOptions } from "esbuild";
import { build } from "./build.js";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
// Inside the project, so the bundle resolves openapi-fetch from node_modules like an app does.
const outDir = join(projectRoot, "node_modules/.cache/dify-service-size");
const entry = join(outDir, "src/index.js");
const KB = 1000;

interface Case {
  name: string;
  /** The consumer module, importing the built package entry. */
  source: string;
  /** Maximum gzipped size in bytes; none for reference rows. */
  target?: number;
  /** The one client the bundle uses: it must carry no operation of another client. */
  only?: string;
}

const CASES: Case[] = [
  {
    name: "deleteConversation only (standalone function)",
    source: `import { createChatflowConfig, deleteConversation } from ${JSON.stringify(entry)};
await deleteConversation(createChatflowConfig({ apiKey: "k" }), "c1", { user: "u" });`,
    target: 5 * KB,
  },
  {
    name: "whole client (createChatflowClient)",
    source: `import { createChatflowClient } from ${JSON.stringify(entry)};
await createChatflowClient({ apiKey: "k" }).deleteConversation("c1", { user: "u" });`,
    target: 12 * KB,
  },
  {
    name: "workflow client only (createWorkflowClient)",
    source: `import { createWorkflowClient } from ${JSON.stringify(join(outDir, "src/workflow.js"))};
await createWorkflowClient({ apiKey: "k" }).runWorkflow({ inputs: {}, user: "u" });`,
    // No size target of its own: what it must show is that no other client's operation came along.
    only: "workflow",
  },
  { name: "everything the package exports", source: `export * from ${JSON.stringify(entry)};` },
  {
    name: "baseline: openapi-fetch alone",
    source: `import createClient from "openapi-fetch";
export const client = createClient({ baseUrl: "https://api.dify.ai/v1" });`,
  },
];

interface Measured {
  name: string;
  minified: number;
  gzipped: number;
  target: number | undefined;
  /** How many of the API's paths the bundle carries: tree-shaking made visible. */
  operations: number;
  /** With `only`: paths of operations the client does not have (another client's code). */
  foreign: string[];
  only: string | undefined;
}

/** How an app's bundler would build the consumer. */
function bundleOptions(testCase: Case) {
  return {
    stdin: { contents: testCase.source, resolveDir: projectRoot, loader: "js", sourcefile: "consumer.js" },
    bundle: true,
    minify: true,
    treeShaking: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    metafile: true,
    logLevel: "silent",
  } satisfies BuildOptions;
}

// Level 9, what CDNs and size badges use; the default (6) differs by a few bytes.
const gzipped = (code: Uint8Array) => gzipSync(code, { level: 9 }).length;

async function measure(testCase: Case, paths: string[], indexes: Record<string, Record<string, { path: string }>>): Promise<Measured> {
  const result = await bundle(bundleOptions(testCase));
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  const text = new TextDecoder().decode(code);
  return {
    name: testCase.name,
    minified: code.length,
    gzipped: gzipped(code),
    target: testCase.target,
    operations: paths.filter((path) => text.includes(JSON.stringify(path))).length,
    foreign: testCase.only === undefined ? [] : foreignPaths(text, paths, indexes[`${testCase.only}Operations`] ?? {}),
    only: testCase.only,
  };
}

/**
 * What each module's own code costs the gzipped bundle. Gzip sizes do not add up per module (one module's
 * words compress against another's), so each is measured as a saving: the same bundle, with whitespace kept
 * (esbuild then marks where each module starts), has that module's statements cut out, is minified the rest of
 * the way and gzipped, against the whole bundle treated the same way.
 */
async function ownCosts(testCase: Case): Promise<{ file: string; minified: number; gzipSaved: number }[]> {
  const result = await bundle({ ...bundleOptions(testCase), minify: false, minifySyntax: true, minifyIdentifiers: true });
  const text = result.outputFiles[0]?.text ?? "";
  const inputs = new Set(Object.keys(Object.values(result.metafile.outputs)[0]?.inputs ?? {}));
  // `// node_modules/openapi-fetch/dist/index.mjs` opens each module's part of the output.
  const parts: { file: string; code: string }[] = [];
  for (const line of text.split("\n")) {
    const file = line.startsWith("// ") ? line.slice(3) : undefined;
    if (file !== undefined && inputs.has(file)) parts.push({ file, code: "" });
    else if (parts.length > 0) parts.at(-1)!.code += `${line}\n`;
  }
  const squeeze = async (code: string) => gzipped(new TextEncoder().encode((await transform(code, { minifyWhitespace: true, format: "esm" })).code));
  const whole = await squeeze(parts.map((part) => part.code).join(""));
  const costs = [];
  for (const part of parts.filter((p) => p.file !== "consumer.js")) {
    const rest = parts.filter((other) => other !== part).map((other) => other.code).join("");
    const minified = (await transform(part.code, { minifyWhitespace: true, format: "esm" })).code.length;
    costs.push({ file: part.file, minified, gzipSaved: whole - (await squeeze(rest)) });
  }
  return costs.sort((a, b) => b.gzipSaved - a.gzipSaved);
}

/** Paths in the bundle that the client's own operation index does not list. */
function foreignPaths(text: string, paths: string[], own: Record<string, { path: string }>): string[] {
  const ownPaths = new Set(Object.values(own).map((operation) => operation.path));
  return paths.filter((path) => !ownPaths.has(path) && text.includes(JSON.stringify(path)));
}

/** `node_modules/.cache/dify-service-size/src/runtime/call.js` → `runtime/call.js`, `node_modules/x/dist/y.js` → `x`. */
function shortName(file: string): string {
  const built = file.split("dify-service-size/")[1];
  if (built !== undefined) return built.replace(/^src\//, "");
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  return dependency?.[1] ?? file;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join("  ")).join("\n");
}

const kb = (bytes: number) => `${(bytes / KB).toFixed(2)} kB`;

async function main(): Promise<number> {
  rmSync(outDir, { recursive: true, force: true });
  build(outDir);
  const exported = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
  // Every client's operation index (chatflowOperations, workflowOperations, …).
  const indexes = Object.fromEntries(Object.entries(exported).filter(([name]) => name.endsWith("Operations"))) as Record<string, Record<string, { path: string }>>;
  const paths = [...new Set(Object.values(indexes).flatMap((index) => Object.values(index).map((operation) => operation.path)))];

  const results: Measured[] = [];
  for (const testCase of CASES) results.push(await measure(testCase, paths, indexes));

  const rows = [["bundle (esbuild: esm, browser, minified)", "minified", "gzip", "target", "", "API paths"]];
  for (const r of results) {
    const met = (r.target === undefined || r.gzipped <= r.target) && r.foreign.length === 0;
    const verdict = r.target === undefined && r.only === undefined ? "" : met ? "pass" : "FAIL";
    rows.push([r.name, kb(r.minified), kb(r.gzipped), r.target === undefined ? "-" : `≤ ${kb(r.target)}`, verdict, r.name.startsWith("baseline") ? "-" : `${r.operations}/${paths.length}`]);
  }
  console.log(table(rows));
  // The package's own modules are the built ones, under outDir; the rest are its dependencies.
  const built = `${relative(projectRoot, outDir)}/`;
  for (const [i, testCase] of CASES.entries()) {
    const r = results[i]!;
    if (r.target === undefined) continue;
    const over = r.gzipped - r.target;
    const costs = await ownCosts(testCase);
    console.log(`\nwhat each module's own code costs "${r.name}" (${kb(r.gzipped)}${over > 0 ? `, over by ${kb(over)}` : ""}): gzip saved by cutting it out`);
    const costRows = [["module", "minified", "gzip saved"]];
    for (const c of costs) costRows.push([shortName(c.file), kb(c.minified), kb(c.gzipSaved)]);
    const oursSaved = costs.filter((c) => c.file.startsWith(built)).reduce((sum, c) => sum + c.gzipSaved, 0);
    costRows.push(["this package's modules, summed", "", kb(oursSaved)]);
    console.log(table(costRows));
    if (over > 0) console.log(`the target needs ${kb(over)} cut: ${Math.round((100 * over) / oursSaved)} % of this package's code in this bundle, with the dependencies left whole`);
  }
  for (const r of results.filter((r) => r.foreign.length > 0)) console.log(`"${r.name}" carries other clients' operations: ${r.foreign.join(", ")}`);
  console.log("kB = 1000 bytes; gzip level 9. openapi-fetch's own README claims 6 kB. API paths: of all six clients' operations.");
  const failed = results.filter((r) => (r.target !== undefined && r.gzipped > r.target) || r.foreign.length > 0);
  return failed.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
