/**
 * openapi-typescript decodes path keys and operationIds as JSON pointers:
 * a "%" there must neither crash generation nor reach the user as "URI malformed".
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { GeneratorError } from "../../src/codegen/errors.js";
import { generateClient } from "../../src/codegen/generate.js";

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

async function generate(path: string, operationId: string) {
  const dir = await mkdtemp(join(tmpdir(), "percent-"));
  dirs.push(dir);
  const spec = { openapi: "3.0.3", info: { title: "P", version: "1" }, paths: { [path]: { get: { operationId, responses: { "204": { description: "ok" } } } } } };
  await writeFile(join(dir, "spec.yaml"), stringify(spec));
  return generateClient(dir, { name: "p", spec: "spec.yaml", names: "names.json", out: "out" });
}

describe("percent signs in specs", () => {
  it("generates with a '%' in an operationId, keeping it in the operation index", async () => {
    const files = await generate("/a", "get%zz");
    const client = files.find((f) => f.path.endsWith("client.ts"))!.content;
    expect(client).toContain('operationId: "get%zz"');
  });

  it("generates with a valid escape in a path", async () => {
    const files = await generate("/a%20b", "getA");
    expect(files.find((f) => f.path.endsWith("client.ts"))!.content).toContain('path: "/a%20b"');
  });

  it("reports a bare '%' in a path with its position and the fix", async () => {
    const error = await generate("/a%zz", "getA").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GeneratorError);
    expect((error as GeneratorError).message).toMatch(/^spec\.yaml:\d+:\d+: path "\/a%zz" has a "%" that is not a percent-escape.*Fix: /);
  });
});
