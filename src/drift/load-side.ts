/**
 * Reading one side of a comparison: a spec file, or a git revision path
 * (`origin/main:spec/dify-service.openapi.yaml`, read with `git show`, so the
 * working tree is never touched). Every failure is one GeneratorError line
 * naming the input and the fix.
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { GeneratorError } from "../codegen/errors.js";

export interface SideSource {
  /** The input as the user gave it; names the side in the report and in errors. */
  label: string;
  text: string;
  /** Set for a git revision path: `rev` and the path as written after the colon. */
  revision?: { rev: string; path: string };
}

/** `rev:path`; a Windows drive letter (`C:\…`) is a file, not a revision. */
export const REVISION_PATH = /^(?![A-Za-z]:[\\/])([^:]+):(.+)$/;

export async function readSideSource(input: string, cwd: string): Promise<SideSource> {
  const file = resolve(cwd, input);
  const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => error);
  if (typeof text === "string") return { label: input, text };
  if (text.code !== "ENOENT" && text.code !== "ENOTDIR") {
    throw new GeneratorError(input, undefined, `cannot read the spec (${text.code ?? text.message})`, "pass a readable spec file or a git revision path such as origin/main:spec/dify-service.openapi.yaml");
  }
  const match = REVISION_PATH.exec(input);
  if (!match) {
    throw new GeneratorError(input, undefined, "no such file", "pass a spec file or a git revision path such as origin/main:spec/dify-service.openapi.yaml");
  }
  const [, rev, path] = match as unknown as [string, string, string];
  return { label: input, text: await showAtRevision(input, rev, path, cwd), revision: { rev, path } };
}

/**
 * A file next to the spec at the same revision (its overlay, its name lock);
 * undefined when that revision has no such file. `path` is relative to `cwd`.
 */
export async function readSiblingAtRevision(revision: { rev: string }, path: string, cwd: string): Promise<string | undefined> {
  const result = await git(["show", `${revision.rev}:./${path}`], cwd);
  return result.ok ? result.stdout : undefined;
}

async function showAtRevision(input: string, rev: string, path: string, cwd: string): Promise<string> {
  const inside = await git(["rev-parse", "--is-inside-work-tree"], cwd);
  if (!inside.ok) {
    throw new GeneratorError(input, undefined, `no such file, and ${cwd} is not inside a git repository to read it as a revision`, "pass a spec file, or run from inside the repository");
  }
  const commit = await git(["rev-parse", "--verify", "--quiet", `${rev}^{commit}`], cwd);
  if (!commit.ok) {
    throw new GeneratorError(
      input,
      undefined,
      `no such file, and ${JSON.stringify(rev)} is not a git revision known here`,
      `fetch it first (\`git fetch origin\`; in CI check out with fetch-depth: 0) or check the name with \`git log --oneline\``,
    );
  }
  const shown = await git(["show", `${rev}:${path}`], cwd);
  if (!shown.ok) {
    throw new GeneratorError(input, undefined, `${path} does not exist at ${rev}`, `check the path with \`git ls-tree -r --name-only ${rev}\` (paths are relative to the repository root; start with ./ for the current folder)`);
  }
  return shown.stdout;
}

function git(args: string[], cwd: string): Promise<{ ok: boolean; stdout: string }> {
  return new Promise((done) => {
    execFile("git", args, { cwd, maxBuffer: 256 * 1024 * 1024, encoding: "utf8" }, (error, stdout) => done({ ok: !error, stdout }));
  });
}
