import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { GeneratorError } from "../../src/codegen/errors.js";
import { generateClient, type ClientConfig } from "../../src/codegen/generate.js";
import { MAX_VALUE_CHARS } from "../../src/codegen/spec-document.js";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const temps: string[] = [];
afterAll(() => Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true }))));

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "codegen-spec-errors-"));
  temps.push(dir);
  return dir;
}

const INFO = "info: {title: Bad, version: '1'}";

/** "Billion laughs": each level refers to the previous one nine times; the first alias is on line 4, column 10. */
const ALIAS_BOMB = [
  `openapi: 3.0.3`,
  INFO,
  `x-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]`,
  `x-b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]`,
  `x-c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]`,
  `x-d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]`,
  `x-e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]`,
  `paths: {}`,
  ``,
].join("\n");

const DUPLICATE_OPERATION_ID = `openapi: 3.0.3\n${INFO}\npaths:\n  /a:\n    get:\n      operationId: getThing\n      responses: {'204': {description: ok}}\n  /b:\n    get:\n      operationId: getThing\n      responses: {'204': {description: ok}}\n`;

const MALFORMED_REF = `openapi: 3.0.3\n${INFO}\npaths:\n  /a:\n    get:\n      parameters:\n        - $ref: '#/components/parameters/%E0%A4%A'\n      responses:\n        '204': {description: ok}\n`;

interface SpecCase {
  given: { file: string; text: string | undefined };
  want: { where: `${number}:${number}` | undefined; problem: RegExp };
}


