/**
 * One spec's generation, in memory: spec → schema types + facades + name lock.
 * Nothing here touches the disk except reading inputs; output.ts writes.
 */
import { join, relative, resolve, sep } from "node:path";
import { emitClientFiles, facadeExportNames, type FacadeClient } from "./emit-client.js";
import { EXAMPLES_FILE, emitExamples } from "./emit-examples.js";
import { GeneratorError } from "./errors.js";
import { generatedHeader } from "./header.js";
import { fitLines } from "./line-width.js";
import { readMemberships, type Memberships } from "./memberships.js";
import { applyOverlay } from "./overlay.js";
import { readNameLock, resolveNames } from "./name-lock.js";
import { camelCase } from "./naming.js";
import { checkRefs, type Reference } from "./refs.js";
import { buildSecurityModel } from "./security-model.js";
import { buildOperationModel, type OperationModel } from "./operation-model.js";
import type { OutputFile } from "./output.js";
import { checkOperationIdsUnique, renderSchemaTypes } from "./schema-types.js";
import { readSpec, type SpecDocument } from "./spec-document.js";

export interface ClientConfig {
  /**
   * camelCase client name: chatflow → createChatflowClient, chatflowOperations.
   * Without `memberships`, the one client of the spec; with them, unused (each entry of `clients` names one).
   */
  name?: string;
  /** Spec file, relative to the project root. */
  spec: string;
  /** OpenAPI Overlay files applied to the spec in order, relative to the project root. */
  overlays?: string[];
  /** Name lock file, relative to the project root. */
  names: string;
  /** Output folder, relative to the project root. */
  out: string;
  /**
   * Which operations each client has (Dify's `memberships.json`: `{ pages: { <client>: { ops: ["GET /path", …] } } }`),
   * relative to the project root. Each of `clients` becomes a facade of its own over one shared set of operations.
   */
  memberships?: string;
  /** With `memberships`: the clients to build, in order, each a key of the memberships' `pages`. */
  clients?: { name: string; docs?: string; keyHelp?: string }[];
  /**
   * How the generated code imports the runtime: a package specifier (`dify-service-client/runtime`)
   * for a client that lives in another project. Unset: a relative path to this checkout's
   * src/runtime, for the clients this package ships and its tests.
   */
  runtime?: string;
}

/** Where the hand-written runtime lives; generated facades import it by relative path. */
export const RUNTIME_ENTRY = "src/runtime/index.js";

export interface GenerateOptions {
  /**
   * A name-lock entry that matches no operation: an error by default (a mistyped key, or an operation
   * the user must decide about); `spec:update`, where upstream removing an operation is expected,
   * keeps it under "absent" so the name stays reserved and comes back with the operation.
   */
  unmatchedNames?: "error" | "keep";
}

export async function generateClient(root: string, config: ClientConfig, options: GenerateOptions = {}): Promise<OutputFile[]> {
  const upstream = await readSpecAt(root, config.spec);
  const overlays = await Promise.all((config.overlays ?? []).map((file) => readSpecAt(root, file, "overlay")));
  const spec = overlays.reduce<SpecDocument>((doc, overlay) => ({ ...doc, data: applyOverlay(doc, overlay) }), upstream);
  // Every $ref checked up front, with a position: openapi-typescript's own message has none.
  const references = checkRefs(spec);
  checkOperationIdsUnique(spec);
  const operations = buildOperationModel(spec);
  const memberships = config.memberships === undefined ? undefined : await readMemberships(resolve(root, config.memberships), config.memberships, spec.file, operations);
  const clients = facadeClients(config, operations, memberships);
  const lock = await readNameLock(resolve(root, config.names), config.names);
  const reserved = new Set(clients.flatMap((c) => facadeExportNames(c.name)));
  const { names, text: newLockText } = resolveNames(lock, operations, reserved, { unmatched: options.unmatchedNames ?? "error" });

  const header = generatedHeader({
    spec: config.spec,
    sha256: upstream.sha256,
    overlays: overlays.map((o) => ({ file: o.file, sha256: o.sha256 })),
    ...(memberships && { memberships: { file: memberships.file, sha256: memberships.sha256 } }),
  });
  const files = await renderClientSources({ root, out: config.out, spec, references, operations, names, clients, split: memberships !== undefined, ...(config.runtime !== undefined && { runtime: config.runtime }) });
  // The clients with a typed mock (dify-service-client/testing) get their operations' examples too.
  if (memberships) files.set(EXAMPLES_FILE, fitLines(emitExamples({ spec, operations, names })));
  return [
    ...[...files].map(([name, content]) => ({ path: join(config.out, name), content: header + "\n" + content })),
    { path: config.names, content: newLockText },
  ];
}

