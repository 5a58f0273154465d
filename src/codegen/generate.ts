/**
 * One client's generation, in memory: spec → schema types + facade + name lock.
 * Nothing here touches the disk except reading inputs; output.ts writes.
 */
import { readFile } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { emitFacade, facadeExportNames } from "./emit-client.js";
import { GeneratorError } from "./errors.js";
import { generatedHeader } from "./header.js";
import { applyOverlay } from "./overlay.js";
import { parseNameLock, resolveNames } from "./name-lock.js";
import { camelCase } from "./naming.js";
import { checkRefs } from "./refs.js";
import { buildOperationModel, type OperationModel } from "./operation-model.js";
import type { OutputFile } from "./output.js";
import { renderSchemaTypes } from "./schema-types.js";
import { readSpec, type SpecDocument } from "./spec-document.js";

export interface ClientConfig {
  /** camelCase client name: chatflow → createChatflowClient, chatflowOperations. */
  name: string;
  /** Spec file, relative to the project root. */
  spec: string;
  /** OpenAPI Overlay files applied to the spec in order, relative to the project root. */
  overlays?: string[];
  /** Name lock file, relative to the project root. */
  names: string;
  /** Output folder, relative to the project root. */
  out: string;
}

/** Where the hand-written runtime lives; generated facades import it by relative path. */
export const RUNTIME_ENTRY = "src/runtime/index.js";

export async function generateClient(root: string, given: ClientConfig): Promise<OutputFile[]> {
  // "my-api", "MyApi" and "myApi" all name the client myApi (createMyApiClient).
  const config = { ...given, name: camelCase(given.name) };
  if (!/^[a-z][A-Za-z0-9]*$/.test(config.name)) {
    throw new GeneratorError("--name", undefined, `client name ${JSON.stringify(given.name)} has no letters to make an identifier from`, "use a name such as chatflow or my-api");
  }
  const upstream = await readSpecAt(root, config.spec);
  const overlays = await Promise.all((config.overlays ?? []).map((file) => readSpecAt(root, file, "overlay")));
  const spec = overlays.reduce<SpecDocument>((doc, overlay) => ({ ...doc, data: applyOverlay(doc, overlay) }), upstream);
  // Every $ref checked up front, with a position: openapi-typescript's own message has none.
  checkRefs(spec);
  const operations = buildOperationModel(spec);
  const lockText = await readFile(resolve(root, config.names), "utf8").catch(() => undefined);
  const lock = parseNameLock(config.names, lockText);
  const { names, text: newLockText } = resolveNames(lock, operations, new Set(facadeExportNames(config.name)));

  const header = generatedHeader({
    spec: config.spec,
    sha256: upstream.sha256,
    overlays: overlays.map((o) => ({ file: o.file, sha256: o.sha256 })),
  });
  const { schema, client } = await renderClientSources({ root, out: config.out, clientName: config.name, spec, operations, names });
  return [
    { path: join(config.out, "schema.d.ts"), content: header + "\n" + schema },
    { path: join(config.out, "client.ts"), content: header + "\n" + client },
    { path: config.names, content: newLockText },
  ];
}

export interface ClientSourcesInput {
  /** Project root, and the output folder (relative to it or absolute): they fix the runtime import. */
  root: string;
  out: string;
  clientName: string;
  /** The spec with overlays applied. */
  spec: SpecDocument;
  operations: readonly OperationModel[];
  /** Operation key → method name. */
  names: ReadonlyMap<string, string>;
}

/** The two generated files' contents, without their header: what `generate` writes and the drift report compares. */
export async function renderClientSources(input: ClientSourcesInput): Promise<{ schema: string; client: string }> {
  const schema = await renderSchemaTypes(input.spec);
  const client = emitFacade({
    clientName: input.clientName,
    title: input.spec.data.info?.title,
    defaultBaseUrl: defaultServerUrl(input.spec),
    operations: input.operations,
    names: input.names,
    runtimeImport: importPath(resolve(input.root, input.out), resolve(input.root, RUNTIME_ENTRY)),
    schemaImport: "./schema.js",
  });
  return { schema, client };
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
