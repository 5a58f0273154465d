/**
 * Request bodies that are not a plain object (nullable, union, array, primitive) and
 * OpenAPI 3.1 operations without `responses`: the model, and a generated client that
 * compiles strictly and accepts the values the spec allows (GitHub, GHES 3.6, DigitalOcean
 * and Intercom send nullable JSON objects; a merged params object cannot be `null`).
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { GeneratorError } from "../../src/codegen/errors.js";
import { generateClient } from "../../src/codegen/generate.js";
import { buildOperationModel, type OperationModel } from "../../src/codegen/operation-model.js";
import { writeFiles } from "../../src/codegen/output.js";
import { parseSpec } from "../../src/codegen/spec-document.js";
import { projectRoot } from "../e2e/sandbox.js";
import { checkOutputs } from "../../scripts/corpus/run-corpus.js";

const named = { type: "object", properties: { name: { type: "string" } } };

/** One POST per body schema, summary = method name. */
function bodiesSpec(openapi: string, bodies: Record<string, unknown>, schemas: Record<string, unknown> = {}): string {
  const paths = Object.fromEntries(
    Object.entries(bodies).map(([name, schema]) => [
      `/${name}`,
      {
        post: {
          summary: name,
          requestBody: { required: true, content: { "application/json": { schema } } },
          responses: { "204": { description: "done" } },
        },
      },
    ]),
  );
  return stringify({ openapi, info: { title: "Bodies", version: "1" }, paths, components: { schemas } });
}

const BODIES_30 = bodiesSpec(
  "3.0.3",
  {
    plainObject: named,
    nullableObject: { ...named, nullable: true },
    nullableByRef: { $ref: "#/components/schemas/MaybeNamed" },
    allOfNullablePart: { allOf: [{ $ref: "#/components/schemas/MaybeNamed" }] },
    arrayBody: { type: "array", items: { type: "string" } },
    primitiveBody: { type: "string" },
    unionBody: { oneOf: [{ type: "string" }, { type: "integer" }] },
  },
  { MaybeNamed: { ...named, nullable: true } },
);

const BODIES_31 = bodiesSpec("3.1.0", {
  typeListWithNull: { type: ["object", "null"], properties: { name: { type: "string" } } },
  nullType: { type: "null" },
});

const model = (file: string, text: string, warn: (line: string) => void = () => {}): Map<string, OperationModel> =>
  new Map(buildOperationModel(parseSpec(file, text, "0"), warn).map((op) => [op.summary!, op]));

describe("request bodies that are not a plain object", () => {
  it.each([
    ["nullableObject", "split", true],
    ["nullableByRef", "split", true],
    ["allOfNullablePart", "split", true],
    ["arrayBody", "split", true],
    ["primitiveBody", "split", true],
    ["unionBody", "split", true],
    // A required body with no required property: `{}` is sent when nothing is given.
    ["plainObject", "merged", false],
  ])("OpenAPI 3.0 %s is taken %s", (name, shape, required) => {
    expect(model("bodies.yaml", BODIES_30).get(name)).toMatchObject({ paramsShape: shape, paramsRequired: required });
  });

  it.each([["typeListWithNull"], ["nullType"]])("OpenAPI 3.1 %s is taken split", (name) => {
    expect(model("bodies.yaml", BODIES_31).get(name)?.paramsShape).toBe("split");
  });
});

const NO_RESPONSES = (openapi: string) =>
  `openapi: ${openapi}\ninfo: {title: T, version: '1'}\npaths:\n  /ping:\n    get:\n      summary: ping\n`;

describe("operations without responses", () => {
  it("OpenAPI 3.1: modelled with no success response, and one warning line with the position and the fix", () => {
    const warnings: string[] = [];
    const op = model("spec.yaml", NO_RESPONSES("3.1.0"), (line) => warnings.push(line)).get("ping")!;
    expect(op.success).toEqual([]);
    expect(warnings).toEqual(["warning: spec.yaml:6:7: GET /ping declares no `responses`, so the type of its result is unknown. Fix: declare its success response"]);
  });

  it("OpenAPI 3.0 requires them: a GeneratorError with the position", () => {
    expect(() => model("spec.yaml", NO_RESPONSES("3.0.3"))).toThrow(GeneratorError);
    expect(() => model("spec.yaml", NO_RESPONSES("3.0.3"))).toThrow(/^spec\.yaml:6:7: the operation has no `responses`\. Fix: /);
  });
});

describe("generated clients with such bodies", () => {
  let workDir: string;
  beforeAll(async () => {
    await mkdir(join(projectRoot, ".vitest-tmp"), { recursive: true });
    workDir = await mkdtemp(join(projectRoot, ".vitest-tmp", "request-bodies-"));
  });
  afterAll(() => rm(workDir, { recursive: true, force: true }));

  async function generate(name: string, text: string): Promise<string> {
    const dir = join(workDir, name);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "spec.yaml"), text);
    const rel = (file: string) => relative(projectRoot, join(dir, file));
    await writeFiles(projectRoot, await generateClient(projectRoot, { name, spec: rel("spec.yaml"), out: rel(""), names: rel("names.json") }));
    return join(dir, "client.ts");
  }

  it("compile strictly and take null, arrays, primitives and unions as the body", async () => {
    const clients = [
      await generate("bodies30", BODIES_30),
      await generate("bodies31", BODIES_31),
      await generate("noResponses", NO_RESPONSES("3.1.0").replace("summary: ping", "summary: ping\n    post:\n      summary: pong\n      responses: {'200': {description: ok}}")),
    ];
    const usage = join(workDir, "usage.ts");
    await writeFile(
      usage,
      [
        `import { createBodies30Client } from "./bodies30/client.js";`,
        `import { createBodies31Client } from "./bodies31/client.js";`,
        `import { createNoResponsesClient } from "./noResponses/client.js";`,
        `export async function use(): Promise<void> {`,
        `  const a = createBodies30Client({ apiKey: "k" });`,
        `  await a.nullableObject({ body: null });`,
        `  await a.nullableObject({ body: { name: "n" } });`,
        `  await a.nullableByRef({ body: null });`,
        `  await a.allOfNullablePart({ body: { name: "n" } });`,
        `  await a.arrayBody({ body: ["x"] });`,
        `  await a.primitiveBody({ body: "text" });`,
        `  await a.unionBody({ body: 1 });`,
        `  await a.unionBody({ body: "one" });`,
        `  await a.plainObject({ name: "n" });`,
        `  // @ts-expect-error a number is not this body`,
        `  await a.primitiveBody({ body: 1 });`,
        `  const b = createBodies31Client({ apiKey: "k" });`,
        `  await b.typeListWithNull({ body: null });`,
        `  await b.typeListWithNull({ body: { name: "n" } });`,
        `  await b.nullType({ body: null });`,
        `  const c = createNoResponsesClient({ apiKey: "k" });`,
        `  await c.ping();`,
        `  await c.pong();`,
        `}`,
      ].join("\n"),
    );
    // The corpus check: strict, noUnusedLocals, exactOptionalPropertyTypes, noUncheckedIndexedAccess, schema.d.ts too.
    expect(checkOutputs(projectRoot, [...clients, usage], [workDir + sep], workDir)).toEqual(new Map([[workDir + sep, []]]));
  }, 60_000);
});
