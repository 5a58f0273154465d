/**
 * The plain parse (spec-fast-parse.ts) must read every document exactly as `yaml` does, and leave
 * every document it might read differently to `yaml`: each case is compared with `yaml`'s own reading.
 */
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { parseSpec } from "../../src/codegen/spec-document.js";
import { parseFast } from "../../src/codegen/spec-fast-parse.js";

const HEAD = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";

/** `yaml`'s reading, as the generator parsed every spec before the plain parse. */
function yamlReading(text: string): unknown {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  expect(doc.errors).toEqual([]);
  return doc.toJS({ maxAliasCount: 1000 });
}

const cases: [name: string, text: string, fast: boolean][] = [
  ["YAML 1.2 core scalars", `${HEAD}x-v: [0o17, 0x1F, 010, +5, -0, .inf, -.Inf, .nan, 1e3, 1.50, .5, ~, Null, NULL, True, FALSE, '5']\n`, true],
  ["YAML 1.1 words and dates stay strings", `${HEAD}x-v: [yes, no, on, off, y, 2020-01-01, 1_000, 0b11, 12:30:00, =, <<]\n`, true],
  ["a merge key is a plain key", `${HEAD}x-m:\n  <<: {a: 1}\n  b: 2\n`, true],
  ["numbers as keys", `${HEAD}x-r:\n  200: a\n  1.0: b\n  0x10: c\n  true: d\n`, true],
  ["block scalars and folding", `${HEAD}x-d: |\n  line one\n   indented\n\n  after blank\nx-f: >-\n  folded\n  text\n\n  para\nx-p: plain\n  continued\n`, true],
  ["quoted escapes", `${HEAD}x-q: ["a\\tb\\u00e9\\x41\\/", 'it''s', "multi\n  line"]\n`, true],
  ["JSON", `{"openapi": "3.0.3", "info": {"title": "t\\u00e9", "version": "1"}, "paths": {}, "x-n": [1E400, -0, 12345678901234567890, 1.50]}`, true],
  ["an own __proto__ key", `{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "x-o": {"__proto__": {"a": 1}}}`, true],
  ["anchors and aliases", `${HEAD}x-a: &a {b: 1}\nx-b: *a\n`, false],
  ["explicit tags", `${HEAD}x-t: [!!str 5, !!int "7", ! 8]\n`, false],
  ["a null key", `${HEAD}x-k:\n  ~: a\n`, false],
  ["a complex key", `${HEAD}x-k:\n  ? [a, b]\n  : c\n`, false],
  ["a flow collection as key", `${HEAD}x-k: {[a, b]: c}\n`, false],
  ["a YAML 1.1 directive", `%YAML 1.1\n---\n${HEAD}x-v: yes\n`, false],
  ["JSON deeper than the plain parse takes", `{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "x-d": ${"[".repeat(250)}${"]".repeat(250)}}`, false],
];

describe("the plain parse", () => {
  it.each(cases)("%s: the same data as yaml (or left to yaml)", (_name, text, fast) => {
    expect(parseFast(text, Infinity) !== undefined).toBe(fast);
    const data = parseSpec("spec.yaml", text, "").data;
    expect(isDeepStrictEqual(data, yamlReading(text))).toBe(true);
    if (text.includes("__proto__")) expect(Object.keys((data as Record<string, object>)["x-o"]!)).toEqual(["__proto__"]);
  });

  it("leaves a JSON document with a repeated key to yaml, which refuses it at its position", () => {
    const text = `{"openapi": "3.0.3",\n "info": {"title": "t", "version": "1"},\n "paths": {}, "paths": {}}`;
    expect(parseFast(text, Infinity)).toBeUndefined();
    expect(() => parseSpec("spec.json", text, "")).toThrow(/^spec\.json:3:15: not valid YAML or JSON: Map keys must be unique/);
  });

  it("counts a key whose name ends in an escaped backslash, and not a quote-colon inside a string", () => {
    const text = `{"openapi": "3.0.3", "info": {"title": "a\\": b", "version": "1"}, "paths": {}, "x-\\\\": 1}`;
    expect(parseFast(text, Infinity)).toBeDefined();
    expect(parseSpec("spec.json", text, "").data).toEqual(yamlReading(text));
  });

  it("still points at the line and column of a problem found after a plain parse", () => {
    const text = `${HEAD.replace("paths: {}\n", "")}paths:\n  /a:\n    get:\n      operationId: same\n      responses: {'200': {description: ok}}\n  /b:\n    get:\n      operationId: same\n      responses: {'200': {description: ok}}\n`;
    const spec = parseSpec("spec.yaml", text, "");
    expect(spec.locate(["paths", "/b", "get", "operationId"])).toEqual({ line: 10, col: 20 });
  });
});