/** The facades to emit: one per configured client with its memberships' operations, or one with every operation. */
function facadeClients(config: ClientConfig, operations: readonly OperationModel[], memberships: Memberships | undefined): FacadeClient[] {
  if (!memberships) return [{ name: clientName(config.name ?? "api", "--name"), operations: operations.map((op) => op.key) }];
  const entries: { name: string; docs?: string; keyHelp?: string }[] = config.clients ?? [...memberships.clients.keys()].map((name) => ({ name }));
  return entries.map((entry) => {
    const ops = memberships.clients.get(entry.name);
    if (!ops) {
      throw new GeneratorError(memberships.file, undefined, `no client ${JSON.stringify(entry.name)} in the memberships (it has ${[...memberships.clients.keys()].join(", ")})`, "correct the client's name in codegen.config.json");
    }
    return { name: clientName(entry.name, "codegen.config.json"), operations: ops, docs: entry.docs, keyHelp: entry.keyHelp };
  });
}

/** "my-api", "MyApi" and "myApi" all name the client myApi (createMyApiClient). */
function clientName(given: string, source: string): string {
  const name = camelCase(given);
  if (!/^[a-z][A-Za-z0-9]*$/.test(name)) {
    throw new GeneratorError(source, undefined, `client name ${JSON.stringify(given)} has no letters to make an identifier from`, "use a name such as chatflow or my-api");
  }
  return name;
}

export interface ClientSourcesInput {
  /** Project root, and the output folder (relative to it or absolute): they fix the runtime import. */
  root: string;
  out: string;
  /** The spec with overlays applied. */
  spec: SpecDocument;
  /** Its references outside data, as checkRefs returned them (unset: found again, one more walk of the document). */
  references?: readonly Reference[];
  operations: readonly OperationModel[];
  /** Operation key → method name. */
  names: ReadonlyMap<string, string>;
  clients: readonly FacadeClient[];
  /** One file per client over a shared operations.ts (memberships), or one client.ts. */
  split: boolean;
  /** The runtime's module specifier; unset: the relative path to this checkout's src/runtime. */
  runtime?: string;
}

/** The generated files (name → content, without their header): what `generate` writes and the drift report compares. */
export async function renderClientSources(input: ClientSourcesInput): Promise<Map<string, string>> {
  const schema = await renderSchemaTypes(input.spec, input.references);
  // Operations in name-lock order (path, then method), so an upstream reorder changes no output.
  const operations = [...input.operations].sort((a, b) => compare(a.path, b.path) || compare(a.method, b.method));
  const facades = emitClientFiles({
    title: input.spec.data.info?.title,
    defaultBaseUrl: defaultServerUrl(input.spec),
    operations,
    names: input.names,
    clients: input.clients,
    split: input.split,
    security: buildSecurityModel(input.spec),
    runtimeImport: input.runtime ?? importPath(resolve(input.root, input.out), resolve(input.root, RUNTIME_ENTRY)),
    schemaImport: "./schema.js",
  });
  // Every file within the line width (line-width.ts), ours and openapi-typescript's alike.
  return new Map([["schema.d.ts", schema] as const, ...facades].map(([name, text]) => [name, fitLines(text)]));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function readSpecAt(root: string, file: string, kind: "openapi" | "overlay" = "openapi"): Promise<SpecDocument> {
  return readSpec(resolve(root, file), kind, file);
}

/** The first server's URL with its variables set to their defaults (the drift report compares it too). */
export function defaultServerUrl(spec: SpecDocument): string {
  const server = spec.data.servers?.[0];
  if (!server || typeof server.url !== "string") return "http://localhost";
  return server.url.replace(/\{([^{}]+)\}/g, (match, name: string) => server.variables?.[name]?.default ?? match);
}

function importPath(fromDir: string, target: string): string {
  const path = relative(fromDir, target).split(sep).join("/");
  return path.startsWith(".") ? path : `./${path}`;
}
