/**
 * A 100 MB description used to take a minute and 4+ GB to parse. A single
 * value over MAX_VALUE_CHARS (1 MiB) is refused by yaml's lexer, before the
 * document is built, with one line at its position.
 */
import { describe, expect, it } from "vitest";
import { GeneratorError } from "../../src/codegen/errors.js";
import { MAX_VALUE_CHARS, parseSpec } from "../../src/codegen/spec-document.js";

describe("a very large value", () => {
  it("a 100 MB description is refused with one line at its position", () => {
    const text = `openapi: 3.1.0\ninfo:\n  title: Big\n  version: '1'\n  description: |\n    ${"x".repeat(100 * 1024 * 1024)}\npaths: {}\n`;
    let error: unknown;
    try {
      parseSpec("spec/big.yaml", text, "");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(GeneratorError);
    expect((error as Error).message).toMatch(/^spec\/big\.yaml:6:1: a single value is \d+ characters long, over the generator's limit of 1048576 \(1 MiB\)\. Fix: \S/);
  });

  it("a value of exactly the limit is accepted", () => {
    // A plain scalar's source is the value itself.
    const spec = parseSpec("spec/big.yaml", `openapi: 3.1.0\ninfo:\n  title: Big\n  version: '1'\n  description: ${"x".repeat(MAX_VALUE_CHARS)}\npaths: {}\n`, "");
    expect((spec.data.info as Record<string, unknown>)["description"]).toHaveLength(MAX_VALUE_CHARS);
  });
});
