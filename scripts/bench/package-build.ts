/**
 * The package as it ships, built by the same `build()` as `npm run build`
 * (scripts/build.ts) but into the bench's scratch folder, so dist/ is left
 * alone. The type-check section reads its declarations; the runtime section
 * runs its JavaScript, not tsx-transformed sources.
 */
import { join } from "node:path";
import { build } from "../build.js";
import { cacheDir } from "./child.js";

export const packageDir = join(cacheDir, "package");

let built = false;

/** Builds once per bench run; a type error in the package fails the bench (there is nothing valid to measure). */
export function buildPackage(): string {
  if (!built) {
    build(packageDir);
    built = true;
  }
  return packageDir;
}
