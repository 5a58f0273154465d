/**
 * The mock and the spec's examples stay out of every client bundle: only the `./testing`
 * entries reach them (esbuild's metafile lists each bundle's inputs).
 */
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const ENTRIES = ["index", "chatflow", "chat", "agent", "workflow", "completion", "knowledge", "runtime/index"];

async function inputs(entry: string): Promise<string[]> {
  const result = await build({ entryPoints: [`src/${entry}.ts`], absWorkingDir: root, bundle: true, write: false, metafile: true, format: "esm", platform: "neutral", logLevel: "silent", external: ["msw"] });
  return Object.keys(result.metafile.inputs);
}

describe("bundles", () => {
  it.each(ENTRIES)("src/%s.ts carries neither src/testing nor generated/dify/examples.ts", async (entry) => {
    const files = await inputs(entry);
    expect(files.length).toBeGreaterThan(3);
    expect(files.filter((file) => file.startsWith("src/testing/") || file === "generated/dify/examples.ts")).toEqual([]);
  });

  it("the ./testing entry carries the examples, and not msw; ./testing/msw imports msw", async () => {
    const testing = await inputs("testing");
    expect(testing).toContain("generated/dify/examples.ts");
    expect(testing.filter((file) => file.includes("msw"))).toEqual([]);
    const msw = await build({ entryPoints: ["src/testing/msw.ts"], absWorkingDir: root, bundle: true, write: false, metafile: true, format: "esm", platform: "neutral", logLevel: "silent", external: ["msw"] });
    expect(Object.values(msw.metafile.outputs)[0]!.imports.map((i) => i.path)).toContain("msw");
  });
});
