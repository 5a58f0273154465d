/**
 * `npm run spec:update` on Dify's real Service API revisions, in a throwaway
 * copy of the project: 2026-07-22 (bundled) → 2026-07-11 → 2026-07-22 again
 * restores spec/ and generated/ byte for byte; each update writes its drift
 * report (one section per app type), a CHANGELOG entry and the version its
 * semver implies; bad input is one line and leaves the tree as it was.
 */
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GeneratorError } from "../../src/codegen/errors.js";
import { updateSpec } from "../../src/drift/spec-update.js";
import { createSandbox, projectRoot, type Sandbox } from "./sandbox.js";

const HISTORY = join(projectRoot, "test/fixtures/service-history");
const APPS = ["chatflow", "chat", "agent", "workflow", "completion", "knowledge"];

let sandbox: Sandbox;
let inputs: string;
/** Every file under spec/ and generated/ as the bundled revision has them. */
let original: Map<string, string>;

async function tree(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const dir of ["spec", "generated"]) {
    for (const entry of await readdir(join(root, dir), { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) {
        const path = join(entry.parentPath, entry.name);
        files.set(path.slice(root.length + 1), await readFile(path, "utf8"));
      }
    }
  }
  return files;
}

/** The gzipped fixture, unpacked into the scratch folder; returns its path. */
async function input(name: string): Promise<string> {
  const path = join(inputs, name);
  await writeFile(path, gunzipSync(await readFile(join(HISTORY, `${name}.gz`))));
  return path;
}

const update = async (spec: string, memberships: string, date: string) =>
  updateSpec({ root: sandbox.root, spec: await input(spec), memberships: await input(memberships), date });

beforeAll(async () => {
  sandbox = await createSandbox({ withGenerated: true });
  for (const file of ["CHANGELOG.md", "package-lock.json", "tsconfig.json"]) await cp(join(projectRoot, file), join(sandbox.root, file));
  inputs = await mkdtemp(join(tmpdir(), "spec-update-inputs-"));
  original = await tree(sandbox.root);
}, 60_000);

afterAll(async () => {
  await sandbox?.dispose();
  await rm(inputs, { recursive: true, force: true });
});

