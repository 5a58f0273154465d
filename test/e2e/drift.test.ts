/**
 * The product's promise, end to end: a spec change shows up as a compile
 * error at the caller's line.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { createSandbox, type Sandbox } from "./sandbox.js";
import { typeCheck } from "./typecheck.js";

const SPEC = "spec/dify-service.openapi.yaml";
const CALL_LINE = 4;
const consumer = [
  'import { createChatflowClient } from "./generated/dify/chatflow.js";',
  'const client = createChatflowClient({ apiKey: "app-key" });',
  "export async function removeConversation(id: string): Promise<void> {",
  '  await client.deleteConversation(id, { user: "user-1" });',
  "}",
  "",
].join("\n");

describe("a renamed request property breaks the caller at compile time", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await createSandbox();
    await sandbox.write("consumer.ts", consumer);
  });
  afterAll(() => sandbox.dispose());

  it("compiles against the bundled spec", async () => {
    const generated = await sandbox.generate();
    expect(generated.code, generated.stderr).toBe(0);
    expect(typeCheck([join(sandbox.root, "consumer.ts")])).toEqual([]);
  });

  it("fails at the call site once the spec renames `user`", async () => {
    const doc = parseDocument(await sandbox.read(SPEC));
    const schema = ["paths", "/conversations/{conversation_id}", "delete", "requestBody", "content", "application/json", "schema"];
    const userSchema = doc.getIn([...schema, "properties", "user"]);
    doc.deleteIn([...schema, "properties", "user"]);
    doc.setIn([...schema, "properties", "end_user"], userSchema);
    doc.setIn([...schema, "required"], ["end_user"]);
    await sandbox.write(SPEC, doc.toString());

    const generated = await sandbox.generate();
    expect(generated.code, generated.stderr).toBe(0);
    // The name lock keeps the method name, so only the argument breaks.
    expect(await sandbox.read("generated/dify/operations.ts")).toMatch(/deleteConversation\(\s*config: \$ClientContext,\s*conversationId/);

    const errors = typeCheck([join(sandbox.root, "consumer.ts")]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(new RegExp(`consumer\\.ts:${CALL_LINE}: .*'user'`));
  });
});
