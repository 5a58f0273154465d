/**
 * `npm run drift` end to end through tsx, with the project's real overlay,
 * name lock and config: one full run (JSON, `--fail-on breaking` as the exit
 * code, the facade diff) and one bad input (a one-line error, exit code 2).
 * The Markdown rendering and the --fail-on count are tested in-process
 * (report.test.ts), where they cost nothing.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { doc, json, object, pathParam } from "./spec-builders.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function drift(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), join(ROOT, "scripts/drift.ts"), ...args], { cwd: ROOT }, (error, stdout, stderr) =>
      done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const spec = (userRequired: boolean) =>
  doc({
    "/conversations/{conversation_id}": {
      delete: {
        summary: "Delete Conversation",
        operationId: "deleteAdvancedConversation",
        parameters: [pathParam("conversation_id")],
        requestBody: { required: true, content: { "application/json": { schema: object({ user: { type: "string" } }, userRequired ? ["user"] : []) } } },
        responses: { "204": { description: "deleted" } },
      },
    },
    "/info": { get: { summary: "Get App Info", operationId: "getAdvancedChatAppInfo", responses: json(object({ name: { type: "string" } }, ["name"])) } },
  });

let dir: string;
let base: string;
let head: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "drift-cli-"));
  base = join(dir, "base.json");
  head = join(dir, "head.json");
  await writeFile(base, JSON.stringify(spec(false)));
  await writeFile(head, JSON.stringify(spec(true)));
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe("npm run drift", () => {
  it("--format json --fail-on breaking: prints the changes and exits 1 on a breaking change", async () => {
    const result = await drift(base, head, "--app", "chatflow", "--format", "json", "--fail-on", "breaking");
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain("drift: 1 finding(s) at or above --fail-on breaking");
    const report = JSON.parse(result.stdout) as { changes: unknown[]; semver: string; facade: { method: string; details: string[] }[] };
    expect(report.semver).toBe("major");
    expect(report.changes).toEqual([
      {
        severity: "breaking",
        rule: "request-property-made-required",
        operation: "DELETE /conversations/{conversation_id}",
        method: "deleteConversation", // from spec/dify-service.names.json
        pointer: "/paths/~1conversations~1{conversation_id}/delete/requestBody/content/application~1json/schema/properties/user",
        before: false,
        after: true,
        message: "`params.user` is now required",
      },
    ]);
    expect(report.facade).toEqual([expect.objectContaining({ method: "deleteConversation", details: ["params: optional → required", "params.user: optional → required"] })]);
  });

  it("fails with one line and exit code 2 on a missing input", async () => {
    const result = await drift("spec/nope.yaml", head);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim()).toBe("error: spec/nope.yaml: no such file. Fix: pass a spec file or a git revision path such as origin/main:spec/dify-service.openapi.yaml");
  });
});
