/**
 * A spec is input from outside. Property test (fast-check, shrinking): specs
 * whose every string field is hostile (comment terminators, backticks, `${`,
 * quotes, backslashes, line and paragraph separators, `</script>`,
 * `__proto__`, emoji, code) generate files that parse and, when imported,
 * only define the module: injected code would set a global flag. The clients
 * of all runs then compile under the strict settings, in one program.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import ts from "typescript";
import { stringify } from "yaml";
import { generateClient } from "../../src/codegen/generate.js";
import { writeFiles } from "../../src/codegen/output.js";
import { projectRoot } from "../e2e/sandbox.js";
import { typeCheck } from "../e2e/typecheck.js";

declare global {
  var __pwned: unknown;
}

const PAYLOADS = [
  "*/", "/*", "//", "`", "${", "}", "'", '"', "\\", "\n", "\r\n", "\u2028", "\u2029", "</script>", "<!--",
  "__proto__", "constructor", "prototype", "🎉", "\u0000", "globalThis.__pwned = 1;", "*/ globalThis.__pwned = 2; /*",
  '"; globalThis.__pwned = 3; "', "`; globalThis.__pwned = 4; `", "${globalThis.__pwned = 5}", "\n@param x */ globalThis.__pwned = 6; /**",
];
const hostile = fc.array(fc.oneof(fc.constantFrom(...PAYLOADS), fc.string({ maxLength: 4 })), { minLength: 1, maxLength: 5 }).map((parts) => parts.join(""));
// Braces would make path parameters (another test's subject); a bare "%" is not a valid URL path.
const pathText = hostile.map((text) => text.replace(/[{}?#]/g, "_").replace(/%/g, "_"));

const specArbitrary = fc.record({
  title: hostile,
  server: hostile,
  ops: fc.uniqueArray(
    fc.record({
      path: pathText,
      method: fc.constantFrom("get", "post", "delete", "put"),
      operationId: fc.option(hostile, { nil: undefined }),
      summary: fc.option(hostile, { nil: undefined }),
      description: hostile,
      param: hostile,
      enumValues: fc.uniqueArray(hostile, { minLength: 1, maxLength: 3 }),
      property: hostile,
      deprecated: fc.boolean(),
    }),
    { minLength: 1, maxLength: 3, selector: (op) => `${op.method} ${op.path}` },
  ),
});

type SpecInput = typeof specArbitrary extends fc.Arbitrary<infer T> ? T : never;

function toSpec(input: SpecInput): unknown {
  const paths: Record<string, Record<string, unknown>> = {};
  // operationIds must be unique (the generator refuses duplicates, which is another test's subject).
  const operationIds = new Set<string>();
  input.ops.forEach((op, i) => {
    const path = `/r${i}/${op.path}/{id}`;
    paths[path] ??= {};
    const operationId = op.operationId === undefined ? undefined : operationIds.has(op.operationId) ? `${op.operationId}_${i}` : op.operationId;
    if (operationId !== undefined) operationIds.add(operationId);
    paths[path][op.method] = {
      ...(operationId !== undefined && { operationId }),
      ...(op.summary !== undefined && { summary: op.summary }),
      description: op.description,
      deprecated: op.deprecated,
      parameters: [
        { name: "id", in: "path", required: true, description: op.description, schema: { type: "string" } },
        { name: op.param, in: "query", description: op.description, schema: { type: "string", enum: op.enumValues } },
      ],
      ...(op.method !== "get" && {
        requestBody: {
          description: op.description,
          content: { "application/json": { schema: { type: "object", properties: { [`b_${op.property}`]: { type: ["string", "null"], description: op.description } } } } },
        },
      }),
      responses: {
        "200": {
          description: op.description,
          content: { "application/json": { schema: { type: "object", properties: { [op.property]: { type: "string", enum: op.enumValues } } } } },
        },
      },
    };
  });
  return { openapi: "3.1.0", info: { title: input.title, version: "1", description: input.title }, servers: [{ url: input.server }], paths };
}

const workDir = join(projectRoot, ".vitest-tmp", `hostile-${process.pid}`);
afterAll(() => rm(workDir, { recursive: true, force: true }));

/** Each run writes to fresh folders: a module once imported stays cached under its path. */
let runCount = 0;
const generated: string[] = [];

/** Syntax errors only (no program): cheap enough to run for every spec fast-check tries, shrinking included. */
function syntaxErrors(file: string, text: string): string[] {
  // As a .ts file: transpileModule emits nothing for a .d.ts and fails.
  const { diagnostics = [] } = ts.transpileModule(text, { fileName: file.replace(/\.d\.ts$/, ".ts"), reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } });
  return diagnostics.map((d) => `${file}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
}

/** Generates the spec's client, which must parse and, imported and used, run nothing from the spec. */
async function generatedClientIsInert(sample: SpecInput): Promise<void> {
  const dir = join(workDir, `r${runCount++}`);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "spec.yaml"), stringify(toSpec(sample)));
  const files = await generateClient(projectRoot, { name: "hostile", spec: join(dir, "spec.yaml"), names: join(dir, "names.json"), out: join(dir, "out") });
  await writeFiles(projectRoot, files);
  for (const file of files.filter((f) => f.path.endsWith(".ts"))) expect(syntaxErrors(file.path, file.content)).toEqual([]);
  const client = join(dir, "out", "client.ts");

  globalThis.__pwned = undefined;
  const module = (await import(pathToFileURL(client).href)) as Record<string, unknown>;
  expect(typeof module["createHostileClient"]).toBe("function");
  // Touching the operation index and a client must not run spec text either.
  expect(Object.keys(module["hostileOperations"] as object).length).toBeGreaterThan(0);
  (module["createHostileClient"] as (o: { apiKey: string; baseUrl: string }) => unknown)({ apiKey: "k", baseUrl: "https://example.test" });
  expect(globalThis.__pwned).toBeUndefined();
  generated.push(client);
}

describe("hostile specs", () => {
  it("generate clients that parse and do nothing when imported (property; a failure shrinks to the smallest spec)", async () => {
    await fc.assert(fc.asyncProperty(specArbitrary, generatedClientIsInert), { numRuns: 30 });
  });

  it("generate clients that compile under the strict settings", () => {
    // One program for every client the property generated: a program per spec would take minutes.
    expect(generated.length).toBeGreaterThan(0);
    expect(typeCheck(generated)).toEqual([]);
  });
});
