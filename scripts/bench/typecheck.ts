/**
 * Section 2: what the client costs a consumer's type-check. The same 50 calls
 * (consumer-calls.ts) through our facade as shipped (the declaration files of
 * package-build.ts), imported from the package root (all six app-type clients) and
 * from `./chatflow`, through plain openapi-fetch with the same schema.d.ts, and,
 * for reference, through the facade's .ts sources. Each run is a
 * fresh `tsc -p <consumer> --extendedDiagnostics`; alternating; medians.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative, sep } from "node:path";
import ts from "typescript";
import { cacheDir, projectRoot, runNode } from "./child.js";
import { CALL_COUNT, facadeConsumer, OPERATION_COUNT, openapiFetchConsumer } from "./consumer-calls.js";
import { buildPackage, packageDir } from "./package-build.js";
import type { SectionOptions, TargetRow } from "./section.js";
import { alternate, formatRatio, median, ms, ratio, spread, verdict } from "./stats.js";
import { table } from "./table.js";

/** issue 12: "stays ≤ 0.2× with all six app-type clients in the package, importing from the package root". */
export const TYPECHECK_TARGET = 0.2;

const dir = join(cacheDir, "typecheck");
const tsc = createRequire(import.meta.url).resolve("typescript/lib/tsc.js");

// The judged consumer imports the package root, which exports all six app-type clients.
const JUDGED = "facade (.d.ts, package root)";
type Consumer = typeof JUDGED | "facade (.d.ts, ./chatflow entry)" | "openapi-fetch createClient<paths>" | "facade (.ts sources)";
const CONSUMERS: readonly Consumer[] = [JUDGED, "facade (.d.ts, ./chatflow entry)", "openapi-fetch createClient<paths>", "facade (.ts sources)"];
const folder: Record<Consumer, string> = {
  [JUDGED]: "facade-dts",
  "facade (.d.ts, ./chatflow entry)": "facade-dts-chatflow",
  "openapi-fetch createClient<paths>": "openapi-fetch",
  "facade (.ts sources)": "facade-ts",
};

/** An app's strict settings: the project's own tsconfig.json, with skipLibCheck as most apps set it and no Node types. */
const CONSUMER_TSCONFIG = {
  extends: join(projectRoot, "tsconfig.json"),
  compilerOptions: { types: [], skipLibCheck: true, noEmit: true },
  include: [],
  files: ["consumer.ts"],
};

function specifier(from: string, to: string): string {
  const path = relative(from, to).split(sep).join("/");
  return path.startsWith(".") ? path : `./${path}`;
}

function writeConsumers(): void {
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module", private: true }));
  const sources: Record<Consumer, string> = {
    [JUDGED]: facadeConsumer(specifier(join(dir, "facade-dts"), join(packageDir, "src/index.js"))),
    "facade (.d.ts, ./chatflow entry)": facadeConsumer(specifier(join(dir, "facade-dts-chatflow"), join(packageDir, "src/chatflow.js"))),
    "openapi-fetch createClient<paths>": openapiFetchConsumer(specifier(join(dir, "openapi-fetch"), join(packageDir, "generated/dify/schema.js"))),
    "facade (.ts sources)": facadeConsumer(specifier(join(dir, "facade-ts"), join(projectRoot, "src/index.js"))),
  };
  for (const consumer of CONSUMERS) {
    const at = join(dir, folder[consumer]);
    mkdirSync(at, { recursive: true });
    writeFileSync(join(at, "consumer.ts"), sources[consumer]);
    writeFileSync(join(at, "tsconfig.json"), JSON.stringify(CONSUMER_TSCONFIG, null, 2));
  }
}

interface Check {
  wallMs: number;
  checkMs: number;
  totalMs: number;
  files: number;
  types: number;
  instantiations: number;
}

/** One `tsc -p` run; tsc exits non-zero on any type error, which fails the benchmark rather than timing broken code. */
async function check(consumer: Consumer): Promise<Check> {
  const { wallMs, stdout } = await runNode([tsc, "-p", join(dir, folder[consumer]), "--extendedDiagnostics"]);
  const read = (label: string): number => {
    const match = new RegExp(`^${label}:\\s+([\\d.]+)(s?)`, "m").exec(stdout);
    if (!match) throw new Error(`tsc --extendedDiagnostics printed no "${label}":\n${stdout}`);
    return Number(match[1]) * (match[2] === "s" ? 1000 : 1);
  };
  return { wallMs, checkMs: read("Check time"), totalMs: read("Total time"), files: read("Files"), types: read("Types"), instantiations: read("Instantiations") };
}

export async function typecheckSection(options: SectionOptions): Promise<TargetRow[]> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  buildPackage();
  writeConsumers();

  const rounds = options.quick ? 3 : 5;
  const results = await alternate(CONSUMERS, rounds, (consumer) => check(consumer));
  const med = (consumer: Consumer, key: keyof Check) => median(results[consumer].map((run) => run[key]));
  const baseline: Consumer = "openapi-fetch createClient<paths>";
  const rows = [[`consumer (${CALL_COUNT} calls, chatflow)`, "files", "types", "instantiations", "check time", "check spread", "ratio", `target ≤ ${TYPECHECK_TARGET}×`, "tsc total", "total ratio", "process wall"]];
  for (const consumer of CONSUMERS) {
    const checkRatio = ratio(med(consumer, "checkMs"), med(baseline, "checkMs"));
    rows.push([
      consumer,
      String(med(consumer, "files")),
      String(med(consumer, "types")),
      String(med(consumer, "instantiations")),
      ms(med(consumer, "checkMs")),
      spread(results[consumer].map((run) => run.checkMs), ms),
      consumer === baseline ? "1.00× (baseline)" : formatRatio(checkRatio),
      consumer === JUDGED ? verdict(checkRatio, TYPECHECK_TARGET) : "",
      ms(med(consumer, "totalMs")),
      formatRatio(ratio(med(consumer, "totalMs"), med(baseline, "totalMs"))),
      ms(med(consumer, "wallMs")),
    ]);
  }
  console.log(`Each consumer makes the same ${CALL_COUNT} calls (${OPERATION_COUNT} operations, each twice) and awaits each result; tsc ${ts.version},`);
  console.log(`strict, skipLibCheck, ${rounds} alternating runs, medians. "check time", "tsc total" (I/O, parse, bind, check)`);
  console.log("are tsc's own --extendedDiagnostics figures; \"process wall\" adds node start-up and loading tsc.");
  console.log("The target applies to check time. Types/instantiations are deterministic counts (no noise).\n");
  console.log(table(rows));
  const facadeRatio = ratio(med(JUDGED, "checkMs"), med(baseline, "checkMs"));
  return [
    { section: "typecheck", what: `consumer check time, ${CALL_COUNT} calls, package root (six clients) .d.ts vs openapi-fetch`, target: `≤ ${TYPECHECK_TARGET}×`, measured: formatRatio(facadeRatio), status: verdict(facadeRatio, TYPECHECK_TARGET) },
  ];
}
