/** Recursive schemas are valid OpenAPI and must generate; `$ref`s that only point at each other are not. */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { GeneratorError } from "../../src/codegen/errors.js";
import { generateClient } from "../../src/codegen/generate.js";
import { writeFiles } from "../../src/codegen/output.js";
import { projectRoot } from "../e2e/sandbox.js";
import { typeCheck } from "../e2e/typecheck.js";

const dir = join(projectRoot, ".vitest-tmp", `circular-${process.pid}`);
afterAll(() => rm(dir, { recursive: true, force: true }));

function spec(schemas: Record<string, unknown>): string {
  return stringify({
    openapi: "3.0.3",
    info: { title: "Tree", version: "1" },
    paths: {
      "/nodes/{id}": {
        get: {
          summary: "Get Node",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: { "200": { description: "ok", content: { "application/json": { schema: { $ref: "#/components/schemas/Node" } } } } },
        },
        put: {
          summary: "Replace Node",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/Node" } } } },
          responses: { "204": { description: "done" } },
        },
      },
    },
    components: { schemas },
  });
}

async function generate(name: string, text: string) {
  await mkdir(join(dir, name), { recursive: true });
  await writeFile(join(dir, name, "spec.yaml"), text);
  return generateClient(projectRoot, { name: "tree", spec: join(dir, name, "spec.yaml"), names: join(dir, name, "names.json"), out: join(dir, name, "out") });
}

describe("circular schemas", () => {
  it("generates and compiles a self-referencing and a mutually recursive schema", async () => {
    const files = await generate(
      "valid",
      spec({
        Node: { type: "object", required: ["id"], properties: { id: { type: "string" }, children: { type: "array", items: { $ref: "#/components/schemas/Node" } }, owner: { $ref: "#/components/schemas/Owner" } } },
        Owner: { type: "object", properties: { name: { type: "string" }, nodes: { type: "array", items: { $ref: "#/components/schemas/Node" } } } },
      }),
    );
    await writeFiles(projectRoot, files);
    const consumer = join(dir, "valid", "consumer.ts");
    await writeFile(
      consumer,
      [
        'import { createTreeClient } from "./out/client.js";',
        'const client = createTreeClient({ apiKey: "k", baseUrl: "https://tree.test" });',
        "export async function depth(id: string): Promise<number> {",
        "  const node = await client.getNode(id);",
        "  const grandchild: string | undefined = node.children?.[0]?.children?.[0]?.owner?.nodes?.[0]?.id;",
        '  await client.replaceNode(id, { id: "x", children: [{ id: "y", children: [] }] });',
        "  return grandchild ? 2 : 0;",
        "}",
        "",
      ].join("\n"),
    );
    expect(typeCheck([consumer])).toEqual([]);
  });

  it("reports $refs that only point at each other, with a position", async () => {
    const error = await generate("loop", spec({ Node: { $ref: "#/components/schemas/Alias" }, Alias: { $ref: "#/components/schemas/Node" } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GeneratorError);
    expect((error as GeneratorError).message).toMatch(/spec\.yaml:\d+:\d+: \$ref "#\/components\/schemas\/(Node|Alias)" refers to itself in a loop\. Fix: /);
    expect((error as GeneratorError).message).not.toContain("\n");
  });
});
