/**
 * Section 4: bundle size, measured by scripts/size.ts (which owns the cases and targets):
 * run as its own process, its table passed through; its exit code is the verdict
 * (0: every bundle within its target, 1: one over).
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { projectRoot } from "./child.js";
import type { SectionOptions, TargetRow } from "./section.js";

const tsxCli = createRequire(import.meta.url).resolve("tsx/cli");

export async function sizeSection(_options: SectionOptions): Promise<TargetRow[]> {
  const { code, output } = await new Promise<{ code: number | null; output: string }>((done, fail) => {
    const child = spawn(process.execPath, [tsxCli, join(projectRoot, "scripts/size.ts")], { cwd: projectRoot, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.on("error", fail);
    child.on("close", (exit) => done({ code: exit, output }));
  });
  console.log("`tsx scripts/size.ts` (also `npm run size`), output unchanged:\n");
  console.log(output.trimEnd());
  if (code !== 0 && code !== 1) throw new Error(`scripts/size.ts failed (exit ${code})`);
  // One summary row per bundle that has a target: `name  minified  gzip  ≤ target  pass|FAIL  paths`.
  const rows = output.split("\n").flatMap((line): TargetRow[] => {
    const match = /^(.+?)\s{2,}[\d.]+ kB\s+([\d.]+ kB)\s+≤ ([\d.]+ kB)\s+(pass|FAIL)/.exec(line);
    return match ? [{ section: "size", what: `${match[1]}, min+gzip`, target: `≤ ${match[3]}`, measured: match[2]!, status: match[4] === "pass" ? "met" : "MISSED" }] : [];
  });
  if (rows.length === 0) throw new Error(`scripts/size.ts printed no bundle with a target:\n${output}`);
  return rows;
}
