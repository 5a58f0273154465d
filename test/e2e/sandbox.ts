/**
 * A throwaway copy of the project for tests that run the generator for real:
 * the bundled config and spec are copied, src/ and node_modules/ are linked,
 * so generated facades resolve the real runtime and nothing in the tree is written.
 */
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export interface Sandbox {
  root: string;
  read(path: string): Promise<string>;
  write(path: string, content: string): Promise<void>;
  /** Runs scripts/generate.ts with the sandbox as working directory. */
  generate(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  dispose(): Promise<void>;
}

export async function createSandbox(options: { withGenerated?: boolean } = {}): Promise<Sandbox> {
  const root = await mkdtemp(join(tmpdir(), "codegen-sandbox-"));
  await symlink(join(projectRoot, "src"), join(root, "src"), "dir");
  await symlink(join(projectRoot, "node_modules"), join(root, "node_modules"), "dir");
  await cp(join(projectRoot, "spec"), join(root, "spec"), { recursive: true });
  await cp(join(projectRoot, "codegen.config.json"), join(root, "codegen.config.json"));
  await cp(join(projectRoot, "package.json"), join(root, "package.json"));
  if (options.withGenerated) await cp(join(projectRoot, "generated"), join(root, "generated"), { recursive: true });
  return {
    root,
    read: (path) => readFile(join(root, path), "utf8"),
    write: async (path, content) => {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), content);
    },
    generate: (...args) =>
      new Promise((done) => {
        execFile(
          process.execPath,
          [join(projectRoot, "node_modules/tsx/dist/cli.mjs"), join(projectRoot, "scripts/generate.ts"), ...args],
          { cwd: root },
          (error, stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
        );
      }),
    dispose: () => rm(root, { recursive: true, force: true }),
  };
}
