/**
 * Output a reviewer can read: no line over the width (unless it is one unbreakable token), each
 * operation's method/path/operationId written once, and an upstream reorder of the spec's paths
 * changes no byte. Over the committed generated/dify files and the petstore golden output.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { generateClient } from "../../src/codegen/generate.js";
import { fitLines, MAX_LINE } from "../../src/codegen/line-width.js";
import type { OutputFile } from "../../src/codegen/output.js";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const DIFY = join(REPO, "generated/dify");
const PETSTORE = "test/fixtures/petstore-mini/openapi.yaml";

/** Lines over the width that are more than one token (after indentation, a comment marker and a JSDoc tag). */
function longLines(text: string): string[] {
  return text
    .split("\n")
    .filter((line) => line.length > MAX_LINE)
    .filter((line) => /\s/.test(line.trim().replace(/^(\/\/|\/\*\*|\*)\s*(@\w+\s+)?/, "")));
}

/** How often each operation's identity is written: `method: "…"` and `path: "…"` properties. */
function identities(text: string): { methods: number; paths: number } {
  return { methods: text.match(/\bmethod: "/g)?.length ?? 0, paths: text.match(/\bpath: "/g)?.length ?? 0 };
}

function functions(text: string): string[] {
  // Unique: an operation with overloads declares its function several times.
  return [...new Set([...text.matchAll(/^export function (\w+)\(/gm)].map((m) => m[1]!))];
}

let temp: string;
let petstore: OutputFile[];
let dify: Map<string, string>;

beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), "readable-output-"));
  petstore = await generateClient(REPO, { name: "petstore", spec: PETSTORE, out: "generated/petstore", names: relative(REPO, join(temp, "names.json")) });
  const names = (await readdir(DIFY)).filter((name) => name.endsWith(".ts"));
  dify = new Map(await Promise.all(names.map(async (name) => [name, await readFile(join(DIFY, name), "utf8")] as const)));
});

afterAll(() => rm(temp, { recursive: true, force: true }));

describe("readable generated output", () => {
  it(`has no line over ${MAX_LINE} characters but single unbreakable tokens`, () => {
    const files = [...dify, ...petstore.filter((f) => f.path.endsWith(".ts")).map((f) => [f.path, f.content] as const)];
    expect(files.length).toBeGreaterThan(8);
    for (const [name, text] of files) expect(longLines(text), name).toEqual([]);
  });

  it("writes each operation's method and path once: in its $<name> info, which the call and the indexes use", () => {
    const operations = dify.get("operations.ts")!;
    const names = functions(operations);
    expect(names.length).toBeGreaterThan(60);
    expect(identities(operations)).toEqual({ methods: names.length, paths: names.length });
    for (const name of names) {
      expect(operations).toContain(`export const $${name} = {`);
      // Once in its own call; a resume descriptor (x-codegen-stream-resume) may spread its resume operation's too.
      const calls = operations.match(new RegExp(`(?<!resume: \\{\\s*)\\.\\.\\.\\$${name},`, "g"))?.length ?? 0;
      expect(calls, name).toBe(1);
    }
    for (const [file, text] of dify) {
      if (file === "operations.ts" || file === "schema.d.ts") continue;
      expect(identities(text), file).toEqual({ methods: 0, paths: 0 });
    }
    const client = petstore.find((f) => f.path.endsWith("client.ts"))!.content;
    // `$defaults` is the facade's runtime defaults (server, security), not an operation's info.
    const petNames = [...client.matchAll(/^const \$(\w+) = /gm)].map((m) => m[1]!).filter((name) => name !== "defaults");
    expect(petNames).toEqual(["listPets", "createPet", "deletePet", "getPet", "uploadPetPhoto", "listPetTags", "getStoreInventory", "getStoreItem"]);
    expect(identities(client)).toEqual({ methods: petNames.length, paths: petNames.length });
    for (const name of petNames) expect(client.split(`...$${name},`).length - 1, name).toBe(1);
  });

  it("refuses a method name whose $<name> info would be a runtime import ($call)", async () => {
    await writeFile(join(temp, "call.names.json"), `${JSON.stringify({ names: { "GET /pets": "call" } }, null, 2)}\n`);
    const names = relative(REPO, join(temp, "call.names.json"));
    await expect(generateClient(REPO, { name: "petstore", spec: PETSTORE, out: "generated/petstore", names })).rejects.toThrow(/"call" for GET \/pets collides/);
  });

  it("does not change a byte when the spec lists its paths and methods in another order", async () => {
    const spec = parse(await readFile(join(REPO, PETSTORE), "utf8")) as { paths: Record<string, Record<string, unknown>> };
    const reversed = Object.fromEntries(Object.entries(spec.paths).reverse().map(([path, item]) => [path, Object.fromEntries(Object.entries(item).reverse())]));
    expect(Object.keys(reversed)).not.toEqual(Object.keys(spec.paths));
    await writeFile(join(temp, "reordered.yaml"), stringify({ ...spec, paths: reversed }));
    const lock = join(temp, "names.json");
    const again = await generateClient(REPO, { name: "petstore", spec: relative(REPO, join(temp, "reordered.yaml")), out: "generated/petstore", names: relative(REPO, lock) });
    // Only the header's source line (the spec's file name and hash) may differ.
    const body = (text: string) => text.replace(/^\/\/ Source: .*\n(\/\/ {3}\(sha256 .*\)\n)?/m, "");
    expect(again.map((f) => body(f.content))).toEqual(petstore.map((f) => body(f.content)));
  });
});

describe("fitLines", () => {
  const parses = (text: string) => (ts.createSourceFile("x.ts", text, ts.ScriptTarget.Latest) as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics;

  it("breaks an indexed-access path type inside its brackets, never before `[`", () => {
    const long = `/${"segment/{id}/".repeat(9)}end`;
    const line = `export function f(config: Config, id: $paths[${JSON.stringify(long)}]["get"]["parameters"]["path"]["id"]): void {}`;
    const out = fitLines(line, 80);
    expect(parses(out)).toEqual([]);
    expect(out.split("\n").every((l) => l.length <= 80 || l.trim() === JSON.stringify(long))).toBe(true);
    expect(out).not.toMatch(/\n\s*\[/);
  });

  it("wraps doc text at spaces, never putting a tag or a list marker first on a line", () => {
    const words = Array.from({ length: 30 }, (_, i) => (i % 7 === 6 ? "@tag" : i % 5 === 4 ? "-" : `word${i}`));
    const out = fitLines(`/**\n * ${words.join(" ")}\n */`, 40);
    const lines = out.split("\n");
    expect(lines.length).toBeGreaterThan(4);
    for (const l of lines.slice(1, -1)) {
      expect(l.startsWith(" * ")).toBe(true);
      expect(l).not.toMatch(/^ \* (@|- )/);
    }
    expect(lines.slice(1, -1).map((l) => l.slice(3)).join(" ")).toBe(words.join(" "));
  });
});
