/**
 * A spec is input from outside. Property test: specs whose every string field
 * is hostile (comment terminators, backticks, `${`, quotes, backslashes, line
 * and paragraph separators, `</script>`, `__proto__`, emoji, code) generate
 * files that compile under the strict settings and, when imported, only
 * define the module: injected code would set a global flag.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
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
  input.ops.forEach((op, i) => {
    const path = `/r${i}/${op.path}/{id}`;
    paths[path] ??= {};
    paths[path][op.method] = {
      ...(op.operationId !== undefined && { operationId: op.operationId }),
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

describe("hostile specs", () => {
  it("generate clients that compile and do nothing when imported", async () => {
    // One compile for all samples: a TypeScript program per sample would take minutes.
    const samples = fc.sample(specArbitrary, { numRuns: 30, seed: 20261129 });
    const clients: string[] = [];
    for (const [i, sample] of samples.entries()) {
      const dir = join(workDir, `s${i}`);
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, "spec.yaml"), stringify(toSpec(sample)));
      const files = await generateClient(projectRoot, { name: "hostile", spec: join(dir, "spec.yaml"), names: join(dir, "names.json"), out: join(dir, "out") });
      await writeFiles(projectRoot, files);
      clients.push(join(dir, "out", "client.ts"));
    }
    expect(typeCheck(clients)).toEqual([]);

    globalThis.__pwned = undefined;
    for (const client of clients) {
      const module = (await import(pathToFileURL(client).href)) as Record<string, unknown>;
      expect(typeof module["createHostileClient"]).toBe("function");
      // Touching the operation index and a client must not run spec text either.
      expect(Object.keys(module["hostileOperations"] as object).length).toBeGreaterThan(0);
      (module["createHostileClient"] as (o: { apiKey: string; baseUrl: string }) => unknown)({ apiKey: "k", baseUrl: "https://example.test" });
    }
    expect(globalThis.__pwned).toBeUndefined();
  });
});
