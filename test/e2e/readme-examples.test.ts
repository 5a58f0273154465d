/**
 * The README's TypeScript examples compile against the package as it is: each
 * ```ts block becomes a module importing the package's entry points from
 * src/, with the free variables a snippet assumes (`client`, `bytes`, …)
 * declared, and the project's compiler settings check them.
 */
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { projectRoot } from "./sandbox.js";
import { typeCheck } from "./typecheck.js";

const dir = join(projectRoot, ".vitest-tmp", `readme-${process.pid}`);
afterAll(() => rm(dir, { recursive: true, force: true }));

/** What snippets use without declaring: declared (with these types) only where a snippet does not declare it itself. */
const FREE: Record<string, string> = {
  client: "ChatflowClient",
  workflowClient: "WorkflowClient",
  conversationId: "string",
  bytes: "Uint8Array<ArrayBuffer>",
  apiKey: "string",
  user: "string",
  signal: "AbortSignal",
  log: "(...args: unknown[]) => void",
};

describe("README examples", () => {
  it("every ```ts block type-checks against the package's entry points", async () => {
    const readme = await readFile(join(projectRoot, "README.md"), "utf8");
    const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThanOrEqual(7);
    await mkdir(dir, { recursive: true });
    const files: string[] = [];
    for (const [i, block] of blocks.entries()) {
      // The package's specifiers, as its own sources: `dify-service-client/workflow` → src/workflow.ts, `…/testing/msw` → src/testing/msw.ts.
      const code = block.replace(/from "dify-service-client(?:\/([\w/]+))?"/g, (_, entry: string | undefined) => `from "../../src/${entry ?? "index"}.js"`);
      const declared = (name: string) => new RegExp(`\\b(const|let|function)\\s+${name}\\b|import \\{[^}]*\\b${name}\\b`).test(code);
      const prelude = [
        // A snippet that continues the quick start uses createChatflowClient without importing it again.
        `import { ${["createChatflowClient", "type ChatflowClient", "type WorkflowClient"].filter((name) => !declared(name.replace("type ", ""))).join(", ")} } from "../../src/index.js";`,
        ...Object.entries(FREE).filter(([name]) => !declared(name)).map(([name, type]) => `declare const ${name}: ${type};`),
      ];
      const file = join(dir, `example-${i}.ts`);
      await writeFile(file, `${prelude.join("\n")}\n${code}\nexport {};\n`);
      files.push(file);
    }
    // Unused prelude imports are fine; anything else is an example that no longer matches the API.
    expect(typeCheck(files).filter((d) => !/is declared but (its value is )?never (read|used)/.test(d))).toEqual([]);
  });
});
