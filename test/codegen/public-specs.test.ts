/**
 * The generator on real public specs (copies in bench/specs/, shared with `npm run bench`):
 * every operation of the spec reaches the facade, and the output compiles with the
 * project's strict settings with zero errors.
 *
 * Petstore runs in every `npm test` (~3 s). OpenAI (3 MB, 288 operations) and Stripe (4 MB,
 * 468 operations) take 7–12 s and ~700 MB each on a 2-core machine, so they are opt-in:
 *
 *   npm run test:large      (LARGE_SPECS=1 vitest run test/codegen/public-specs.test.ts)
 *
 * Output goes under .vitest-tmp/ (gitignored) inside the project, so the facade's relative
 * import of src/runtime/index.js and the runtime's openapi-fetch resolve as in generated/.
 */
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateClient } from "../../src/codegen/generate.js";
import { writeFiles } from "../../src/codegen/output.js";
import { projectRoot } from "../e2e/sandbox.js";
import { typeCheck } from "../e2e/typecheck.js";

interface PublicSpec {
  /** Client name, also the output folder. */
  name: string;
  /** Relative to the project root, as a user would pass it. */
  spec: string;
}

const DEFAULT_SPECS: PublicSpec[] = [{ name: "petstore", spec: "bench/specs/petstore.yaml" }];
const LARGE_SPECS: PublicSpec[] = [
  { name: "openai", spec: "bench/specs/openai-openapi.yaml" },
  { name: "stripe", spec: "bench/specs/stripe-spec3.yaml" },
];
const LARGE_TIMEOUT_MS = 10 * 60_000;

/** HTTP methods an OpenAPI path item may hold (OpenAPI 3.1 §4.8.9). */
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

let workDir: string;
beforeAll(async () => {
  await mkdir(join(projectRoot, ".vitest-tmp"), { recursive: true });
  workDir = await mkdtemp(join(projectRoot, ".vitest-tmp", "public-specs-"));
});
afterAll(() => rm(workDir, { recursive: true, force: true }));

/** "METHOD /path" of every operation in the spec, read with the generator's own reader. */
async function specOperations(spec: string): Promise<string[]> {
  const { readSpec } = await import("../../src/codegen/spec-document.js");
  const { data } = await readSpec(join(projectRoot, spec), "openapi", spec);
  return Object.entries(data.paths ?? {}).flatMap(([path, item]) =>
    Object.keys(item ?? {})
      .filter((key) => METHODS.includes(key))
      .map((method) => `${method.toUpperCase()} ${path}`),
  );
}

async function generatesAndCompiles({ name, spec }: PublicSpec): Promise<void> {
  const out = join(workDir, name);
  const files = await generateClient(projectRoot, { name, spec, out: relative(projectRoot, out), names: relative(projectRoot, join(out, "names.json")) });
  await writeFiles(projectRoot, files);

  // Nothing dropped: the facade's operation index holds exactly the spec's operations.
  const module = (await import(pathToFileURL(join(out, "client.ts")).href)) as Record<string, unknown>;
  const index = module[`${name}Operations`] as Record<string, { method: string; path: string }>;
  const facadeOperations = Object.values(index).map((op) => `${op.method} ${op.path}`);
  expect(facadeOperations.sort()).toEqual((await specOperations(spec)).sort());
  expect(JSON.parse(await readFile(join(out, "names.json"), "utf8")).names).toBeTypeOf("object");

  // Strict: noUncheckedIndexedAccess, exactOptionalPropertyTypes, verbatimModuleSyntax (test/e2e/typecheck.ts).
  expect(typeCheck([join(out, "client.ts")])).toEqual([]);
}

// The large ones are added only on request, so the default run neither runs nor skips them.
const SPECS = process.env["LARGE_SPECS"] === "1" ? [...DEFAULT_SPECS, ...LARGE_SPECS] : DEFAULT_SPECS;

describe("public specs", () => {
  for (const spec of SPECS) {
    it(`${spec.spec} generates a client that covers every operation and compiles strictly`, () => generatesAndCompiles(spec), LARGE_TIMEOUT_MS);
  }
});
