/**
 * Reads a spec (YAML or JSON, both through `yaml`) and keeps source positions,
 * so every later error can point at `file:line:col`.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { isNode, LineCounter, parseDocument, type Document } from "yaml";
import { GeneratorError, type SourceLocation } from "./errors.js";

export interface SpecDocument {
  /** Path as given (relative to the project), used in messages and headers. */
  readonly file: string;
  readonly sha256: string;
  /** The parsed document as plain data. */
  readonly data: OpenApiDocument;
  /** line:col of the node at a JSON-pointer-like key path, if it exists in the source. */
  locate(keyPath: readonly (string | number)[]): SourceLocation | undefined;
}

/** The parts of an OpenAPI document the generator reads itself; openapi-typescript reads the rest. */
export interface OpenApiDocument {
  openapi: string;
  info?: { title?: string; version?: string };
  servers?: { url: string; variables?: Record<string, { default: string }> }[];
  paths: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

/** Reads `path`; messages name the file as `file` (the path the user gave, not an absolute one). */
export async function readSpec(path: string, kind: "openapi" | "overlay" = "openapi", file: string = path): Promise<SpecDocument> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw new GeneratorError(file, undefined, `cannot read the spec (${(cause as NodeJS.ErrnoException).code ?? cause})`, "pass the path of an OpenAPI 3.0 or 3.1 file");
  }
  return parseSpec(file, bytes.toString("utf8"), createHash("sha256").update(bytes).digest("hex"), kind);
}

export function parseSpec(file: string, text: string, sha256: string, kind: "openapi" | "overlay" = "openapi"): SpecDocument {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const [first] = doc.errors;
  if (first) {
    // linePos is only filled with prettyErrors; the offset always is.
    const pos = lineCounter.linePos(first.pos[0]);
    throw new GeneratorError(
      file,
      pos ? { line: pos.line, col: pos.col } : undefined,
      `not valid YAML or JSON: ${first.message.split("\n")[0]}`,
      "correct the syntax at that position",
    );
  }
  const data: unknown = doc.toJS({ maxAliasCount: 1000 });
  const locate = (keyPath: readonly (string | number)[]) => locateIn(doc, lineCounter, keyPath);
  if (kind === "openapi") checkIsOpenApi3(file, data, locate);
  return { file, sha256, data: data as OpenApiDocument, locate };
}

function locateIn(doc: Document, lineCounter: LineCounter, keyPath: readonly (string | number)[]): SourceLocation | undefined {
  // Walk up to the deepest existing node, so a missing key still points near its place.
  for (let depth = keyPath.length; depth >= 0; depth--) {
    const node = doc.getIn(keyPath.slice(0, depth), true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]);
  }
  return undefined;
}

function checkIsOpenApi3(file: string, data: unknown, locate: SpecDocument["locate"]): void {
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new GeneratorError(file, { line: 1, col: 1 }, "not an OpenAPI document (the top level is not a mapping)", "pass an OpenAPI 3.0 or 3.1 document");
  }
  const record = data as Record<string, unknown>;
  if (typeof record["swagger"] === "string") {
    throw new GeneratorError(
      file,
      locate(["swagger"]),
      `Swagger ${record["swagger"]} is not supported`,
      "convert it to OpenAPI 3 first (e.g. `npx swagger2openapi`) and pass the result",
    );
  }
  const version = record["openapi"];
  if (typeof version !== "string" || !/^3\.[01]\./.test(version)) {
    throw new GeneratorError(
      file,
      locate(["openapi"]) ?? { line: 1, col: 1 },
      version === undefined ? "not an OpenAPI document (no `openapi` field)" : `unsupported OpenAPI version ${JSON.stringify(version)}`,
      "pass an OpenAPI 3.0.x or 3.1.x document",
    );
  }
  if (typeof record["paths"] !== "object" || record["paths"] === null) {
    throw new GeneratorError(file, locate(["paths"]) ?? { line: 1, col: 1 }, "the document has no `paths` object", "add the API's paths");
  }
}
