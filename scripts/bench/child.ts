/**
 * Fresh processes for measurements that must not share a heap or a module cache:
 * the parent times the whole process, the child reports what only it can see.
 */
import { spawn } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** Scratch space inside the project, so children resolve node_modules like the project does. */
export const cacheDir = join(projectRoot, "node_modules/.cache/dify-chatflow-bench");

const RESULT_PREFIX = "BENCH_RESULT ";

export interface ChildRun<T> {
  /** Spawn to exit, as a user at a shell would time it (node start-up and module loading included). */
  wallMs: number;
  /** What the child printed with `reportResult`, or undefined. */
  report: T | undefined;
  stdout: string;
  stderr: string;
}

/** Runs `node [nodeArgs] <args>` in the project root; rejects on a non-zero exit, with its stderr. */
export function runNode<T>(args: readonly string[], nodeArgs: readonly string[] = []): Promise<ChildRun<T>> {
  return new Promise((done, fail) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [...nodeArgs, ...args], { cwd: projectRoot, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", fail);
    child.on("close", (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0) {
        fail(new Error(`node ${args.join(" ")} exited with ${code}:\n${stderr.trim() || stdout.trim()}`));
        return;
      }
      const line = stdout.split("\n").find((l) => l.startsWith(RESULT_PREFIX));
      done({ wallMs, report: line === undefined ? undefined : (JSON.parse(line.slice(RESULT_PREFIX.length)) as T), stdout, stderr });
    });
  });
}

/** Runs a TypeScript module of this folder under tsx, as `npm run` scripts run. */
export function runTsChild<T>(script: string, args: readonly string[], nodeArgs: readonly string[] = []): Promise<ChildRun<T>> {
  return runNode<T>([join(projectRoot, "scripts/bench", script), ...args], [...nodeArgs, "--import", "tsx"]);
}

/** The child's side: one line on stdout that the parent parses. */
export function reportResult(value: unknown): void {
  console.log(RESULT_PREFIX + JSON.stringify(value));
}
