/**
 * Generation loads one TypeScript compiler: ts-morph prints the facades on the project's own
 * TypeScript (which openapi-typescript and fitLines load anyway), not on the copy @ts-morph/common
 * bundles (a second compiler: time and memory on every generation, for nothing the output needs).
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { expect, it } from "vitest";
import { emitClientFiles } from "../../src/codegen/emit-client.js";

const require = createRequire(import.meta.url);

it("ts-morph runs on the project's TypeScript, and the bundled copy is never loaded", () => {
  expect(typeof emitClientFiles).toBe("function");
  const morph = require("ts-morph") as typeof import("ts-morph");
  const project = require("typescript") as typeof import("typescript");
  // ts-morph re-exports the compiler through an interop namespace: the same functions, not the same object.
  expect(morph.ts.createSourceFile).toBe(project.createSourceFile);
  expect(morph.ts.version).toBe(project.version);
  const bundled = join(dirname(createRequire(require.resolve("ts-morph")).resolve("@ts-morph/common")), "typescript.js");
  expect(require.cache[bundled]).toBe(require.cache[require.resolve("typescript")]);
});
