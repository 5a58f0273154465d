/**
 * Builds and packs the package the way a release does (scripts/build.ts, then `npm pack`), but in
 * a temporary folder: the package.json and README are copied into a staging folder, dist/ is
 * built there, and the tarball lands beside it. Nothing in the work tree is written, so the
 * test neither races with nor packs a developer's stale dist/.
 */
import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "../../scripts/build.js";

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export interface PackageManifest {
  name: string;
  version: string;
  exports: Record<string, string | Record<string, string>>;
  dependencies?: Record<string, string>;
  [field: string]: unknown;
}

export interface PackedPackage {
  /** Temporary folder holding the tarball; tests put their consumer projects here too. */
  dir: string;
  /** The staged package folder that was packed: package.json, README.md, dist/. */
  packageDir: string;
  tarball: string;
  /** Paths inside the tarball (without the `package/` prefix), sorted. */
  files: string[];
  manifest: PackageManifest;
  dispose(): Promise<void>;
}

export async function packPackage(): Promise<PackedPackage> {
  const dir = await mkdtemp(join(tmpdir(), "dify-package-"));
  try {
    const stage = join(dir, "stage");
    await mkdir(stage);
    // npm always packs package.json and the README; `files` decides the rest, i.e. dist/.
    await copyFile(join(projectRoot, "package.json"), join(stage, "package.json"));
    await copyFile(join(projectRoot, "README.md"), join(stage, "README.md"));
    build(join(stage, "dist"));

    const result = await run("npm", ["pack", "--json", "--pack-destination", dir], { cwd: stage });
    if (result.code !== 0) throw new Error(`npm pack failed (${result.code}):\n${result.stderr}`);
    const [packed] = JSON.parse(result.stdout) as { filename: string; files: { path: string }[] }[];
    if (!packed) throw new Error(`npm pack printed no package:\n${result.stdout}`);
    const manifest = JSON.parse(await readFile(join(stage, "package.json"), "utf8")) as PackageManifest;
    return {
      dir,
      packageDir: stage,
      tarball: join(dir, packed.filename),
      files: packed.files.map((file) => file.path).sort(),
      manifest,
      dispose: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command without a shell and never rejects: the exit code is part of the result. */
export function run(command: string, args: string[], options: { cwd: string; timeoutMs?: number }): Promise<RunResult> {
  return new Promise((done) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd,
        timeout: options.timeoutMs ?? 30_000,
        maxBuffer: 16 * 1024 * 1024,
        env: childEnv(),
        // npm is npm.cmd on Windows, which needs a shell.
        shell: process.platform === "win32",
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        done({ code, stdout, stderr: error && code === 1 && !stderr ? error.message : stderr });
      },
    );
  });
}

/**
 * The environment for child commands. Under `npm test` the parent npm describes this project in
 * npm_config_local_prefix, npm_package_* and npm_lifecycle_*: a child npm working on the staged
 * package or the consumer project must not see them. Update notices would only add noise.
 */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NO_COLOR: "1", FORCE_COLOR: "0", npm_config_update_notifier: "false" };
  for (const [name, value] of Object.entries(process.env)) {
    if (/^npm_(config_local_prefix|package_|lifecycle_)/i.test(name)) continue;
    env[name] ??= value;
  }
  return env;
}
