/**
 * One drift report, end to end: load both sides, compare the specs, diff the
 * generated facades, and (on request) type-check a consumer against the head.
 * The CLI (scripts/drift.ts) only parses flags and prints what this returns.
 * TypeScript, ts-morph and openapi-typescript (seconds to load) are imported
 * only by the steps that need them, so a bad input fails fast.
 */
import { existsSync } from "node:fs";
import { relative, resolve, sep } from "node:path";
import { readConfig } from "../codegen/config.js";
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
import { REVISION_PATH } from "./load-side.js";
import { loadSide, type CompanionFile, type SpecSide } from "./spec-side.js";
import type { OperationModel } from "../codegen/operation-model.js";

export interface DriftOptions {
  /** Where inputs, flags' paths and git revisions are resolved. */
  cwd: string;
  /** The project: codegen.config.json, package.json and src/runtime (defaults to cwd). */
  root?: string;
  base: string;
  head: string;
  /** Overlay file of both sides; undefined for the client's configured overlay, null for none. */
  overlay?: string | null;
  /** Overlay file of the base alone (a retired spec has corrections of its own); null for none. */
  baseOverlay?: string | null;
  /** Name lock file of the base; undefined for the client's configured lock. */
  names?: string;
  /** Compare the operations this app type has on each side (a side without memberships counts all). */
  app?: string;
  /** Memberships of the base / the head; undefined for the configured ones where the side is the configured spec. */
  baseMemberships?: string;
  memberships?: string;
  /** A consumer project's tsconfig.json to type-check against the head. */
  consumer?: string;
  /** Diff the generated facades (needs the TypeScript checker: a few seconds). Default true. */
  facade?: boolean;
}

export interface DriftReport {
  base: string;
  head: string;
  /** The app type compared, when `--app` chose one. */
  app: string | undefined;
  changes: Change[];
  semver: SemverBump;
  /** Differences of the generated client's API; undefined when not computed. */
  facade: FacadeChange[] | undefined;
  consumer: ConsumerImpact | undefined;
  /** Overlay actions that did not apply, which overlay and lock each side used, facade problems. */
  notes: string[];
}

const DEFAULT_CLIENT: ClientConfig = {
  spec: "spec/dify-service.openapi.yaml",
  overlays: ["spec/dify-service.overlay.yaml"],
  names: "spec/dify-service.names.json",
  memberships: "spec/dify-service.memberships.json",
  out: "generated/dify",
};

export async function buildDriftReport(options: DriftOptions): Promise<DriftReport> {
  const [report] = await buildDriftReports(options, [options.app]);
  return report!;
}

/**
 * One report per app type (`undefined`: every operation, every client's facade), from one load of
 * both sides and one generation of each: what `spec:update` writes, one section per app type.
 */
