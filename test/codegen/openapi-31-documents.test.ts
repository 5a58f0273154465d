/**
 * Documents the generator must read although they have no `paths` (OpenAPI 3.1
 * makes it optional), and problems only openapi-typescript finds: they become
 * our one line, with a position, and its own " ✘ " line is not printed.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { GeneratorError } from "../../src/codegen/errors.js";
import { renderSchemaTypes } from "../../src/codegen/schema-types.js";
import { parseSpec } from "../../src/codegen/spec-document.js";

const INFO = "info: {title: T, version: '1'}";

describe("an OpenAPI 3.1 document without paths", () => {
  it("with only webhooks is read, its paths taken as empty, and its webhooks typed", async () => {
    const spec = parseSpec(
      "spec/hooks.yaml",
      `openapi: 3.1.0\n${INFO}\nwebhooks:\n  newPet:\n    post:\n      requestBody: {content: {application/json: {schema: {type: object, properties: {pet_id: {type: integer}}}}}}\n      responses: {'200': {description: ok}}\n`,
      "",
    );
    expect(spec.data.paths).toEqual({});
    const types = await renderSchemaTypes(spec);
    expect(types).toContain("export interface webhooks");
    expect(types).toContain("pet_id?: number");
  });

  it("with only components is read, its paths taken as empty", async () => {
    const spec = parseSpec("spec/models.yaml", `openapi: 3.1.0\n${INFO}\ncomponents:\n  schemas:\n    Pet: {type: object, properties: {name: {type: string}}}\n`, "");
    expect(spec.data.paths).toEqual({});
    expect(await renderSchemaTypes(spec)).toContain("Pet: {");
  });

  it("is still refused for OpenAPI 3.0, where paths are required", () => {
    expect(() => parseSpec("spec/models.yaml", `openapi: 3.0.3\n${INFO}\ncomponents: {}\n`, "")).toThrow(/spec\/models\.yaml:1:1: the document has no `paths` object/);
  });
});

describe("an OpenAPI 3.1 operation without responses", () => {
  it("resolves with unknown, read by the response's Content-Type", async () => {
    const { generateClient } = await import("../../src/codegen/generate.js");
    const { mkdtemp, writeFile, rm } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = await mkdtemp(join(tmpdir(), "no-responses-"));
    try {
      await writeFile(join(dir, "spec.yaml"), `openapi: 3.1.0\n${INFO}\npaths:\n  /ping:\n    get:\n      operationId: ping\n`);
      const files = await generateClient(dir, { name: "p", spec: "spec.yaml", names: "names.json", out: "out" });
      const client = files.find((f) => f.path.endsWith("client.ts"))!.content;
      expect(client).toContain("export type PingResult = unknown;");
      // The descriptor may be printed over several lines (line width): compare without line breaks.
      expect(client.replace(/\n\s*/g, " ")).toContain('response: "text", responseMediaTypes: ["application/json", "text/plain"]');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("a problem openapi-typescript reports itself", () => {
  afterEach(() => vi.restoreAllMocks());

  it("is one GeneratorError at the position of its JSON pointer, and nothing is printed", async () => {
    const printed = vi.spyOn(console, "error");
    // Operations in callbacks: openapi-typescript's uniqueness rule sees them, our own check of paths does not.
    // Its pointer names the second operation, which starts at 12:15.
    const text = [
      "openapi: 3.1.0",
      INFO,
      "paths:",
      "  /a:",
      "    post:",
      "      operationId: notify",
      "      responses: {'204': {description: ok}}",
      "      callbacks:",
      "        done:",
      "          '{$request.body#/url}':",
      "            post:",
      "              operationId: notify",
      "              responses: {'204': {description: ok}}",
      "",
    ].join("\n");
    const error = await renderSchemaTypes(parseSpec("spec/cb.yaml", text, "")).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GeneratorError);
    const { message } = error as GeneratorError;
    expect(message).toMatch(/^spec\/cb\.yaml:12:15: openapi-typescript could not read the spec: Every operation must have a unique `operationId`\. Fix: \S/);
    expect(printed).not.toHaveBeenCalled();
  });

  it("leaves other console.error output alone", async () => {
    const printed = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const spec = parseSpec("spec/ok.yaml", `openapi: 3.1.0\n${INFO}\npaths: {}\n`, "");
    const rendering = renderSchemaTypes(spec);
    console.error("someone else's line");
    await rendering;
    expect(printed).toHaveBeenCalledWith("someone else's line");
  });
});
