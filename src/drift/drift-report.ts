/**
 * One drift report, end to end: load both sides, compare the specs, diff the
 * generated facades, and (on request) type-check a consumer against the head.
 * The CLI (scripts/drift.ts) only parses flags and prints what this returns.
 * TypeScript, ts-morph and openapi-typescript (seconds to load) are imported
 * only by the steps that need them, so a bad input fails fast.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ClientConfig } from "../codegen/generate.js";
import { GeneratorError } from "../codegen/errors.js";
import type { Change } from "./change.js";
import type { ConsumerImpact } from "./consumer-impact.js";
import type { FacadeChange } from "./facade-surface.js";
import type { GeneratedSide } from "./generate-side.js";
import { methodNames, type MethodNames } from "./method-names.js";
import { severityRank, type Severity } from "./rules.js";
import { semverBump, type SemverBump } from "./semver.js";
import { compareSpecs } from "./spec-compare.js";
import { loadSide, type SpecSide } from "./spec-side.js";

export interface DriftOptions {
  /** Where inputs, flags' paths and git revisions are resolved. */
  cwd: string;
  /** The project: codegen.config.json, package.json and src/runtime (defaults to cwd). */
  root?: string;
  base: string;
  head: string;
  /** Overlay file; undefined for the client's configured overlay, null for none. */
  overlay?: string | null;
  /** Name lock file; undefined for the client's configured lock. */
  names?: string;
  /** A consumer project's tsconfig.json to type-check against the head. */
  consumer?: string;
  /** Diff the generated facades (needs the TypeScript checker: a few seconds). Default true. */
  facade?: boolean;
}

export interface DriftReport {
  base: string;
  head: string;
  changes: Change[];
  semver: SemverBump;
  /** Differences of the generated client's API; undefined when not computed. */
  facade: FacadeChange[] | undefined;
  consumer: ConsumerImpact | undefined;
  /** Overlay actions that did not apply, which overlay and lock each side used, facade problems. */
  notes: string[];
}

const DEFAULT_CLIENT: ClientConfig = {
  name: "chatflow",
  spec: "spec/chatflow.openapi.yaml",
  overlays: ["spec/chatflow.overlay.yaml"],
  names: "spec/chatflow.names.json",
  out: "generated/chatflow",
};

export async function buildDriftReport(options: DriftOptions): Promise<DriftReport> {
  const root = options.root ?? options.cwd;
  const client = await configuredClient(root);
  // A bad --consumer fails here, before seconds of generation.
  let checkConsumer: ((base: GeneratedSide, head: GeneratedSide) => ConsumerImpact) | undefined;
  if (options.consumer !== undefined) {
    const { consumerImpact, loadConsumer } = await import("./consumer-impact.js");
    const consumer = loadConsumer(options.consumer, options.cwd);
    checkConsumer = (b, h) => consumerImpact({ root, out: client.out, consumer, base: b, head: h });
  }
  const overlayPath = options.overlay === undefined ? client.overlays?.[0] : options.overlay ?? undefined;
  const overlay = overlayPath === undefined ? undefined : { path: overlayPath, explicit: options.overlay !== undefined };
  const lock = { path: options.names ?? client.names, explicit: options.names !== undefined };
  const [base, head] = await Promise.all([
    loadSide(options.base, { cwd: options.cwd, overlay, names: lock }),
    loadSide(options.head, { cwd: options.cwd, overlay }),
  ]);
  // emit-client.ts loads ts-morph: imported once the inputs are known to be good.
  const { facadeExportNames } = await import("../codegen/emit-client.js");
  const names = methodNames(new Set(facadeExportNames(client.name)), base.lock ?? { file: lock.path, text: undefined }, base.operations, head.operations);
  const changes = compareSpecs(base, head, names);
  const notes = [...new Set([...base.notes.map((n) => `base: ${n}`), ...head.notes.map((n) => `head: ${n}`)])];

  let facade: FacadeChange[] | undefined;
  let consumer: ConsumerImpact | undefined;
  const wanted = options.facade !== false || checkConsumer !== undefined;
  const generated = !wanted
    ? undefined
    : await generateBoth(client, base, head, names).catch((error: unknown) => {
        // A spec the generator rejects still gets its spec comparison; only --consumer cannot do without the client.
        if (!(error instanceof GeneratorError) || checkConsumer) throw error;
        notes.push(`facade surface not computed: ${error.message}`);
        return undefined;
      });
  if (generated) {
    if (options.facade !== false) {
      const { diffFacadeSurface, readFacadeSurfaces } = await import("./facade-surface.js");
      const [baseSurface, headSurface] = readFacadeSurfaces(root, client.out, client.name, [generated.base, generated.head]);
      facade = diffFacadeSurface(baseSurface!, headSurface!);
    }
    if (checkConsumer) consumer = checkConsumer(generated.base, generated.head);
  }
  return { base: options.base, head: options.head, changes, semver: semverBump(changes), facade, consumer, notes };
}

/** What `--fail-on <severity>` counts: changes at least that severe, and every broken consumer call site. */
export function failingFindings(report: DriftReport, threshold: Severity): number {
  const rank = severityRank(threshold);
  return report.changes.filter((c) => severityRank(c.severity) >= rank).length + (report.consumer?.errors.length ?? 0);
}

async function generateBoth(client: ClientConfig, base: SpecSide, head: SpecSide, names: MethodNames) {
  const { generateSide } = await import("./generate-side.js");
  const generate = (side: SpecSide, sideNames: ReadonlyMap<string, string>) =>
    generateSide({ clientName: client.name, out: client.out, spec: side.spec, operations: side.operations, names: sideNames });
  const [b, h] = await Promise.all([generate(base, names.base), generate(head, names.head)]);
  return { base: b, head: h };
}

/** The first client of codegen.config.json (the drift report compares one client's spec). */
async function configuredClient(root: string): Promise<ClientConfig> {
  const text = await readFile(join(root, "codegen.config.json"), "utf8").catch(() => undefined);
  if (text === undefined) return DEFAULT_CLIENT;
  let config: { clients?: ClientConfig[] };
  try {
    config = JSON.parse(text) as typeof config;
  } catch (cause) {
    throw new GeneratorError("codegen.config.json", undefined, `not valid JSON (${(cause as Error).message})`, "correct the syntax");
  }
  const [first] = config.clients ?? [];
  if (!first) throw new GeneratorError("codegen.config.json", undefined, "lists no clients", "add the client whose spec the drift report compares");
  return first;
}
