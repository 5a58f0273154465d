/**
 * One drift report, end to end: load both sides, compare the specs, diff the
 * generated facades, and (on request) type-check a consumer against the head.
 * The CLI (scripts/drift.ts) only parses flags and prints what this returns.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ClientConfig } from "../codegen/generate.js";
import { GeneratorError } from "../codegen/errors.js";
import type { Change } from "./change.js";
import { consumerImpact, type ConsumerImpact } from "./consumer-impact.js";
import { diffFacadeSurface, readFacadeSurfaces, type FacadeChange } from "./facade-surface.js";
import { generateSide } from "./generate-side.js";
import { methodNames, type MethodNames } from "./method-names.js";
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
  const overlayPath = options.overlay === undefined ? client.overlays?.[0] : options.overlay ?? undefined;
  const sideOptions = {
    cwd: options.cwd,
    overlay: overlayPath === undefined ? undefined : { path: overlayPath, explicit: options.overlay !== undefined },
    names: { path: options.names ?? client.names, explicit: options.names !== undefined },
  };
  const [base, head] = await Promise.all([loadSide(options.base, sideOptions), loadSide(options.head, sideOptions)]);
  const names = methodNames(client.name, base.lock, base.operations, head.operations);
  const changes = compareSpecs(base, head, names);
  const notes = [...new Set([...base.notes.map((n) => `base: ${n}`), ...head.notes.map((n) => `head: ${n}`)])];

  let facade: FacadeChange[] | undefined;
  let consumer: ConsumerImpact | undefined;
  if (options.facade !== false || options.consumer !== undefined) {
    const generated = await generateBoth(client, base, head, names);
    if (options.facade !== false) {
      const [baseSurface, headSurface] = readFacadeSurfaces(root, client.out, client.name, [generated.base, generated.head]);
      facade = diffFacadeSurface(baseSurface!, headSurface!);
    }
    if (options.consumer !== undefined) {
      consumer = consumerImpact({ root, out: client.out, tsconfig: options.consumer, cwd: options.cwd, base: generated.base, head: generated.head });
    }
  }
  return { base: options.base, head: options.head, changes, semver: semverBump(changes), facade, consumer, notes };
}

async function generateBoth(client: ClientConfig, base: SpecSide, head: SpecSide, names: MethodNames) {
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