export async function buildDriftReports(options: Omit<DriftOptions, "app">, apps: readonly (string | undefined)[]): Promise<DriftReport[]> {
  const root = options.root ?? options.cwd;
  const client = await configuredClient(root);
  // A bad --consumer fails here, before seconds of generation.
  let checkConsumer: ((base: GeneratedSide, head: GeneratedSide) => ConsumerImpact) | undefined;
  if (options.consumer !== undefined) {
    const { consumerImpact, loadConsumer } = await import("./consumer-impact.js");
    const consumer = loadConsumer(options.consumer, options.cwd);
    checkConsumer = (b, h) => consumerImpact({ root, out: client.out, consumer, base: b, head: h });
  }
  const companion = (given: string | null | undefined, configured: string | undefined): CompanionFile | undefined => {
    const path = given === undefined ? configured : given ?? undefined;
    return path === undefined ? undefined : { path, explicit: given !== undefined };
  };
  const overlay = companion(options.overlay, client.overlays?.[0]);
  const baseOverlay = options.baseOverlay === undefined ? overlay : companion(options.baseOverlay, undefined);
  const lock = { path: options.names ?? client.names, explicit: options.names !== undefined };
  // Memberships and the head's own lock belong to the project's spec (or a revision of it), or are given.
  const isProjectSpec = (input: string) => sidePath(input, options.cwd, root) === client.spec;
  const memberships = (input: string, given: string | undefined) =>
    given !== undefined ? { path: given, explicit: true } : isProjectSpec(input) ? companion(undefined, client.memberships) : undefined;
  const [base, head] = await Promise.all([
    loadSide(options.base, { cwd: options.cwd, overlay: baseOverlay, names: lock, memberships: memberships(options.base, options.baseMemberships) }),
    loadSide(options.head, { cwd: options.cwd, overlay, memberships: memberships(options.head, options.memberships), ...(isProjectSpec(options.head) && options.names === undefined && { names: { path: client.names, explicit: false } }) }),
  ]);
  const clients = clientNames(client, base, head);
  for (const app of apps) {
    if (app !== undefined && !clients.includes(app)) {
      throw new GeneratorError("--app", undefined, `no app type ${JSON.stringify(app)} in the memberships (they have ${clients.join(", ") || "none"})`, `pass one of ${clients.join(", ") || "the app types of the memberships"}, or leave --app out`);
    }
  }
  // emit-client.ts loads ts-morph: imported once the inputs are known to be good.
  const { facadeExportNames, facadeFileName } = await import("../codegen/emit-client.js");
  const reserved = new Set(clients.flatMap((name) => facadeExportNames(name)));
  const names = methodNames(reserved, base.lock ?? { file: lock.path, text: undefined }, base.operations, head.operations, head.lock);
  const notes = [...new Set([...base.notes.map((n) => `base: ${n}`), ...head.notes.map((n) => `head: ${n}`)])];

  const wanted = options.facade !== false || checkConsumer !== undefined;
  const split = client.memberships !== undefined;
  const generated = !wanted
    ? undefined
    : await generateBoth(client, split, clients, base, head, names).catch((error: unknown) => {
        // A spec the generator rejects still gets its spec comparison; only --consumer cannot do without the client.
        if (!(error instanceof GeneratorError) || checkConsumer) throw error;
        notes.push(`facade surface not computed: ${error.message}`);
        return undefined;
      });
  const consumer = generated && checkConsumer ? checkConsumer(generated.base, generated.head) : undefined;
  const surfaces = new Map<string, FacadeChange[]>();
  if (generated && options.facade !== false) {
    const { diffFacadeSurface, readFacadeSurfaces } = await import("./facade-surface.js");
    for (const name of new Set(apps.flatMap((app) => (app === undefined ? clients : [app])))) {
      const [baseSurface, headSurface] = readFacadeSurfaces(root, client.out, { file: facadeFileName(name, split), client: name }, [generated.base, generated.head]);
      surfaces.set(name, diffFacadeSurface(baseSurface!, headSurface!));
    }
  }
  return apps.map((app): DriftReport => {
    const changes = compareSpecs({ ...base, operations: appOperations(base, app) }, { ...head, operations: appOperations(head, app) }, names);
    const facades = app !== undefined ? [app] : clients;
    // Without --app every client is compared: a row names its client.
    const facade = surfaces.size === 0 ? undefined : facades.flatMap((name) => (surfaces.get(name) ?? []).map((c) => ({ ...c, method: facades.length > 1 ? `${name}.${c.method}` : c.method })));
    return { base: options.base, head: options.head, app, changes, semver: semverBump(changes), facade, consumer, notes };
  });
}

/** The path a side names, relative to the project root: `rev:spec/x.yaml` → spec/x.yaml, a file → its path from the root. */
function sidePath(input: string, cwd: string, root: string): string {
  const revision = REVISION_PATH.exec(input);
  const path = revision && !existsSync(resolve(cwd, input)) ? revision[2]!.replace(/^\.\//, "") : relative(root, resolve(cwd, input));
  return path.split(sep).join("/");
}

/** The clients the project builds: its configured ones, else every app type either side's memberships name. */
function clientNames(client: ClientConfig, base: SpecSide, head: SpecSide): string[] {
  if (client.clients) return client.clients.map((c) => c.name);
  if (client.memberships === undefined) return [client.name ?? "api"];
  return [...new Set([...(base.memberships?.clients.keys() ?? []), ...(head.memberships?.clients.keys() ?? [])])];
}

/** The operations an app type has on a side: its memberships' list, or every operation of a side without memberships. */
function appOperations(side: SpecSide, app: string | undefined): OperationModel[] {
  if (app === undefined || !side.memberships) return side.operations;
  const keys = new Set(side.memberships.clients.get(app) ?? []);
  return side.operations.filter((op) => keys.has(op.key));
}

/** What `--fail-on <severity>` counts: changes at least that severe, and every broken consumer call site. */
export function failingFindings(report: DriftReport, threshold: Severity): number {
  const rank = severityRank(threshold);
  return report.changes.filter((c) => severityRank(c.severity) >= rank).length + (report.consumer?.errors.length ?? 0);
}

async function generateBoth(client: ClientConfig, split: boolean, clients: readonly string[], base: SpecSide, head: SpecSide, names: MethodNames) {
  const { generateSide } = await import("./generate-side.js");
  const generate = (side: SpecSide, sideNames: ReadonlyMap<string, string>) =>
    generateSide({
      clients: clients.map((name) => ({ name, operations: appOperations(side, name).map((op) => op.key) })),
      split,
      out: client.out,
      spec: side.spec,
      operations: side.operations,
      names: sideNames,
    });
  const [b, h] = await Promise.all([generate(base, names.base), generate(head, names.head)]);
  return { base: b, head: h };
}

/** The first entry of codegen.config.json: the spec the drift report compares. */
async function configuredClient(root: string): Promise<ClientConfig> {
  return (await readConfig(root))?.[0] ?? DEFAULT_CLIENT;
}
