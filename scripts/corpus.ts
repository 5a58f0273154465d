/**
 * npm run test:corpus [-- <corpus folder>] [-- --keep]
 *
 * Generates and type-checks every spec of the corpus (default test/fixtures/corpus/,
 * gzipped or plain .yaml/.yml/.json, any depth) and prints one line per spec that is not
 * "compiled clean" or a clean refusal of an invalid document, then the summary:
 *
 *   N specs, G generated, C compiled clean, E clean errors, X other
 *
 * Exits 1 when X > 0. Output goes to a fresh folder under .scratch/ (see
 * scripts/corpus/run-corpus.ts for why inside the project), removed afterwards unless --keep.
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { listCorpus, runCorpus, summaryLine } from "./corpus/run-corpus.js";

const root = process.cwd();

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ options: { keep: { type: "boolean", default: false }, verbose: { type: "boolean", default: false } }, allowPositionals: true, strict: true });
  const dir = resolve(root, positionals[0] ?? "test/fixtures/corpus");
  const specs = await listCorpus(dir);
  if (specs.length === 0) {
    console.error(`error: no .yaml, .yml or .json(.gz) specs under ${dir}. Fix: pass the corpus folder`);
    return 2;
  }
  await mkdir(join(root, ".scratch"), { recursive: true });
  const workDir = await mkdtemp(join(root, ".scratch", "corpus-"));
  try {
    const outcomes = await runCorpus(root, workDir, specs, values.verbose ? (line) => console.error(line) : undefined);
    for (const o of outcomes) {
      if (o.warnings.length > 0) console.log(`${o.warnings.length} warning(s) ${o.id}: ${values.verbose ? o.warnings.join(" | ") : o.warnings[0]}`);
      if (o.status === "clean error" && values.verbose) console.log(`clean error ${o.id}: ${o.detail}`);
      if (o.status === "other") console.log(`FAIL ${o.id}: ${o.detail}`);
    }
    console.log(summaryLine(outcomes));
    if (values.keep) console.log(`output kept in ${workDir}`);
    return outcomes.some((o) => o.status === "other") ? 1 : 0;
  } finally {
    if (!values.keep) await rm(workDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 2;
  },
);
