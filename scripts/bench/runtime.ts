/**
 * Section 3: per-call overhead with an in-memory fetch (runtime-child.ts): the facade
 * with its defaults and with retries/timeouts switched off, plain openapi-fetch, and a
 * bare fetch call. When the facade misses the target, a CPU profile of it says where.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { cacheDir, projectRoot, runTsChild } from "./child.js";
import { buildPackage } from "./package-build.js";
import { inclusiveTimeBy, leafTimeBy, selfTimeBy, shortUrl, top, totalMs, type CpuProfile, type Frame } from "./profile.js";
import { OPERATIONS, PROFILE_INTERVAL_US, PROFILED_CALLS, VARIANTS, type RuntimeReport, type Variant } from "./runtime-cases.js";
import type { SectionOptions, TargetRow } from "./section.js";
import { formatRatio, ms, ratio, spread, verdict } from "./stats.js";
import { table } from "./table.js";

/** issue 12: "per call ≤ 1.05× openapi-fetch, with default options". */
export const RUNTIME_TARGET = 1.05;

const us = (value: number) => `${value.toFixed(1)} µs`;

/** `src/runtime/retry.js:sendOnce`, or a package name; natives keep the name of what they entered. */
function label(owner: Frame, callee?: Frame): string {
  const file = shortUrl(owner.url, projectRoot);
  const entered = callee?.functionName.replace(/^_/, "");
  if (file === "scripts/bench/runtime-child.ts" && owner.functionName === "cannedFetch") return "canned fetch → Response (the in-memory server; every contender pays it)";
  if (file.startsWith("scripts/bench/")) return "(bench harness: call loop, profiler)";
  const where = file.startsWith("src/") ? `${file}:${owner.functionName || "(anonymous)"}` : file;
  return entered ? `${where} → ${entered}` : where;
}

/** Where the facade's time goes: self time (natives charged to their caller) and our functions' inclusive time. */
function facadeTables(taken: CpuProfile): string {
  const total = totalMs(taken);
  const share = (value: number) => `${((100 * value) / total).toFixed(1)} %`;
  const self = [["self time (natives charged to their caller → what it entered)", "ms", "share"]];
  for (const [key, value] of top(selfTimeBy(taken, label), 40)) if (value / total >= 0.01) self.push([key, ms(value), share(value)]);
  const inclusive = [["inclusive time of src/runtime functions", "ms", "share"]];
  const ours = inclusiveTimeBy(taken, (frame) => (shortUrl(frame.url, projectRoot).startsWith("src/runtime/") ? label(frame) : undefined));
  for (const [key, value] of top(ours, 12)) if (value / total >= 0.005) inclusive.push([key, ms(value), share(value)]);
  return [
    `CPU profile of the facade (defaults), ${PROFILED_CALLS.toLocaleString("en-US")} calls of each request, ${ms(total)} sampled every ${PROFILE_INTERVAL_US} µs. src/runtime/*.js is tsc's`,
    'output of src/runtime/*.ts; "(anonymous)" in retry.js is the fetch function retryingFetch returns. Async continuations',
    "start from a fresh stack, so inclusive times undercount callers.\n",
    table(self),
    "",
    table(inclusive),
  ].join("\n");
}

/** `src/runtime/retry.js:attemptOnce`, `openapi-fetch:mergeHeaders`, `node:internal/timers:insert`, `(garbage collector)`. */
function leafLabel(leaf: Frame): string {
  if (leaf.url === "") return leaf.functionName || "(anonymous native)";
  const file = shortUrl(leaf.url, projectRoot).replace(/^node:internal\/deps\/undici\/undici$/, "undici");
  if (file === "scripts/bench/runtime-child.ts" && leaf.functionName === "cannedFetch") return "canned fetch (the in-memory server)";
  if (file.startsWith("scripts/bench/")) return "(bench harness)";
  return `${file}:${leaf.functionName || "(anonymous)"}`;
}

/** One contender alone under the profiler, in its own process. */
async function profileAlone(packageDir: string, variant: Variant): Promise<CpuProfile> {
  const file = join(cacheDir, `runtime-${variant === "openapi-fetch" ? "openapi-fetch" : "facade"}.cpuprofile`);
  await runTsChild("runtime-child.ts", ["--package", packageDir, "--profile", file, "--variant", variant]);
  return JSON.parse(await readFile(file, "utf8")) as CpuProfile;
}

/**
 * Where the facade's extra time per call goes: self time of the innermost frame per call in each
 * contender's profile, facade minus openapi-fetch, largest differences first.
 */
