/**
 * Writing and checking generated files. Everything is generated in memory
 * first, so a failure never touches the disk; writes then go through a
 * temporary file and a rename, so no reader ever sees half a file.
 */
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";

export interface OutputFile {
  /** Path relative to the project root. */
  path: string;
  content: string;
}

export type FileStatus = "up to date" | "stale" | "missing";

export async function checkFiles(root: string, files: readonly OutputFile[]): Promise<{ path: string; status: FileStatus }[]> {
  return Promise.all(
    files.map(async (file) => {
      const current = await readFile(resolve(root, file.path), "utf8").catch(() => undefined);
      const status: FileStatus = current === undefined ? "missing" : current === file.content ? "up to date" : "stale";
      return { path: file.path, status };
    }),
  );
}

/** Writes only what changed; returns the paths written. */
export async function writeFiles(root: string, files: readonly OutputFile[]): Promise<string[]> {
  const changed = (await checkFiles(root, files)).filter((f) => f.status !== "up to date").map((f) => f.path);
  const toWrite = files.filter((f) => changed.includes(f.path));
  const temps: [string, string][] = [];
  try {
    for (const file of toWrite) {
      const target = resolve(root, file.path);
      const temp = `${target}.${process.pid}.tmp`;
      await mkdir(dirname(target), { recursive: true });
      await writeFile(temp, file.content);
      temps.push([temp, target]);
    }
  } catch (error) {
    await Promise.all(temps.map(([temp]) => rm(temp, { force: true })));
    throw error;
  }
  for (const [temp, target] of temps) await rename(temp, target);
  return changed;
}
