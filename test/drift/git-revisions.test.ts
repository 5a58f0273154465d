/**
 * Git revision paths as inputs (`HEAD~1:spec.yaml`), in a throwaway repository
 * with two commits: read with `git show`, each side with its own revision's
 * overlay, and one-line errors with the fix for every bad input.
 */
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { buildDriftReport } from "../../src/drift/drift-report.js";
import { doc, json, object, pathParam } from "./spec-builders.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

const deleteConversation = (required: string[]) =>
  doc({
    "/conversations/{conversation_id}": {
      delete: {
        summary: "Delete Conversation",
        parameters: [pathParam("conversation_id")],
        requestBody: { required: true, content: { "application/json": { schema: object({ user: { type: "string" } }, required) } } },
        responses: { "204": { description: "deleted" } },
      },
    },
    "/meta": { get: { summary: "Get App Meta", responses: json(object({ tool_icons: { type: "object" } })) } },
  });
const overlay = (text: string) => ({ overlay: "1.0.0", info: { title: "t", version: "1" }, actions: [{ target: "$.paths['/meta'].get", update: { description: text } }] });

let repo: string;

function git(...args: string[]): void {
  execFileSync("git", args, {
    cwd: repo,
    env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" },
  });
}

async function commit(files: Record<string, unknown>, message: string): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(repo, path, ".."), { recursive: true });
    await writeFile(join(repo, path), stringify(content));
  }
  git("add", "-A");
  git("commit", "-q", "-m", message);
}

beforeAll(async () => {
  repo = await mkdtemp(join(tmpdir(), "drift-git-"));
  git("init", "-q");
  await commit({ "spec.yaml": deleteConversation(["user"]), "spec/dify-service.openapi.yaml": deleteConversation(["user"]), "spec/dify-service.overlay.yaml": overlay("overlay v1") }, "v1");
  await commit({ "spec.yaml": deleteConversation([]), "spec/dify-service.openapi.yaml": deleteConversation([]), "spec/dify-service.overlay.yaml": overlay("overlay v2") }, "v2");
  // The working tree moves on; revisions must be read from git, not from disk.
  await writeFile(join(repo, "spec.yaml"), "not: [a spec");
});

afterAll(() => rm(repo, { recursive: true, force: true }));

const drift = (base: string, head: string, overlayPath?: string | null) =>
  buildDriftReport({ cwd: repo, root: ROOT, base, head, facade: false, ...(overlayPath !== undefined && { overlay: overlayPath }) });

describe("git revision paths", () => {
  it("compares HEAD~1:spec.yaml with HEAD:spec.yaml", async () => {
    const report = await drift("HEAD~1:spec.yaml", "HEAD:spec.yaml", null);
    expect(report.changes.map((c) => `${c.rule} ${c.method}`)).toEqual(["request-property-made-optional deleteConversation"]);
    expect(report.semver).toBe("minor");
  });

  it("applies each revision's own overlay when it has one", async () => {
    const report = await drift("HEAD~1:spec/dify-service.openapi.yaml", "HEAD:spec/dify-service.openapi.yaml");
    expect(report.changes).toContainEqual(expect.objectContaining({ rule: "description-changed", method: "getAppMeta", before: "overlay v1", after: "overlay v2" }));
    expect(report.notes).toEqual(expect.arrayContaining(["base: overlay: spec/dify-service.overlay.yaml as of HEAD~1", "head: overlay: spec/dify-service.overlay.yaml as of HEAD"]));
  });

  it("mixes a revision and a working-tree file", async () => {
    await writeFile(join(repo, "head.yaml"), stringify(deleteConversation(["user"])));
    const report = await drift("HEAD:spec.yaml", "head.yaml", null);
    expect(report.changes.map((c) => c.rule)).toEqual(["request-property-made-required"]);
  });

  it.each([
    ["an unknown revision", "nope:spec.yaml", /^nope:spec\.yaml: no such file, and "nope" is not a git revision known here\. Fix: fetch it first/],
    ["a path missing at the revision", "HEAD~1:missing.yaml", /^HEAD~1:missing\.yaml: missing\.yaml does not exist at HEAD~1\. Fix: check the path with `git ls-tree -r --name-only HEAD~1`/],
    ["a missing file", "missing.yaml", /^missing\.yaml: no such file\. Fix: pass a spec file or a git revision path such as origin\/main:spec\/dify-service\.openapi\.yaml$/],
    ["a working-tree file that is not a spec", "spec.yaml", /^spec\.yaml:1:\d+: not valid YAML or JSON/],
  ])("rejects %s with one line naming the fix", async (_, input, message) => {
    const error = await drift(input, "HEAD:spec.yaml", null).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain("\n");
  });

  it("says so when the folder is not a git repository", async () => {
    const outside = await mkdtemp(join(tmpdir(), "drift-nogit-"));
    try {
      const error = await buildDriftReport({ cwd: outside, root: ROOT, base: "HEAD:spec.yaml", head: "HEAD:spec.yaml", overlay: null, facade: false }).catch((e: unknown) => e as Error);
      expect((error as Error).message).toMatch(/^HEAD:spec\.yaml: no such file, and .* is not inside a git repository .*Fix: pass a spec file, or run from inside the repository$/);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });
});