describe("npm run spec:update", () => {
  it("refuses memberships naming an operation the spec lacks, in one line, and leaves the tree as it was", async () => {
    const memberships = JSON.parse(gunzipSync(await readFile(join(HISTORY, "2026-07-11_6aa0ae46_memberships.json.gz"))).toString("utf8")) as { pages: Record<string, { ops: string[] }> };
    memberships.pages["workflow"]!.ops.push("GET /no-such-operation");
    await writeFile(join(inputs, "bad.memberships.json"), JSON.stringify(memberships, null, 2));
    const error = await updateSpec({ root: sandbox.root, spec: await input("2026-07-11_6aa0ae46_openapi_service.json"), memberships: join(inputs, "bad.memberships.json") }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GeneratorError);
    expect((error as Error).message).toMatch(/^spec\/dify-service\.memberships\.json:\d+:\d+: workflow lists GET \/no-such-operation, which spec\/dify-service\.openapi\.yaml does not have\. Fix: /);
    expect((error as Error).message).not.toContain("\n");
    expect(await tree(sandbox.root)).toEqual(original);
  });

  it("refuses a name lock it cannot read (a folder in its place) rather than deriving every name again", async () => {
    const lock = join(sandbox.root, "spec/dify-service.names.json");
    const text = await readFile(lock, "utf8");
    await rm(lock);
    await mkdir(lock);
    try {
      const error = await updateSpec({ root: sandbox.root, spec: await input("2026-07-11_6aa0ae46_openapi_service.json") }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GeneratorError);
      expect((error as Error).message).toMatch(/^spec\/dify-service\.names\.json: cannot read the name lock \(EISDIR\)\. Fix: /);
    } finally {
      await rm(lock, { recursive: true });
      await writeFile(lock, text);
    }
    expect(await tree(sandbox.root)).toEqual(original);
  });

  it("refuses a revision the overlay no longer fits, in one line, and leaves the tree as it was", async () => {
    const spec = JSON.parse(gunzipSync(await readFile(join(HISTORY, "2026-07-11_6aa0ae46_openapi_service.json.gz"))).toString("utf8")) as { paths: Record<string, unknown> };
    delete spec.paths["/completion-messages"]; // the overlay wires its event stream
    await writeFile(join(inputs, "no-completion.json"), JSON.stringify(spec));
    const error = await updateSpec({ root: sandbox.root, spec: join(inputs, "no-completion.json") }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GeneratorError);
    expect((error as Error).message).toMatch(/^spec\/dify-service\.overlay\.yaml:\d+:\d+: target .*completion-messages.* matches nothing/);
    expect(await tree(sandbox.root)).toEqual(original);
  });

  // Each update generates the clients and both sides of its report: a minute or two on a busy two-core machine.
  it("applies 2026-07-11: spec, clients, a report per app type, a CHANGELOG entry and the version the semver implies", { timeout: 300_000 }, async () => {
    const result = await update("2026-07-11_6aa0ae46_openapi_service.json", "2026-07-11_6aa0ae46_memberships.json", "2026-07-11");
    expect(result.changed).toBe(true);
    // 2026-07-11 lacks fields of human_input_form_filled that 2026-07-22 has: a removal, so major.
    expect(result.semver).toBe("major");
    expect(result.version).toEqual({ from: "1.0.0", to: "2.0.0" });
    expect(result.summary.map((line) => line.split(":")[0])).toEqual(APPS);
    expect(result.written).toEqual(expect.arrayContaining(["spec/dify-service.openapi.yaml", "generated/dify/operations.ts", "docs/drift/2026-07-11.md", "CHANGELOG.md", "package.json"]));

    const report = await sandbox.read("docs/drift/2026-07-11.md");
    for (const app of APPS) expect(report).toContain(`## API drift of the ${app} client:`);
    expect(report).toContain("`event(StreamEventHumanInputFormFilled).data.submitted_data` removed");
    const changelog = await sandbox.read("CHANGELOG.md");
    expect(changelog.indexOf("## 2.0.0 — Dify Service API spec of 2026-07-11")).toBeLessThan(changelog.indexOf("## 0.2.0"));
    expect(changelog).toContain("[docs/drift/2026-07-11.md](docs/drift/2026-07-11.md)");
    expect(JSON.parse(await sandbox.read("package.json")).version).toBe("2.0.0");
    expect(JSON.parse(await sandbox.read("package-lock.json")).version).toBe("2.0.0");
    // What changed is in the spec and the generated files, and `generate --check` agrees with them.
    expect(await sandbox.read("spec/dify-service.openapi.yaml")).not.toBe(original.get("spec/dify-service.openapi.yaml"));
    expect((await sandbox.generate("--check")).code).toBe(0);
  });

  it("applying 2026-07-22 again restores spec/ and generated/ byte for byte", { timeout: 300_000 }, async () => {
    const result = await update("2026-07-22_9d8344e7_openapi_service.json", "2026-07-11_6aa0ae46_memberships.json", "2026-07-22");
    expect(result.semver).toBe("minor");
    expect(result.version).toEqual({ from: "2.0.0", to: "2.1.0" });
    expect(await tree(sandbox.root)).toEqual(original);
  });

  it("does nothing for the revision spec/ already holds", async () => {
    const result = await update("2026-07-22_9d8344e7_openapi_service.json", "2026-07-11_6aa0ae46_memberships.json", "2026-07-23");
    expect(result).toMatchObject({ changed: false, written: [] });
    expect(await sandbox.read("CHANGELOG.md")).not.toContain("2026-07-23");
  });
});
