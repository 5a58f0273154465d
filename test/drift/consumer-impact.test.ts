/**
 * `--consumer`: a tiny app in a temp folder, importing the client both by
 * package name and by a relative path into the project, type-checked against
 * the client generated from each side. Only call sites the head breaks are
 * listed, as `file:line: message` relative to the app's folder, and nothing
 * in the project tree is written.
 */
import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDriftReport, type DriftReport } from "../../src/drift/drift-report.js";
import { doc, json, object, pathParam } from "./spec-builders.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Two operations of the Chatflow API, small enough to generate in a blink; the project's lock names them. */
const chatflow = (userProperty: string, withMeta: boolean) =>
  doc({
    "/conversations/{conversation_id}": {
      delete: {
        summary: "Delete Conversation",
        parameters: [pathParam("conversation_id")],
        requestBody: { required: true, content: { "application/json": { schema: object({ [userProperty]: { type: "string" } }, [userProperty]) } } },
        responses: { "204": { description: "deleted" } },
      },
    },
    ...(withMeta && { "/meta": { get: { summary: "Get App Meta", responses: json(object({ tool_icons: { type: "object" } })) } } }),
  });

const APP = [
  'import { createChatflowClient } from "dify-service-client";',
  'const client = createChatflowClient({ apiKey: "app-key" });',
  "export async function cleanUp(id: string): Promise<void> {",
  '  await client.deleteConversation(id, { user: "user-1" });',
  "  const meta = await client.getAppMeta();",
  "  console.log(meta.tool_icons);",
  "}",
  "",
].join("\n");

let dir: string;
let report: DriftReport;
let generatedBefore: number[];

const generatedMtimes = () => Promise.all(["chatflow.ts", "operations.ts", "schema.d.ts"].map(async (f) => (await stat(join(ROOT, "generated/dify", f))).mtimeMs));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "drift-consumer-"));
  // The head renames the DELETE body's `user` to `end_user` and drops GET /meta.
  await writeFile(join(dir, "base.json"), JSON.stringify(chatflow("user", true)));
  await writeFile(join(dir, "head.json"), JSON.stringify(chatflow("end_user", false)));

  const app = join(dir, "app");
  await mkdir(join(app, "src"), { recursive: true });
  await writeFile(
    join(app, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, skipLibCheck: true, noEmit: true, lib: ["ES2022", "DOM"], types: [] }, include: ["src"] }),
  );
  await writeFile(join(app, "src/app.ts"), APP);
  // A second file reaching the generated client by relative path, the way a monorepo neighbour would.
  const clientPath = relative(join(app, "src"), join(ROOT, "generated/dify/chatflow.js")).split("\\").join("/");
  await writeFile(join(app, "src/direct.ts"), [`import { deleteConversation, type ChatflowConfig } from "${clientPath}";`, "export const remove = (config: ChatflowConfig, id: string) =>", '  deleteConversation(config, id, { user: "user-1" });', ""].join("\n"));

  generatedBefore = await generatedMtimes();
  report = await buildDriftReport({ cwd: ROOT, base: join(dir, "base.json"), head: join(dir, "head.json"), app: "chatflow", consumer: join(app, "tsconfig.json"), facade: false });
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe("consumer impact", () => {
  it("lists each call site the head breaks, as file:line: message", () => {
    expect(report.consumer?.preexisting).toBe(0);
    expect(report.consumer?.errors).toHaveLength(3);
    expect(report.consumer?.errors).toEqual([
      expect.stringMatching(/^src\/app\.ts:4: .*'user'/),
      expect.stringMatching(/^src\/app\.ts:5: Property 'getAppMeta' does not exist/),
      expect.stringMatching(/^src\/direct\.ts:3: .*'user'/),
    ]);
  });

  it("reports the matching spec changes with their methods", () => {
    const rules = report.changes.filter((c) => c.severity === "breaking").map((c) => `${c.rule} ${c.method}`);
    expect(rules).toEqual(expect.arrayContaining(["operation-removed getAppMeta", "request-property-removed deleteConversation", "request-property-added-required deleteConversation"]));
  });

  it("writes nothing into the project's generated files", async () => {
    expect(await generatedMtimes()).toEqual(generatedBefore);
  });

  it("rejects a consumer tsconfig that does not exist", async () => {
    const base = join(dir, "base.json");
    const error = await buildDriftReport({ cwd: ROOT, base, head: base, consumer: join(dir, "nope/tsconfig.json"), facade: false }).catch((e: unknown) => e as Error);
    expect((error as Error).message).toMatch(/nope\/tsconfig\.json: cannot read the consumer's tsconfig .*Fix: pass --consumer the tsconfig\.json of the project that calls the client$/);
  });
});
