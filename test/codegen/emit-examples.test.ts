/**
 * examples.ts (emit-examples.ts): each operation's success status and first JSON example, as
 * data that evaluates back to exactly the spec's value, whatever text the spec holds.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { emitExamples } from "../../src/codegen/emit-examples.js";
import { MAX_LINE } from "../../src/codegen/line-width.js";
import { buildOperationModel } from "../../src/codegen/operation-model.js";
import { parseSpec } from "../../src/codegen/spec-document.js";

const HOSTILE = {
  quote: `"); process.exit(1); ("`,
  comment: "*/ throw 1; /*",
  template: "${process.exit(1)} `backtick`",
  lines: "a\nb\u2028c\u2029d\\",
  script: "</script><script>alert(1)</script>",
  long: "word ".repeat(60),
};

function specWith(paths: Record<string, unknown>, components: Record<string, unknown> = {}): ReturnType<typeof parseSpec> {
  const text = stringify({ openapi: "3.0.3", info: { title: "t", version: "1" }, paths, components });
  return parseSpec("spec.yaml", text, "0".repeat(64));
}

function emit(spec: ReturnType<typeof parseSpec>): string {
  const operations = buildOperationModel(spec, () => undefined);
  const names = new Map(operations.map((op) => [op.key, op.operationId!]));
  return emitExamples({ spec, operations, names });
}

async function evaluate(source: string): Promise<Record<string, { status: number; value?: unknown }>> {
  const dir = await mkdtemp(join(tmpdir(), "emit-examples-"));
  try {
    const file = join(dir, "examples.mjs");
    await writeFile(file, ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText);
    return ((await import(pathToFileURL(file).href)) as { operationExamples: Record<string, { status: number; value?: unknown }> }).operationExamples;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const json = (schema: unknown, extra: Record<string, unknown>) => ({ content: { "application/json": { schema, ...extra } } });

describe("emitExamples", () => {
  it("writes hostile example text as data that evaluates back to the same value, within the line width", async () => {
    const spec = specWith({
      "/a": { get: { operationId: "getA", responses: { "200": { description: "ok", ...json({ type: "object" }, { examples: { first: { value: HOSTILE }, second: { value: { no: 1 } } } }) } } } },
      "/b": { get: { operationId: "getB", responses: { "200": { description: "ok", ...json({ type: "object" }, { example: JSON.parse('{"__proto__": { "polluted": true }, "k": 1}') as unknown }) } } } },
    });
    const source = emit(spec);
    expect(source).not.toMatch(/process\.exit\(1\); \("\s*$/m);
    const examples = await evaluate(source);
    expect(examples["getA"]).toEqual({ status: 200, value: HOSTILE });
    // A `__proto__` key stays a key (through JSON.parse), never a prototype.
    const b = examples["getB"]!.value as Record<string, unknown>;
    expect(Object.keys(b)).toEqual(["__proto__", "k"]);
    expect(Object.getPrototypeOf(b)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    for (const line of source.split("\n")) if (line.length > MAX_LINE) expect(line.trim(), "one token").not.toMatch(/\s/);
  });

  it("follows $refs to responses and examples, keeps the success status, and gives no value without a JSON example", async () => {
    const spec = specWith(
      {
        "/upload": { post: { operationId: "upload", responses: { "201": { $ref: "#/components/responses/Created" } } } },
        "/gone": { delete: { operationId: "remove", responses: { "204": { description: "deleted" } } } },
        "/plain": { get: { operationId: "plain", responses: { "200": { description: "ok", ...json({ type: "object" }, {}) } } } },
      },
      {
        responses: { Created: { description: "created", ...json({ type: "object" }, { examples: { one: { $ref: "#/components/examples/File" } } }) } },
        examples: { File: { value: { id: "f1", $ref: "#/not/followed" } } },
      },
    );
    expect(await evaluate(emit(spec))).toEqual({
      upload: { status: 201, value: { id: "f1", $ref: "#/not/followed" } },
      remove: { status: 204 },
      plain: { status: 200 },
    });
  });

  it("does not change a byte when the spec lists its paths in another order", () => {
    const a = { get: { operationId: "a", responses: { "200": { description: "ok", ...json({}, { example: [1] }) } } } };
    const b = { get: { operationId: "b", responses: { "200": { description: "ok", ...json({}, { example: [2] }) } } } };
    expect(emit(specWith({ "/a": a, "/b": b }))).toBe(emit(specWith({ "/b": b, "/a": a })));
  });
});
