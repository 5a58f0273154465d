/**
 * ts-morph runs on the project's TypeScript (the one openapi-typescript and line-width.ts load
 * anyway) instead of loading the copy @ts-morph/common bundles: a second compiler costs every
 * generation about 0.2 s of CPU and 25-50 MB to load, and printing structures needs nothing of it.
 * Every module takes ts-morph's values from here (types may come from "ts-morph" itself), so each
 * process has one ts-morph on one TypeScript. They are loaded with `require`: an ESM `import` of the
 * CommonJS ts-morph took ~50 ms longer per process (~130 vs ~75 ms, under tsx), time every generation pays.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
// @ts-morph/common's `require("./typescript")`: answered from the require cache with the project's module.
const bundled = join(dirname(createRequire(require.resolve("ts-morph")).resolve("@ts-morph/common")), "typescript.js");
if (!require.cache[bundled]) {
  require("typescript");
  require.cache[bundled] = require.cache[require.resolve("typescript")];
}

const tsMorph = require("ts-morph") as typeof import("ts-morph");
export const { printStructure, Project, StructureKind, TypeFormatFlags, VariableDeclarationKind } = tsMorph;