const cases: [string, SpecCase][] = [
  [
    "invalid YAML: unclosed flow sequence",
    {
      given: { file: "spec/bad.yaml", text: `openapi: 3.0.3\ninfo:\n  title: Bad\n  version: [1\npaths: {}\n` },
      want: { where: "5:1", problem: /not valid YAML or JSON: Flow sequence/ },
    },
  ],
  [
    "invalid YAML: duplicate key",
    {
      given: { file: "spec/bad.yaml", text: `openapi: 3.0.3\ninfo:\n  title: Bad\n  title: Again\npaths: {}\n` },
      want: { where: "4:3", problem: /not valid YAML or JSON: Map keys must be unique/ },
    },
  ],
  [
    "invalid JSON: unclosed object",
    {
      given: { file: "spec/bad.json", text: `{\n  "openapi": "3.0.3",\n  "paths": {\n}\n` },
      want: { where: "5:1", problem: /not valid YAML or JSON: Flow map must end with a \}/ },
    },
  ],
  [
    "a list, not a mapping",
    {
      given: { file: "spec/bad.yaml", text: "- openapi\n- 3.0.3\n" },
      want: { where: "1:1", problem: /not an OpenAPI document \(the top level is not a mapping\)/ },
    },
  ],
  [
    "not OpenAPI: an AsyncAPI document",
    {
      given: { file: "spec/bad.yaml", text: `asyncapi: 2.6.0\n${INFO}\nchannels: {}\n` },
      want: { where: "1:1", problem: /not an OpenAPI document \(no `openapi` field\)/ },
    },
  ],
  [
    "unsupported OpenAPI version",
    {
      given: { file: "spec/bad.yaml", text: `openapi: 4.0.0\n${INFO}\npaths: {}\n` },
      want: { where: "1:10", problem: /unsupported OpenAPI version "4\.0\.0"/ },
    },
  ],
  [
    "Swagger 2.0",
    {
      given: { file: "spec/bad.yaml", text: `${INFO}\nswagger: "2.0"\npaths: {}\n` },
      want: { where: "2:10", problem: /Swagger 2\.0 is not supported/ },
    },
  ],
  [
    "no paths",
    {
      given: { file: "spec/bad.yaml", text: `openapi: 3.0.3\n${INFO}\n` },
      want: { where: "1:1", problem: /no `paths` object/ },
    },
  ],
  [
    "spec file missing",
    {
      given: { file: "spec/bad.yaml", text: undefined },
      want: { where: undefined, problem: /cannot read the spec \(ENOENT\)/ },
    },
  ],
  [
    "$ref to a missing parameter",
    {
      given: {
        file: "spec/bad.yaml",
        text: `openapi: 3.0.3\n${INFO}\npaths:\n  /a:\n    get:\n      parameters:\n        - $ref: '#/components/parameters/Missing'\n      responses:\n        '204': {description: ok}\n`,
      },
      want: { where: "7:17", problem: /\$ref "#\/components\/parameters\/Missing" points to nothing/ },
    },
  ],
  [
    "$ref to a missing response",
    {
      given: {
        file: "spec/bad.yaml",
        text: `openapi: 3.0.3\n${INFO}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          $ref: '#/components/responses/Missing'\n`,
      },
      want: { where: "8:17", problem: /\$ref "#\/components\/responses\/Missing" points to nothing/ },
    },
  ],
  [
    "$ref to a missing request body schema",
    {
      given: {
        file: "spec/bad.yaml",
        text: `openapi: 3.0.3\n${INFO}\npaths:\n  /a:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/Missing'}\n      responses:\n        '204': {description: ok}\n`,
      },
      want: { where: "9:28", problem: /\$ref "#\/components\/schemas\/Missing" points to nothing/ },
    },
  ],
  [
    "$ref to a missing response schema",
    {
      given: {
        file: "spec/bad.yaml",
        text: `openapi: 3.0.3\n${INFO}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Missing'\n`,
      },
      want: { where: "12:23", problem: /#\/components\/schemas\/Missing|Can't resolve \$ref/ },
    },
  ],
  [
    // `default` is a keyword inside a schema but a status under `responses`: its $ref must be checked.
    "$ref to a missing schema in a default response",
    {
      given: {
        file: "spec/bad.yaml",
        text: `openapi: 3.0.3\n${INFO}\npaths:\n  /a:\n    get:\n      responses:\n        '204': {description: ok}\n        default:\n          description: error\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Missing'\n`,
      },
      want: { where: "13:23", problem: /\$ref "#\/components\/schemas\/Missing" points to nothing/ },
    },
  ],
  [
    "a YAML alias bomb",
    { given: { file: "spec/bad.yaml", text: ALIAS_BOMB }, want: { where: "4:10", problem: /YAML aliases expand to more than 1000 nodes/ } },
  ],
  [
    "a value over the size limit",
    {
      given: { file: "spec/bad.yaml", text: `openapi: 3.0.3\ninfo:\n  title: Bad\n  version: '1'\n  description: "${"x".repeat(MAX_VALUE_CHARS)}"\npaths: {}\n` },
      want: { where: "5:16", problem: /a single value is 1048578 characters long, over the generator's limit of 1048576/ },
    },
  ],
  [
    // yaml overflows its stack at this depth (position: where it gave up, past the 5000th bracket).
    "nesting too deep to parse",
    { given: { file: "spec/bad.yaml", text: `openapi: 3.0.3\n${INFO}\npaths: {}\nx-deep: ${"[".repeat(50_000)}${"]".repeat(50_000)}\n` }, want: { where: undefined, problem: /nested too deeply to parse/ } },
  ],
  [
    "`paths` that is not a mapping",
    { given: { file: "spec/bad.yaml", text: `openapi: 3.1.0\n${INFO}\npaths: [/a]\n` }, want: { where: "3:8", problem: /`paths` is not a mapping/ } },
  ],
  [
    "an OpenAPI 3.1 document with neither paths, webhooks nor components",
    { given: { file: "spec/bad.yaml", text: `openapi: 3.1.0\n${INFO}\n` }, want: { where: "1:1", problem: /none of `paths`, `webhooks` or `components`/ } },
  ],
  ["a $ref with a malformed percent-escape", { given: { file: "spec/bad.yaml", text: MALFORMED_REF }, want: { where: "7:17", problem: /has a "%" that is not a percent-escape/ } }],
  [
    "a dangling $ref to an Example object",
    {
      given: {
        file: "spec/bad.yaml",
        text: `openapi: 3.0.3\n${INFO}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: string}\n              examples:\n                one: {$ref: '#/components/examples/Missing'}\n`,
      },
      want: { where: "13:29", problem: /\$ref "#\/components\/examples\/Missing" points to nothing/ },
    },
  ],
  [
    "a duplicate operationId",
    { given: { file: "spec/bad.yaml", text: DUPLICATE_OPERATION_ID }, want: { where: "10:20", problem: /operationId "getThing" of GET \/b is also the operationId of GET \/a/ } },
  ],
];

async function generateFrom(file: string, text: string | undefined): Promise<unknown> {
  const root = await tempDir();
  if (text !== undefined) {
    await mkdir(join(root, "spec"), { recursive: true });
    await writeFile(join(root, file), text);
  }
  const config: ClientConfig = { name: "bad", spec: file, names: "spec/bad.names.json", out: "generated/bad" };
  try {
    await generateClient(root, config);
  } catch (error) {
    return error;
  }
  throw new Error("expected a GeneratorError, generation succeeded");
}

describe("generateClient on a broken spec", () => {
  for (const [name, { given, want }] of cases) {
    describe(name, () => {
      it("throws a one-line GeneratorError naming the file, the problem and the fix", async () => {
        const error = await generateFrom(given.file, given.text);
        expect(error).toBeInstanceOf(GeneratorError);
        const { message } = error as GeneratorError;
        expect(message).not.toMatch(/[\r\n\u2028\u2029]/);
        expect(message).toContain(given.file);
        expect(message).toMatch(want.problem);
        expect(message).toMatch(/\. Fix: \S/);
      });

      if (want.where !== undefined) {
        const where = want.where;
        it(`points at line:col ${where}`, async () => {
          const { message } = (await generateFrom(given.file, given.text)) as Error;
          // The path prefix is checked by the next test; here only the position.
          expect(message).toMatch(new RegExp(`(^|/)${escape(given.file)}:${where}: `));
        });
      }

      it("names the spec as given (relative to the root)", async () => {
        const { message } = (await generateFrom(given.file, given.text)) as Error;
        expect(message.startsWith(`${given.file}:`), message).toBe(true);
      });
    });
  }
});


function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// The CLI: exit code, one stderr line, and nothing written on failure.
const TSX = join(REPO, "node_modules/.bin/tsx");

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runGenerate(args: string[]): Promise<CliResult> {
  return new Promise((done) => {
    execFile(TSX, ["scripts/generate.ts", ...args], { cwd: REPO, env: { ...process.env, NO_COLOR: "1" } }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === "number" ? error.code : null) : 0, stdout, stderr });
    });
  });
}

