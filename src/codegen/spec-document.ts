/**
 * Reads a spec (YAML or JSON) so every later error can point at `file:line:col`:
 * the data comes from a plain parse where `yaml` would read the same (spec-fast-parse.ts),
 * the positions from `yaml`, parsed only when a message first asks for one.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { isNode, Lexer, LineCounter, parseDocument, visit, type Document } from "yaml";
import { GeneratorError, type SourceLocation } from "./errors.js";
import { parseFast } from "./spec-fast-parse.js";

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

/**
 * The largest source text of one YAML/JSON token (a scalar value, a key, a
 * comment) the generator accepts: 1 MiB (1,048,576 characters). Parsing a
 * 100 MB description takes a minute and gigabytes; the Dify spec's largest
 * value is a few KB. Checked by yaml's lexer before the document is built.
 */
export const MAX_VALUE_CHARS = 1024 * 1024;

/** yaml's default alias budget; beyond it an alias chain ("billion laughs") would expand without bound. */
const MAX_ALIAS_COUNT = 1000;

export function parseSpec(file: string, text: string, sha256: string, kind: "openapi" | "overlay" = "openapi"): SpecDocument {
  const fast = parseFast(text, MAX_VALUE_CHARS);
  let data: unknown;
  let locate: SpecDocument["locate"];
  if (fast) {
    // The same size check, exact only when a multi-line scalar comes near the limit.
    if (fast.longestToken > MAX_VALUE_CHARS / 2) checkValueSizes(file, text);
    data = fast.data;
    // Positions only for a message that needs one: most runs never ask.
    let positions: { doc: Document; lineCounter: LineCounter } | undefined;
    locate = (keyPath) => {
      positions ??= parseWithPositions(text);
      return locateIn(positions.doc, positions.lineCounter, keyPath);
    };
  } else {
    checkValueSizes(file, text);
    const { doc, lineCounter } = parseWithPositions(text);
    const [first] = doc.errors;
    if (first) {
      // linePos is only filled with prettyErrors; the offset always is.
      const pos = lineCounter.linePos(first.pos[0]);
      // yaml reports a stack overflow on deep nesting as a syntax error; it is not one.
      const tooDeep = /Maximum call stack size exceeded/.test(first.message);
      throw new GeneratorError(
        file,
        pos ? { line: pos.line, col: pos.col } : undefined,
        tooDeep ? "nested too deeply to parse" : `not valid YAML or JSON: ${first.message.split("\n")[0]}`,
        tooDeep ? "flatten the structure (e.g. move nested schemas into components and $ref them)" : "correct the syntax at that position",
      );
    }
    data = toData(file, doc, lineCounter);
    locate = (keyPath) => locateIn(doc, lineCounter, keyPath);
  }
  if (kind === "openapi") checkIsOpenApi3(file, data, locate);
  return { file, sha256, data: data as OpenApiDocument, locate };
}

function parseWithPositions(text: string): { doc: Document; lineCounter: LineCounter } {
  const lineCounter = new LineCounter();
  return { doc: parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false }), lineCounter };
}

const CONTROL_TOKENS = new Set(["\x02", "\x18", "\x1f"]);

/** The lexer is ~100x faster than building the document: a huge value is refused before it costs gigabytes. */
function checkValueSizes(file: string, text: string): void {
  if (text.length <= MAX_VALUE_CHARS) return;
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    // The lexer interleaves one-character control tokens that are not in the source.
    if (CONTROL_TOKENS.has(token)) continue;
    if (token.length > MAX_VALUE_CHARS) {
      throw new GeneratorError(
        file,
        positionAt(text, offset),
        `a single value is ${token.length} characters long, over the generator's limit of ${MAX_VALUE_CHARS} (1 MiB)`,
        "shorten that value (e.g. link to long documentation instead of inlining it)",
      );
    }
    offset += token.length;
  }
}

function positionAt(text: string, offset: number): SourceLocation {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, col: offset - lineStart + 1 };
}

function toData(file: string, doc: Document, lineCounter: LineCounter): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (cause) {
    // yaml throws a ReferenceError for an alias chain that expands too far; the first alias is where it starts.
    if (!(cause instanceof ReferenceError)) throw cause;
    let at: number | undefined;
    visit(doc, {
      Alias(_key, node) {
        at = node.range?.[0];
        return visit.BREAK;
      },
    });
    const pos = at === undefined ? undefined : lineCounter.linePos(at);
    throw new GeneratorError(
      file,
      pos && { line: pos.line, col: pos.col },
      `YAML aliases expand to more than ${MAX_ALIAS_COUNT} nodes (an alias bomb)`,
      "write the repeated parts out, or use fewer `*alias` references",
    );
  }
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
  const paths = record["paths"];
  if (paths === undefined && version.startsWith("3.1.")) {
    // 3.1 makes `paths` optional (a webhooks-only or components-only document); downstream reads `{}`.
    if (record["webhooks"] === undefined && record["components"] === undefined) {
      throw new GeneratorError(file, { line: 1, col: 1 }, "the document has none of `paths`, `webhooks` or `components`", "add the API's paths");
    }
    record["paths"] = {};
    return;
  }
  if (typeof paths !== "object" || paths === null || Array.isArray(paths)) {
    throw new GeneratorError(
      file,
      locate(["paths"]) ?? { line: 1, col: 1 },
      paths === undefined ? "the document has no `paths` object" : "`paths` is not a mapping",
      paths === undefined ? "add the API's paths (only OpenAPI 3.1 may leave them out)" : "write paths as a mapping of /path: {get: ...}",
    );
  }
}
