/**
 * A sample of the spec corpus (test/fixtures/corpus/) through the same code path as
 * `npm run test:corpus` (scripts/corpus/run-corpus.ts): generated in-process under
 * .vitest-tmp/ inside the project, then one strict program (noUnusedLocals,
 * exactOptionalPropertyTypes, noUncheckedIndexedAccess, schema.d.ts checked too).
 * The whole corpus, GitHub's 1,223 operations included, takes about a minute: `npm run test:corpus`.
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listCorpus, runCorpus, summaryLine, type Outcome } from "../../scripts/corpus/run-corpus.js";
import { projectRoot } from "../e2e/sandbox.js";

/**
 * Small specs from four generators' fixtures: path-level parameters, $ref'd request bodies, a 3.1
 * operation without responses, multipart and form bodies, `$ref`s deep into schemas and paths, a
 * document with components and no operation.
 */
const COMPILE_CLEAN = [
  "kubb/petStore.yaml.gz",
  "heyapi/3.1.x_ref-deep.yaml.gz",
  "orval/components-only.yaml.gz",
  "orval/split-by-content-type.yaml.gz",
  "heyapi/3.0.x_components-request-bodies.json.gz",
  "openapi-typescript/simple-example.yaml.gz",
  "orval/petstore.yaml.gz",
];
/** An invalid document (two operations share an operationId): refused with one line, not compiled. */
const CLEAN_ERROR = "heyapi/3.1.x_invalid_operationId-unique.yaml.gz";

let workDir: string;
let outcomes: Map<string, Outcome>;
let summary: string;

beforeAll(async () => {
  await mkdir(join(projectRoot, ".vitest-tmp"), { recursive: true });
  workDir = await mkdtemp(join(projectRoot, ".vitest-tmp", "corpus-sample-"));
  const wanted = new Set([...COMPILE_CLEAN, CLEAN_ERROR]);
  const specs = (await listCorpus(join(projectRoot, "test/fixtures/corpus"))).filter((s) => wanted.has(s.id));
  expect(specs.map((s) => s.id).sort()).toEqual([...wanted].sort());
  const list = await runCorpus(projectRoot, workDir, specs);
  outcomes = new Map(list.map((o) => [o.id, o]));
  summary = summaryLine(list);
}, 60_000);
afterAll(() => rm(workDir, { recursive: true, force: true }));

describe("corpus sample", () => {
  it.each(COMPILE_CLEAN)("%s generates and compiles clean", (id) => {
    const outcome = outcomes.get(id)!;
    expect({ generated: outcome.generated, status: outcome.status, detail: outcome.detail }).toEqual({ generated: true, status: "compiled", detail: undefined });
  });

  it("the 3.1 operation without responses is generated with one warning line, not refused", () => {
    expect(outcomes.get("openapi-typescript/simple-example.yaml.gz")!.warnings).toEqual([
      expect.stringMatching(/^warning: \S+simple-example\.yaml:\d+:\d+: GET \/ declares no `responses`, so the type of its result is unknown\. Fix: /),
    ]);
  });

  it(`${CLEAN_ERROR} is a clean error: one GeneratorError line, and the document is invalid`, () => {
    const outcome = outcomes.get(CLEAN_ERROR)!;
    expect(outcome).toMatchObject({ generated: false, status: "clean error" });
    expect(outcome.detail).toMatch(/is also the operationId of .*Fix: .*\(invalid: operation-operationId-unique: /);
  });

  it("prints the summary line", () => {
    expect(summary).toBe("8 specs, 7 generated, 7 compiled clean, 1 clean errors, 0 other");
  });
});
