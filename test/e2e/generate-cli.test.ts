/** `npm run generate` and `--check` as a user runs them, in a sandbox copy of the project. */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSandbox, projectRoot, type Sandbox } from "./sandbox.js";

const OUTPUTS = ["generated/dify/chatflow.ts", "generated/dify/operations.ts", "generated/dify/schema.d.ts", "spec/dify-service.names.json"];

async function snapshot(sandbox: Sandbox): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const dir of ["generated/dify", "spec"]) {
    for (const name of await readdir(join(sandbox.root, dir))) files[`${dir}/${name}`] = await sandbox.read(`${dir}/${name}`);
  }
  return files;
}

describe("npm run generate and --check, in a sandbox copy of the project", () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await createSandbox({ withGenerated: true });
  });
  afterEach(() => sandbox.dispose());

  it("passes on the committed output, which is what the generator produces", async () => {
    const result = await sandbox.generate("--check");
    expect(result.code, result.stderr).toBe(0);
    for (const path of OUTPUTS) {
      expect(await sandbox.read(path), path).toBe(await readFile(join(projectRoot, path), "utf8"));
    }
  });

  it("lists every stale and missing file with the command that fixes it, and writes nothing", async () => {
    await sandbox.write("generated/dify/chatflow.ts", "// edited by hand\n");
    const { rm } = await import("node:fs/promises");
    await rm(join(sandbox.root, "generated/dify/schema.d.ts"));
    const before = await snapshot(sandbox);

    const result = await sandbox.generate("--check");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("stale: generated/dify/chatflow.ts");
    expect(result.stderr).toContain("missing: generated/dify/schema.d.ts");
    expect(result.stderr).not.toContain("spec/dify-service.names.json");
    expect(result.stderr).toContain("npm run generate");
    expect(await snapshot(sandbox)).toEqual(before);
  });

  it("regenerates byte-identical output, so a second check passes", async () => {
    await sandbox.write("generated/dify/chatflow.ts", "// edited by hand\n");
    const first = await sandbox.generate();
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("generated/dify/chatflow.ts");
    const once = await snapshot(sandbox);
    const second = await sandbox.generate();
    expect(second.stdout).toContain("already up to date");
    expect(await snapshot(sandbox)).toEqual(once);
    expect((await sandbox.generate("--check")).code).toBe(0);
  });

  it("fails without a trace: leaves generated/ exactly as it was and reports one line with file, line:col and fix", async () => {
    const spec = await sandbox.read("spec/dify-service.openapi.yaml");
    // A $ref to nothing deep inside an otherwise valid spec: found only after parsing succeeded.
    const broken = spec.replace('$ref: "#/components/schemas/ConversationRenameRequest"', '$ref: "#/components/schemas/NoSuchSchema"');
    expect(broken).not.toBe(spec);
    await sandbox.write("spec/dify-service.openapi.yaml", broken);
    const before = await snapshot(sandbox);

    const result = await sandbox.generate();
    expect(result.code).not.toBe(0);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: spec\/dify-service\.openapi\.yaml:\d+:\d+: \$ref "#\/components\/schemas\/NoSuchSchema" points to nothing\. Fix: /);
    expect(await snapshot(sandbox)).toEqual(before);
  });
});
