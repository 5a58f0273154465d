/**
 * `npm run bench`: the numbers issues 6 and 12 ask for, in one run, each against its baseline
 * measured alternately in the same run (medians of several runs):
 *
 *   1. generation   time and peak memory, ours vs openapi-typescript alone (Petstore, OpenAI, Stripe, GitHub)
 *   2. typecheck    a consumer's 50 calls: facade .d.ts vs plain openapi-fetch createClient<paths>
 *   3. runtime      per-call time with an in-memory fetch: facade vs openapi-fetch vs bare fetch
 *   4. size         bundle sizes (scripts/size.ts)
 *
 *   tsx scripts/bench.ts [--quick] [--only <section>[,<section>]]
 *
 * --quick does fewer runs and no profiles: a check that the benchmark works, not a measurement.
 * Exit code: 0 when every target is met, 1 when one is missed, 2 when the benchmark itself failed.
 * Results and their discussion: docs/benchmarks.md.
 */
import { readFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { projectRoot } from "./bench/child.js";
import { generationSection } from "./bench/generation.js";
import { runtimeSection } from "./bench/runtime.js";
import type { SectionOptions, TargetRow } from "./bench/section.js";
import { sizeSection } from "./bench/bundle-size.js";
import { ms } from "./bench/stats.js";
import { table } from "./bench/table.js";
import { typecheckSection } from "./bench/typecheck.js";

const SECTIONS = {
  generation: { title: "1. Generation: ours vs openapi-typescript alone", run: generationSection },
  typecheck: { title: "2. Consumer type-check: facade .d.ts vs plain openapi-fetch", run: typecheckSection },
  runtime: { title: "3. Per-call runtime overhead, in-memory fetch", run: runtimeSection },
  size: { title: "4. Bundle size", run: sizeSection },
} satisfies Record<string, { title: string; run: (options: SectionOptions) => Promise<TargetRow[]> }>;
type SectionName = keyof typeof SECTIONS;

function version(pkg: string): string {
  return (JSON.parse(readFileSync(join(projectRoot, "node_modules", pkg, "package.json"), "utf8")) as { version: string }).version;
}

const load = () => loadavg().map((value) => value.toFixed(2)).join(" ");

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { quick: { type: "boolean", default: false }, only: { type: "string", multiple: true } } });
  const only = (values.only ?? []).flatMap((value) => value.split(",")).map((value) => value.trim());
  const unknown = only.filter((name) => !(name in SECTIONS));
  if (unknown.length > 0) {
    console.error(`unknown section ${unknown.join(", ")}: choose from ${Object.keys(SECTIONS).join(", ")}`);
    return 2;
  }
  const selected = (Object.keys(SECTIONS) as SectionName[]).filter((name) => only.length === 0 || only.includes(name));
  const options: SectionOptions = { quick: values.quick };

  console.log(`# npm run bench${values.quick ? " -- --quick (fewer runs: not a measurement)" : ""}\n`);
  console.log(`${new Date().toISOString()} · node ${process.version} · ${availableParallelism()} CPUs (${cpus()[0]?.model.trim() ?? "unknown"}) · ${Math.round(totalmem() / 2 ** 30)} GiB`);
  console.log(`typescript ${version("typescript")} · openapi-typescript ${version("openapi-typescript")} · openapi-fetch ${version("openapi-fetch")} · ts-morph ${version("ts-morph")}`);
  console.log(`load average at start: ${load()}`);

  const started = performance.now();
  const summary: TargetRow[] = [];
  for (const name of selected) {
    const section = SECTIONS[name];
    const sectionStarted = performance.now();
    console.log(`\n## ${section.title}\n`);
    summary.push(...(await section.run(options)));
    console.log(`\n(${name}: ${ms(performance.now() - sectionStarted)})`);
  }

  console.log("\n## Summary\n");
  console.log(table([["section", "measure", "target", "measured", "status"], ...summary.map((row) => [row.section, row.what, row.target, row.measured, row.status])], 2));
  console.log(`\ntotal ${ms(performance.now() - started)} · load average at end: ${load()}`);
  return summary.some((row) => row.status === "MISSED") ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(2);
  },
);