async function readTree(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const name of (await readdir(dir, { recursive: true })).sort()) {
    const path = join(dir, name);
    files.set(name, await readFile(path).catch(() => Buffer.from("<dir>")));
  }
  return files;
}

interface CliCase {
  given: string;
  want: { where: string | undefined };
}

describe("scripts/generate.ts on a broken spec", () => {
  it.each<[string, CliCase]>([
    ["invalid YAML", { given: `openapi: 3.0.3\ninfo:\n  title: Bad\n  title: Again\npaths: {}\n`, want: { where: undefined } }],
    ["Swagger 2.0", { given: `${INFO}\nswagger: "2.0"\npaths: {}\n`, want: { where: "2:10" } }],
    ["$ref to a missing parameter", { given: cases.find(([name]) => name === "$ref to a missing parameter")![1].given.text!, want: { where: "7:17" } }],
    // A GeneratorError is one line by construction (the cases above); these printed more: openapi-typescript's own " ✘ " line first.
    ["a duplicate operationId", { given: DUPLICATE_OPERATION_ID, want: { where: "10:20" } }],
  ])("%s: exits non-zero with one stderr line and writes nothing", async (_name, { given, want }) => {
    const dir = await tempDir();
    const spec = join(dir, "bad.openapi.yaml");
    const out = join(dir, "out");
    await writeFile(spec, given);
    await mkdir(out);
    await writeFile(join(out, "client.ts"), "// a previous client\nexport {};\n");
    await writeFile(join(out, "schema.d.ts"), "// previous types\nexport {};\n");
    await writeFile(join(out, "names.json"), `${JSON.stringify({ names: { "GET /old": "getOld" } }, null, 2)}\n`);
    const before = await readTree(out);

    // Paths relative to the cwd: the CLI joins them onto it.
    const specArg = relative(REPO, spec);
    const result = await runGenerate(["--spec", specArg, "--out", relative(REPO, out), "--name", "bad"]);

    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe("");
    const lines = result.stderr.split("\n").filter((line) => line !== "");
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: /);
    // Only the file name: which path form is used is the generateClient tests' business.
    expect(lines[0]).toMatch(new RegExp(`/bad\\.openapi\\.yaml${want.where === undefined ? "(:\\d+:\\d+)?" : `:${want.where}`}: `));
    expect(lines[0]).toContain("Fix:");
    expect(await readTree(out)).toEqual(before);
  });

  // Was: a schema.d.ts holding `@example root:x:0:0:…` (the generator read /etc/passwd).
  it("an external $ref inside an example is inert text: generated, the file it names never read", async () => {
    const dir = await tempDir();
    const spec = join(dir, "api.openapi.yaml");
    await writeFile(spec, `openapi: 3.0.3\n${INFO}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: string, example: {$ref: '../../../../../../etc/passwd'}}\n`);
    const result = await runGenerate(["--spec", relative(REPO, spec), "--out", relative(REPO, join(dir, "out")), "--name", "api"]);
    expect(result.code, result.stderr).toBe(0);
    const schema = await readFile(join(dir, "out", "schema.d.ts"), "utf8");
    expect(schema).not.toMatch(/root:x:0:0/);
  });

  it("a $ref only openapi-typescript follows: one stderr line", async () => {
    const dir = await tempDir();
    const spec = join(dir, "bad.openapi.yaml");
    await writeFile(spec, cases.find(([name]) => name === "$ref to a missing response schema")![1].given.text!);
    const result = await runGenerate(["--spec", relative(REPO, spec), "--out", relative(REPO, join(dir, "out")), "--name", "bad"]);
    expect(result.code).not.toBe(0);
    expect(result.stderr.split("\n").filter((line) => line !== "")).toHaveLength(1);
  });
});