function differenceTable(facadeProfile: CpuProfile, baselineProfile: CpuProfile): string {
  const calls = PROFILED_CALLS * OPERATIONS.length;
  const perCall = (taken: CpuProfile) => ({
    total: (totalMs(taken) * 1000) / calls,
    leaves: new Map([...leafTimeBy(taken, leafLabel)].map(([key, value]) => [key, (value * 1000) / calls])),
  });
  const facade = perCall(facadeProfile);
  const baseline = perCall(baselineProfile);
  const keys = [...new Set([...facade.leaves.keys(), ...baseline.leaves.keys()])];
  const difference = (key: string) => (facade.leaves.get(key) ?? 0) - (baseline.leaves.get(key) ?? 0);
  const sorted = keys.sort((a, b) => difference(b) - difference(a));
  const shown = sorted.filter((key) => Math.abs(difference(key)) >= 0.1);
  const rows = [["innermost frame (self time per call, both requests averaged)", "facade", "openapi-fetch", "difference"]];
  const cell = (value: number | undefined) => (value === undefined ? "-" : `${value.toFixed(2)} µs`);
  for (const key of shown) rows.push([key, cell(facade.leaves.get(key)), cell(baseline.leaves.get(key)), `${difference(key) >= 0 ? "+" : ""}${difference(key).toFixed(2)} µs`]);
  const rest = sorted.filter((key) => !shown.includes(key)).reduce((sum, key) => sum + difference(key), 0);
  rows.push([`${sorted.length - shown.length} entries of under 0.1 µs each`, "", "", `${rest >= 0 ? "+" : ""}${rest.toFixed(2)} µs`]);
  rows.push(["total sampled per call", cell(facade.total), cell(baseline.total), `+${(facade.total - baseline.total).toFixed(2)} µs`]);
  return [
    `Facade (defaults) against openapi-fetch, each profiled alone the same way: ${PROFILED_CALLS.toLocaleString("en-US")} calls of each request, sampled every ${PROFILE_INTERVAL_US} µs`,
    "(the profiler slows both alike). Self time of the innermost frame, per call; entries that differ by 0.1 µs or more.\n",
    table(rows),
  ].join("\n");
}

export async function runtimeSection(options: SectionOptions): Promise<TargetRow[]> {
  const packageDir = buildPackage();
  const { report } = await runTsChild<RuntimeReport>("runtime-child.ts", ["--package", packageDir, ...(options.quick ? ["--quick"] : [])], ["--expose-gc"]);
  if (!report) throw new Error("runtime-child.ts reported nothing");
  const [get, del] = OPERATIONS;
  const at = (variant: Variant, op: (typeof OPERATIONS)[number]) => report.perCallUs[variant][op].median;
  const range = (variant: Variant, op: (typeof OPERATIONS)[number]) => spread(report.perCallUs[variant][op].batches, (value) => value.toFixed(1));
  const baseline: Variant = "openapi-fetch";

  const rows = [["contender", `${get} per call`, "spread (µs)", "ratio", `${del} per call`, "spread (µs)", "ratio", `target ≤ ${RUNTIME_TARGET}×`]];
  for (const variant of VARIANTS) {
    const getRatio = ratio(at(variant, get), at(baseline, get));
    const delRatio = ratio(at(variant, del), at(baseline, del));
    const judged = variant === "facade (defaults)" || variant === "facade, maxRetries 0";
    rows.push([
      variant,
      us(at(variant, get)),
      range(variant, get),
      variant === baseline ? "1.00× (baseline)" : formatRatio(getRatio),
      us(at(variant, del)),
      range(variant, del),
      variant === baseline ? "1.00× (baseline)" : formatRatio(delRatio),
      judged ? verdict(Math.max(getRatio, delRatio), RUNTIME_TARGET) : "",
    ]);
  }
  console.log(`Median per-call time (spread: fastest–slowest batch) of ${report.rounds} alternating batches of ${report.callsPerBatch} sequential awaited calls each, after a`);
  console.log("warm-up, GC between batches; the same canned fetch for all (a fresh Response per call), installed as the global");
  console.log("fetch so that every contender runs with its default options; the \"own fetch option\" row passes it as the client's");
  console.log("`fetch` (its Request is then built with the attempt's signal, which Node's Request follows at a cost). The facade is");
  console.log("the built package's JavaScript. Authorization: Bearer is sent by every contender.\n");
  console.log(table(rows));

  const facadeRatio = Math.max(ratio(at("facade (defaults)", get), at(baseline, get)), ratio(at("facade (defaults)", del), at(baseline, del)));
  const noRetryRatio = Math.max(ratio(at("facade, maxRetries 0", get), at(baseline, get)), ratio(at("facade, maxRetries 0", del), at(baseline, del)));
  if (facadeRatio > RUNTIME_TARGET && !options.quick) {
    const facadeProfile = await profileAlone(packageDir, "facade (defaults)");
    const baselineProfile = await profileAlone(packageDir, "openapi-fetch");
    console.log(`\n${facadeTables(facadeProfile)}\n\n${differenceTable(facadeProfile, baselineProfile)}`);
  }
  return [
    { section: "runtime", what: "per-call time, facade (defaults) vs openapi-fetch (worse of GET/DELETE)", target: `≤ ${RUNTIME_TARGET}×`, measured: formatRatio(facadeRatio), status: verdict(facadeRatio, RUNTIME_TARGET) },
    { section: "runtime", what: "per-call time, facade (maxRetries 0) vs openapi-fetch", target: `≤ ${RUNTIME_TARGET}×`, measured: formatRatio(noRetryRatio), status: verdict(noRetryRatio, RUNTIME_TARGET) },
  ];
}
