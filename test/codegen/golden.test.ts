/**
 * Golden files: the generator's whole output for a small fixture spec, compared
 * with committed expected files. Update them on purpose with
 * `npx vitest run test/codegen/golden.test.ts -u`, then review the diff; under
 * CI=true vitest never writes them, so a drift fails.
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateClient, type ClientConfig } from "../../src/codegen/generate.js";
import { isGenerated } from "../../src/codegen/header.js";
import type { OutputFile } from "../../src/codegen/output.js";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const SPEC = "test/fixtures/petstore-mini/openapi.yaml";
// `out` fixes the runtime import in client.ts ("../../src/runtime/index.js"), whatever the machine.
const OUT = "generated/petstore";

/** Expected file per output; `.snap` keeps tsc (include: "test") off the TypeScript ones. */
const EXPECTED: Record<string, string> = {
  "schema.d.ts": "schema.d.ts.snap",
  "client.ts": "client.ts.snap",
  "petstore.names.json": "names.json",
};

let temp: string;
let config: ClientConfig;
let files: OutputFile[];

beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), "codegen-golden-"));
  // The lock lives outside the repo, so a run never reads or writes a committed one; it does not exist yet.
  config = { name: "petstore", spec: SPEC, out: OUT, names: relative(REPO, join(temp, "petstore.names.json")) };
  files = await generateClient(REPO, config);
});

afterAll(() => rm(temp, { recursive: true, force: true }));

function content(name: string): string {
  const file = files.find((f) => basename(f.path) === name);
  if (!file) throw new Error(`no ${name} among ${files.map((f) => f.path).join(", ")}`);
  return file.content;
}

describe("golden files for test/fixtures/petstore-mini", () => {
  it("produces the schema, the facade and the name lock", () => {
    expect(files.map((f) => f.path)).toEqual([`${OUT}/schema.d.ts`, `${OUT}/client.ts`, config.names]);
  });

  for (const [output, expected] of Object.entries(EXPECTED)) {
    it(`${output} matches expected/${expected}`, async () => {
      await expect(content(output)).toMatchFileSnapshot(`../fixtures/petstore-mini/expected/${expected}`);
    });
  }

  it("starts both TypeScript files with the generated header naming the spec as given", () => {
    for (const name of ["schema.d.ts", "client.ts"]) {
      const text = content(name);
      expect(isGenerated(text), name).toBe(true);
      // The hash goes on a line of its own when the line would pass the line width.
      expect(text.split("\n").slice(1, 3).join("\n")).toMatch(new RegExp(`^// Source: ${SPEC}(\n//  )? \\(sha256 [0-9a-f]{64}\\)$`));
    }
  });

  it("is byte-identical when generated again", async () => {
    expect(await generateClient(REPO, config)).toEqual(files);
  });

  it("does not depend on where the project lives", async () => {
    const elsewhere = join(temp, "copy");
    await mkdir(join(elsewhere, "test/fixtures/petstore-mini"), { recursive: true });
    await cp(join(REPO, SPEC), join(elsewhere, SPEC));
    const again = await generateClient(elsewhere, { ...config, names: "petstore.names.json" });
    expect(again.map((f) => f.content)).toEqual(files.map((f) => f.content));
  });

  it("keeps every name when the lock it wrote is read back", async () => {
    const lockDir = join(temp, "with-lock");
    await mkdir(lockDir, { recursive: true });
    await writeFile(join(lockDir, "petstore.names.json"), content("petstore.names.json"));
    const again = await generateClient(REPO, { ...config, names: relative(REPO, join(lockDir, "petstore.names.json")) });
    expect(again.map((f) => f.content)).toEqual(files.map((f) => f.content));
  });

  it("type-checks as generated/petstore against the real runtime", () => {
    const diagnostics = typecheck(new Map([
      [join(REPO, OUT, "schema.d.ts"), content("schema.d.ts")],
      [join(REPO, OUT, "client.ts"), content("client.ts")],
    ]));
    expect(diagnostics).toEqual([]);
  });
});

/** tsc with the project's options over in-memory files, so nothing is written to generated/. */
function typecheck(virtual: ReadonlyMap<string, string>): string[] {
  const { config: raw } = ts.readConfigFile(join(REPO, "tsconfig.json"), (path) => ts.sys.readFile(path));
  const { options } = ts.parseJsonConfigFileContent(raw, ts.sys, REPO);
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, ...rest) => {
    const text = virtual.get(fileName);
    return text === undefined ? getSourceFile(fileName, languageVersion, ...rest) : ts.createSourceFile(fileName, text, languageVersion);
  };
  host.fileExists = (path) => virtual.has(path) || ts.sys.fileExists(path);
  host.readFile = (path) => virtual.get(path) ?? ts.sys.readFile(path);
  // Module resolution skips folders that do not exist, and generated/petstore does not.
  const dirs = new Set([...virtual.keys()].map((path) => dirname(path)));
  host.directoryExists = (path) => dirs.has(path) || ts.sys.directoryExists(path);
  const program = ts.createProgram([...virtual.keys()], options, host);
  // Only the generated files: the runtime's own errors are the project tsc's business.
  const ours = ts.getPreEmitDiagnostics(program).filter((d) => d.file === undefined || virtual.has(d.file.fileName));
  return ours.map((d) => {
    const where = d.file && d.start !== undefined ? `${relative(REPO, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : "";
    return where + ts.flattenDiagnosticMessageText(d.messageText, " ");
  });
}
